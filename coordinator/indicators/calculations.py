"""Pure figures about indicator series: last change and its direction, gap between two groups,
traffic-light status against a target. No Flask, no database: plain numbers in, plain
numbers out, so they are tested on small hand-made series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

HIGHER = "higher"
LOWER = "lower"
GREEN, AMBER, RED, NO_TARGET = "green", "amber", "red", "none"
# Within this share of the target a value counts as "close" (amber) rather than missed (red).
AMBER_TOLERANCE = 0.10


@dataclass(frozen=True)
class Change:
    """The step between the two most recent values of a series."""

    previous_period: str
    previous: float
    latest_period: str
    latest: float
    delta: float
    better: bool | None  # None: no change


def last_change(series: Sequence[tuple[str, float]], direction: str) -> Change | None:
    """The change from the second-to-last to the last value of ``series`` (already in time
    order); whether it is better depends on ``direction`` (``"higher"`` or ``"lower"`` is
    better). ``None`` with fewer than two values.

    Examples
    --------
    >>> last_change([("2024", 10.0), ("2025", 8.0)], "lower").better
    True
    """
    if len(series) < 2:
        return None
    (p_period, p_value), (l_period, l_value) = series[-2], series[-1]
    delta = l_value - p_value
    better = None if delta == 0 else (delta > 0) == (direction == HIGHER)
    return Change(p_period, p_value, l_period, l_value, delta, better)


def gap_between(first: Mapping[str, float], second: Mapping[str, float]) -> dict[str, float]:
    """``first − second`` for every period in which both groups have a value (e.g. the share
    of foreign minus German school leavers without qualification).

    Examples
    --------
    >>> gap_between({"2024": 12.0, "2025": 11.0}, {"2025": 5.5})
    {'2025': 5.5}
    """
    return {period: first[period] - second[period] for period in first if period in second}


def traffic_light(value: float | None, target: float | None, direction: str,
                  tolerance: float = AMBER_TOLERANCE) -> str:
    """Status of ``value`` against ``target``: green when the target is met, amber when the
    value misses it by at most ``tolerance`` of the target's size, red otherwise;
    ``"none"`` without value or target.

    Examples
    --------
    >>> traffic_light(9.0, 10.0, "higher"), traffic_light(9.0, 10.0, "lower")
    ('amber', 'green')
    """
    if value is None or target is None:
        return NO_TARGET
    shortfall = target - value if direction == HIGHER else value - target
    if shortfall <= 0:
        return GREEN
    if shortfall <= abs(target) * tolerance:
        return AMBER
    return RED


def target_for(targets: Mapping[int, float], year: int) -> float | None:
    """The target of ``year``, else the most recent earlier one (a target holds until a new
    one is set), else ``None``."""
    earlier = [y for y in targets if y <= year]
    return targets[max(earlier)] if earlier else None
