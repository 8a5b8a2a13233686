"""The main figures per quarter: is the network growing together or falling apart?

Each quarter is analysed as the network of the activities *in that quarter* over the same
stakeholders as the whole view. Pure: quarter arithmetic and figures from tie arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .cohesion import component_count, density, department_density, isolated_departments
from .compact import CompactGraph

TREND_QUARTERS = 8  # two years


def quarter_of(day: date) -> int:
    """Quarters counted from year 0: ``year * 4 + (month - 1) // 3``.

    Examples
    --------
    >>> quarter_label(quarter_of(date(2026, 5, 17)))
    '2026-Q2'
    """
    return day.year * 4 + (day.month - 1) // 3


def quarter_label(quarter: int) -> str:
    return f"{quarter // 4}-Q{quarter % 4 + 1}"


def quarter_bounds(quarter: int) -> tuple[date, date]:
    """First and last day of a quarter.

    Examples
    --------
    >>> quarter_bounds(quarter_of(date(2026, 2, 1)))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    """
    year, index = divmod(quarter, 4)
    start = date(year, 3 * index + 1, 1)
    following = date(year + 1, 1, 1) if index == 3 else date(year, 3 * index + 4, 1)
    return start, following - timedelta(days=1)


def trend_quarters(
    today: date,
    since: date | None = None,
    until: date | None = None,
    first_activity: date | None = None,
    count: int = TREND_QUARTERS,
) -> list[int]:
    """The quarters to report: the last ``count`` up to ``until`` (or today), but none
    before ``since`` or before the first activity in the log.

    Examples
    --------
    >>> [quarter_label(q) for q in trend_quarters(date(2026, 5, 1), count=3)]
    ['2025-Q4', '2026-Q1', '2026-Q2']
    >>> [quarter_label(q) for q in trend_quarters(date(2026, 5, 1),
    ...                                           first_activity=date(2026, 3, 3))]
    ['2026-Q1', '2026-Q2']
    """
    last = quarter_of(until or today)
    first = last - count + 1
    if since:
        first = max(first, quarter_of(since))
    if first_activity:
        first = max(first, quarter_of(first_activity))
    return list(range(first, last + 1))


@dataclass
class QuarterFigures:
    label: str
    start: date
    end: date
    activities: int
    ties: int
    density: float
    department_density: float
    isolated_departments: int
    components: int


@dataclass
class QuarterTies:
    """The input for one quarter: tie endpoints (stakeholder ids) and activity count."""

    quarter: int
    a: np.ndarray
    b: np.ndarray
    activities: int


def trend(
    cg: CompactGraph,
    quarters: Iterable[QuarterTies],
    since: date | None = None,
    until: date | None = None,
) -> list[QuarterFigures]:
    """Figures per quarter on the node set of ``cg`` (ties to other nodes are ignored);
    quarter bounds are clipped to ``since``/``until``.

    Examples
    --------
    >>> from coordinator.network.analysis.compact import NodeRecord, TieRecord
    >>> cg = CompactGraph.from_records(
    ...     [NodeRecord(1, "A", "department"), NodeRecord(2, "B", "department")], [])
    >>> q = QuarterTies(quarter_of(date(2026, 1, 5)), np.array([1]), np.array([2]), 1)
    >>> f = trend(cg, [q])[0]
    >>> f.label, f.ties, f.density, f.isolated_departments, f.components
    ('2026-Q1', 1, 1.0, 0, 1)
    """
    from .compact import NodeRecord

    nodes = [
        NodeRecord(i, name, kind, fields)
        for i, name, kind, fields in zip(cg.ids, cg.names, cg.kinds, cg.fields, strict=True)
    ]
    figures = []
    for q in quarters:
        ones = np.ones(len(q.a), dtype=np.int64)
        quarter_graph = CompactGraph.from_arrays(
            nodes, np.asarray(q.a, dtype=np.int64), np.asarray(q.b, dtype=np.int64),
            ones, -ones,
        )
        start, end = quarter_bounds(q.quarter)
        figures.append(QuarterFigures(
            label=quarter_label(q.quarter),
            start=max(start, since) if since else start,
            end=min(end, until) if until else end,
            activities=q.activities,
            ties=quarter_graph.m,
            density=density(quarter_graph),
            department_density=department_density(quarter_graph),
            isolated_departments=len(isolated_departments(quarter_graph)),
            components=component_count(quarter_graph),
        ))
    return figures
