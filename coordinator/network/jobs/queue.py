"""The task queue of the network figures: Huey, on Redis or on a SQLite file.

Why Huey: one small, well-kept library whose same task code runs on Redis (workers on other
hosts, ``REDIS_URL`` set) and on a SQLite file (the embedded default, no server), with
retries and delayed tasks built in. RQ and Dramatiq need Redis or RabbitMQ even for a
single office PC; Celery is far larger than two tasks need.

``NETWORK_QUEUE`` chooses who runs the tasks:

* ``embedded`` (default without ``REDIS_URL``): a daemon thread in every app process (``flask
  run``, gunicorn workers, the demo) — nothing to start by hand;
* ``external`` (default with ``REDIS_URL``): ``flask --app coordinator network-worker``
  processes, as many as wanted, on any host that reaches Redis and the database;
* ``immediate`` (the tests): the task runs at once in the caller's thread.

The queue only carries nudges ("refresh these scopes"). What must be computed and who is
computing it lives in the database (``network_job``, see ``refresh.py``), so a lost message
or a killed worker costs a delay, never figures: the periodic sweep finds every stale scope.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from threadpoolctl import threadpool_limits

log = logging.getLogger("coordinator.network.jobs")
QUEUE_NAME = "coordinator-network"
MODES = ("embedded", "external", "immediate")
NATIVE_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class NetworkQueue:
    """The app's queue and its tasks: ``refresh`` (the scope keys, or None for all) and
    ``export`` (one export file, see ``export.py``)."""

    huey: Huey
    mode: str
    refresh: object = None
    export: object = None
    threads: list[threading.Thread] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def enqueue(self, keys: list[str] | None = None) -> None:
        """Ask for a refresh; never fails the caller (the sweep catches a lost message)."""
        try:
            self.refresh(keys)
        except Exception:  # a queue that is down must not turn a saved activity into a 500
            log.exception("network refresh not enqueued")

    def enqueue_export(self, *key) -> None:
        """Ask for an export file; never fails the caller (the page asks again)."""
        try:
            self.export(*key)
        except Exception:
            log.exception("network export not enqueued")

    def pending(self) -> int:
        try:
            return self.huey.pending_count()
        except Exception:
            return -1


def init_queue(app: Flask) -> NetworkQueue:
    mode = app.config.get("NETWORK_QUEUE") or ("external" if app.config.get("REDIS_URL")
                                               else "embedded")
    if mode not in MODES:
        raise RuntimeError(f"NETWORK_QUEUE must be one of {', '.join(MODES)}, not {mode!r}")
    limit_native_threads(int(app.config["BLAS_THREADS"]))
    queue = NetworkQueue(_make_huey(app, mode), mode)
    retries = app.config.get("NETWORK_JOB_RETRIES", 3)

    def refresh(keys):
        from .refresh import refresh_scopes

        with app.app_context():
            refresh_scopes(keys)

    def sweep():
        from .refresh import refresh_scopes

        with app.app_context():
            refresh_scopes(None)

    def export(scope_key, fmt, viewer, revision):
        from .export import run_export

        with app.app_context():
            run_export(scope_key, fmt, viewer, revision)

    queue.refresh = queue.huey.task(retries=retries, retry_delay=5, name="network.refresh")(
        refresh)
    # No retries: a failed export is shown on its page, which offers to try again.
    queue.export = queue.huey.task(name="network.export")(export)
    # Safety net for lost messages and killed workers (external workers run it).
    queue.huey.periodic_task(crontab(minute="*"), name="network.sweep")(sweep)
    app.extensions["network_queue"] = queue
    if mode == "embedded" and not app.config.get("TESTING"):
        # Started by the first request, not here: CLI commands (db upgrade, metrics) must
        # not sweep in the background.
        started = threading.Lock()

        @app.before_request
        def _start_worker_once() -> None:
            if not queue.threads and started.acquire(blocking=False):
                start_embedded_worker(queue)
    return queue


def limit_native_threads(count: int) -> None:
    """At most ``count`` threads in every native thread pool of the analysis in this process
    (numpy's and scipy's OpenBLAS, igraph's OpenMP): by default one per gunicorn or queue worker.
    Without this, each library starts one thread per core in every worker, and several
    workers fight over the same cores; the analysis (sparse, Python-driven) gains nothing.

    threadpoolctl reaches only libraries that are loaded, so the ones every process uses are
    loaded first (numpy alone was not, when this ran in ``create_app``: the limit missed it);
    the environment variables cover pools that start later (scipy's, imported only where
    the C extension is missing: ~30 MB less in every process) and child processes.
    """
    for variable in NATIVE_THREAD_VARIABLES:
        os.environ[variable] = str(count)
    import igraph  # noqa: F401  (its OpenMP)
    import numpy  # noqa: F401

    threadpool_limits(limits=count)


def lower_priority(steps: int) -> None:
    """Run the calling thread, and the threads it starts later, ``steps`` nice levels below
    the rest of the process (Linux keeps a nice value per thread; elsewhere, e.g. Windows,
    nothing changes). The computation is throughput work; a page waiting behind it for a
    core is what users feel."""
    if steps <= 0 or not hasattr(os, "setpriority"):
        return
    thread = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(current + steps, 19))
    except OSError:
        log.warning("network worker: priority not lowered")


def _make_huey(app: Flask, mode: str) -> Huey:
    if mode == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True)
    prefix = app.config.get("NETWORK_QUEUE_NAME", QUEUE_NAME)
    if app.config.get("REDIS_URL"):
        return RedisHuey(prefix, url=app.config["REDIS_URL"])
    path = app.config.get("NETWORK_QUEUE_FILE") or str(
        Path(app.instance_path) / "network-queue.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(prefix, filename=path)


def network_queue() -> NetworkQueue:
    return current_app.extensions["network_queue"]


def start_embedded_worker(queue: NetworkQueue, sweep_every: float = 30.0) -> threading.Thread:
    """One daemon thread per process that runs queued tasks, moves due retries into the queue
    and sweeps for stale scopes every ``sweep_every`` seconds. Huey's own consumer installs
    signal handlers, which a gunicorn worker must keep for itself, so this loop uses Huey's
    dequeue/execute directly."""
    huey = queue.huey
    app = current_app._get_current_object() if has_app_context() else None
    nice = int(app.config.get("NETWORK_WORKER_NICE", 0)) if app else 0

    def loop() -> None:
        lower_priority(nice)
        if app is not None:
            from .refresh import release_orphaned_leases

            try:
                with app.app_context():
                    release_orphaned_leases()  # e.g. a gunicorn worker killed at its timeout
            except Exception:
                log.exception("embedded network worker: leases not checked")
        next_sweep = time.monotonic() + 1.0
        delay = 0.1
        while not queue.stop.is_set():
            try:
                for task in huey.read_schedule():
                    huey.enqueue(task)
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + sweep_every
                    queue.refresh(None)
                task = huey.dequeue()
                if task is None:
                    queue.stop.wait(delay)
                    delay = min(delay * 1.5, 1.0)
                    continue
                delay = 0.1
                huey.execute(task)
            except Exception:
                log.exception("embedded network worker: task failed")
                queue.stop.wait(1.0)

    thread = threading.Thread(target=loop, name=f"network-worker-{os.getpid()}", daemon=True)
    thread.start()
    queue.threads.append(thread)
    return thread
