"""Ties that fall asleep: pairs of departments, and of a department and a group, that
worked together regularly but have had no joint activity for a while.

Pure: input is one row per pair with its number of joint activities, the quarter of the
first one and the date of the last one (what the tie store keeps per pair and quarter).
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
    first_quarter: int  # quarter number (trend.quarter_of) of the first joint activity
    last: date


@dataclass(frozen=True)
class FadingTie:
    a: int
    b: int
    activities: int
    first_quarter: int
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
    >>> q2025, q2024 = quarter_of(date(2025, 1, 10)), quarter_of(date(2024, 1, 10))
    >>> pairs = [PairHistory(1, 2, 4, q2025, date(2025, 12, 1)),
    ...          PairHistory(1, 3, 3, q2025, date(2026, 5, 1)),   # recent
    ...          PairHistory(2, 4, 9, q2024, date(2025, 1, 1)),   # a person
    ...          PairHistory(2, 3, 2, q2024, date(2025, 1, 1))]   # too few
    >>> [(t.a, t.b, t.per_quarter) for t in fading_ties(pairs, kinds, date(2026, 7, 1))]
    [(1, 2, 1.0)]
    """
    return quiet_pairs(watched_pairs(pairs, kinds, min_activities), today, quiet_months)


def watched_pairs(
    pairs: Iterable[PairHistory], kinds: Mapping[int, str], min_activities: int = MIN_ACTIVITIES
) -> list[PairHistory]:
    """The pairs that can fade (watched kinds, at least ``min_activities``), the department
    of a pair as ``a``, in the order of the list (most active, then latest, then ids): what
    the queue's job stores, so a page only compares dates.

    Examples
    --------
    >>> kinds = {1: "department", 3: "group", 4: "individual"}
    >>> day = date(2025, 1, 1)
    >>> [(p.a, p.b) for p in watched_pairs([PairHistory(3, 1, 5, 1, day),
    ...                                     PairHistory(1, 4, 5, 1, day)], kinds)]
    [(1, 3)]
    """
    result = []
    for pair in pairs:
        ends = {kinds.get(pair.a), kinds.get(pair.b)}
        if ends not in WATCHED_PAIRS or pair.activities < min_activities:
            continue
        if kinds.get(pair.a) != "department":  # the department first (of it and a group)
            pair = PairHistory(pair.b, pair.a, pair.activities, pair.first_quarter, pair.last)
        result.append(pair)
    result.sort(key=lambda p: (-p.activities, -p.last.toordinal(), p.a, p.b))
    return result


def quiet_pairs(watched: Iterable[PairHistory], today: date, quiet_months: int = 6
                ) -> list[FadingTie]:
    """Of :func:`watched_pairs`, those quiet for ``quiet_months`` months before ``today``
    (order kept).

    Examples
    --------
    >>> pairs = [PairHistory(1, 2, 6, quarter_of(date(2025, 1, 1)), date(2025, 6, 30))]
    >>> [t.per_quarter for t in quiet_pairs(pairs, date(2026, 1, 1))]
    [3.0]
    """
    cutoff = months_before(today, quiet_months)
    return [
        FadingTie(pair.a, pair.b, pair.activities, pair.first_quarter, pair.last,
                  round(pair.activities / (quarter_of(pair.last) - pair.first_quarter + 1), 1))
        for pair in watched if pair.last <= cutoff
    ]
