"""Numbers as people type them in German offices: ``12,5``, ``1.234,5``, ``12.5`` or ``7``."""

from __future__ import annotations

import math
import re

WHOLE_NUMBER = re.compile(r"[0-9]+")
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


def whole_number(text: str) -> int | None:
    """A non-negative whole number written with the digits 0–9, else ``None``.

    ``str.isdigit`` is not enough: it accepts superscripts and other digit characters that
    ``int`` refuses (``"³".isdigit()`` is true, ``int("³")`` fails), which turned a typed
    ``³`` into a server error.

    Examples
    --------
    >>> whole_number("42"), whole_number("³"), whole_number("-1"), whole_number("")
    (42, None, None, None)
    """
    return int(text) if WHOLE_NUMBER.fullmatch(text) else None
