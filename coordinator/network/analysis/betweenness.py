"""Betweenness centrality (unweighted, normalised as networkx does), exact while it is cheap
and estimated from sampled sources when it is not.

Three engines compute the same quantity (Brandes' dependency accumulation):

* networkx itself for small graphs, so that small results are bit-for-bit networkx's;
* our dense matrix BFS with numpy/BLAS (a batch of sources per matrix product), for graphs
  up to a few thousand active stakeholders, where it beats igraph;
* our compiled Brandes (:func:`_brandes`, in C: :mod:`.compiled`) for everything larger,
  and for long thin graphs.

Measured with ``benchmarks/algorithms.py`` (30 Nov 2026, 2 cores shared with other jobs, one
BLAS thread; S/M/L = 200/2,000/20,000 stakeholders, 7.9 k/248 k/4.17 M ties), ours vs igraph
for the same sources: exact at S, dense 9.3 ms vs igraph 21 ms (rustworkx 32 ms, networkx
0.9 s); 596 sampled sources at M, dense 2.6 s vs igraph 7.3 s (networkx's subset betweenness
243 s). At L, 64 sampled sources of the benchmark's L database (19,399 stakeholders, 4.21 M
ties, quiet machine): compiled 3.27 s, igraph 2.65 s plus 2.03 s to build its graph from our
arrays and 636 MB more peak memory in the queue worker (the edge list as Python tuples), so
the compiled engine replaced igraph there; their sums are identical. At M the compiled engine
takes 2.19 s for 600 sources where dense takes 0.44 s (igraph 1.36 s), so M stays dense. Our
former sparse numpy engine and plain-Python engine for long thin graphs were replaced by
igraph earlier (32.6 s vs 16.2 s at L; 10–14 s vs 0.2 s on Watts–Strogatz rings of 1,500 and
4,000 nodes), and igraph now by the compiled engine, which walks a ring's many BFS levels in
machine code as igraph does.

Which engine runs, and whether all sources are used, follows a cost estimate from the graph's
size (deterministic: the same graph always gets the same treatment): networkx ≈ 200 ns per
adjacency entry and source, compiled ≈ 6 ns, dense ≈ 2·levels·2·n² floating-point operations
per source at ≈ 30 GFLOP/s.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import networkx as nx
import numpy as np

from .compact import CompactGraph, gather_positions
from .compiled import NATIVE, compiled

EXACT_LIMIT = 1000  # active stakeholders up to which betweenness is always exact
EXACT_BUDGET_SECONDS = 2.0  # larger graphs are exact too while the estimate stays below this
SAMPLE_BUDGET_SECONDS = 1.0  # sampled sources: as many as fit, at least MIN_SAMPLE
MIN_SAMPLE = 64
PYTHON_SECONDS_PER_ENTRY = 2e-7  # networkx
COMPILED_SECONDS_PER_ENTRY = 6e-9  # measured at M: 2.19 s for 600 sources of 616,734 entries
DENSE_SECONDS_PER_FLOP = 3.5e-11
DENSE_MAX_NODES = 3000  # an n×n float64 matrix of 3,000 nodes takes 72 MB
BATCH = 256


@dataclass
class BetweennessResult:
    values: np.ndarray  # per node index, normalised by (n-1)(n-2) like networkx
    approximate: bool
    sources: int | None  # sampled sources, None when exact
    engine: str


def betweenness(
    cg: CompactGraph,
    *,
    exact_limit: int | None = None,
    sample_k: int | None = None,
    seed: int = 42,
) -> BetweennessResult:
    """Normalised betweenness of every node.

    Exact when there are at most ``exact_limit`` (default :data:`EXACT_LIMIT`) stakeholders
    with ties, or when the exact computation is estimated to take under
    :data:`EXACT_BUDGET_SECONDS`; otherwise estimated
    from ``sample_k`` sources drawn with ``seed`` (default: as many as fit in
    :data:`SAMPLE_BUDGET_SECONDS`, at least :data:`MIN_SAMPLE`). Sources are drawn among
    stakeholders with ties (isolates lie on no path) and the sums are scaled to all pairs
    exactly as networkx scales its ``k``-sample estimate.

    Examples
    --------
    >>> from coordinator.network.analysis.compact import CompactGraph
    >>> result = betweenness(CompactGraph.from_nx(nx.path_graph(3)))
    >>> result.values.tolist(), result.approximate
    ([0.0, 1.0, 0.0], False)
    """
    n = cg.n
    values = np.zeros(n)
    active = np.flatnonzero(cg.degree > 0)
    na = len(active)
    if n <= 2 or na <= 2:
        return BetweennessResult(values, False, None, "none")
    entries = na + 2 * cg.m
    per_entry = COMPILED_SECONDS_PER_ENTRY if NATIVE else PYTHON_SECONDS_PER_ENTRY
    per_source = {"compiled": entries * per_entry}
    if na <= DENSE_MAX_NODES:
        levels = _estimated_levels(cg, active)
        per_source["dense"] = 4 * levels * na * na * DENSE_SECONDS_PER_FLOP
    fast = min(per_source, key=per_source.get)
    exact_cost = per_source[fast] * na
    if exact_limit is None:
        exact_limit = EXACT_LIMIT
    if sample_k is None:
        exact = na <= exact_limit or exact_cost <= EXACT_BUDGET_SECONDS
    else:
        exact = sample_k >= na
    if exact:
        if entries * PYTHON_SECONDS_PER_ENTRY * na <= EXACT_BUDGET_SECONDS / 4:
            return _networkx_exact(cg)  # small: networkx itself, bit for bit
        raw = _run(fast, cg, active, active)
        return BetweennessResult(_scale_exact(raw, n), False, None, fast)
    k = sample_k or max(MIN_SAMPLE, int(SAMPLE_BUDGET_SECONDS / per_source[fast]))
    k = max(2, min(k, na - 1))
    rng = random.Random(seed)  # noqa: S311  (reproducible sampling, not security)
    sources = np.array(sorted(rng.sample(active.tolist(), k)), dtype=np.int64)
    raw = _run(fast, cg, active, sources)
    scale = 1 / ((n - 1) * (n - 2))
    values = raw * ((na - 1) / k) * scale
    values[sources] = raw[sources] * ((na - 1) / (k - 1)) * scale
    return BetweennessResult(values, True, k, fast)


def _scale_exact(raw: np.ndarray, n: int) -> np.ndarray:
    return raw * (1 / ((n - 1) * (n - 2)))


def _networkx_exact(cg: CompactGraph) -> BetweennessResult:
    G = nx.Graph()
    G.add_nodes_from(range(cg.n))
    G.add_edges_from(zip(cg.u.tolist(), cg.v.tolist(), strict=True))
    bc = nx.betweenness_centrality(G, normalized=True)
    return BetweennessResult(np.array([bc[i] for i in range(cg.n)]), False, None, "networkx")


def _estimated_levels(cg: CompactGraph, active: np.ndarray) -> int:
    """BFS depth from the best-connected stakeholder, plus slack: the number of matrix
    products per source in the dense engine."""
    start = int(active[np.argmax(cg.degree[active])])
    _, levels = _bfs(cg.csr, start, cg.n)
    return len(levels) + 1


def _run(engine: str, cg: CompactGraph, active: np.ndarray, sources: np.ndarray) -> np.ndarray:
    if engine == "dense":
        return _dense(cg, active, sources)
    indptr, indices, _ = cg.csr
    return compiled(_brandes)(indptr, indices, sources.astype(np.int64), cg.n)


# --- compiled engine -------------------------------------------------------------------------


def _brandes(indptr, indices, sources, n):
    """Brandes' dependency sums from ``sources`` over the CSR adjacency, each unordered pair
    counted from both ends as networkx counts it: a BFS per source, then the dependencies
    accumulated in reverse BFS order (networkx's ``_single_source_shortest_path_basic`` and
    ``_accumulate_basic``, without predecessor lists: a neighbour one level up is one)."""
    raw = np.zeros(n)
    dist = np.full(n, -1, np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, np.int64)
    for s in sources:
        dist[s] = 0
        sigma[s] = 1.0
        order[0] = s
        head, tail = 0, 1
        while head < tail:
            v = order[head]
            head += 1
            for k in range(indptr[v], indptr[v + 1]):
                w = indices[k]
                if dist[w] < 0:
                    dist[w] = dist[v] + 1
                    order[tail] = w
                    tail += 1
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
        for i in range(tail - 1, 0, -1):
            w = order[i]
            coeff = (1.0 + delta[w]) / sigma[w]
            for k in range(indptr[w], indptr[w + 1]):
                v = indices[k]
                if dist[v] == dist[w] - 1:
                    delta[v] += sigma[v] * coeff
            raw[w] += delta[w]
        for i in range(tail):  # reset only what this source reached
            w = order[i]
            dist[w] = -1
            sigma[w] = 0.0
            delta[w] = 0.0
    return raw


# --- dense engine ----------------------------------------------------------------------------


def _dense(cg: CompactGraph, active: np.ndarray, sources: np.ndarray) -> np.ndarray:
    position = np.full(cg.n, -1, dtype=np.int64)
    position[active] = np.arange(len(active))
    A = np.zeros((len(active), len(active)))
    A[position[cg.u], position[cg.v]] = 1.0
    A[position[cg.v], position[cg.u]] = 1.0
    local = position[sources]
    totals = np.zeros(len(active))
    for start in range(0, len(local), BATCH):
        totals += _dense_batch(A, local[start:start + BATCH])
    raw = np.zeros(cg.n)
    raw[active] = totals
    return raw


def _dense_batch(A: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Brandes for a batch of sources at once: column j holds source j's BFS."""
    size, b = A.shape[0], len(sources)
    cols = np.arange(b)
    sigma = np.zeros((size, b))
    sigma[sources, cols] = 1.0
    seen = np.zeros((size, b), dtype=bool)
    seen[sources, cols] = True
    frontier = sigma.copy()
    levels = [seen.copy()]
    while True:
        reached = A @ frontier  # shortest-path counts into the next level
        new = (reached > 0) & ~seen
        if not new.any():
            break
        seen |= new
        sigma[new] = reached[new]
        frontier = np.where(new, reached, 0.0)
        levels.append(new)
    delta = np.zeros((size, b))
    for d in range(len(levels) - 1, 1, -1):
        here = levels[d]
        coeff = np.where(here, (1.0 + delta) / np.where(here, sigma, 1.0), 0.0)
        delta += np.where(levels[d - 1], sigma * (A @ coeff), 0.0)
    delta[sources, cols] = 0.0
    return delta.sum(axis=1)


# --- the BFS depth for the dense engine's cost estimate ------------------------------


def _bfs(csr, s: int, n: int) -> tuple[np.ndarray, list[np.ndarray]]:
    indptr, indices, _ = csr
    seen = np.zeros(n, dtype=bool)
    seen[s] = True
    frontier = np.array([s], dtype=np.int64)
    levels = [frontier]
    while True:
        positions, _ = gather_positions(indptr, frontier)
        nbrs = indices[positions]
        fresh = nbrs[~seen[nbrs]]
        if not len(fresh):
            return seen, levels
        mark = np.zeros(n, dtype=bool)
        mark[fresh] = True
        frontier = np.flatnonzero(mark)
        seen |= mark
        levels.append(frontier)
