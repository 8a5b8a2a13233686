"""What :mod:`benchmarks.algorithms` times: per algorithm, our function and each library call
that computes the same, on graphs built beforehand (construction is timed apart).

Every case returns its result converted to our output (component labels 0..c-1 in order of
first node, node-index arrays, raw Brandes sums), so that ``check`` can compare it with ours;
the conversion is part of the timed call, since a replacement would need it too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import igraph
import networkx as nx
import numpy as np
import rustworkx as rx
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from coordinator.network.analysis import layout
from coordinator.network.analysis.betweenness import _run, betweenness
from coordinator.network.analysis.centrality import depth_first
from coordinator.network.analysis.compact import CompactGraph
from coordinator.network.analysis.layout import (
    FULL_ITERATIONS,
    IDEAL_DISTANCE,
    REFINE_ITERATIONS,
    extend_layout,
    full_layout,
)
from coordinator.network.analysis.louvain import louvain_communities

SEED = 42
LIBRARIES = ("scipy", "igraph", "networkx", "rustworkx")


@dataclass
class Graphs:
    """One size's graph in every form: ours (with its CSR built) and each library's."""

    cg: CompactGraph
    built: dict[str, Any]


@dataclass
class Case:
    algorithm: str
    library: str  # "ours" or one of LIBRARIES
    run: Callable[[Graphs], Any]
    work: float = 0.0  # what the time grows with (ties by default; see cases())
    note: str = ""


# --- construction ---------------------------------------------------------------------------


def fresh_compact(cg: CompactGraph) -> CompactGraph:
    """A copy of ``cg`` without its cached arrays."""
    return CompactGraph(cg.ids, cg.names, cg.kinds, cg.fields, cg.u, cg.v, cg.w, cg.last,
                        dict(cg.attrs))


def builders(cg: CompactGraph) -> dict[str, Callable[[], Any]]:
    """Each side's graph from the tie arrays (ours: the CSR every metric uses)."""
    u, v, w = cg.u, cg.v, cg.w

    def ours():
        copy = fresh_compact(cg)
        copy.csr  # noqa: B018  (cached: the adjacency every metric reads)
        return copy

    def scipy_csr():
        indptr, indices, weights = cg.csr  # ours, wrapped without a copy
        return sparse.csr_array((weights, indices, indptr), shape=(cg.n, cg.n))

    def igraph_graph():
        # Lists of pairs: igraph converts a numpy array element by element (4× slower).
        return igraph.Graph(n=cg.n, edges=list(zip(u.tolist(), v.tolist(), strict=True)),
                            edge_attrs={"weight": w.tolist()})

    def networkx_graph():
        G = nx.Graph()
        G.add_nodes_from(range(cg.n))
        G.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
        return G

    def rustworkx_graph():
        g = rx.PyGraph()
        g.add_nodes_from(range(cg.n))
        g.extend_from_weighted_edge_list(list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                  strict=True)))
        return g

    return {"ours": ours, "scipy": scipy_csr, "igraph": igraph_graph,
            "networkx": networkx_graph, "rustworkx": rustworkx_graph}


# --- conversions to our outputs ------------------------------------------------------------


def first_order_labels(labels) -> np.ndarray:
    """Component labels renumbered 0..c-1 in order of first node (ours)."""
    _, first, inverse = np.unique(np.asarray(labels), return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse]


def labels_of_sets(n: int, components) -> np.ndarray:
    labels = np.empty(n, dtype=np.int64)
    for c, members in enumerate(components):
        labels[list(members)] = c
    return first_order_labels(labels)


def our_articulation_points(cg: CompactGraph) -> set[int]:
    """The articulation points ``key_persons`` reports, from :func:`depth_first`."""
    return set(depth_first(cg).piece_sizes())


def sampled_sources(cg: CompactGraph, k: int) -> np.ndarray:
    """The sources ``betweenness`` samples (the same draw)."""
    active = np.flatnonzero(cg.degree > 0)
    return np.array(sorted(random.Random(SEED).sample(active.tolist(), k)), dtype=np.int64)


# --- the cases ----------------------------------------------------------------------------


def cases(cg: CompactGraph) -> list[Case]:
    """All cases for a graph; betweenness follows what ours does on it (exact or k
    sampled sources)."""
    chosen = betweenness(cg, seed=SEED)
    n, m = cg.n, cg.m
    active = int((cg.degree > 0).sum())
    result = [
        Case("connected components", "ours",
             lambda g: CompactGraph.component_labels.func(g.cg)),
        Case("connected components", "scipy", lambda g: first_order_labels(
            csgraph.connected_components(_unit_matrix(g.cg), directed=True,
                                         connection="strong")[1]),
             note="on our CSR (built already for the metrics) with float 1.0 entries; "
                  "'strong' on a symmetric matrix: no transpose, no conversion"),
        Case("connected components", "scipy from ties", lambda g: first_order_labels(
            csgraph.connected_components(_tie_matrix(g.cg, np.ones(g.cg.m)), directed=True,
                                         connection="weak")[1]),
             note="matrix built from the tie arrays (when no CSR is at hand: trend quarters)"),
        Case("connected components", "igraph",
             lambda g: first_order_labels(g.built["igraph"].connected_components().membership)),
        Case("connected components", "networkx",
             lambda g: labels_of_sets(n, nx.connected_components(g.built["networkx"]))),
        Case("connected components", "rustworkx",
             lambda g: labels_of_sets(n, rx.connected_components(g.built["rustworkx"]))),
        Case("articulation points", "ours", lambda g: our_articulation_points(g.cg),
             note="ours also gives each point's piece sizes and component sizes"),
        Case("articulation points", "igraph",
             lambda g: set(g.built["igraph"].articulation_points()), note="points only"),
        Case("articulation points", "igraph bicomponents",
             lambda g: set(g.built["igraph"].biconnected_components(
                 return_articulation_points=True)[1]),
             note="blocks + points (what piece sizes would be derived from)"),
        Case("articulation points", "networkx",
             lambda g: set(nx.articulation_points(g.built["networkx"])), note="points only"),
        Case("articulation points", "rustworkx",
             lambda g: set(rx.articulation_points(g.built["rustworkx"])), note="points only"),
    ]
    if chosen.approximate:
        k = chosen.sources
        sources = sampled_sources(cg, k)
        label = f"betweenness, {k} sampled sources"
        result += [
            Case(label, "ours", lambda g: _run(chosen.engine, g.cg,
                                               np.flatnonzero(g.cg.degree > 0), sources),
                 work=k * m, note=f"engine {chosen.engine}"),
            Case(label, "igraph", lambda g: 2 * np.array(g.built["igraph"].betweenness(
                directed=False, sources=sources.tolist())), work=k * m,
                 note="subset betweenness"),
            Case(label, "networkx", lambda g: _nx_subset(g.built["networkx"], sources, n),
                 work=k * m, note="betweenness_centrality_subset"),
        ]
    else:
        scale = (n - 1) * (n - 2)
        label = "betweenness, exact"
        result += [
            Case(label, "ours", lambda g: betweenness(g.cg, seed=SEED).values * scale,
                 work=active * m, note=f"engine {chosen.engine}"),
            Case(label, "igraph",
                 lambda g: 2 * np.array(g.built["igraph"].betweenness(directed=False)),
                 work=active * m),
            Case(label, "networkx", lambda g: _nx_values(
                nx.betweenness_centrality(g.built["networkx"]), n) * scale, work=active * m),
            Case(label, "rustworkx", lambda g: _nx_values(
                rx.betweenness_centrality(g.built["rustworkx"]), n) * scale, work=active * m),
        ]
    result += [
        Case("Louvain (seed 42)", "ours", lambda g: _partition(
            louvain_communities(g.cg, seed=SEED))),
        Case("Louvain (seed 42)", "networkx", lambda g: _partition(
            nx.community.louvain_communities(g.built["networkx"], weight="weight", seed=SEED)),
             note="the same algorithm: identical partition"),
        Case("Louvain (seed 42)", "igraph", lambda g: _igraph_louvain(g.built["igraph"]),
             note="community_multilevel: another partition"),
        Case(f"layout ({FULL_ITERATIONS} iterations)", "ours",
             lambda g: _full_layout(g.cg, igraph_limit=0),
             note="our Fruchterman–Reingold for every component"),
        Case(f"layout ({FULL_ITERATIONS} iterations)", "igraph",
             lambda g: _full_layout(g.cg, igraph_limit=g.cg.n), work=n * n,
             note="igraph's exact FR for every component (full_layout's packing around it)"),
        Case(f"layout ({FULL_ITERATIONS} iterations)", "igraph grid",
             lambda g: g.built["igraph"].layout_fruchterman_reingold(
                 niter=FULL_ITERATIONS, weights="weight", grid="grid"),
             note="igraph's grid FR on the whole graph (repulsion from nearby cells only)"),
        Case(f"layout ({FULL_ITERATIONS} iterations)", "networkx",
             lambda g: nx.spring_layout(g.built["networkx"], iterations=FULL_ITERATIONS,
                                        seed=SEED),
             work=n * n),
        Case(f"layout ({FULL_ITERATIONS} iterations)", "rustworkx",
             lambda g: rx.spring_layout(g.built["rustworkx"], num_iter=FULL_ITERATIONS,
                                        seed=SEED, weight_fn=float),
             work=n * n),
        Case(f"layout: place 1 % new nodes ({REFINE_ITERATIONS} iterations)", "ours",
             lambda g: extend_layout(g.cg, _known_positions(g.cg)[0], seed=SEED),
             note="the map's everyday path: the others stay where they are"),
        Case(f"layout: place 1 % new nodes ({REFINE_ITERATIONS} iterations)", "igraph",
             lambda g: _igraph_refine(g.built["igraph"], g.cg), note="others fixed by bounds"),
        Case("strength (weighted degree)", "ours",
             lambda g: CompactGraph.strength.func(g.cg)),
        Case("strength (weighted degree)", "scipy",
             lambda g: g.built["scipy"].sum(axis=1).astype(np.int64),
             note="on our CSR (the map and tables have none: it would be built for this)"),
        Case("strength (weighted degree)", "scipy from ties", lambda g: _tie_strength(g.cg),
             note="matrix built from the tie arrays"),
        Case("strength (weighted degree)", "igraph",
             lambda g: np.array(g.built["igraph"].strength(weights="weight"), dtype=np.int64)),
        Case("neighbour gather (10 % of nodes)", "ours",
             lambda g: g.cg.gather(_some_nodes(n))[0]),
        Case("neighbour gather (10 % of nodes)", "scipy",
             lambda g: g.built["scipy"][_some_nodes(n)].indices),
    ]
    for case in result:
        case.work = case.work or m
    return result


def check(ours: Any, theirs: Any) -> str:
    """How a library's result compares with ours (after conversion)."""
    if isinstance(ours, np.ndarray) and ours.dtype.kind == "f":
        diff = float(np.max(np.abs(ours - theirs))) if len(ours) else 0.0
        return "same" if diff <= 1e-6 * max(1.0, float(np.max(np.abs(ours)))) else (
            f"max diff {diff:.3g}")
    if isinstance(ours, np.ndarray):
        return "same" if np.array_equal(ours, theirs) else "differs"
    if isinstance(ours, dict) or ours is None:
        return "—"
    if isinstance(ours, tuple) and isinstance(theirs, tuple):  # partitions with modularity
        if ours[0] == theirs[0]:
            return "same"
        return f"differs: {len(theirs[0])} vs {len(ours[0])} communities"
    return "same" if ours == theirs else "differs"


def _unit_matrix(cg: CompactGraph) -> sparse.csr_array:
    indptr, indices, _ = cg.csr
    return sparse.csr_array((np.ones(len(indices)), indices, indptr), shape=(cg.n, cg.n))


def _tie_matrix(cg: CompactGraph, data: np.ndarray) -> sparse.coo_array:
    return sparse.coo_array((data, (cg.u, cg.v)), shape=(cg.n, cg.n))


def _tie_strength(cg: CompactGraph) -> np.ndarray:
    matrix = _tie_matrix(cg, cg.w)
    return (matrix.sum(axis=0) + matrix.sum(axis=1)).astype(np.int64)


def _nx_subset(G: nx.Graph, sources: np.ndarray, n: int) -> np.ndarray:
    values = nx.betweenness_centrality_subset(G, sources.tolist(), list(range(n)),
                                              normalized=False)
    return 2 * _nx_values(values, n)


def _nx_values(values: dict, n: int) -> np.ndarray:
    return np.array([values[i] for i in range(n)], dtype=np.float64)


def _partition(groups) -> tuple[frozenset, None]:
    return frozenset(frozenset(int(x) for x in group) for group in groups), None


def _igraph_louvain(g: igraph.Graph):
    random.seed(SEED)  # igraph draws from Python's random module
    return _partition(g.community_multilevel(weights="weight"))


def _full_layout(cg: CompactGraph, igraph_limit: int) -> dict:
    """``full_layout`` with igraph for components up to ``igraph_limit`` nodes, ours above."""
    saved = layout.IGRAPH_LAYOUT_LIMIT
    layout.IGRAPH_LAYOUT_LIMIT = igraph_limit
    try:
        return full_layout(cg, seed=SEED)
    finally:
        layout.IGRAPH_LAYOUT_LIMIT = saved


def crowding(cg: CompactGraph, result) -> str:
    """How cramped a map is: the share of nodes whose nearest neighbour is closer than a
    tenth of IDEAL_DISTANCE (11 px: drawn on top of each other). Ours and ``full_layout``
    are in map pixels, igraph's own layout in tie lengths (scaled as ``full_layout`` does);
    networkx and rustworkx rescale their layouts into a unit box, so they get no figure."""
    if hasattr(result, "coords"):
        points = np.array(result.coords, dtype=float) * IDEAL_DISTANCE
    elif isinstance(result, dict) and 0 not in result:  # by stakeholder id: map pixels
        points = np.array([result[node] for node in cg.ids], dtype=float)
    else:
        return "—"
    nearest, _ = cKDTree(points).query(points, k=2)
    return f"{float(np.mean(nearest[:, 1] < IDEAL_DISTANCE / 10)):.0%} crowded"


def _known_positions(cg: CompactGraph) -> tuple[dict, np.ndarray, np.ndarray]:
    """Random positions for all but 1 % of the nodes (those with ties), the same each call:
    the stored map before a few stakeholders joined."""
    rng = np.random.default_rng(SEED)
    radius = IDEAL_DISTANCE * np.sqrt(cg.n) / 2
    positions = rng.uniform(-radius, radius, size=(cg.n, 2))
    with_ties = np.flatnonzero(cg.degree > 0)
    new = np.zeros(cg.n, dtype=bool)
    new[rng.choice(with_ties, size=max(1, cg.n // 100), replace=False)] = True
    known = {cg.ids[i]: (float(x), float(y))
             for i, (x, y) in enumerate(positions.tolist()) if not new[i]}
    return known, positions, new


def _igraph_refine(g: igraph.Graph, cg: CompactGraph):
    _, positions, new = _known_positions(cg)
    units = positions / IDEAL_DISTANCE  # igraph's natural tie length is 1
    low = np.where(new[:, None], -np.inf, units)
    high = np.where(new[:, None], np.inf, units)
    return g.layout_fruchterman_reingold(
        seed=units.tolist(), niter=REFINE_ITERATIONS, start_temp=1.0, weights="weight",
        minx=low[:, 0].tolist(), maxx=high[:, 0].tolist(),
        miny=low[:, 1].tolist(), maxy=high[:, 1].tolist())


def _some_nodes(n: int) -> np.ndarray:
    return np.random.default_rng(SEED).choice(n, size=max(1, n // 10), replace=False)
