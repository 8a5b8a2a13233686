"""Timings of the data path: the import, cold metrics (and their parts), and fresh metrics
after one activity is logged through the app.

Every figure goes through the app's public functions: ``flask import-csv`` via the app's CLI
runner, ``network.service.get_metrics`` (what the dashboard calls), and the two halves of
``service.compute_for`` — ``scope_ties.load_scope_ties`` (the SQL aggregates) and
``analysis.compute_metrics`` (pure computation on the loaded arrays).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from datetime import date

from flask import Flask
from sqlalchemy import func, select

from benchmarks.bench_app import csrf_token
from benchmarks.csv_network import GeneratedNetwork
from coordinator.activities.models import JointActivity, participation
from coordinator.extensions import db
from coordinator.network.analysis import metrics as analysis
from coordinator.network.analysis.trend import trend_quarters
from coordinator.network.data import stored_figures as service
from coordinator.network.data.graph_loading import first_activity_date
from coordinator.network.data.scope import Scope
from coordinator.network.data.scope_ties import load_scope_ties
from coordinator.register.models import Stakeholder, StakeholderKind


def time_import(app: Flask, generated: GeneratedNetwork) -> dict:
    """Both files through ``flask import-csv`` (stakeholders first: activities name them)."""
    runner = app.test_cli_runner()
    figures = {}
    for kind, path in (("stakeholders", generated.stakeholders_csv),
                       ("activities", generated.activities_csv)):
        started = time.perf_counter()
        result = runner.invoke(args=["import-csv", kind, str(path)])
        figures[f"{kind}_s"] = time.perf_counter() - started
        if result.exit_code != 0:
            raise RuntimeError(f"import of {kind} failed: {result.output[-2000:]}")
        figures[f"{kind}_output"] = result.output.strip()
    figures["total_s"] = figures["stakeholders_s"] + figures["activities_s"]
    with app.app_context():
        figures["stored_activities"] = db.session.scalar(
            select(func.count()).select_from(JointActivity))
        figures["stored_participations"] = db.session.scalar(
            select(func.count()).select_from(participation))
    return figures


def time_cold_metrics(app: Flask, repeat: int) -> tuple[dict, analysis.CompactGraph]:
    """``get_metrics`` on a fresh process and database (nothing in the cache table, nothing
    in process memory), then the load and the pure computation on their own (``repeat``
    times each; min and median). Returns the figures and the loaded graph."""
    scope = Scope()
    with app.app_context():
        started = time.perf_counter()
        metrics = service.get_metrics(scope)
        cold = time.perf_counter() - started
        figures = {
            "get_metrics_cold_s": cold,
            "nodes": metrics.nodes, "ties": metrics.edges, "activities": metrics.activities,
            "components": metrics.components, "isolates": len(metrics.isolates),
            "isolated_departments": len(metrics.isolated_departments),
            "communities": len(metrics.communities), "modularity": metrics.modularity,
            "betweenness_approximate": metrics.betweenness_approximate,
            "betweenness_sources": metrics.betweenness_sources,
        }
        loads, computes = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            graph, quarter_ties = _load(scope)
            loaded = time.perf_counter()
            analysis.compute_metrics(graph, quarters=quarter_ties)
            loads.append(loaded - started)
            computes.append(time.perf_counter() - loaded)
            db.session.rollback()
    figures.update(_spread("load", loads))
    figures.update(_spread("compute", computes))
    return figures, graph


def peak_python_memory(app: Flask) -> dict:
    """tracemalloc's peak of Python and numpy allocations while loading and computing the
    metrics once more (an extra, untimed run: tracing slows Python code down)."""
    with app.app_context():
        tracemalloc.start()
        try:
            graph, quarter_ties = _load(Scope())
            after_load = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
            analysis.compute_metrics(graph, quarters=quarter_ties)
            after_compute = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        db.session.rollback()
    return {"load_peak_bytes": after_load, "compute_peak_bytes": after_compute}


def time_fresh_after_change(app: Flask, client, rounds: int) -> dict:
    """Log one activity through the app (POST as the coordinator, CSRF token included) and
    time the next metrics: ``get_metrics`` directly in odd rounds, the dashboard page (which
    computes them) in even rounds — each time with the cache made stale by the new
    activity."""
    pair = _participant_pair(app)
    posts, direct, dashboard = [], [], []
    for round_number in range(rounds * 2):
        posts.append(log_activity(client, pair, round_number))
        if round_number % 2 == 0:
            with app.app_context():
                started = time.perf_counter()
                service.get_metrics(Scope())
                direct.append(time.perf_counter() - started)
        else:
            started = time.perf_counter()
            response = client.get("/")
            dashboard.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"dashboard answered HTTP {response.status_code}")
    return {
        **_spread("post_activity", posts),
        **_spread("get_metrics_fresh", direct),
        **_spread("dashboard_fresh", dashboard),
    }


def log_activity(client, participant_ids: list[int], number: int) -> float:
    """POST /activities/new; returns its seconds (the redirect is not followed)."""
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    started = time.perf_counter()
    response = client.post("/activities/new", data={
        "csrf_token": token, "date": date.today().isoformat(),
        "title": f"Benchmark-Besprechung {number + 1}", "kind": "meeting",
        "participants": [str(i) for i in participant_ids], "description": "",
    })
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise RuntimeError(f"logging an activity answered HTTP {response.status_code}")
    return elapsed


def _participant_pair(app: Flask) -> list[int]:
    """A department and a group that both are active (an ordinary new tie)."""
    with app.app_context():
        pair = [
            db.session.scalar(select(Stakeholder.id).where(
                Stakeholder.kind == kind, Stakeholder.active.is_(True)
            ).order_by(Stakeholder.id).limit(1))
            for kind in (StakeholderKind.DEPARTMENT, StakeholderKind.GROUP)
        ]
        db.session.rollback()
    return pair


def _load(scope: Scope):
    quarters = trend_quarters(date.today(), scope.since, scope.until, first_activity_date(scope))
    ties = load_scope_ties(scope, quarters)
    return ties.graph, list(ties.quarter_ties(quarters))


def _spread(name: str, values: list[float]) -> dict:
    if not values:
        return {}
    return {f"{name}_s": statistics.median(values), f"{name}_min_s": min(values),
            f"{name}_max_s": max(values), f"{name}_runs": len(values)}
