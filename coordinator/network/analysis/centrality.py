"""Who holds the network together: brokers (betweenness), key persons (articulation points)
and the "what if X left" view. Pure: numpy, networkx and the standard library."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from .betweenness import BetweennessResult, betweenness
from .compact import CompactGraph, as_compact

TOP_BROKERS = 10


def brokers(
    G: nx.Graph | CompactGraph,
    top: int = TOP_BROKERS,
    *,
    result: BetweennessResult | None = None,
    exact_limit: int | None = None,
    sample_k: int | None = None,
    seed: int = 42,
) -> list[tuple[int, float]]:
    """The ``top`` stakeholders by betweenness as ``(node, value)``, highest first (ties by
    name). Fewer than ``top`` only when the network has fewer stakeholders.

    Examples
    --------
    >>> brokers(nx.star_graph(3), top=2)
    [(0, 1.0), (1, 0.0)]
    """
    cg = as_compact(G)
    if result is None:
        result = betweenness(cg, exact_limit=exact_limit, sample_k=sample_k, seed=seed)
    order = sorted(range(cg.n), key=lambda i: (-result.values[i], cg.names[i], i))[:top]
    return [(cg.ids[i], float(result.values[i])) for i in order]


@dataclass
class KeyPerson:
    """A stakeholder whose absence splits its part of the network into ``parts`` pieces;
    ``cut_off`` others would lose the connection to the largest remaining piece."""

    node: int
    cut_off: int
    parts: int


def key_persons(G: nx.Graph | CompactGraph) -> list[KeyPerson]:
    """Articulation points with how many stakeholders they would cut off, most first.

    If a key person with a component of ``s`` stakeholders leaves, the rest of the
    component falls into pieces; ``cut_off = (s - 1) - size of the largest piece``.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (3, 4), (3, 5)])
    >>> [(k.node, k.cut_off, k.parts) for k in key_persons(G)]
    [(3, 2, 3), (2, 1, 2)]
    """
    cg = as_compact(G)
    pieces, component_size = _articulation_pieces(cg)
    people = []
    for v, sizes in pieces.items():
        rest = component_size[v] - 1 - sum(sizes)
        parts = sizes + ([rest] if rest > 0 else [])
        if len(parts) < 2:
            continue
        people.append(KeyPerson(cg.ids[v], component_size[v] - 1 - max(parts), len(parts)))
    index = cg.index_of()
    people.sort(key=lambda k: (-k.cut_off, cg.names[index[k.node]], index[k.node]))
    return people


# Measured with benchmarks/algorithms.py (30 Nov 2026, 2 cores shared with other jobs, one
# thread), S/M/L: this DFS (points, piece sizes, component sizes) 10.7 ms / 102 ms / 1.29 s;
# igraph's articulation_points (points only) 0.48 ms / 28 ms / 0.83 s, plus building its
# graph 8 ms / 0.5 s / 9.7 s; rustworkx 0.41 ms / 46 ms / 2.5 s (points only); igraph's
# biconnected_components with points (piece sizes could be derived from the blocks)
# 4.2 ms / 165 ms / 5.1 s; networkx 16 ms / 0.5 s / 24 s. igraph is faster for the points
# alone at every size but gives no piece sizes: kept for now, for the coordinator to decide.
def _articulation_pieces(cg: CompactGraph) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Iterative depth-first search (Hopcroft–Tarjan). For every node, the sizes of the
    child subtrees that only reach back to it (pieces that would break off), and the size
    of each node's component. Neighbour lists are scanned with numpy, so the Python loop
    runs once per node, not once per tie."""
    indptr, indices, _ = cg.csr
    n = cg.n
    disc = np.full(n, -1, dtype=np.int64)
    low = [0] * n
    size = [1] * n
    parent = [-1] * n
    cursor = indptr[:-1].tolist()
    ends = indptr[1:].tolist()
    pieces: dict[int, list[int]] = {}
    component_size: dict[int, int] = {}
    timer = 0
    for root in range(n):
        if disc[root] >= 0:
            continue
        disc[root] = timer
        low[root] = timer
        timer += 1
        members = [root]
        stack = [root]
        while stack:
            v = stack[-1]
            start, end = cursor[v], ends[v]
            if start < end:
                fresh = np.flatnonzero(disc[indices[start:end]] < 0)
                if len(fresh):
                    position = start + int(fresh[0])
                    cursor[v] = position + 1
                    w = int(indices[position])
                    parent[w] = v
                    disc[w] = low[w] = timer
                    timer += 1
                    members.append(w)
                    stack.append(w)
                    continue
                cursor[v] = end
            stack.pop()
            if ends[v] > indptr[v]:
                low[v] = min(low[v], int(disc[indices[indptr[v]:ends[v]]].min()))
            p = parent[v]
            if p >= 0:
                low[p] = min(low[p], low[v])
                size[p] += size[v]
                if low[v] >= disc[p]:
                    pieces.setdefault(p, []).append(size[v])
        for member in members:
            component_size[member] = len(members)
    return pieces, component_size


@dataclass
class WhatIf:
    """What the network would lose if ``node`` left."""

    node: int
    cut_off: list[int]  # stakeholders no longer connected to the largest remaining piece
    parts: int  # pieces its component falls into (1 = nothing splits)
    components_before: int
    components_after: int
    ties_lost: int
    activities_lost: int  # sum of the tie weights: joint activities with others
    newly_isolated: list[int]  # stakeholders whose only tie was to node
    newly_isolated_departments: list[int]  # departments whose only department tie was node


def what_if_removed(G: nx.Graph | CompactGraph, node: int) -> WhatIf:
    """Remove ``node`` and compare: who is cut off, how many pieces, what is lost.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (3, 4), (3, 5)])
    >>> info = what_if_removed(G, 3)
    >>> info.cut_off, info.parts, info.components_after
    ([4, 5], 3, 3)
    """
    cg = as_compact(G)
    index = cg.index_of()
    if node not in index:
        raise KeyError(node)
    x = index[node]
    indptr, indices, weights = cg.csr
    nbrs = indices[indptr[x]:indptr[x + 1]]
    component = _reachable(cg, x, blocked=-1)
    pieces = []
    assigned = np.zeros(cg.n, dtype=bool)
    for start in nbrs.tolist():
        if not assigned[start]:
            piece = _reachable(cg, start, blocked=x)
            assigned[piece] = True
            pieces.append(piece)
    pieces.sort(key=lambda piece: (-len(piece), piece[0]))  # equal sizes: first node stays
    cut = np.sort(np.concatenate(pieces[1:])) if len(pieces) > 1 else np.array([], dtype=int)
    before = _component_count(cg)
    is_dept = cg.is_department
    newly_isolated_departments = []
    if is_dept[x]:
        for d in nbrs[is_dept[nbrs]].tolist():
            dept_nbrs = cg.neighbours(d)
            if int(is_dept[dept_nbrs].sum()) == 1:
                newly_isolated_departments.append(cg.ids[d])
    lonely = nbrs[cg.degree[nbrs] == 1]
    return WhatIf(
        node=node,
        cut_off=[cg.ids[i] for i in cut.tolist()],
        parts=max(len(pieces), 1 if len(component) > 1 else 0),
        components_before=before,
        components_after=before - 1 + len(pieces),
        ties_lost=len(nbrs),
        activities_lost=int(weights[indptr[x]:indptr[x + 1]].sum()),
        newly_isolated=[cg.ids[i] for i in sorted(lonely.tolist())],
        newly_isolated_departments=sorted(newly_isolated_departments, key=index.get),
    )


def _reachable(cg: CompactGraph, start: int, blocked: int) -> np.ndarray:
    seen = np.zeros(cg.n, dtype=bool)
    seen[start] = True
    if blocked >= 0:
        seen[blocked] = True
    frontier = np.array([start])
    while len(frontier):
        nbrs, _counts = cg.gather(frontier)
        fresh = np.unique(nbrs[~seen[nbrs]])
        seen[fresh] = True
        frontier = fresh
    if blocked >= 0:
        seen[blocked] = False
    return np.flatnonzero(seen)


def _component_count(cg: CompactGraph) -> int:
    return int(cg.component_labels.max()) + 1 if cg.n else 0
