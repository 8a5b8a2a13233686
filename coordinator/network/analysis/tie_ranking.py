"""The order in which every tie list shows ties: strongest first, then the most recent, then
by the names of both ends. One definition for the map's tie list, the tie table (ranked by
the queue's job and stored) and the downloads. Pure: numpy only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .compact import CompactGraph


class TieRanking(NamedTuple):
    """``first``/``second``: node indices of each tie's ends, the name first in the alphabet
    first; ``order``: tie indices, the first-ranked tie first."""

    first: np.ndarray
    second: np.ndarray
    order: np.ndarray


def rank_ties(cg: CompactGraph) -> TieRanking:
    """Rank the ties of ``cg``: weight descending, then ``last`` descending, then the names
    of both ends (case-folded, ties between equal names broken by id).

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
    >>> [(cg.names[ranking.first[t]], cg.names[ranking.second[t]])
    ...  for t in ranking.order.tolist()]
    [('amt', 'Bau'), ('Bau', 'Zoll'), ('amt', 'Zoll')]
    """
    alphabetical = sorted(range(cg.n), key=lambda i: (cg.names[i].casefold(), cg.ids[i]))
    name_rank = np.empty(cg.n, dtype=np.int64)
    name_rank[alphabetical] = np.arange(cg.n)
    u_first = name_rank[cg.u] <= name_rank[cg.v]
    first = np.where(u_first, cg.u, cg.v)
    second = np.where(u_first, cg.v, cg.u)
    order = np.lexsort((name_rank[second], name_rank[first], -cg.last, -cg.w))
    return TieRanking(first, second, order)
