"""Performance benchmark of the issue: synthetic municipal networks at three sizes, imported
through the real import into a fresh database, then metrics, pages and igraph compared.

Usage (from the repository root)::

    .venv/bin/python benchmarks/run.py                       # S, M on SQLite; L on PostgreSQL
    .venv/bin/python benchmarks/run.py --sizes M --database postgresql
    .venv/bin/python benchmarks/run.py --sizes S --no-igraph

Per size: generate ``stakeholders.csv`` and ``activities.csv`` in a temporary directory
(in this process), then one child process imports them into a new database (SQLite file, or
a PostgreSQL database on 127.0.0.1:5432 created and dropped here) and measures; it prints a
table with PASS/FAIL against the floors and writes
``benchmarks/results/<date>-<size>-<database>.json``. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DATABASE = {"S": "sqlite", "M": "sqlite", "L": "postgresql"}
# Per size: cold and warm requests per page, fresh-metrics rounds, compute repetitions.
DEFAULT_RUNS = {"S": (5, 20, 3, 3), "M": (3, 20, 3, 3), "L": (1, 5, 1, 1)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated: S, M, L")
    parser.add_argument("--database", choices=("sqlite", "postgresql"),
                        help="for every size (default: S and M on SQLite, L on PostgreSQL)")
    parser.add_argument("--cold", type=int,
                        help="cold requests per page (default S 5, M 3, L 1)")
    parser.add_argument("--warm", type=int, help="warm requests per page (default 20; L 5)")
    parser.add_argument("--fresh-rounds", type=int,
                        help="new activities logged per way of timing (default 3; L 1)")
    parser.add_argument("--repeat", type=int,
                        help="repetitions of the load/compute split (default 3; L 1)")
    parser.add_argument("--no-igraph", action="store_true", help="skip the igraph comparison")
    parser.add_argument("--igraph-exact-budget", type=float, default=900.0,
                        help="run igraph's exact betweenness only if projected below this "
                             "many seconds (when ours samples)")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the extra traced metrics run (Python allocations)")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each size, wait up to this long for the 1-minute load "
                             "average to drop below 0.5 (a shared machine)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-files", action="store_true",
                        help="keep the generated CSV files (and the SQLite database)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: one size, measured
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in args.sizes if s not in DEFAULT_DATABASE]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)} (choose from S, M, L)")
    return args


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    args = parse_args(argv)
    if args.child:
        return run_child(args)
    from benchmarks.csv_network import SIZES, write_network

    summaries = []
    for size in args.sizes:
        backend = args.database or DEFAULT_DATABASE[size]
        workdir = Path(tempfile.mkdtemp(prefix=f"coordinator-bench-{size}-"))
        print(f"[{size}] generating {SIZES[size][0]:,} stakeholders / "
              f"{SIZES[size][1]:,} activities in {workdir} …", flush=True)
        generated = write_network(workdir, *SIZES[size], seed=args.seed)
        (workdir / "generated.json").write_text(json.dumps(generated.summary()))
        wait_for_idle(args.wait_idle, size)
        result_file = args.results_dir / f"{date.today().isoformat()}-{size}-{backend}.json"
        command = [sys.executable, str(Path(__file__).resolve()), *_passed_on(argv),
                   "--child", size, "--database", backend, "--workdir", str(workdir),
                   "--result-file", str(result_file)]
        status = subprocess.run(command, check=False).returncode
        if not args.keep_files:
            shutil.rmtree(workdir)
        if status != 0:
            print(f"[{size}] FAILED (exit code {status})", flush=True)
            summaries.append((size, backend, None))
            continue
        summaries.append((size, backend, json.loads(result_file.read_text())))
    print_summary(summaries)
    return 0 if all(s[2] is not None for s in summaries) else 1


def run_child(args: argparse.Namespace) -> int:
    from benchmarks import report
    from benchmarks.csv_network import GeneratedNetwork
    from benchmarks.size_run import Options, run_size

    size = args.child
    cold, warm, fresh, repeat = DEFAULT_RUNS[size]
    data = json.loads((args.workdir / "generated.json").read_text())
    data["stakeholders_csv"] = Path(data["stakeholders_csv"])
    data["activities_csv"] = Path(data["activities_csv"])
    options = Options(
        cold_runs=args.cold or cold, warm_runs=args.warm or warm,
        fresh_rounds=args.fresh_rounds or fresh,
        compute_runs=args.repeat or repeat, new_process_pass=size == "S",
        igraph=not args.no_igraph, igraph_exact_budget_s=args.igraph_exact_budget,
        tracemalloc=not args.no_tracemalloc,
    )
    result = run_size(size, args.database, GeneratedNetwork(**data), args.workdir, options)
    args.result_file.parent.mkdir(parents=True, exist_ok=True)
    args.result_file.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(report.render(result), flush=True)
    print(f"[{size}] figures written to {args.result_file}", flush=True)
    return 0


def print_summary(summaries: list) -> None:
    print("\n=== Summary ===")
    for size, backend, result in summaries:
        if result is None:
            print(f"{size} on {backend}: did not finish")
            continue
        failed = [f for f in result["floors"] if f["status"] in ("FAIL", "MISSED")]
        states = ", ".join(f"{f['status']} {f['name']}" for f in result["floors"])
        print(f"{size} on {backend}: {'all floors pass' if not failed else 'NOT ALL PASS'}"
              f" — {states}")


def wait_for_idle(limit_s: float, size: str, idle_load: float = 0.5) -> None:
    deadline = time.monotonic() + limit_s
    while os.getloadavg()[0] >= idle_load and time.monotonic() < deadline:
        print(f"[{size}] waiting for an idle machine (load {os.getloadavg()[0]:.2f}) …",
              flush=True)
        time.sleep(min(30.0, max(0.0, deadline - time.monotonic())))


def _passed_on(argv: list[str] | None) -> list[str]:
    """The options for the child, without the ones it gets explicitly."""
    args = list(sys.argv[1:] if argv is None else argv)
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--sizes", "--database", "--wait-idle"):
            skip = "=" not in arg
            continue
        kept.append(arg)
    return kept


if __name__ == "__main__":
    sys.exit(main())
