"""Time fresh network metrics after a change, and igraph on the same graph.

Usage (against a database filled with ``benchmarks.synthetic.generate``)::

    DATABASE_URL=... FLASK_SECRET_KEY=... python -m benchmarks.network_metrics --repeat 3

Each round adds one activity (so the revision changes and the cache is stale), then times
``service.get_metrics`` for the whole log: loading the graph with SQL, computing, storing
the cache row. The igraph figures are for the same graph and the same metrics (density,
components, articulation points, exact betweenness, multilevel/Louvain and modularity);
igraph is optional (``pip install python-igraph``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from sqlalchemy import select

from coordinator import create_app
from coordinator.activities.models import ActivityKind, JointActivity
from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.network.analysis import metrics as analysis
from coordinator.network.analysis.trend import trend_quarters
from coordinator.network.data import stored_figures as service
from coordinator.network.data.graph_loading import first_activity_date
from coordinator.network.data.scope import Scope
from coordinator.network.data.scope_ties import load_scope_ties
from coordinator.register.models import Stakeholder


def add_activity() -> None:
    with write_intent():
        people = db.session.scalars(select(Stakeholder).limit(2)).all()
        activity = JointActivity(date=date.today(), title="Benchmark", kind=ActivityKind.MEETING)
        activity.participants = people
        db.session.add(activity)
        db.session.commit()


def time_fresh(repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        add_activity()
        start = time.perf_counter()
        service.get_metrics(Scope())
        times.append(time.perf_counter() - start)
        db.session.rollback()
    return times


def time_parts() -> dict[str, float]:
    scope = Scope()
    start = time.perf_counter()
    quarters = trend_quarters(date.today(), None, None, first_activity_date(scope))
    ties = load_scope_ties(scope, quarters)
    graph, quarter_ties = ties.graph, list(ties.quarter_ties(quarters))
    loaded = time.perf_counter()
    metrics = analysis.compute_metrics(graph, quarters=quarter_ties)
    done = time.perf_counter()
    return {
        "nodes": graph.n, "ties": graph.m, "load_s": loaded - start,
        "compute_s": done - loaded, "betweenness_sources": metrics.betweenness_sources,
        "graph": graph,
    }


def time_igraph(graph) -> float | None:
    try:
        import igraph
    except ImportError:
        return None
    start = time.perf_counter()
    g = igraph.Graph(n=graph.n, edges=list(zip(graph.u.tolist(), graph.v.tolist(), strict=True)),
                     edge_attrs={"weight": graph.w.tolist()})
    g.density()
    g.connected_components()
    g.articulation_points()
    g.betweenness(directed=False)
    clusters = g.community_multilevel(weights="weight")
    g.modularity(clusters, weights="weight")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-igraph", action="store_true",
                        help="skip igraph (its exact betweenness takes minutes at size L)")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        fresh = time_fresh(args.repeat)
        parts = time_parts()
        graph = parts.pop("graph")
        igraph_s = None if args.no_igraph else time_igraph(graph)
        backend = db.engine.url.get_backend_name()
    print(f"database: {backend}")
    print(f"nodes {parts['nodes']}, ties {parts['ties']}")
    print(f"fresh get_metrics: min {min(fresh):.2f} s, median {statistics.median(fresh):.2f} s")
    print(f"  load {parts['load_s']:.2f} s, compute {parts['compute_s']:.2f} s "
          f"(betweenness sources: {parts['betweenness_sources'] or 'all'})")
    if igraph_s is not None:
        print(f"igraph, same metrics with exact betweenness: {igraph_s:.2f} s")


if __name__ == "__main__":
    main()
