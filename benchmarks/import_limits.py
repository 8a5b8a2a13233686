"""Refusal time and memory for the hostile spreadsheets of issue 6 (item 1).

Each file is built in a temporary directory with the generators of tests/hostile_files.py,
then read in a fresh process exactly as the web upload reads it (``read_upload`` with the web
limits), bypassing the 5 MB upload cap so that the reader itself is measured. Prints, per file:
its size, the seconds until the refusal, the refusal message, the peak resident memory of the
process (ru_maxrss) and its growth over the idle app, and the tracemalloc peak.

    .venv/bin/python benchmarks/import_limits.py [--only NAME]

Floors (issue 6): refused within 2 s, worker under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

FILES = {
    # name: (generator, argument, description)
    "huge-cell": ("huge_cell", 1_100_000_000, "one 1.1 GB cell (~1 MB compressed)"),
    "5.5M-rows": ("tiny_rows", 5_500_000, "~5.5 M rows of one number"),
    "5.5M-bare-rows": ("bare_rows", 5_500_000, "~5.5 M identical rows without numbers"),
    "400k-rows": ("tiny_rows", 400_000, "400,000 numbered rows (within the size limits)"),
    "1M-real-rows": ("real_rows", 1_000_000, "1 M plausible stakeholder rows"),
    "200k-real-rows": ("real_rows", 200_000, "200,000 real rows: at the limit, accepted"),
    "far-row": ("far_row", 5_500_000, "one row numbered 5,500,000"),
}


def build(name: str, directory: Path) -> Path:
    import hostile_files

    generator, argument, _description = FILES[name]
    path = directory / f"{name}.xlsx"
    hostile_files.write_xlsx(str(path), getattr(hostile_files, generator)(argument),
                             dimension="A1:XFD1048576")
    return path


def measure(path: Path) -> dict:
    """Run in the child process: read the file as the web upload does."""
    from coordinator import create_app
    from coordinator.imports.confirmation import read_upload
    from coordinator.imports.reading import ImportFileError

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    data = path.read_bytes()

    def read() -> str:
        try:
            return f"accepted ({len(read_upload(data, path.name).rows)} rows)"
        except ImportFileError as exc:
            return str(exc)

    with app.test_request_context():
        idle_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        outcome = read()
        seconds = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # A second pass under tracemalloc, which slows Python down several times: memory only.
        tracemalloc.start()
        read()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"seconds": seconds, "outcome": outcome, "peak_rss_mb": rss / 1024,
            "rss_growth_mb": (rss - idle_rss) / 1024, "tracemalloc_peak_mb": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(FILES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child))))
        return
    names = [args.only] if args.only else list(FILES)
    with tempfile.TemporaryDirectory() as directory:
        for name in names:
            started = time.perf_counter()
            path = build(name, Path(directory))
            built = time.perf_counter() - started
            result = json.loads(subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                check=True, capture_output=True, text=True,
            ).stdout)
            print(f"{name:13} {FILES[name][2]}")
            print(f"  file {path.stat().st_size / 2**20:7.2f} MB (built in {built:.1f} s)")
            print(f"  answered in {result['seconds']:.2f} s: {result['outcome']}")
            print(f"  peak RSS {result['peak_rss_mb']:.0f} MB (+{result['rss_growth_mb']:.0f} MB "
                  f"while reading), tracemalloc peak {result['tracemalloc_peak_mb']:.1f} MB")
            path.unlink()


if __name__ == "__main__":
    main()
