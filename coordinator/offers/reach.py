"""Pure reach figures of an offer: who took part (shares by group), against the intended
target group and the groups' population shares, and the flags with their reasons.

Counts only, never participant records. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

NEWCOMERS, LONG_TIME, UNKNOWN = "newcomers", "long_time", "unknown"
KNOWN_GROUPS = (NEWCOMERS, LONG_TIME)
ALL_RESIDENTS, NAMED = "all", "named"
# A target group of newcomers or long-time residents is "missed" when it makes up less than
# half of the participants whose group is known.
MISSED_SHARE = 0.5
# "Only one group": at least this share of known participants from one group …
ONE_GROUP_SHARE = 0.95
# … counted only from this many known participants on (two people say little).
MIN_KNOWN = 10
# Under-represented for an offer to all: participation share below half the population share.
UNDER_REPRESENTED = 0.5
FAR_BELOW_CAPACITY = 0.5
MOSTLY_UNKNOWN = 0.5

MISSES_TARGET = "misses_target"
ONE_GROUP = "one_group"
UNDER_REPRESENTED_GROUP = "under_represented"
BELOW_CAPACITY = "below_capacity"
UNKNOWN_MOSTLY = "mostly_unknown"


@dataclass(frozen=True)
class Flag:
    code: str
    group: str | None = None  # the group concerned, if any
    share: float | None = None  # the figure behind the flag
    reference: float | None = None  # what it was compared with


@dataclass
class Reach:
    total: int
    known: int
    shares: dict[str, float]  # group → share among participants with known group
    unknown_share: float | None
    representation: dict[str, float]  # group → share ÷ population share
    utilisation: float | None  # participants ÷ capacity
    flags: list[Flag] = field(default_factory=list)


def group_shares(counts: Mapping[str, int]) -> tuple[dict[str, float], int]:
    """Share of each known group among the participants whose group is known, and that
    number.

    Examples
    --------
    >>> group_shares({"newcomers": 3, "long_time": 9, "unknown": 8})
    ({'newcomers': 0.25, 'long_time': 0.75}, 12)
    """
    known = sum(counts.get(g, 0) for g in KNOWN_GROUPS)
    if not known:
        return {}, 0
    return {g: counts.get(g, 0) / known for g in KNOWN_GROUPS}, known


def assess_reach(counts: Mapping[str, int], target_group: str,
                 population: Mapping[str, float] | None = None,
                 capacity: int | None = None) -> Reach:
    """Shares, representation against the population and the flags of one offer in one
    period (or summed over periods).

    ``counts`` maps ``newcomers``/``long_time``/``unknown`` to participant counts;
    ``population`` the known groups to their share of the population (0–1); ``target_group``
    is ``newcomers``, ``long_time``, ``all`` or ``named`` (a group such as parents, for which
    only capacity and one-sidedness are judged).
    """
    population = population or {}
    total = sum(counts.get(g, 0) for g in (*KNOWN_GROUPS, UNKNOWN))
    shares, known = group_shares(counts)
    unknown_share = counts.get(UNKNOWN, 0) / total if total else None
    representation = {
        g: shares[g] / population[g] for g in shares if population.get(g)
    }
    utilisation = total / capacity if capacity else None
    reach = Reach(total, known, shares, unknown_share, representation, utilisation)
    if unknown_share is not None and unknown_share > MOSTLY_UNKNOWN:
        reach.flags.append(Flag(UNKNOWN_MOSTLY, UNKNOWN, unknown_share, MOSTLY_UNKNOWN))
    if known:
        if target_group in KNOWN_GROUPS and shares[target_group] < MISSED_SHARE:
            reach.flags.append(Flag(MISSES_TARGET, target_group, shares[target_group],
                                    MISSED_SHARE))
        dominant = max(shares, key=shares.get)
        # Reaching only the intended group (newcomers in a course for newcomers) is the aim.
        if (known >= MIN_KNOWN and shares[dominant] >= ONE_GROUP_SHARE
                and dominant != target_group):
            reach.flags.append(Flag(ONE_GROUP, dominant, shares[dominant], ONE_GROUP_SHARE))
        if target_group == ALL_RESIDENTS:
            for g, ratio in representation.items():
                if ratio < UNDER_REPRESENTED:
                    reach.flags.append(Flag(UNDER_REPRESENTED_GROUP, g, shares[g],
                                            population[g]))
    if utilisation is not None and utilisation < FAR_BELOW_CAPACITY:
        reach.flags.append(Flag(BELOW_CAPACITY, None, utilisation, FAR_BELOW_CAPACITY))
    return reach


def sum_counts(rows: list[Mapping[str, int]]) -> dict[str, int]:
    """Counts of several periods added up per group."""
    total: dict[str, int] = {}
    for row in rows:
        for group, count in row.items():
            total[group] = total.get(group, 0) + count
    return total
