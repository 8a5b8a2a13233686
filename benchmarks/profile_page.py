"""Where a page's (or the metrics') time goes: cProfile of one request on a benchmark size.

Usage (from the repository root)::

    .venv/bin/python benchmarks/profile_page.py --size S --url /network/ --cold
    .venv/bin/python benchmarks/profile_page.py --size M --url /stakeholders/HUB
    .venv/bin/python benchmarks/profile_page.py --size M --metrics

Generates and imports the size into a new SQLite (or ``--database postgresql``) database as
``run.py`` does, logs in as the coordinator, then profiles one GET of ``--url`` (``HUB`` is
replaced by the best-connected stakeholder's id) — after emptying every cache with
``--cold``, after one warming request otherwise — or one fresh ``get_metrics``
(``--metrics``). Prints the functions with the most cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from benchmarks import pages
    from benchmarks.bench_app import fresh_database, initialise, logged_in_client, make_app
    from benchmarks.csv_network import SIZES, write_network
    from benchmarks.metrics_timing import time_import
    from coordinator.network.data.scope import Scope
    from coordinator.network.data.stored_figures import get_metrics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", default="/network/")
    parser.add_argument("--cold", action="store_true", help="empty every cache first")
    parser.add_argument("--metrics", action="store_true",
                        help="profile a fresh get_metrics instead of a page")
    parser.add_argument("--lines", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coordinator-profile-") as directory:
        workdir = Path(directory)
        generated = write_network(workdir, *SIZES[args.size])
        with fresh_database(args.database, workdir, f"profile_{args.size}") as url:
            app = make_app(url)
            initialise(app)
            time_import(app, generated)
            client = logged_in_client(app)
            page = args.url.replace("HUB", pages.main_pages(app)["stakeholder detail"]
                                    .rsplit("/", 1)[1])
            profiler = cProfile.Profile()
            if args.metrics:
                pages.empty_caches(app)
                with app.app_context():
                    profiler.runcall(get_metrics, Scope())
            else:
                if args.cold:
                    pages.empty_caches(app)
                else:
                    pages.timed_get(client, page)
                profiler.runcall(pages.timed_get, client, page)
            with app.app_context():
                from coordinator.extensions import db

                db.engine.dispose()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.lines)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
