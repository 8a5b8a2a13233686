"""One benchmark size, from import files already generated to the result dict.

Runs in a process of its own (``run.py`` starts one per size), so that the peak memory
(``ru_maxrss``) and "cold" belong to this size alone: no metrics, graphs or map views in
process memory and no compiled templates when it starts.
"""

from __future__ import annotations

import os
import platform
import resource
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks import igraph_compare, metrics_timing, pages, report
from benchmarks.bench_app import (
    database_size,
    fresh_database,
    initialise,
    logged_in_client,
    make_app,
)
from benchmarks.csv_network import GeneratedNetwork


@dataclass
class Options:
    warm_runs: int
    cold_runs: int
    fresh_rounds: int
    compute_runs: int
    new_process_pass: bool
    igraph: bool
    igraph_exact_budget_s: float
    tracemalloc: bool


def run_size(size: str, backend: str, generated: GeneratedNetwork, workdir: Path,
             options: Options) -> dict:
    result = {
        "size": size, "database": backend, "date": date.today().isoformat(),
        "machine": machine(), "generated": generated.summary(), "options": vars(options),
        "memory": {}, "load_average_before": os.getloadavg(),
    }
    with fresh_database(backend, workdir, size) as url:
        app = make_app(url)
        initialise(app)
        _progress(size, "importing")
        result["import"] = metrics_timing.time_import(app, generated)
        result["database_bytes"] = database_size(app)
        _note_memory(result, "import")

        _progress(size, "metrics")
        result["metrics"], graph = metrics_timing.time_cold_metrics(app, options.compute_runs)
        _note_memory(result, "metrics")

        client = logged_in_client(app)
        _progress(size, "fresh metrics after a change")
        result["fresh"] = metrics_timing.time_fresh_after_change(
            app, client, options.fresh_rounds)
        _note_memory(result, "fresh")

        _progress(size, "pages")
        result["pages"] = time_pages(app, client, options)
        _note_memory(result, "pages")

        if options.tracemalloc:
            _progress(size, "tracemalloc")
            result["memory"].update(metrics_timing.peak_python_memory(app))
        result["igraph"] = compare_igraph(size, graph, options)
        _note_memory(result, "igraph")
        with app.app_context():
            from coordinator.extensions import db

            db.engine.dispose()
    # Other work on the machine (a test suite) skews every figure; the load shows it.
    result["load_average_after"] = os.getloadavg()
    result["floors"] = report.floors(result)
    return result


def time_pages(app, client, options: Options) -> dict:
    urls = pages.main_pages(app)
    definition = pages.DEFINITION
    if not options.new_process_pass:
        definition = definition.split(" positions kept:")[0]
    return {
        "definition": definition,
        "cold": pages.time_pages_cold(app, client, urls, options.cold_runs,
                                      options.new_process_pass),
        "warm": pages.time_pages_warm(client, urls, options.warm_runs),
        "map_bytes": pages.map_page_bytes(client),
    }


def compare_igraph(size: str, graph, options: Options) -> dict:
    if not options.igraph:
        return {"skipped": "switched off (--no-igraph)"}
    version = igraph_compare.available()
    if version is None:
        return {"skipped": "python-igraph is not installed (pip install -e '.[bench]')"}
    _progress(size, f"igraph {version}")
    ours = igraph_compare.time_ours(graph, options.igraph_exact_budget_s)
    theirs = igraph_compare.time_igraph(graph, ours, options.igraph_exact_budget_s)
    ours.pop("betweenness")
    return {"ours": ours, "igraph": theirs, "ratios": igraph_compare.ratios(ours, theirs)}


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _note_memory(result: dict, phase: str) -> None:
    # Linux reports ru_maxrss in KiB.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["memory"][f"maxrss_after_{phase}"] = peak


def _progress(size: str, step: str) -> None:
    print(f"[{size}] {step} …", flush=True)
