"""Numbers as people type them in German offices: ``12,5``, ``1.234,5``, ``12.5`` or ``7``."""

from __future__ import annotations

import math
import re

NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$|^[+-]?\d*\.?\d+$")


def parse_decimal(text: str) -> float | None:
    """A float from a German (decimal comma, optional thousands dots) or plain (decimal point)
    number; ``None`` if the text is no finite number.

    A single dot is read as a decimal point (spreadsheets write ``12.5`` for a number cell),
    so ``1.234`` means 1.234; write ``1234`` or ``1.234,0`` for a thousand and more.

    Examples
    --------
    >>> parse_decimal("1.234,5"), parse_decimal("12,5"), parse_decimal("12.5")
    (1234.5, 12.5, 12.5)
    >>> parse_decimal("12,5 %") is None
    True
    """
    cleaned = "".join(str(text).split())
    if not cleaned or not NUMBER.match(cleaned):
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    value = float(cleaned)
    return value if math.isfinite(value) else None
