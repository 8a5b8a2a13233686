"""Load driver for the production layout: gunicorn web workers + one queue worker.

    .venv/bin/python benchmarks/load.py --size M --database sqlite
    .venv/bin/python benchmarks/load.py --size M --database postgresql   # with Redis DB 10

Builds a fresh synthetic database of the size (benchmarks/synthetic.py), starts
``gunicorn --workers W wsgi:app`` and ``flask network-worker``, waits until the figures are
stored, then runs

* an open loop: ``--rate`` requests per second for ``--seconds`` (default 20/s for 60 s), a
  mix of dashboard, map, stakeholder page and activity list, one POST in ten logging an
  activity; the requests are sent on schedule whatever the answers take (no coordinated
  omission);
* a closed loop: ``--connections`` clients (default 24) sending the same mix back to back.

It prints read latencies (p50/p95/max), how long a logged activity takes to show on the
dashboard (the whole-network figures' revision reaching the POST's revision), the CPU seconds
of all server processes per logged activity, and the closed-loop throughput.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SIZES = {"S": (200, 5_000), "M": (2_000, 100_000), "L": (20_000, 1_000_000)}
PASSWORD = "Ein langes Benchmark-Passwort 2026"  # noqa: S105  (a throw-away database)
EMAIL = "last@example.org"
LOAD_BEFORE = ""
FULL_MIX = False
HUB = 0
MIX = (("/", 3), ("/network/", 2), ("stakeholder", 2), ("/activities/", 2), ("POST", 1))
# --mix full: every page of the L floor, the hub's pages included
MIX_FULL = (("/", 2), ("/network/", 2), ("stakeholder", 1), ("hub", 1), ("ego", 1),
            ("hub-ego", 1), ("/network/ties", 1), ("/network/table", 1), ("/report", 1),
            ("/activities/", 1), ("POST", 1))
PAGES = {"stakeholder": "/stakeholders/{}", "hub": "/stakeholders/{hub}",
         "ego": "/network/ego/{}", "hub-ego": "/network/ego/{hub}"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 302 after a POST lands here (no redirect)
            return error.code, ""

    def login(self) -> None:
        _status, page = self.request("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        self.request("/login", {"csrf_token": token, "email": EMAIL, "password": PASSWORD})
        _status, form = self.request("/activities/new")
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)


def build_database(size: str, backend: str, workdir: Path, reuse: str | None = None) -> dict:
    """A fresh database of ``size`` (or the PostgreSQL database ``reuse``, migrated to the
    current schema); returns the environment for the server processes."""
    name = reuse or f"bench_load_{size.lower()}_{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "FLASK_SECRET_KEY": "b" * 48,
           "FLASK_NETWORK_QUEUE_NAME": f"bench-{name}",
           "FLASK_SESSION_COOKIE_SECURE": "false"}
    if backend == "postgresql":
        import psycopg

        if not reuse:
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                                 autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/10"
        import redis

        # The benchmark's own Redis database: the login throttle's counters of an earlier
        # run (eight logins of the same account each) would refuse this run's logins.
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    else:
        if reuse:  # a kept SQLite file: copied, so that every run starts from the same data
            shutil.copyfile(reuse, workdir / "load.db")
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'load.db'}"
        env["FLASK_NETWORK_QUEUE"] = "external"
        env["FLASK_NETWORK_QUEUE_FILE"] = str(workdir / "queue.sqlite3")
    env["BENCH_DATABASE_NAME"] = name
    if reuse:
        subprocess.run([str(BIN / "flask"), "--app", "coordinator", "db", "upgrade"], env=env,
                       cwd=ROOT, check=True, capture_output=True)
        print(f"database {reuse} reused (migrated)")
        return env
    subprocess.run([str(BIN / "flask"), "--app", "coordinator", "init-db"], env=env,
                   cwd=ROOT, check=True, capture_output=True)
    code = (
        "import os\n"
        "from coordinator import create_app\n"
        "from coordinator.database import refresh_planner_statistics\n"
        "from coordinator.extensions import db\n"
        "from coordinator.models import Role, User\n"
        "from benchmarks.synthetic import generate\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    generate({SIZES[size][0]}, {SIZES[size][1]}, seed=1)\n"
        f"    user = User(email={EMAIL!r}, role=Role.COORDINATOR, active=True)\n"
        f"    user.set_password({PASSWORD!r})\n"
        "    db.session.add(user)\n"
        "    db.session.commit()\n"
        "    refresh_planner_statistics(db.session)  # as an import of this size does\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    print(f"database {size} on {backend}: {time.perf_counter() - started:.0f} s to generate")
    return env


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes and their children (gunicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    wanted = set(pids)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid in wanted or ppid in wanted:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def postgres_cpu_seconds() -> float:
    """utime + stime of every PostgreSQL server process on this machine (the database's
    share of the two cores; 0 for SQLite, which runs inside the app's processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, fields = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        if name.endswith("(postgres"):
            fields = fields.split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def peak_rss_mb(pids: list[int]) -> dict[int, float]:
    """Peak resident memory (VmHWM) of the processes and their children, in MB."""
    wanted, peaks = set(pids), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if int(entry.name) in wanted or ppid in wanted:
                status = (entry / "status").read_text()
                kb = int(status.split("VmHWM:", 1)[1].split()[0])
                peaks[int(entry.name)] = kb / 1024
        except (OSError, IndexError, ValueError):
            continue
    return peaks


class Monitor(threading.Thread):
    """Polls the database for the revision of the whole network's stored figures."""

    def __init__(self, env: dict):
        super().__init__(daemon=True)
        from sqlalchemy import create_engine, text

        self.engine = create_engine(env["DATABASE_URL"])
        self.text = text
        self.seen: list[tuple[float, int]] = []  # (time, computed revision)
        self.stop = threading.Event()

    def revision(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(self.text("SELECT value FROM network_revision")).scalar()

    def run(self) -> None:
        from coordinator.network.data.figure_store import METRICS, figure_key
        from coordinator.network.data.scope import Scope

        query = self.text("SELECT revision FROM network_cache WHERE key = :key").bindparams(
            key=f"{METRICS}|{figure_key(Scope())}")
        while not self.stop.is_set():
            with self.engine.connect() as connection:
                value = connection.execute(query).scalar()
            if value is not None and (not self.seen or self.seen[-1][1] != value):
                self.seen.append((time.perf_counter(), value))
            time.sleep(0.1)

    def visible_after(self, posted_at: float, revision: int) -> float | None:
        for moment, value in self.seen:
            if value >= revision and moment >= posted_at:
                return moment - posted_at
        return None


def one_request(session: Session, rng: random.Random, stakeholders: list[int],
                monitor: Monitor, posts: list,
                scheduled: float | None = None) -> tuple[str, float, int]:
    """One request of the mix; its time counts from ``scheduled`` (the open loop's send
    time), so that a request waiting for a free client thread is not measured as fast."""
    mix = MIX_FULL if FULL_MIX else MIX
    kind = rng.choices([m for m, _w in mix], [w for _m, w in mix])[0]
    started = time.perf_counter() if scheduled is None else scheduled
    if kind == "POST":
        members = rng.sample(stakeholders, 2)
        status, _ = session.request("/activities/new", {
            "csrf_token": session.token, "date": date.today().isoformat(),
            "title": f"Last {rng.randrange(10**9)}", "kind": "meeting",
            "participants": [str(m) for m in members], "description": "",
        })
        done = time.perf_counter()
        posts.append((done, monitor.revision()))
        return kind, done - started, status
    path = PAGES.get(kind, kind).format(rng.choice(stakeholders), hub=HUB)
    status, _ = session.request(path)
    return kind, time.perf_counter() - started, status


def summarise(results: list, label: str) -> dict:
    reads = sorted(t for kind, t, status in results if kind != "POST" and status == 200)
    failed = [status for _k, _t, status in results if status not in (200, 302)]
    errors = len(failed)
    writes = [t for kind, t, _s in results if kind == "POST"]
    if not reads:
        print(f"{label}: no successful reads, {errors} errors")
        return {}
    p95 = reads[int(0.95 * (len(reads) - 1))]
    figures = {"reads": len(reads), "p50": statistics.median(reads), "p95": p95,
               "max": reads[-1], "over_1s": sum(1 for t in reads if t > 1), "errors": errors,
               "writes": len(writes), "write_median": statistics.median(writes) if writes else 0}
    for kind in sorted({kind for kind, _t, _s in results}):
        times = sorted(t for k, t, status in results if k == kind and status in (200, 302))
        if times:
            print(f"    {kind:<14} n={len(times):<5} p50 {statistics.median(times) * 1000:7.0f} ms"
                  f"  p95 {times[int(0.95 * (len(times) - 1))] * 1000:7.0f} ms"
                  f"  max {times[-1] * 1000:7.0f} ms")
    print(f"{label}: {len(reads)} reads p50 {figures['p50'] * 1000:.0f} ms, p95 "
          f"{p95 * 1000:.0f} ms, max {reads[-1] * 1000:.0f} ms, >1 s: {figures['over_1s']}; "
          f"{len(writes)} POSTs median {figures['write_median'] * 1000:.0f} ms; "
          f"errors {errors} {sorted(set(failed))}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="M", choices=SIZES)
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=24)
    parser.add_argument("--closed-seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=5104)
    parser.add_argument("--reuse", metavar="NAME",
                        help="an existing PostgreSQL database of the size (kept afterwards), or a "
                        "SQLite file kept by --keep (copied for the run)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated database (PostgreSQL: its name is "
                        "printed; SQLite: copied to benchmarks/results/load-<size>.sqlite3)")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--mix", choices=("load", "full"), default="load",
                        help="full: also the hub's pages, ego views, tie and node tables, report")
    args = parser.parse_args()
    global FULL_MIX
    FULL_MIX = args.mix == "full"
    workdir = Path(tempfile.mkdtemp(prefix="coordinator-load-"))
    env = build_database(args.size, args.database, workdir, args.reuse)
    if args.database == "sqlite" and args.keep and not args.reuse:
        kept = ROOT / "benchmarks" / "results" / f"load-{args.size}.sqlite3"
        kept.parent.mkdir(exist_ok=True)
        shutil.copyfile(workdir / "load.db", kept)
        print(f"kept: {kept} (reuse with --reuse {kept})")
    if args.generate_only:
        print(f"generated: {env['DATABASE_URL']}")
        return 0
    base = f"http://127.0.0.1:{args.port}"
    logs = [open(workdir / f"{n}.log", "w") for n in ("gunicorn", "worker")]  # noqa: SIM115
    web = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(args.web_workers),
                            "--bind", f"127.0.0.1:{args.port}", "wsgi:app"],
                           env=env, cwd=ROOT, stderr=logs[0], stdout=logs[0])
    worker = subprocess.Popen([str(BIN / "flask"), "--app", "coordinator", "network-worker"],
                              env=env, cwd=ROOT, stderr=logs[1], stdout=logs[1])
    try:
        return run_load(args, env, base, [web.pid, worker.pid], worker.pid)
    finally:
        for process in (web, worker):
            process.terminate()
            process.wait(30)
        for log in logs:
            log.close()
        if args.database == "postgresql" and not (args.reuse or args.keep):
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                                 autocommit=True) as connection:
                connection.execute(
                    f'DROP DATABASE IF EXISTS "{env["BENCH_DATABASE_NAME"]}" WITH (FORCE)')


def run_load(args, env, base, pids, worker_pid) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        # active ones: an inactive participant is refused (400), as it should be
        stakeholders = list(connection.execute(text(
            "SELECT id FROM stakeholder WHERE active ORDER BY id")).scalars())
        global HUB
        HUB = connection.execute(text(
            "SELECT stakeholder_id FROM participation GROUP BY stakeholder_id "
            "ORDER BY count(*) DESC LIMIT 1")).scalar()
    deadline = time.monotonic() + 60
    while True:
        try:
            sessions = [Session(base) for _ in range(8)]
            for session in sessions:
                session.login()
            break
        except (OSError, AttributeError):
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.5)
    started = time.perf_counter()
    for path in ("/", "/network/"):
        while "Stand: vor" not in sessions[0].request(path)[1]:
            time.sleep(1)
    print(f"first figures stored after {time.perf_counter() - started:.1f} s (cold)")
    monitor = Monitor(env)
    monitor.start()
    posts: list = []
    rng = random.Random(7)

    # Open loop: send on schedule, whatever the answers take.
    global LOAD_BEFORE
    LOAD_BEFORE = f"{os.getloadavg()[0]:.1f}"
    cpu_before, worker_before = cpu_seconds(pids), cpu_seconds([worker_pid])
    database_before, driver_before = postgres_cpu_seconds(), sum(os.times()[:2])
    results = []
    count = int(args.rate * args.seconds)
    with ThreadPoolExecutor(max_workers=128) as pool:
        begin = time.perf_counter()
        futures = []
        for i in range(count):
            scheduled = begin + i / args.rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            session = sessions[i % len(sessions)]
            futures.append(pool.submit(one_request, session, random.Random(rng.random()),
                                       stakeholders, monitor, posts, scheduled))
        results = [future.result() for future in futures]
    time.sleep(15)  # let the last computation finish before measuring its visibility
    cpu_used = cpu_seconds(pids) - cpu_before
    worker_used = cpu_seconds([worker_pid]) - worker_before
    database_used = postgres_cpu_seconds() - database_before
    driver_used = sum(os.times()[:2]) - driver_before
    print(f"open loop {args.rate:g}/s for {args.seconds:g} s, size {args.size}, "
          f"{args.database}, {args.web_workers} web workers + 1 queue worker; "
          f"load average before/after: {LOAD_BEFORE} / {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"  server CPU per request: {cpu_used / max(len(results), 1) * 1000:.0f} ms")
    elapsed = time.perf_counter() - begin
    print(f"  where the two cores went in {elapsed:.0f} s: app processes {cpu_used:.0f} s, "
          f"PostgreSQL {database_used:.0f} s, this load driver {driver_used:.0f} s")
    summarise(results, "  open loop")
    visible = [monitor.visible_after(at, revision) for at, revision in posts]
    shown = sorted(v for v in visible if v is not None)
    if shown:
        print(f"  activity visible on the dashboard: median {statistics.median(shown):.1f} s, "
              f"max {shown[-1]:.1f} s ({len(visible) - len(shown)} of {len(visible)} never)")
    writes = max(len(posts), 1)
    print(f"  CPU: all server processes {cpu_used:.1f} s = {cpu_used / writes:.2f} s per "
          f"logged activity (queue worker {worker_used:.1f} s = {worker_used / writes:.2f} s)")
    peaks = peak_rss_mb(pids)
    worker_peak = peaks.pop(worker_pid, 0.0)
    print(f"  peak RSS: web workers {', '.join(f'{v:.0f}' for v in sorted(peaks.values()))} MB; "
          f"queue worker {worker_peak:.0f} MB")
    computations = len(monitor.seen)
    print(f"  stored revisions of the whole network during the run: {computations}")

    # Closed loop: N clients back to back.
    stop_at = time.perf_counter() + args.closed_seconds
    closed: list = []

    def client(k: int) -> None:
        local = random.Random(k)
        session = sessions[k % len(sessions)]
        while time.perf_counter() < stop_at:
            closed.append(one_request(session, local, stakeholders, monitor, posts))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"closed loop {args.connections} connections for {args.closed_seconds:g} s: "
          f"{len(closed) / args.closed_seconds:.1f} requests/s")
    summarise(closed, "  closed loop")
    monitor.stop.set()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
