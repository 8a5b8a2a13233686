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

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from sqlalchemy import BigInteger, cast, func, select

from ...freed_memory import trim_freed_memory
from ..analysis.compact import CompactGraph, index_in
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
    """The scope's graph and its tie rows per quarter, grouped by the graph's ties: rows
    ``row_tie == t`` (ascending) are tie ``t``'s quarters (``row_quarter``) with the joint
    activities of that quarter (``row_weight``); ``first_quarter[t]`` is its first quarter.

    Rows hold a tie index instead of both ends and the date: 12 bytes a row instead of 40
    (5.3 million rows at L)."""

    graph: CompactGraph
    row_tie: np.ndarray
    row_quarter: np.ndarray
    row_weight: np.ndarray
    first_quarter: np.ndarray
    activities_per_quarter: dict[int, int]
    rows_complete: bool = True  # False once :meth:`keep_rows_of` dropped other ties' rows

    def watched_pairs(self, kinds: frozenset[str]) -> tuple[np.ndarray, ...]:
        """``(a, b, weight, first_quarter, last)`` of the ties whose both ends are of
        ``kinds`` (stakeholder ids, in tie order)."""
        graph = self.graph
        watched = np.array([kind in kinds for kind in graph.kinds], dtype=bool)
        keep = np.flatnonzero(watched[graph.u] & watched[graph.v]) if graph.n else []
        ids = np.asarray(graph.ids, dtype=np.int64)
        return (ids[graph.u[keep]], ids[graph.v[keep]], graph.w[keep],
                self.first_quarter[keep], graph.last[keep])

    def quarter_ties(self, quarters: list[int]) -> Iterator[QuarterTies]:
        """The trend's input: the pairs that worked together in each quarter, made one
        quarter at a time while the trend walks them (L: 0.47 million pairs a quarter)."""
        if not self.rows_complete:
            raise RuntimeError("the tie rows were cut down to a few ties: the trend first")
        graph = self.graph
        ids = np.asarray(graph.ids, dtype=np.int64)
        for quarter in quarters:
            ties = self.row_tie[self.row_quarter == quarter]
            yield QuarterTies(quarter, ids[graph.u[ties]], ids[graph.v[ties]],
                              self.activities_per_quarter.get(quarter, 0))

    def quarter_counts(
        self, pairs: list[tuple[int, int]], quarters: list[int]
    ) -> dict[tuple[int, int], dict[int, int]]:
        """Joint activities per quarter (of ``quarters``) of the ``pairs`` of stakeholder
        ids (``a < b``), e.g. the map's drawn ties for its period slider. Pairs that are no
        tie of the graph are left out."""
        if not pairs:
            return {}
        a, b = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
        ties = self.ties_of(a, b)
        found = np.flatnonzero(ties >= 0)
        # Each tie's rows: a run of the sorted row_tie (needles of its own dtype, or numpy
        # converts the whole array).
        needles = ties[found].astype(self.row_tie.dtype)
        starts = np.searchsorted(self.row_tie, needles)
        stops = np.searchsorted(self.row_tie, needles + 1)
        quarter, weight = self.row_quarter.tolist(), self.row_weight.tolist()
        wanted = set(quarters)
        return {
            (int(a[k]), int(b[k])): {quarter[r]: weight[r] for r in range(start, stop)
                                     if quarter[r] in wanted}
            for k, start, stop in zip(found.tolist(), starts.tolist(), stops.tolist(),
                                      strict=True)
        }

    def keep_rows_of(self, a: np.ndarray, b: np.ndarray) -> None:
        """Keep only the rows of the ties between stakeholders ``a[k] < b[k]`` (the ties a
        map draws, whose quarters its slider shows): once the trend is done, the other
        rows (53 MB at L) are not needed, and the metrics that follow work without them.
        :meth:`quarter_counts` answers for those ties as before."""
        ties = self.ties_of(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
        kept = np.zeros(self.graph.m, dtype=bool)
        kept[ties[ties >= 0]] = True
        rows = kept[self.row_tie]
        self.row_tie = self.row_tie[rows]
        self.row_quarter = self.row_quarter[rows]
        self.row_weight = self.row_weight[rows]
        self.rows_complete = False

    def ties_of(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The index of the tie between stakeholders ``a[k] < b[k]``, ``-1`` where there is
        none. Ties ascend by their ends' indices, so each pair is a binary search in its
        first end's run of ties, all pairs a step at a time (a Python search per pair took
        0.15 s for a map's 4,000 ties)."""
        graph = self.graph
        ties = np.full(len(a), -1, dtype=np.int64)
        if not len(a) or not graph.m:
            return ties
        ids = np.asarray(graph.ids, dtype=np.int64)
        i, j = index_in(ids, a), index_in(ids, b)
        known = np.flatnonzero((ids[i] == a) & (ids[j] == b))
        i, j = i[known], j[known]
        lo = np.searchsorted(graph.u, i)  # the run of ties from i: [lo, hi)
        hi = np.searchsorted(graph.u, i, side="right")
        while True:  # the first tie of the run whose other end is not below j
            open_ = lo < hi
            if not open_.any():
                break
            mid = (lo + hi) // 2
            below = open_ & (graph.v[np.minimum(mid, graph.m - 1)] < j)
            lo = np.where(below, mid + 1, lo)
            hi = np.where(open_ & ~below, mid, hi)
        hit = (lo < graph.m) & (graph.u[np.minimum(lo, graph.m - 1)] == i) \
            & (graph.v[np.minimum(lo, graph.m - 1)] == j)
        ties[known[hit]] = lo[hit]
        return ties


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
        columns = pending.result()
    pairs = PairRows.of(columns)  # takes the columns over (frees each once it is used)
    trim_freed_memory()  # the read's blocks, before the metrics allocate (L: 0.1 GB)
    graph = CompactGraph.from_arrays(
        nodes, pairs.a, pairs.b, pairs.weight, pairs.last, pairs_sorted=True,
        activities=activities, cross_department_fields=cross_department_fields,
    )
    if graph.m != len(pairs.a):  # an end unknown to the nodes: the graph left its pair out
        pairs.keep_known(np.asarray(graph.ids, dtype=np.int64))
    return ScopeTies(graph, pairs.row_pair, pairs.row_quarter, pairs.row_weight,
                     pairs.first_quarter, per_quarter)


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
        return fetch_columns(stmt, COLUMN_KINDS, connection=connection, dtype=np.int32)


@dataclass
class PairRows:
    """Tie rows ``(quarter, a, b, weight, last)`` grouped by pair: per pair, ascending by
    ``(a, b)``, the summed ``weight``, its ``first_quarter`` and latest ``last``; per row, in
    pair order, its pair's index (``row_pair``), ``row_quarter`` and ``row_weight``."""

    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    first_quarter: np.ndarray
    last: np.ndarray
    row_pair: np.ndarray
    row_quarter: np.ndarray
    row_weight: np.ndarray

    @classmethod
    def of(cls, columns: list[np.ndarray]) -> PairRows:
        """Group the rows, ``columns`` ``[quarter, a, b, weight, last]``, by pair with one
        stable sort of the pairs' codes. The list is emptied: each column is freed as soon
        as it has been used (the caller's list would keep them alive).

        Examples
        --------
        >>> rows = [np.array(x) for x in ([7, 8, 8], [1, 1, 2], [2, 2, 3], [3, 1, 5],
        ...                               [10, 40, 20])]
        >>> pairs = PairRows.of(rows)
        >>> [x.tolist() for x in (pairs.a, pairs.b, pairs.weight, pairs.first_quarter,
        ...                       pairs.last, pairs.row_pair, pairs.row_quarter)]
        [[1, 2], [2, 3], [4, 5], [7, 8], [40, 20], [0, 0, 1], [7, 8, 8]]
        """
        quarter, a, b, weight, last = columns
        columns.clear()
        if not len(a):
            empty = np.zeros(0, dtype=np.int32)
            return cls(a, b, weight, quarter, last, empty, quarter, weight)
        # A pair's code sorts as (a, b); the stable sort keeps each pair's rows in their
        # order. Each array of the rows' length is freed as soon as it is used (L: 5.3 M),
        # and the codes are int32 while the ids allow (L: ids below 46,341).
        base = int(b.max()) + 1
        codes = a.astype(np.int32 if (int(a.max()) + 1) * base < 2**31 else np.int64)
        codes *= base
        codes += b
        order = np.argsort(codes, kind="stable")
        del codes
        # One column at a time, each input freed as soon as its sorted copy exists: at
        # most one extra column of the rows' length beside the order.
        a = a[order]
        b = b[order]
        new_pair = np.empty(len(a), dtype=bool)
        new_pair[0] = True
        np.logical_or(a[1:] != a[:-1], b[1:] != b[:-1], out=new_pair[1:])
        starts = np.flatnonzero(new_pair)
        a = a[starts]
        b = b[starts]
        row_pair = np.cumsum(new_pair, dtype=np.int32)
        row_pair -= 1
        del new_pair
        # Quarter numbers (year * 4 + …, below 32,768 until the year 8191) in two bytes.
        row_quarter = quarter[order].astype(np.int16)
        del quarter
        row_weight = weight[order]
        del weight
        last = np.maximum.reduceat(last[order], starts)
        del order
        return cls(a, b, np.add.reduceat(row_weight, starts),
                   np.minimum.reduceat(row_quarter, starts), last,
                   row_pair, row_quarter, row_weight)

    def keep_known(self, ids: np.ndarray) -> None:
        """Drop the pairs (and their rows) with an end not among the sorted ``ids`` (a
        stakeholder that appeared or left between the read and the list of nodes)."""
        if not len(self.a):
            return
        known = _among(ids, self.a) & _among(ids, self.b)
        if known.all():
            return
        number = np.cumsum(known, dtype=np.int32) - 1
        rows = known[self.row_pair]
        self.row_pair = number[self.row_pair[rows]]
        self.row_quarter, self.row_weight = self.row_quarter[rows], self.row_weight[rows]
        for name in ("a", "b", "weight", "first_quarter", "last"):
            setattr(self, name, getattr(self, name)[known])


def _among(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    if not len(ids):
        return np.zeros(len(values), dtype=bool)
    return ids[index_in(ids, values)] == values


def fold_quarters(
    quarter: np.ndarray, a: np.ndarray, b: np.ndarray, weight: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Per pair, in ascending ``(a, b)`` order: ``(a, b, weight, first_quarter, last)``,
    the weights summed over its quarters, its first quarter and its latest ``last``."""
    pairs = PairRows.of([quarter, a, b, weight, last])
    return pairs.a, pairs.b, pairs.weight, pairs.first_quarter, pairs.last
