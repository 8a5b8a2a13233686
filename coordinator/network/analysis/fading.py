"""Ties that fall asleep: pairs of departments, and of a department and a group, that
worked together regularly but have had no joint activity for a while.

Pure: input is one row per pair with its number of joint activities and the dates of the
first and the last one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .trend import quarter_of

MIN_ACTIVITIES = 3  # "regularly": at least this many joint activities
WATCHED_PAIRS = ({"department"}, {"department", "group"})  # kinds of the two ends


@dataclass(frozen=True)
class PairHistory:
    a: int
    b: int
    activities: int
    first: date
    last: date


@dataclass(frozen=True)
class FadingTie:
    a: int
    b: int
    activities: int
    first: date
    last: date
    per_quarter: float  # the earlier frequency: joint activities per quarter, first to last


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day where it is shorter).

    Examples
    --------
    >>> months_before(date(2026, 8, 31), 6), months_before(date(2026, 3, 15), 6)
    (datetime.date(2026, 2, 28), datetime.date(2025, 9, 15))
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last_day = (following.toordinal() - date(year, month + 1, 1).toordinal())
    return date(year, month + 1, min(day.day, last_day))


def fading_ties(
    pairs: Iterable[PairHistory],
    kinds: Mapping[int, str],
    today: date,
    quiet_months: int = 6,
    min_activities: int = MIN_ACTIVITIES,
) -> list[FadingTie]:
    """Pairs of watched kinds with at least ``min_activities`` joint activities whose last
    one lies ``quiet_months`` months or more before ``today``; the most active first, the
    department of a pair as ``a``.

    Examples
    --------
    >>> kinds = {1: "department", 2: "department", 3: "group", 4: "individual"}
    >>> pairs = [PairHistory(1, 2, 4, date(2025, 1, 10), date(2025, 12, 1)),
    ...          PairHistory(1, 3, 3, date(2025, 1, 10), date(2026, 5, 1)),   # recent
    ...          PairHistory(2, 4, 9, date(2024, 1, 10), date(2025, 1, 1)),   # a person
    ...          PairHistory(2, 3, 2, date(2024, 1, 10), date(2025, 1, 1))]   # too few
    >>> [(t.a, t.b, t.per_quarter) for t in fading_ties(pairs, kinds, date(2026, 7, 1))]
    [(1, 2, 1.0)]
    """
    cutoff = months_before(today, quiet_months)
    result = []
    for pair in pairs:
        ends = {kinds.get(pair.a), kinds.get(pair.b)}
        if ends not in WATCHED_PAIRS or pair.activities < min_activities:
            continue
        if pair.last > cutoff:
            continue
        quarters = quarter_of(pair.last) - quarter_of(pair.first) + 1
        # The department first (of a department and a group).
        a, b = (pair.a, pair.b) if kinds.get(pair.a) == "department" else (pair.b, pair.a)
        result.append(FadingTie(a, b, pair.activities, pair.first, pair.last,
                                round(pair.activities / quarters, 1)))
    result.sort(key=lambda t: (-t.activities, -t.last.toordinal(), t.a, t.b))
    return result
