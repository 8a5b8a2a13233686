"""Pure figures of a survey round: Likert summaries with small-number suppression, asymmetric
ratings of the same pair, perceived versus logged cooperation, and each department's own view
beside its measured network position. No Flask, no database.

Departments are plain ids here; ``ratings`` map ``(rater, partner)`` to a Levels of
Collaboration value (0 none … 5 collaboration); ``logged`` maps ``frozenset({a, b})`` to the
number of joint activities in the round's period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MIN_ANSWERS = 3  # results based on fewer answers are not shown
LIKERT = (1, 2, 3, 4, 5)
ASYMMETRY = 2  # ratings of one pair this far apart are a point for discussion
HIGH_LEVEL = 3  # coordination or more
LOW_LEVEL = 1  # networking at most
MANY_ACTIVITIES = 3
WELL_CONNECTED = 4.0  # own rating of networked cooperation (Likert mean) seen as "good"

Pair = frozenset


@dataclass(frozen=True)
class AnswerSummary:
    """Answers 1–5 and "kann ich nicht beurteilen" (``None``) to one or more items."""

    answers: int  # answers on the scale (not counting "kann ich nicht beurteilen")
    not_judged: int
    mean: float | None  # None when suppressed or without answers
    distribution: dict[int, int] = field(default_factory=dict)  # empty when suppressed
    withheld: bool = False  # from too few departments (see withhold_below)

    @property
    def suppressed(self) -> bool:
        return self.withheld or 0 < self.answers < MIN_ANSWERS


def summarise_answers(values: Iterable[int | None],
                      minimum: int = MIN_ANSWERS) -> AnswerSummary:
    """Mean and distribution of Likert answers, withheld below ``minimum`` answers.

    Examples
    --------
    >>> summarise_answers([4, 5, None, 3]).mean
    4.0
    >>> summarise_answers([5, 5]).mean is None
    True
    """
    values = list(values)
    scale = [v for v in values if v is not None]
    not_judged = len(values) - len(scale)
    if len(scale) < minimum:
        return AnswerSummary(len(scale), not_judged, None, {})
    distribution = {k: scale.count(k) for k in LIKERT}
    return AnswerSummary(len(scale), not_judged, sum(scale) / len(scale), distribution)


def withhold_below(summary: AnswerSummary, departments: int,
                   minimum: int = MIN_ANSWERS) -> AnswerSummary:
    """``summary`` without mean and distribution when it rests on the answers of fewer than
    ``minimum`` departments: other departments could read one department's answers off it.

    Examples
    --------
    >>> withhold_below(summarise_answers([4, 5, 3]), departments=1).mean is None
    True
    """
    if departments >= minimum or summary.answers == 0:
        return summary
    return AnswerSummary(summary.answers, summary.not_judged, None, {}, withheld=True)


@dataclass(frozen=True)
class Asymmetry:
    a: int
    b: int
    a_says: int
    b_says: int

    @property
    def difference(self) -> int:
        return abs(self.a_says - self.b_says)


def asymmetries(ratings: Mapping[tuple[int, int], int],
                threshold: int = ASYMMETRY) -> list[Asymmetry]:
    """Pairs that rated each other at least ``threshold`` levels apart, largest first; each
    pair once (``a`` is the one giving the higher rating).

    Examples
    --------
    >>> asymmetries({(1, 2): 4, (2, 1): 1, (1, 3): 2, (3, 1): 3})
    [Asymmetry(a=1, b=2, a_says=4, b_says=1)]
    """
    found = []
    for (a, b), level in ratings.items():
        back = ratings.get((b, a))
        if back is not None and level - back >= threshold:
            found.append(Asymmetry(a, b, level, back))
    return sorted(found, key=lambda x: (-x.difference, x.a, x.b))


def pair_levels(ratings: Mapping[tuple[int, int], int]) -> dict[Pair, float]:
    """The perceived level of each pair: the mean of the one or two ratings it got."""
    levels: dict[Pair, list[int]] = {}
    for (a, b), level in ratings.items():
        levels.setdefault(Pair((a, b)), []).append(level)
    return {pair: sum(v) / len(v) for pair, v in levels.items()}


@dataclass(frozen=True)
class PairComparison:
    pair: Pair
    perceived: float
    logged: int


@dataclass
class PerceivedVsLogged:
    perceived_not_logged: list[PairComparison]  # rate each other high, nothing logged
    logged_not_perceived: list[PairComparison]  # many logged activities, rated low
    agreeing: int  # pairs where neither applies


def compare_perceived_logged(ratings: Mapping[tuple[int, int], int],
                             logged: Mapping[Pair, int], *, high: int = HIGH_LEVEL,
                             low: int = LOW_LEVEL,
                             many: int = MANY_ACTIVITIES) -> PerceivedVsLogged:
    """Where the perceived and the logged network disagree.

    A pair rated on average at least ``high`` without any logged activity is "perceived, not
    logged" (cooperation the log misses, or a rosier view); a pair with at least ``many``
    logged activities rated on average at most ``low`` is "logged, not perceived" (meetings
    without felt cooperation). Pairs that nobody rated are judged only by the log: with
    ``many`` activities they count as rated 0.

    Examples
    --------
    >>> r = compare_perceived_logged({(1, 2): 4, (2, 1): 3, (1, 3): 1}, {Pair((1, 3)): 5})
    >>> [sorted(c.pair) for c in r.perceived_not_logged], [sorted(c.pair) for c in
    ...  r.logged_not_perceived]
    ([[1, 2]], [[1, 3]])
    """
    levels = pair_levels(ratings)
    high_no_log, many_low = [], []
    agreeing = 0
    for pair in set(levels) | set(logged):
        perceived = levels.get(pair)
        count = logged.get(pair, 0)
        if perceived is not None and perceived >= high and count == 0:
            high_no_log.append(PairComparison(pair, perceived, count))
        elif count >= many and (perceived is None or perceived <= low):
            many_low.append(PairComparison(pair, perceived or 0.0, count))
        else:
            agreeing += 1
    high_no_log.sort(key=lambda c: (-c.perceived, sorted(c.pair)))
    many_low.sort(key=lambda c: (-c.logged, sorted(c.pair)))
    return PerceivedVsLogged(high_no_log, many_low, agreeing)


@dataclass(frozen=True)
class PositionRow:
    department: int
    own_view: float | None  # mean of its own networking items (None: suppressed/no answer)
    partners_named: int  # departments it rates at level ≥ 1
    named_by: int  # departments that rate it at level ≥ 1
    logged_partners: int  # departments it has logged joint activities with
    isolated: bool  # no logged tie to any other department

    @property
    def sees_itself_connected_but_isolated(self) -> bool:
        return self.isolated and self.own_view is not None and self.own_view >= WELL_CONNECTED


def positions(departments: Sequence[int], own_views: Mapping[int, float | None],
              ratings: Mapping[tuple[int, int], int],
              logged: Mapping[Pair, int]) -> list[PositionRow]:
    """Each department's own view of its networked cooperation beside its position in the
    perceived and the logged network.

    Examples
    --------
    >>> row = positions([1, 2, 3], {3: 4.5}, {(1, 2): 3}, {Pair((1, 2)): 2})[2]
    >>> row.isolated, row.sees_itself_connected_but_isolated
    (True, True)
    """
    named = dict.fromkeys(departments, 0)
    named_by = dict.fromkeys(departments, 0)
    for (a, b), level in ratings.items():
        if level >= 1:
            if a in named:
                named[a] += 1
            if b in named_by:
                named_by[b] += 1
    logged_partners = dict.fromkeys(departments, 0)
    for pair, count in logged.items():
        if count > 0 and len(pair) == 2:
            for d in pair:
                if d in logged_partners:
                    logged_partners[d] += 1
    return [PositionRow(d, own_views.get(d), named[d], named_by[d], logged_partners[d],
                        logged_partners[d] == 0) for d in departments]
