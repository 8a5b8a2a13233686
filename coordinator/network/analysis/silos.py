"""Silos: Louvain communities (fixed seed) and the modularity of that partition.

Pure. The communities are networkx's ``louvain_communities(G, weight="weight", seed=seed)``
(computed by :mod:`coordinator.network.analysis.louvain`, which gives the identical partition
faster);
the modularity is networkx's ``modularity(G, communities, weight="weight")``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from .compact import INDEX, CompactGraph, as_compact
from .louvain import internal_weights, louvain_communities


def communities(G: nx.Graph | CompactGraph, seed: int = 42) -> list[list[int]]:
    """Louvain communities as lists of stakeholder ids, largest first (equal sizes: in the
    order networkx returns them); members in graph order.

    Examples
    --------
    >>> communities(nx.barbell_graph(3, 0))
    [[0, 1, 2], [3, 4, 5]]
    """
    cg = as_compact(G)
    found = louvain_communities(cg, seed=seed)
    found = sorted(found, key=len, reverse=True)  # stable: ties keep networkx's order
    return [[cg.ids[i] for i in sorted(group)] for group in found]


def modularity(G: nx.Graph | CompactGraph, groups: list[list[int]]) -> float | None:
    """Weighted modularity of a partition given as lists of stakeholder ids; ``None`` for a
    network without ties (where modularity is undefined).

    Examples
    --------
    >>> round(modularity(nx.barbell_graph(3, 0), [[0, 1, 2], [3, 4, 5]]), 4)
    0.3571
    """
    cg = as_compact(G)
    if not cg.m:
        return None
    index = cg.index_of()
    member = np.full(cg.n, -1, dtype=INDEX)  # gathered per tie below: the narrow dtype
    for c, group in enumerate(groups):
        member[[index[x] for x in group]] = c
    count = len(groups)
    internal = internal_weights(cg.u, cg.v, cg.w, member, count)
    strength = cg.strength
    known = member >= 0
    deg_sums = np.bincount(member[known], weights=strength[known], minlength=count)
    # networkx's expression term by term, so the value agrees to the last bit.
    deg_sum = int(strength.sum())
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    return sum(
        int(lc) / m - 1 * int(ds) * int(ds) * norm
        for lc, ds in zip(internal.tolist(), deg_sums.tolist(), strict=True)
    )
