"""Louvain communities that equal ``networkx.community.louvain_communities(G,
weight="weight", seed=seed)`` node for node, several times faster on large graphs.

networkx's implementation spends its time in Python loops over neighbour dictionaries and
in full modularity evaluations between levels. This module follows the same algorithm step
by step (same random shuffles, same visiting order, same floating-point expressions, same
tie-breaking: the first neighbour community in adjacency order with the strictly largest
gain wins). The first level, where nearly all the time goes, runs as machine code
(:func:`_move_nodes`, in C: :mod:`.compiled`); the first aggregated graph is built with array
operations. Sums of integer weights are exact in float64, so the results are identical,
not merely close, but for rare exact ties between two moves (e.g. two overlapping cliques of
five among eight stakeholders), where networkx and this module may pick different
partitions of the same modularity; ``tests/test_network_property.py`` checks both on random
graphs. The compiled level gave the same partition as the numpy version before it on 300
random graphs and at M.

Kept because it beats networkx, the library with the same output, at every size (numpy
version: 45 ms vs 167 ms at S, 3.3 s vs 15.4 s at M, 130 s vs a projected 259 s at L, with
``benchmarks/algorithms.py``, 30 Nov 2026, load 4.5–5.7, one thread). The compiled first
level took Louvain at M from 0.82 s to 0.17 s on a quiet machine (see benchmarks/README.md
for the table). igraph's ``community_multilevel`` took 9.8 ms / 4.6 s / 78 s but finds other
partitions (5 vs 7, 9 vs 11, 28 vs 28 communities), so it is not a drop-in replacement for
the figures the app promises (networkx's Louvain).
"""

from __future__ import annotations

import random

import numpy as np

from .compact import CompactGraph
from .compiled import compiled

THRESHOLD = 0.0000001  # networkx's default modularity gain threshold between levels
TIE_CHUNK = 1 << 20  # ties per step of the passes over all ties (~20 MB of scratch)
DENSE_COMMUNITIES = 1024  # up to this many, the first aggregation uses pair tables (16 MB)


def louvain_communities(cg: CompactGraph, seed: int = 42) -> list[list[int]]:
    """Communities as lists of node *indices*, in networkx's order (not sorted by size).

    Examples
    --------
    >>> import networkx as nx
    >>> from coordinator.network.analysis.compact import CompactGraph
    >>> G = nx.barbell_graph(4, 0)
    >>> sorted(sorted(c) for c in louvain_communities(CompactGraph.from_nx(G)))
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    n = cg.n
    if cg.m == 0:
        return [[i] for i in range(n)]
    rng = random.Random(seed)  # noqa: S311  (networkx's reproducible shuffle, not security)
    indptr, indices, weights = cg.csr
    degrees = cg.strength
    m = int(degrees.sum()) / 2  # networkx: graph.size(weight="weight"), a float
    mod = _modularity_of_singletons(degrees.tolist())

    node2com = _first_level(indptr, indices, weights, degrees, m, rng)
    membership, level_nodes = _renumber(node2com)
    partition_membership = membership  # original node -> community index after the level
    inner = level_nodes
    new_mod = _modularity_from_edges(cg.u, cg.v, cg.w, degrees, membership, inner, m)
    if new_mod - mod <= THRESHOLD:
        return _groups(partition_membership, inner)
    mod = new_mod
    adj = _aggregate_first_level(cg.u, cg.v, cg.w, membership, inner)
    while True:
        node2com, improvement = _python_level(adj, m, rng)
        if not improvement:
            break
        level_membership, count = _renumber(np.array(node2com))
        partition_membership = level_membership[partition_membership]
        new_mod = _modularity_of_level(adj, level_membership, count, m)
        if new_mod - mod <= THRESHOLD:
            inner = count
            break
        mod = new_mod
        adj = _aggregate_level(adj, level_membership, count)
        inner = count
    return _groups(partition_membership, int(partition_membership.max()) + 1)


# --- level 0: the full graph, numpy for high-degree nodes --------------------------------


def _first_level(indptr, indices, weights, degrees, m, rng) -> np.ndarray:
    """Level 0: move nodes, in networkx's shuffled order, until a sweep moves none."""
    n = len(degrees)
    order = list(range(n))
    rng.shuffle(order)
    node2com = np.arange(n, dtype=np.int64)
    # The CSR's own arrays, not int64/float64 copies (134 MB at L): the integer weights add
    # into the float scratch exactly as their float copies did.
    compiled(_move_nodes)(indptr, indices, weights, degrees.astype(np.int64), float(m),
                          2 * m**2, np.asarray(order, dtype=np.int64), node2com)
    return node2com


def _move_nodes(indptr, indices, weights, degrees, m, two_m2, order, node2com):
    """networkx's ``_one_level`` on arrays; the reference of its C version (:mod:`.compiled`):
    0.9 s of Python at M became ~0.05 s compiled. The same choices to the last bit: per
    neighbour entry in adjacency order, the weight summed per community (exact: integer
    weights), the same expressions in the same order of evaluation (``two_m2`` comes from
    Python's ``2 * m**2``), and the first community with the strictly largest gain wins, only
    if that gain is positive."""
    stot = degrees.copy()
    scratch = np.zeros(len(degrees))
    moves = 1
    while moves > 0:
        moves = 0
        for u in order:
            own = node2com[u]
            degree = degrees[u]
            stot[own] -= degree
            lo, hi = indptr[u], indptr[u + 1]
            best_com = own
            if hi > lo:
                for k in range(lo, hi):
                    scratch[node2com[indices[k]]] += weights[k]
                remove_cost = -scratch[own] / m + (stot[own] * degree) / two_m2
                best_gain = 0.0
                for k in range(lo, hi):
                    com = node2com[indices[k]]
                    gain = (remove_cost + scratch[com] / m) - (stot[com] * degree) / two_m2
                    if gain > best_gain:
                        best_gain = gain
                        best_com = com
                for k in range(lo, hi):
                    scratch[node2com[indices[k]]] = 0.0
            stot[best_com] += degree
            if best_com != own:
                moves += 1
                node2com[u] = best_com


# --- aggregation and modularity ------------------------------------------------------------


def _renumber(node2com: np.ndarray) -> tuple[np.ndarray, int]:
    """Community indices 0..k-1 in the order of the old indices (networkx drops the empty
    communities of its index-ordered list)."""
    used = np.zeros(len(node2com), dtype=bool)
    used[node2com] = True
    new_index = np.cumsum(used) - 1
    return new_index[node2com], int(used.sum())


def _modularity_of_singletons(degrees: list[int]) -> float:
    deg_sum = sum(degrees)
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    return sum(0 / m - 1 * d * d * norm for d in degrees)


def _modularity_terms(internal: list[int], deg_sums: list[int], m: float) -> float:
    # networkx: m = deg_sum / 2 and norm = 1 / deg_sum**2 with the integer degree sum.
    deg_sum = round(2 * m)
    norm = 1 / deg_sum**2
    return sum(
        lc / m - 1 * ds * ds * norm for lc, ds in zip(internal, deg_sums, strict=True)
    )


def _modularity_from_edges(u, v, w, degrees, membership, count, m) -> float:
    internal = internal_weights(u, v, w, membership, count)
    deg_sums = np.bincount(membership, weights=degrees, minlength=count)
    return _modularity_terms(
        [int(x) for x in internal], [int(x) for x in deg_sums], m
    )


def internal_weights(u, v, w, member, count) -> np.ndarray:
    """Per community, the summed weight (int64) of the ties with both ends in it; ``member``
    gives each node's community, ``-1`` for none.

    In steps of :data:`TIE_CHUNK` ties: the per-tie arrays of one step, not of all 4.2
    million ties of L at once (~0.1 GB). Integer weights add up exactly in float64.

    Examples
    --------
    >>> internal_weights(np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([5, 1, 2]),
    ...                  np.array([0, 0, 1]), 2).tolist()
    [5, 0]
    """
    internal = np.zeros(count)
    member = np.asarray(member)
    for start in range(0, len(u), TIE_CHUNK):
        stop = start + TIE_CHUNK
        cu, cv = member[u[start:stop]], member[v[start:stop]]
        same = (cu == cv) & (cu >= 0)
        internal += np.bincount(cu[same], weights=w[start:stop][same], minlength=count)
    return internal.astype(np.int64)


def _aggregate_first_level(u, v, w, membership, count) -> list[dict[int, int]]:
    """networkx's ``_gen_graph``: a node per community, summed weights, each node's
    neighbours in the order their first tie appears (self-loops for inner weight).

    networkx adds the ties in order, each to both of its communities' neighbour lists, so a
    community's neighbours come in the order of the first tie between the two. Up to
    :data:`DENSE_COMMUNITIES` communities (L: 11 after the first level) two tables over all pairs of
    communities hold each pair's summed weight and its first tie, filled in steps of
    :data:`TIE_CHUNK` ties (~30 MB at L, where sorting all ties' pair codes took ~0.2 GB);
    beyond that, :func:`_aggregate_by_sorting`."""
    if count > DENSE_COMMUNITIES:
        return _aggregate_by_sorting(u, v, w, membership, count)
    member = np.asarray(membership, dtype=np.int32)
    cells = count * count
    sums = np.zeros(cells)
    first = np.full(cells, len(u), dtype=np.int64)
    for start in range(0, len(u), TIE_CHUNK):
        stop = start + TIE_CHUNK
        cu, cv = member[u[start:stop]], member[v[start:stop]]
        codes = np.minimum(cu, cv)
        codes *= count
        codes += np.maximum(cu, cv)
        del cu, cv
        sums += np.bincount(codes, weights=w[start:stop], minlength=cells)
        np.minimum.at(first, codes, np.arange(start, start + len(codes)))
    used = np.flatnonzero(first < len(u))
    used = used[np.argsort(first[used])]  # a tie is the first of one pair only: no ties
    adj: list[dict[int, int]] = [{} for _ in range(count)]
    for code, total in zip(used.tolist(), sums[used].astype(np.int64).tolist(), strict=True):
        a, b = divmod(code, count)
        adj[a][b] = total
        adj[b][a] = total
    return adj


def _aggregate_by_sorting(u, v, w, membership, count) -> list[dict[int, int]]:
    """:func:`_aggregate_first_level` for many communities: every tie is an entry
    (community of ``u`` → community of ``v``); a tie between two communities is also the
    entry back. One stable sort of the entries' codes groups the pairs and keeps, first in
    each group, the entry that appeared first."""
    # Codes in int32 while count² fits: half the bytes of the two largest arrays, the codes
    # and their sorted copy.
    narrow = np.int32 if count * count < 2**31 else np.int64
    cu = membership[u].astype(narrow)
    cv = membership[v].astype(narrow)
    cross = np.flatnonzero(cu != cv)
    k = len(u)
    codes = np.empty(k + len(cross), dtype=narrow)
    np.multiply(cu, count, out=codes[:k])
    codes[:k] += cv
    codes[k:] = cv[cross] * narrow(count) + cu[cross]
    del cu, cv
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    uniq = codes[starts].astype(np.int64)
    del codes
    weights = np.concatenate((w, w[cross]))[order]
    sums = np.add.reduceat(weights, starts, dtype=np.int64)
    del weights
    # The first tie of each pair in either direction (an entry back sorts after every
    # entry forth, so the group's first entry need not be its earliest tie).
    first_pos = np.minimum.reduceat(np.concatenate((np.arange(k), cross))[order], starts)
    del order
    ranked = np.lexsort((first_pos, uniq // count))
    adj: list[dict[int, int]] = [{} for _ in range(count)]
    for code, total in zip(uniq[ranked].tolist(), sums[ranked].tolist(), strict=True):
        adj[code // count][code % count] = int(total)
    return adj


def _python_level(adj: list[dict[int, int]], m: float, rng) -> tuple[list[int], bool]:
    n = len(adj)
    node2com = list(range(n))
    degrees = [sum(a.values()) + a.get(i, 0) for i, a in enumerate(adj)]
    stot = list(degrees)
    nbrs = [[(v, w) for v, w in a.items() if v != i] for i, a in enumerate(adj)]
    two_m2 = 2 * m**2
    order = list(range(n))
    rng.shuffle(order)
    improvement = False
    moves = 1
    while moves > 0:
        moves = 0
        for u in order:
            own = node2com[u]
            degree = degrees[u]
            stot[own] -= degree
            weights2com: dict[int, float] = {}
            for nbr, wt in nbrs[u]:
                com = node2com[nbr]
                weights2com[com] = weights2com.get(com, 0.0) + wt
            remove_cost = -weights2com.get(own, 0.0) / m + 1 * (stot[own] * degree) / two_m2
            best_mod = 0
            best_com = own
            for com, wt in weights2com.items():
                gain = remove_cost + wt / m - 1 * (stot[com] * degree) / two_m2
                if gain > best_mod:
                    best_mod = gain
                    best_com = com
            stot[best_com] += degree
            if best_com != own:
                improvement = True
                moves += 1
                node2com[u] = best_com
    return node2com, improvement


def _level_edges(adj):
    """``G.edges()`` order of a level graph: each tie once, from its smaller end."""
    for i, a in enumerate(adj):
        for j, w in a.items():
            if j >= i:
                yield i, j, w


def _modularity_of_level(adj, membership: np.ndarray, count: int, m: float) -> float:
    member = membership.tolist()
    internal = [0] * count
    deg_sums = [0] * count
    for i, a in enumerate(adj):
        deg_sums[member[i]] += sum(a.values()) + a.get(i, 0)
    for i, j, w in _level_edges(adj):
        if member[i] == member[j]:
            internal[member[i]] += w
    return _modularity_terms(internal, deg_sums, m)


def _aggregate_level(adj, membership: np.ndarray, count: int) -> list[dict[int, int]]:
    member = membership.tolist()
    new_adj: list[dict[int, int]] = [{} for _ in range(count)]
    for i, j, w in _level_edges(adj):
        a, b = member[i], member[j]
        total = new_adj[a].get(b, 0) + w
        new_adj[a][b] = total
        new_adj[b][a] = total
    return new_adj


def _groups(membership: np.ndarray, count: int) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(count)]
    for node, com in enumerate(membership.tolist()):
        groups[com].append(node)
    return [g for g in groups if g]
