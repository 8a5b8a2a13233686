"""The job's one read of a scope: every tie row per pair and quarter, from which the graph
(pair totals with the last date), the trend's ties per quarter and the map slider's counts
per quarter are all derived in numpy.

Before, the job read the same ties three times (the metrics' quarter aggregate, the map's
pair totals and the slider's quarter counts): 7 of the 14 s of a computation at M.

Scopes whose period covers whole quarters (every scope the pages offer) read the tie store
(``network_tie``); others (``flask metrics --since 2026-02-05``, scopes without case
activities) aggregate the participations with the same columns.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from sqlalchemy import BigInteger, cast, func, select

from ..analysis.compact import CompactGraph
from ..analysis.trend import QuarterTies
from .bulk_fetch import day_number, fetch_columns
from .graph_loading import (
    _activities_per_quarter,
    _pair_filters,
    _pair_join,
    _pair_tables,
    _quarter_expression,
    count_activities,
    covers_whole_quarters,
    load_cross_department_fields,
    load_nodes,
    stored_tie_filters,
)
from .scope import Scope
from .tie_store import tie_rows

COLUMN_KINDS = ["int4", "int4", "int4", "int8", "date"]


@dataclass
class ScopeTies:
    """The scope's graph and its tie rows per quarter (``quarter``, ``a``, ``b``,
    ``weight``: joint activities of the pair in that quarter)."""

    graph: CompactGraph
    quarter: np.ndarray
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    activities_per_quarter: dict[int, int]
    last: np.ndarray  # day numbers of the pair's latest activity in the quarter

    def watched_rows(self, kinds: frozenset[str]) -> tuple[np.ndarray, ...]:
        """``(quarter, a, b, weight, last)`` of the rows whose both ends are of ``kinds``."""
        graph = self.graph
        ids = np.asarray(graph.ids, dtype=np.int64)
        order = np.argsort(ids)
        ids = ids[order]
        watched = np.array([kind in kinds for kind in graph.kinds], dtype=bool)[order]

        def is_watched(ends: np.ndarray) -> np.ndarray:
            if not len(ids):
                return np.zeros(len(ends), dtype=bool)
            at = np.clip(np.searchsorted(ids, ends), 0, len(ids) - 1)
            return (ids[at] == ends) & watched[at]

        keep = is_watched(self.a) & is_watched(self.b)
        return tuple(x[keep] for x in (self.quarter, self.a, self.b, self.weight, self.last))

    def quarter_ties(self, quarters: list[int]) -> list[QuarterTies]:
        """The trend's input: the pairs that worked together in each quarter."""
        result = []
        for quarter in quarters:
            mine = self.quarter == quarter
            result.append(QuarterTies(quarter, self.a[mine], self.b[mine],
                                      self.activities_per_quarter.get(quarter, 0)))
        return result

    def pair_counts(self, quarters: list[int]) -> tuple[np.ndarray, ...]:
        """``(quarter, a, b, count)`` of the rows in ``quarters`` (the map's slider)."""
        mine = np.isin(self.quarter, np.asarray(quarters, dtype=np.int64))
        return self.quarter[mine], self.a[mine], self.b[mine], self.weight[mine]


def load_scope_ties(scope: Scope, quarters: list[int]) -> ScopeTies:
    """Read the scope once (see the module text). ``quarters``: those whose activity counts
    the trend needs.

    The big read runs on a connection of its own in a second thread while the small queries
    (stakeholders, counts, fields) run here: both databases release the GIL while they
    work, so the two overlap.
    """
    from ...extensions import db

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_fetch_on_own_connection, db.engine, rows_statement(scope))
        nodes = load_nodes(scope)
        activities = count_activities(scope)
        cross_department_fields = load_cross_department_fields(scope)
        per_quarter = _activities_per_quarter(scope, quarters)
        quarter, a, b, weight, last = pending.result()
    pair_a, pair_b, pair_weight, _first, pair_last = fold_quarters(quarter, a, b, weight, last)
    graph = CompactGraph.from_arrays(
        nodes, pair_a, pair_b, pair_weight, pair_last,
        activities=activities, cross_department_fields=cross_department_fields,
    )
    return ScopeTies(graph, quarter, a, b, weight, per_quarter, last)


def rows_statement(scope: Scope):
    """``(quarter, a, b, weight, last)`` per pair and quarter."""
    if covers_whole_quarters(scope):
        t = tie_rows()
        return select(t.c.quarter, t.c.a_id, t.c.b_id, cast(t.c.weight, BigInteger),
                      day_number(t.c.last)).where(*stored_tie_filters(scope, t))
    p1, p2, ja = _pair_tables()
    quarter = _quarter_expression(ja.c.date)
    return (
        select(quarter, p1.c.stakeholder_id, p2.c.stakeholder_id, func.count(),
               day_number(func.max(ja.c.date)))
        .select_from(_pair_join(p1, p2, ja))
        .where(*_pair_filters(scope, p1, p2, ja))
        .group_by(quarter, p1.c.stakeholder_id, p2.c.stakeholder_id)
    )


def _fetch_on_own_connection(engine, stmt) -> list[np.ndarray]:
    with engine.connect() as connection:
        return fetch_columns(stmt, COLUMN_KINDS, connection=connection)


def fold_quarters(
    quarter: np.ndarray, a: np.ndarray, b: np.ndarray, weight: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Per pair, in ascending ``(a, b)`` order: ``(a, b, weight, first_quarter, last)``,
    the weights summed over its quarters, its first quarter and its latest ``last``.

    Examples
    --------
    >>> arrays = [np.array(x) for x in ([7, 8, 8], [1, 1, 2], [2, 2, 3], [3, 1, 5],
    ...                                 [10, 40, 20])]
    >>> [x.tolist() for x in fold_quarters(*arrays)]
    [[1, 2], [2, 3], [4, 5], [7, 8], [40, 20]]
    """
    if not len(a):
        return a, b, weight, quarter, last
    # One sort by pair, then sums and extremes over each pair's run (reduceat): a third of
    # the temporaries of np.unique with index and inverse plus ufunc.at, and faster (5.6 M
    # rows at L).
    codes = a.astype(np.int64) * (int(b.max()) + 1) + b
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    del codes
    first = order[starts]

    def per_pair(values: np.ndarray, ufunc) -> np.ndarray:
        return ufunc.reduceat(values[order].astype(np.int64), starts)

    return (a[first], b[first], per_pair(weight, np.add), per_pair(quarter, np.minimum),
            per_pair(last, np.maximum))
