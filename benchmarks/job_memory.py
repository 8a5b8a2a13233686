"""Memory of one computation of the whole network's figures, stage by stage, in a process
set up like the queue worker (glibc told to return freed arrays, ``freed_memory.py``).

    DATABASE_URL=postgresql+psycopg://…/bench_load_l_… FLASK_SECRET_KEY=… \\
        .venv/bin/python benchmarks/job_memory.py [--trace]

Runs the stages of ``jobs/refresh.py``'s job (read, metrics, what-if table, map view, ranked
ties, fading ties) without storing anything and prints, after each, the seconds, the
resident set (VmRSS) and its peak so far (VmHWM); with ``--trace`` also what Python and
numpy hold (tracemalloc: current and the stage's peak; slows the run). Use a database made
by ``benchmarks/load.py --generate-only --keep``.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STARTED = time.perf_counter()


def status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def mark(label: str) -> None:
    gc.collect()
    traced = ""
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        traced = f"  traced {current / 2**20:5.0f} MB, stage peak {peak / 2**20:5.0f} MB"
        tracemalloc.reset_peak()
    print(f"{time.perf_counter() - STARTED:6.1f} s  RSS {status_mb('VmRSS'):5.0f} MB  "
          f"peak {status_mb('VmHWM'):5.0f} MB{traced}  {label}", flush=True)


def main() -> int:
    from coordinator import create_app
    from coordinator.extensions import db
    from coordinator.freed_memory import return_freed_arrays

    app = create_app()
    return_freed_arrays()
    mark("app created")
    with app.app_context():
        from coordinator.network.data.fading_ties import load_pair_histories
        from coordinator.network.data.scope import Scope
        from coordinator.network.data.stored_figures import compute_scope, read_scope
        from coordinator.network.web.tables import ranked_ties_for_table
        from coordinator.network.web.view_models import build_network_view, stored_view_and_map
        from coordinator.network.web.what_if import what_if_figures

        if "--trace" in sys.argv:
            tracemalloc.start()
        scope, today = Scope(), date.today()
        read = read_scope(scope, today)
        mark(f"read: {len(read.ties.row_tie):,} tie rows, {read.ties.graph.m:,} ties, "
             f"{read.ties.graph.n:,} stakeholders")
        computed = compute_scope(scope, today, read=read)
        del read
        mark("metrics")
        what_if_figures(scope, computed)
        mark("what-if table")
        computed.graph.drop_csr()
        stored_view_and_map(build_network_view(scope, computed))
        mark("map view")
        ranked_ties_for_table(computed.graph)
        mark("ranked ties")
        load_pair_histories(scope, today, computed.ties)
        mark("fading ties")
        db.session.rollback()  # nothing is stored
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
