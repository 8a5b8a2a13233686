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
    search = depth_first(cg)
    people = []
    for v, sizes in search.piece_sizes().items():
        total = search.component_size[v]
        people.append(KeyPerson(cg.ids[v], total - 1 - max(sizes), len(sizes)))
    index = cg.index_of()
    people.sort(key=lambda k: (-k.cut_off, cg.names[index[k.node]], index[k.node]))
    return people


@dataclass
class DepthFirst:
    """One depth-first search over every component (Hopcroft–Tarjan), as arrays.

    Nodes are numbered in preorder (``disc``), so the subtree of ``v`` is the contiguous
    range ``order[disc[v]:disc[v] + size[v]]`` and each component the range
    ``order[component_start[v]:component_start[v] + component_size[v]]``. ``separated[v]``
    lists the children whose subtree reaches back no higher than ``v``: without ``v`` each
    of them is a piece of its own; the rest of the component (if any) is one more piece.
    """

    order: np.ndarray  # node indices in preorder
    disc: np.ndarray  # preorder number of each node
    size: list[int]  # nodes in each node's subtree
    smallest: list[int]  # the smallest node index in each node's subtree
    separated: dict[int, list[int]]
    component_start: list[int]
    component_size: list[int]
    components: int

    def piece_sizes(self) -> dict[int, list[int]]:
        """For every articulation point, the sizes of the pieces its component falls into
        without it (separated subtrees first, then the rest)."""
        result = {}
        for v, children in self.separated.items():
            sizes = [self.size[w] for w in children]
            rest = self.component_size[v] - 1 - sum(sizes)
            if rest > 0:
                sizes.append(rest)
            if len(sizes) >= 2:
                result[v] = sizes
        return result


# Kept (measured with benchmarks/algorithms.py, 30 Nov 2026, 2 cores shared with other
# jobs, one thread), S/M/L: this DFS (points, piece sizes, component sizes) 10.7 ms / 102 ms
# / 1.29 s; igraph's articulation_points (points only) 0.48 ms / 28 ms / 0.83 s, plus
# building its graph 8 ms / 0.5 s / 9.7 s; rustworkx 0.41 ms / 46 ms / 2.5 s (points only);
# igraph's biconnected_components with points (piece sizes could be derived from the blocks)
# 4.2 ms / 165 ms / 5.1 s; networkx 16 ms / 0.5 s / 24 s. igraph finds the points alone
# faster, but the key persons need piece sizes and the stored what-if figures the preorder
# ranges of this search, which no library returns; with its graph built, igraph loses at L.
def depth_first(cg: CompactGraph) -> DepthFirst:
    """The iterative depth-first search behind :func:`key_persons` and the stored
    what-if figures. Neighbour lists are scanned with numpy, so the Python loop runs once
    per node, not once per tie.

    Examples
    --------
    >>> search = depth_first(as_compact(nx.path_graph(3)))
    >>> search.order.tolist(), search.size, search.separated, search.components
    ([0, 1, 2], [3, 2, 1], {1: [2], 0: [1]}, 1)
    """
    indptr, indices, _ = cg.csr
    n = cg.n
    disc = np.full(n, -1, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    low = [0] * n
    size = [1] * n
    smallest = list(range(n))
    parent = [-1] * n
    cursor = indptr[:-1].tolist()
    ends = indptr[1:].tolist()
    separated: dict[int, list[int]] = {}
    component_start = [0] * n
    component_size = [0] * n
    components = 0
    timer = 0
    for root in range(n):
        if disc[root] >= 0:
            continue
        start = timer
        disc[root] = timer
        order[timer] = root
        low[root] = timer
        timer += 1
        components += 1
        stack = [root]
        while stack:
            v = stack[-1]
            first, end = cursor[v], ends[v]
            if first < end:
                fresh = np.flatnonzero(disc[indices[first:end]] < 0)
                if len(fresh):
                    position = first + int(fresh[0])
                    cursor[v] = position + 1
                    w = int(indices[position])
                    parent[w] = v
                    disc[w] = low[w] = timer
                    order[timer] = w
                    timer += 1
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
                smallest[p] = min(smallest[p], smallest[v])
                if low[v] >= disc[p]:
                    separated.setdefault(p, []).append(v)
        for member in order[start:timer].tolist():
            component_start[member] = start
            component_size[member] = timer - start
    return DepthFirst(order, disc, size, smallest, separated, component_start, component_size,
                      components)


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
