"""Reporting periods of the success measurement: a year (``2025``) or a quarter (``2025-Q3``).

Indicator values, participation counts and population shares are all kept per period in this
text form, so that one time axis runs through all of them and the periods sort as they read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:\s*-?\s*Q([1-4]))?$", re.IGNORECASE)
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100
PERIOD_LENGTH = 7


@dataclass(frozen=True)
class Period:
    """A year (``quarter`` is ``None``) or one quarter of a year; :meth:`sort_key` puts a
    year before its quarters."""

    year: int
    quarter: int | None = None

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    def sort_key(self) -> tuple[int, int]:
        return (self.year, self.quarter or 0)


def parse_period(text: str) -> Period | None:
    """``"2025"`` → year 2025, ``"2025-Q3"`` (also ``2025Q3``, ``2025 q3``) → third quarter;
    anything else → ``None``.

    Examples
    --------
    >>> parse_period("2025-q3")
    Period(year=2025, quarter=3)
    >>> parse_period("25") is None
    True
    """
    match = PERIOD_PATTERN.match(" ".join(str(text).split()))
    if not match:
        return None
    year = int(match.group(1))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    quarter = int(match.group(2)) if match.group(2) else None
    return Period(year, quarter)


def period_sort_key(text: str) -> tuple[int, int]:
    """Sort key for stored period texts; unreadable ones sort first."""
    period = parse_period(text)
    return period.sort_key() if period else (0, 0)
