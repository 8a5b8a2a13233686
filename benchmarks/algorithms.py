"""Home-made algorithms against the libraries that do the same (issue 8): connected
components, articulation points, betweenness, Louvain, layout and two primitives, ours vs
scipy.sparse.csgraph, igraph, networkx and rustworkx, at S, M and L, with one BLAS/OpenMP/
Rayon thread (as every web and queue worker runs).

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.algorithms                  # S, M, L (L: ~20 min)
    .venv/bin/python -m benchmarks.algorithms --sizes S,M --markdown /tmp/table.md

The graphs are the ties of the CSV benchmark (``algorithm_graphs``: 7,926 / 247,783 /
4,166,843 ties). Each side's graph is built first and timed apart ("graph construction").
Each measurement is the median of up to 7 (S), 5 (M) or 3 (L) runs, fewer when one run is
long (at most ~30 s of repeats). A library whose time, projected from the size below (by
ties, by sources × ties for betweenness, by nodes² for networkx/rustworkx layouts), exceeds
``--budget`` seconds (default 120) is not run at that size; the table says so.
"""

from __future__ import annotations

import os

# Before numpy (and the libraries' BLAS/OpenMP/Rayon pools) load: one thread each.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                  "RAYON_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from benchmarks.algorithm_cases import (  # noqa: E402
    LIBRARIES,
    Graphs,
    builders,
    cases,
    check,
    crowding,
)
from benchmarks.algorithm_graphs import compact_graph, load_arrays  # noqa: E402

RUNS = {"S": 7, "M": 5, "L": 3}
REPEAT_SECONDS = 30.0
SIDES = ("ours", *LIBRARIES)
CACHE = Path(tempfile.gettempdir()) / "coordinator-algorithm-graphs"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="skip a library measurement projected above this many seconds")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--only", default="",
                        help="measure only algorithms whose name contains this text")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    return parser.parse_args(argv)


def timed(run, runs: int) -> tuple[float, int, object]:
    """Median seconds over up to ``runs`` runs, the runs made, and the first result."""
    started = time.perf_counter()
    result = run()
    times = [time.perf_counter() - started]
    while len(times) < runs and sum(times) < REPEAT_SECONDS:
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(times), result


def measure_size(size: str, args, previous: dict) -> list[dict]:
    arrays = load_arrays(size, args.cache)
    cg = compact_graph(arrays)
    runs = RUNS[size]
    load = os.getloadavg()[0]
    build = builders(cg)
    rows = []
    built = {}
    seconds, made, built["ours"] = timed(build["ours"], runs)
    rows.append(_row(size, "graph construction", "ours", seconds, made, cg.m))
    groups: dict[str, list] = {}
    for case in cases(built["ours"]):
        if args.only.casefold() in case.algorithm.casefold():
            groups.setdefault(case.algorithm, []).append(case)
    plans = {algorithm: _plan(size, algorithm, group, args.budget, previous)
             for algorithm, group in groups.items()}
    needed = {case.library.split()[0] for plan in plans.values() for case, *_ in plan[1]}
    for side in LIBRARIES:
        if side in needed:  # a library's graph only when one of its measurements runs
            seconds, made, built[side] = timed(build[side], runs if side == "scipy" else 1)
            rows.append(_row(size, "graph construction", side, seconds, made, cg.m))
            print(f"{size} construction {side}: {seconds:.3f} s", flush=True)
    graphs = Graphs(built["ours"], built)
    for algorithm, (planned, active) in plans.items():
        rows += planned
        _measure_group(size, algorithm, active, graphs, runs, previous)
    load = max(load, os.getloadavg()[0])
    for row in rows:
        row["load"] = load
    del graphs, built, cg
    gc.collect()
    return rows


def _plan(size, algorithm, group, budget, previous) -> tuple[list[dict], list]:
    """A row per side of one algorithm, and the measurements to make: a library whose time,
    projected from the size below, exceeds ``budget`` is left out (its row says so)."""
    rows, active = [], []
    for case in group:
        key = (algorithm.split(",")[0], case.library)
        row = _row(size, algorithm, case.library, None, 0, case.work, case.note)
        rows.append(row)
        if case.library != "ours" and key in previous:
            prev_seconds, prev_work = previous[key]
            projected = prev_seconds * case.work / prev_work
            if projected > budget:
                row["projected"] = projected
                previous[key] = (projected, case.work)
                print(f"{size} {algorithm} {case.library}: skipped, projected "
                      f"{projected:.0f} s", flush=True)
                continue
        active.append((case, row, key, []))
    return rows, active


def _measure_group(size, algorithm, active, graphs, runs, previous) -> None:
    """Ours and the libraries of one algorithm in turns (round after round), so that a
    change of the machine's load hits every side alike; then the median per side."""
    results = {}
    for round_number in range(runs):
        for case, _r, _k, times in active:
            if round_number and (len(times) < round_number or sum(times) >= REPEAT_SECONDS):
                continue
            gc.collect()
            started = time.perf_counter()
            result = case.run(graphs)
            times.append(time.perf_counter() - started)
            results.setdefault(case.library, result)
    ours = results.get("ours")
    for case, row, key, times in active:
        row["seconds"], row["runs"] = statistics.median(times), len(times)
        if algorithm.startswith("layout ("):
            row["check"] = crowding(graphs.cg, results[case.library])
        elif case.library != "ours":
            row["check"] = check(ours, results[case.library])
        previous[key] = (row["seconds"], case.work)
        print(f"{size} {algorithm} {case.library}: {row['seconds']:.4f} s ×{row['runs']} "
              f"{row.get('check', '')}", flush=True)


def _row(size, algorithm, library, seconds, runs, work, note="") -> dict:
    return {"size": size, "algorithm": algorithm, "library": library, "seconds": seconds,
            "runs": runs, "work": work, "note": note}


def table(rows: list[dict]) -> str:
    """Markdown: per algorithm and size, ours and each library as "time (ours ÷ library)"
    (above 1: the library is faster); variants ("igraph bicomponents", "scipy from ties")
    on a line of their own below."""
    lines = ["| algorithm | size | load | " + " | ".join(SIDES) + " |",
             "|---|---|---:|" + "---:|" * len(SIDES)]
    groups: dict[tuple[str, str], dict[str, dict]] = {}
    for row in rows:
        groups.setdefault((row["algorithm"], row["size"]), {})[row["library"]] = row
    for (algorithm, size), by_side in groups.items():
        ours = by_side.get("ours", {}).get("seconds")
        load = f"{next(iter(by_side.values())).get('load', 0):.1f}"
        cells = [_cell(by_side.get(side), ours, side) for side in SIDES]
        lines.append(f"| {algorithm} | {size} | {load} | " + " | ".join(cells) + " |")
        for variant, row in by_side.items():
            if variant in SIDES:
                continue
            side, _, how = variant.partition(" ")
            cells = [_cell(row, ours, side) if s == side else "" for s in SIDES]
            lines.append(f"| {algorithm}: {side} {how} | {size} | {load} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row: dict | None, ours: float | None, side: str) -> str:
    if row is None:
        return "—"
    if row["seconds"] is None:
        return f"skipped (projected {row['projected']:.0f} s)"
    text = _duration(row["seconds"])
    if side != "ours" and ours:
        text += f" (×{ours / row['seconds']:.2g})"
    if row.get("check") and row["check"] not in ("same", "—"):
        text += f" [{row['check']}]"
    return text


def _duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def main(argv=None) -> None:
    args = parse_args(argv)
    threadpool_limits(limits=1)
    pools = sorted({(p["user_api"], p["num_threads"]) for p in threadpool_info()})
    import igraph
    import networkx
    import numpy
    import rustworkx
    import scipy

    versions = (f"numpy {numpy.__version__}, scipy {scipy.__version__}, igraph "
                f"{igraph.__version__}, networkx {networkx.__version__}, rustworkx "
                f"{rustworkx.__version__}")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{date.today()} — {machine}; {versions}; thread pools {pools}", flush=True)
    rows: list[dict] = []
    previous: dict = {}
    for size in args.sizes.split(","):
        rows += measure_size(size.strip(), args, previous)
    text = table(rows)
    print(text)
    if args.markdown:
        args.markdown.write_text(
            f"Measured {date.today()} on {machine}; {versions}; thread pools {pools}.\n\n"
            + text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
