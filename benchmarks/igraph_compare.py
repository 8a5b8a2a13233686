"""The same metrics on the same graph in igraph (an optional benchmark dependency: the
``bench`` extra, ``pip install python-igraph``), metric by metric, against ours.

The graph is the one the metrics were computed on (``scope_ties.load_scope_ties``: the
same nodes and ties as ``load_graph``'s networkx graph, as arrays). Compared:

=====================  ===================================  ================================
metric                 ours (coordinator.network.analysis.metrics)  igraph
=====================  ===================================  ================================
density                ``density``                          ``Graph.density()``
components             ``component_count``                  ``connected_components()``
isolates               ``isolates``                         ``degree() == 0``
betweenness            ``betweenness`` (its own exact or    ``betweenness(directed=False)``
                       sampled choice; when it samples,     exact; when ours samples k
                       also exact)                          sources also ``sources=`` the
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

from coordinator.network.analysis import metrics as analysis
from coordinator.network.analysis.betweenness import betweenness as our_betweenness
from coordinator.network.analysis.compact import CompactGraph

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


def time_ours(graph: CompactGraph, exact_budget_s: float) -> dict:
    """Each metric on a copy of ``graph`` whose adjacency arrays are built first (timed as
    ``prepare``). Betweenness as the app computes it; when that samples, also exact if the
    sampled run projects to at most ``exact_budget_s`` seconds."""
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
        results[name], times[name] = _timed(run)
    bc = results["betweenness"]
    if bc.approximate:
        active = int((cg.degree > 0).sum())
        times["betweenness_exact_projected"] = times["betweenness"] * active / bc.sources
        if times["betweenness_exact_projected"] <= exact_budget_s:
            _, times["betweenness_exact"] = _timed(
                lambda: our_betweenness(cg, exact_limit=cg.n, seed=SEED))
    else:
        times["betweenness_exact"] = times["betweenness"]
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
    """igraph on the same arrays. Betweenness like for like: exact when ours is exact; from
    the same sources (subset betweenness) when ours samples, and then also exact if that
    run projects to at most ``exact_budget_s`` seconds."""
    import igraph

    times = {}
    started = time.perf_counter()
    g = igraph.Graph(n=graph.n, edges=np.column_stack((graph.u, graph.v)))
    g.es["weight"] = graph.w.tolist()
    times["prepare"] = time.perf_counter() - started
    values = {}
    _, times["density"] = _timed(g.density)
    components, times["components"] = _timed(g.connected_components)
    values["components"] = len(components)
    values["isolates"], times["isolates"] = _timed(
        lambda: int(sum(1 for d in g.degree() if d == 0)))

    ours_bc = ours["betweenness"]
    n, active = graph.n, np.flatnonzero(graph.degree > 0)
    notes = []
    if ours_bc.approximate:
        sources = _our_sources(active, ours_bc.sources)
        sampled, times["betweenness"] = _timed(
            lambda: np.array(g.betweenness(directed=False, sources=sources.tolist())))
        values["top10_brokers_shared"] = _top_overlap(ours_bc.values, sampled)
        projected = times["betweenness"] * len(active) / len(sources)
        times["betweenness_exact_projected"] = projected
        notes.append(f"ours samples {len(sources)} of {len(active)} sources (the app's cost "
                     "budget); igraph's betweenness row ran from the same sources (subset "
                     "betweenness); the exact rows are all sources on both sides")
        if projected <= exact_budget_s:
            _, times["betweenness_exact"] = _timed(lambda: g.betweenness(directed=False))
        else:
            notes.append(f"igraph exact betweenness not run: projected {projected:.0f} s")
    else:
        exact, times["betweenness"] = _timed(lambda: g.betweenness(directed=False))
        times["betweenness_exact"] = times["betweenness"]
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
    """ours / igraph per metric and for the sum of the metrics: with betweenness as the app
    computes it (``total``), with exact betweenness on both sides (``total_exact``, when
    both ran), and with the graph preparation added."""
    mine, other = ours["times"], theirs["times"]
    result = {m: mine[m] / other[m] if other[m] > 0 else None for m in (*METRICS, "prepare")}
    ours_total = sum(mine[m] for m in METRICS)
    their_total = sum(other[m] for m in METRICS)
    result["ours_total_s"], result["igraph_total_s"] = ours_total, their_total
    result["total"] = ours_total / their_total
    result["total_with_prepare"] = (
        (ours_total + mine["prepare"]) / (their_total + other["prepare"]))
    if "betweenness_exact" in mine and "betweenness_exact" in other:
        result["betweenness_exact"] = mine["betweenness_exact"] / other["betweenness_exact"]
        ours_exact = ours_total - mine["betweenness"] + mine["betweenness_exact"]
        their_exact = their_total - other["betweenness"] + other["betweenness_exact"]
        result["ours_total_exact_s"], result["igraph_total_exact_s"] = ours_exact, their_exact
        result["total_exact"] = ours_exact / their_exact
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
