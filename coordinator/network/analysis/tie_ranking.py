"""The order in which every tie list shows ties: strongest first, then the most recent, then
by the names of both ends. One definition for the map's tie list, the tie table (ranked by
the queue's job and stored), the downloads and the ties a map draws. Pure: numpy only.
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx
import numpy as np

from .compact import CompactGraph, as_compact

DRAWN_TIES = 4_000  # a map draws at most this many ties (:func:`strongest_edges`)


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


def strongest_edges(graph: nx.Graph | CompactGraph, limit: int = DRAWN_TIES) -> np.ndarray:
    """Indices of the ties to draw, in tie order: all when there are at most ``limit``;
    otherwise every node's strongest tie plus the strongest of the rest, up to ``limit``
    (ranked by weight, then the most recent contact, then the tie order)."""
    cg = as_compact(graph)
    if cg.m <= limit:
        return np.arange(cg.m)
    keys = strength_keys(cg)
    # Every node's strongest tie (the first in tie order among equally strong ones), found
    # with arrays of the node count and one key per tie: ranking every tie took five
    # arrays of the tie count (0.14 GB at L).
    best = np.full(cg.n, -1, dtype=np.int64)
    np.maximum.at(best, cg.u, keys)
    np.maximum.at(best, cg.v, keys)
    first = np.full(cg.n, cg.m, dtype=np.int64)
    for end in (cg.u, cg.v):
        at_best = np.flatnonzero(keys == best[end])
        np.minimum.at(first, end[at_best], at_best)
    keep = np.zeros(cg.m, dtype=bool)
    keep[first[first < cg.m]] = True
    room = max(limit - int(keep.sum()), 0)
    if room:  # then the strongest of the rest, in tie order among equals
        keys[keep] = -1
        candidates = strongest_first(keys, room)
        rest = candidates[np.lexsort((candidates, -keys[candidates]))][:room]
        keep[rest[keys[rest] >= 0]] = True
    return np.flatnonzero(keep)
