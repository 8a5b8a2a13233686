"""The order in which every tie list shows ties: strongest first, then the most recent, then
by the names of both ends. One definition for the map's tie list, the tie table (ranked by
the queue's job and stored) and the downloads. Pure: numpy only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .compact import CompactGraph


class TieRanking(NamedTuple):
    """``order``: tie indices, the first-ranked tie first; ``first``/``second``: node
    indices of the ends of those ties (aligned with ``order``), the name first in the
    alphabet first."""

    first: np.ndarray
    second: np.ndarray
    order: np.ndarray


def strength_keys(cg: CompactGraph) -> np.ndarray:
    """One ``int64`` per tie that orders ties by weight, then by the day of the last joint
    activity (greater = stronger): ``weight * 2**22 + day``, days below 2**22 (year 9999 is
    day 3.65 million)."""
    keys = cg.w.astype(np.int64)
    keys <<= 22
    keys += np.maximum(cg.last, 0)
    return keys


def strongest_first(keys: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ties that may rank among the first ``limit`` by ``keys``: all whose
    key is at least the ``limit``-th largest (so ties of equal strength at the cut are all
    kept), ascending. A partition instead of a sort of every tie: at L, 4.2 million ties,
    only a few thousand are ranked."""
    if limit >= len(keys):
        return np.arange(len(keys))
    threshold = np.partition(keys, len(keys) - limit)[len(keys) - limit]
    return np.flatnonzero(keys >= threshold)


def rank_ties(cg: CompactGraph, limit: int | None = None) -> TieRanking:
    """Rank the ties of ``cg``: weight descending, then ``last`` descending, then the names
    of both ends (case-folded, ties between equal names broken by id). With ``limit`` only
    the first ``limit`` are in ``order``.

    Examples
    --------
    >>> from datetime import date
    >>> from .compact import NodeRecord, TieRecord
    >>> cg = CompactGraph.from_records(
    ...     [NodeRecord(1, "Zoll", "department"), NodeRecord(2, "amt", "department"),
    ...      NodeRecord(3, "Bau", "department")],
    ...     [TieRecord(1, 2, 2, date(2026, 1, 5)), TieRecord(1, 3, 2, date(2026, 3, 1)),
    ...      TieRecord(2, 3, 5, date(2025, 1, 1))])
    >>> ranking = rank_ties(cg)
    >>> [(cg.names[a], cg.names[b]) for a, b in zip(ranking.first, ranking.second)]
    [('amt', 'Bau'), ('Bau', 'Zoll'), ('amt', 'Zoll')]
    >>> rank_ties(cg, limit=1).order.tolist()
    [2]
    """
    alphabetical = sorted(range(cg.n), key=lambda i: (cg.names[i].casefold(), cg.ids[i]))
    name_rank = np.empty(cg.n, dtype=np.int64)
    name_rank[alphabetical] = np.arange(cg.n)
    keys = strength_keys(cg)
    # Only the candidates' ends are looked at (at L a few thousand of 4.2 million ties).
    candidates = strongest_first(keys, cg.m if limit is None else limit)
    u, v = cg.u[candidates], cg.v[candidates]
    u_first = name_rank[u] <= name_rank[v]
    first = np.where(u_first, u, v)
    second = np.where(u_first, v, u)
    ranked = np.lexsort((name_rank[second], name_rank[first], -keys[candidates]))[:limit]
    return TieRanking(first[ranked], second[ranked], candidates[ranked])
