"""The same metrics on the same graph in igraph (an optional benchmark dependency: the
``bench`` extra, ``pip install python-igraph``), metric by metric, against ours.

The graph is the one the metrics were computed on (``graph_data.load_metrics_graph``: the
same nodes and ties as ``load_graph``'s networkx graph, as arrays). Compared:

=====================  ===================================  ================================
metric                 ours (coordinator.network.analysis)  igraph
=====================  ===================================  ================================
density                ``density``                          ``Graph.density()``
components             ``component_count``                  ``connected_components()``
isolates               ``isolates``                         ``degree() == 0``
betweenness            ``betweenness`` (its own exact or    ``betweenness(directed=False)``
                       sampled choice)                      exact; when ours samples k
                                                            sources also ``sources=`` the
                                                            same k (subset betweenness)
articulation points    ``key_persons`` (also the size of    ``articulation_points()``
                       what each one cuts off)
Louvain                ``communities`` (networkx's          ``community_multilevel
                       algorithm, seed 42)                  (weights="weight")``, seed 42
modularity             ``modularity``                       ``modularity(..., weights=...)``
=====================  ===================================  ================================

Graph preparation is timed apart on both sides: our CSR adjacency arrays, igraph's
``Graph(...)`` construction from the same arrays.
"""

from __future__ import annotations

import random
import time

import numpy as np

from coordinator.network import analysis
from coordinator.network.betweenness import betweenness as our_betweenness
from coordinator.network.compact import CompactGraph

SEED = 42
METRICS = ("density", "components", "isolates", "betweenness", "articulation_points",
           "louvain", "modularity")


def available() -> str | None:
    """igraph's version, or None when it is not installed."""
    try:
        import igraph
    except ImportError:
        return None
    return igraph.__version__


def time_ours(graph: CompactGraph) -> dict:
    """Each metric on a copy of ``graph`` whose adjacency arrays are built first (timed as
    ``prepare``)."""
    cg = CompactGraph(graph.ids, graph.names, graph.kinds, graph.fields, graph.u, graph.v,
                      graph.w, graph.last, dict(graph.attrs))
    times = {}
    started = time.perf_counter()
    cg.csr  # noqa: B018  (cached property: the adjacency every metric uses)
    cg.degree  # noqa: B018
    times["prepare"] = time.perf_counter() - started
    results = {}
    for name, run in (
        ("density", lambda: analysis.density(cg)),
        ("components", lambda: analysis.component_count(cg)),
        ("isolates", lambda: analysis.isolates(cg)),
        ("betweenness", lambda: our_betweenness(cg, seed=SEED)),
        ("articulation_points", lambda: analysis.key_persons(cg)),
        ("louvain", lambda: analysis.communities(cg, seed=SEED)),
        ("modularity", lambda: analysis.modularity(cg, results["louvain"])),
    ):
        started = time.perf_counter()
        results[name] = run()
        times[name] = time.perf_counter() - started
    bc = results["betweenness"]
    return {
        "times": times,
        "values": {
            "components": results["components"], "isolates": len(results["isolates"]),
            "articulation_points": len(results["articulation_points"]),
            "communities": len(results["louvain"]), "modularity": results["modularity"],
            "betweenness_engine": bc.engine, "betweenness_approximate": bc.approximate,
            "betweenness_sources": bc.sources,
        },
        "betweenness": bc,
    }


def time_igraph(graph: CompactGraph, ours: dict, exact_budget_s: float) -> dict:
    """igraph on the same arrays. Exact betweenness always when ours is exact; when ours
    samples, igraph first runs on the same sources, and exact only if that run projects
    to at most ``exact_budget_s`` seconds (otherwise the projection is reported)."""
    import igraph

    times = {}
    started = time.perf_counter()
    g = igraph.Graph(n=graph.n, edges=np.column_stack((graph.u, graph.v)))
    g.es["weight"] = graph.w.tolist()
    times["prepare"] = time.perf_counter() - started
    values = {}
    started = time.perf_counter()
    g.density()
    times["density"] = time.perf_counter() - started
    started = time.perf_counter()
    values["components"] = len(g.connected_components())
    times["components"] = time.perf_counter() - started
    started = time.perf_counter()
    values["isolates"] = int(sum(1 for d in g.degree() if d == 0))
    times["isolates"] = time.perf_counter() - started

    ours_bc = ours["betweenness"]
    n, active = graph.n, np.flatnonzero(graph.degree > 0)
    notes = []
    if ours_bc.approximate:
        sources = _our_sources(active, ours_bc.sources)
        started = time.perf_counter()
        sampled = np.array(g.betweenness(directed=False, sources=sources.tolist()))
        times["betweenness_same_sources"] = time.perf_counter() - started
        values["top10_brokers_shared"] = _top_overlap(ours_bc.values, sampled)
        projected = times["betweenness_same_sources"] * len(active) / len(sources)
        times["betweenness_exact_projected"] = projected
        notes.append(f"ours samples {len(sources)} of {len(active)} sources; igraph ran "
                     "subset betweenness from the same sources")
        if projected <= exact_budget_s:
            times["betweenness"] = _timed(lambda: g.betweenness(directed=False))[1]
        else:
            notes.append(f"igraph exact betweenness not run: projected {projected:.0f} s")
    else:
        exact, times["betweenness"] = _timed(lambda: g.betweenness(directed=False))
        scaled = np.array(exact) * 2 / ((n - 1) * (n - 2))
        values["betweenness_max_abs_diff"] = float(np.max(np.abs(scaled - ours_bc.values)))
        values["top10_brokers_shared"] = _top_overlap(ours_bc.values, np.array(exact))
    points, times["articulation_points"] = _timed(g.articulation_points)
    values["articulation_points"] = len(points)
    random.seed(SEED)  # igraph draws from Python's random module by default
    clusters, times["louvain"] = _timed(lambda: g.community_multilevel(weights="weight"))
    values["communities"] = len(clusters)
    values["modularity"], times["modularity"] = _timed(
        lambda: g.modularity(clusters.membership, weights="weight"))
    return {"version": igraph.__version__, "times": times, "values": values, "notes": notes}


def ratios(ours: dict, theirs: dict) -> dict:
    """ours / igraph per metric, and for the sum of all metrics (with and without the
    graph preparation). Betweenness is compared like for like: with igraph on the same
    sources when ours samples, with igraph exact when ours is exact."""
    mine, other = ours["times"], theirs["times"]
    pairs = {}
    for metric in (*METRICS, "prepare"):
        their = other.get(metric)
        if metric == "betweenness" and ours["values"]["betweenness_approximate"]:
            their = other.get("betweenness_same_sources")
        if their is not None:
            pairs[metric] = (mine[metric], their)
    result = {m: a / b if b > 0 else None for m, (a, b) in pairs.items()}
    ours_total = sum(a for m, (a, _) in pairs.items() if m != "prepare")
    their_total = sum(b for m, (_, b) in pairs.items() if m != "prepare")
    result["total"] = ours_total / their_total if their_total else None
    result["total_with_prepare"] = (
        (ours_total + pairs["prepare"][0]) / (their_total + pairs["prepare"][1])
    )
    result["ours_total_s"], result["igraph_total_s"] = ours_total, their_total
    return result


def _our_sources(active: np.ndarray, k: int) -> np.ndarray:
    """The sources ``betweenness`` samples (same draw: ``random.Random(seed).sample`` of
    the stakeholders with ties), so that both sides walk from the same nodes."""
    rng = random.Random(SEED)
    return np.array(sorted(rng.sample(active.tolist(), k)), dtype=np.int64)


def _top_overlap(a: np.ndarray, b: np.ndarray, top: int = 10) -> int:
    return len(set(np.argsort(-a)[:top].tolist()) & set(np.argsort(-b)[:top].tolist()))


def _timed(run):
    started = time.perf_counter()
    value = run()
    return value, time.perf_counter() - started
