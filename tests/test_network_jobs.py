"""The network figures' queue: pages never compute, one computation per scope and revision,
bursts coalesced, failures retried with the old figures visible, killed workers replaced."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from conftest import PASSWORD, make_activity, make_app
from coordinator.activities.operations import ActivityInput, create_activity
from coordinator.extensions import db
from coordinator.models import ActivityKind, NetworkJob, Role
from coordinator.network.data import stored_figures
from coordinator.network.data.figure_store import figure_key
from coordinator.network.data.scope import Scope
from coordinator.network.jobs import refresh
from coordinator.network.jobs.queue import network_queue
from coordinator.timeutil import utcnow

WHOLE = figure_key(Scope())


@pytest.fixture
def queued_app(backend, tmp_path):
    """An app whose tasks wait in a SQLite queue until the test runs them (as a worker);
    ``world`` is built in it (see the ``app`` override below)."""
    app = make_app(backend, tmp_path, NETWORK_QUEUE="external",
                   NETWORK_QUEUE_FILE=str(tmp_path / "queue.sqlite3"))
    with app.app_context():
        yield app
        db.session.remove()
    backend.reset(app)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(request, backend, tmp_path):
    """``world`` lives in the queued app when a test uses one, else in the usual app."""
    if "queued_app" in request.fixturenames:
        yield request.getfixturevalue("queued_app")
        return
    app = make_app(backend, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
    backend.reset(app)
    with app.app_context():
        db.engine.dispose()


def run_queue(app) -> int:
    """Work off every queued task like a worker; returns how many ran."""
    huey = app.extensions["network_queue"].huey
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def log_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def counted(monkeypatch):
    """Count (and optionally slow down) the computations of the jobs."""
    calls = Calls()
    original = stored_figures.compute_scope

    def compute(scope, today, exact=False):
        calls.append(scope)
        time.sleep(calls.delay)
        return original(scope, today, exact)

    monkeypatch.setattr(refresh, "compute_scope", compute)
    return calls


class Calls(list):
    delay = 0.0


def test_first_visit_shows_progress_that_refreshes_then_the_figures(queued_app, world, counted):
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    page = client.get("/").get_data(as_text=True)
    assert "werden gerade berechnet" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert counted == []  # the page computed nothing
    # every page that shows the scope's figures waits the same way (none fails meanwhile)
    for url in ("/report", "/network/", "/network/table"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert run_queue(queued_app) >= 1
    page = client.get("/").get_data(as_text=True)
    assert "Stand: vor" in page and "wird aktualisiert" not in page
    assert 'http-equiv="refresh"' not in page
    assert len(counted) == 1


def test_ego_view_draws_at_once_and_waits_for_the_what_if_box(queued_app, world, counted):
    """The ego view reads its own rows; only the what-if box needs the scope's figures."""
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    url = f"/network/ego/{world['jugendamt'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "werden gerade berechnet" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'id="network-data"' in page and 'id="partner-tabelle"' in page
    assert 'id="was-waere-wenn"' not in page
    assert counted == []
    run_queue(queued_app)
    page = client.get(url).get_data(as_text=True)
    assert "Stand: vor" in page and 'id="was-waere-wenn"' in page
    assert 'http-equiv="refresh"' not in page


def test_a_write_enqueues_and_the_page_shows_old_figures_meanwhile(queued_app, world, counted):
    client = queued_app.test_client()
    log_in(client, "koordination@example.org")
    client.get("/network/")
    run_queue(queued_app)
    make_activity([world["jugendamt"], world["verein"]], on=date(2026, 3, 9))
    page = client.get("/network/").get_data(as_text=True)
    assert "wird aktualisiert" in page, page[page.find("<main"):][:1500]
    run_queue(queued_app)
    assert "wird aktualisiert" not in client.get("/network/").get_data(as_text=True)
    assert len(counted) == 2


def test_a_burst_of_writes_costs_at_most_two_computations(queued_app, world, counted):
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    client.get("/")
    run_queue(queued_app)
    counted.clear()
    admin = world["users"][Role.ADMIN]
    people = [world["jugendamt"].id, world["jobcenter"].id, world["verein"].id]
    for i in range(100):
        create_activity(admin, ActivityInput(
            date=date(2026, 1, 1) + timedelta(days=i % 80), title=f"Runde {i}",
            kind=ActivityKind.MEETING, participant_ids=people[: 2 + i % 2]))
        if i == 50:
            run_queue(queued_app)  # a worker that runs in the middle of the burst
    run_queue(queued_app)
    assert 1 <= len(counted) <= 2
    assert "wird aktualisiert" not in client.get("/").get_data(as_text=True)


def test_one_computation_per_scope_across_workers(queued_app, world, counted):
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    client.get("/")  # registers the scope
    counted.delay = 0.5
    done = []

    def worker():
        with queued_app.app_context():
            done.append(refresh.refresh_scope(WHOLE))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counted) == 1 and sorted(done) == [0, 0, 0, 1]


def test_a_killed_workers_job_is_finished_by_the_next(queued_app, world, counted):
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    client.get("/")
    # A worker claimed the scope and died (kill -9) before storing anything.
    db.session.execute(update(NetworkJob).where(NetworkJob.key == WHOLE).values(
        lease_owner="host:4242:dead", lease_until=utcnow() + timedelta(minutes=3)))
    db.session.commit()
    run_queue(queued_app)
    assert counted == []  # its lease still holds: nobody computes twice
    db.session.execute(update(NetworkJob).where(NetworkJob.key == WHOLE).values(
        lease_until=utcnow() - timedelta(seconds=1)))  # the lease ran out
    db.session.commit()
    with queued_app.app_context():
        refresh.refresh_scopes(None)  # the periodic sweep of the next worker
    assert len(counted) == 1
    assert "Stand: vor" in client.get("/").get_data(as_text=True)


def test_a_failed_job_is_logged_retried_and_the_old_figures_stay(queued_app, world, monkeypatch,
                                                                  caplog):
    client = queued_app.test_client()
    log_in(client, "admin@example.org")
    client.get("/")
    run_queue(queued_app)
    make_activity([world["jugendamt"], world["verein"]], on=date(2026, 3, 9))

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(refresh, "compute_scope", broken)
    ran = run_queue(queued_app)
    assert ran >= 1
    assert network_queue().huey.scheduled_count() == 1  # the retry waits its delay
    assert "network figures failed" in caplog.text
    page = client.get("/").get_data(as_text=True)
    assert "Stand: vor" in page and "fehlgeschlagen" in page  # the old figures are shown
    job = db.session.get(NetworkJob, WHOLE)
    assert job.attempts == 1 and "disk full" in job.last_error and job.lease_until is None
    status = client.get("/network/status").get_data(as_text=True)
    assert "1 mit Fehler" in status and "disk full" in status


def test_status_command_and_page(queued_app, world):
    client = queued_app.test_client()
    log_in(client, "admin@example.org")
    client.get("/")
    result = queued_app.test_cli_runner().invoke(args=["network-status"])
    assert result.exit_code == 0
    assert re.search(r"SqliteHuey \(external\): [1-9]\d* wartend", result.output)
    assert "noch keine Berechnung" in result.output
    run_queue(queued_app)
    db.session.rollback()  # a new command sees the database as it is now
    result = queued_app.test_cli_runner().invoke(args=["network-status"])
    assert "0 wartend" in result.output and "letzte Berechnung" in result.output
    assert "Warteschlange" in client.get("/network/status").get_data(as_text=True)


def test_new_scopes_per_user_are_limited_and_stored_scopes_capped(app_factory, tmp_path, world):
    app = app_factory(NETWORK_NEW_SCOPES_PER_MINUTE=2, NETWORK_MAX_SCOPES=3)
    client = app.test_client()
    log_in(client, "leitung@example.org")
    for year in (2021, 2022):
        assert "Stand: vor" in client.get(f"/?since={year}-01-01").get_data(as_text=True)
    page = client.get("/?since=2023-01-01").get_data(as_text=True)
    assert "Zu viele neue Ausschnitte" in page
    db.session.execute(update(NetworkJob).values(requested_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    for year in (2023, 2024):
        assert "Stand: vor" in client.get(f"/?since={year}-01-01").get_data(as_text=True)
    starts = {key.split("|")[1] for key in db.session.scalars(select(NetworkJob.key))}
    # Three places, one kept for the whole network: the two read most recently remain.
    assert starts == {"2023-01-01", "2024-01-01"}


def test_embedded_worker_computes_without_anything_started_by_hand(app_factory, tmp_path, world):
    from coordinator.network.jobs.queue import start_embedded_worker

    app = app_factory(NETWORK_QUEUE="embedded", NETWORK_QUEUE_FILE=str(tmp_path / "q.sqlite3"))
    client = app.test_client()
    log_in(client, "leitung@example.org")
    with app.app_context():
        queue = network_queue()
    start_embedded_worker(queue, sweep_every=0.5)
    try:
        assert "werden gerade berechnet" in client.get("/").get_data(as_text=True)
        deadline = time.monotonic() + 20
        while "Stand: vor" not in client.get("/").get_data(as_text=True):
            assert time.monotonic() < deadline, "the embedded worker computed nothing"
            time.sleep(0.2)
    finally:
        queue.stop.set()
        for thread in queue.threads:
            thread.join(5)



@pytest.mark.parametrize("threads", [1, 2])
def test_every_native_thread_pool_is_limited_per_worker(tmp_path, threads):
    """BLAS_THREADS reaches numpy's and scipy's OpenBLAS and OpenMP in a fresh process that
    creates the app, as a gunicorn or queue worker does (where numpy is not loaded yet), and
    scipy's loaded afterwards."""
    probe = (
        "import json; from coordinator import create_app; create_app(); "
        "import scipy.sparse.csgraph; "  # loaded later (only where the C kernels are missing)
        "from threadpoolctl import threadpool_info; "
        "print(json.dumps([[p['filepath'], p['num_threads']] for p in threadpool_info()]))"
    )
    env = {key: value for key, value in os.environ.items()
           if not key.endswith("_NUM_THREADS")}
    env.update(FLASK_SECRET_KEY="x" * 40, FLASK_BLAS_THREADS=str(threads),
               DATABASE_URL=f"sqlite:///{tmp_path / 'probe.db'}",
               PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=True)
    pools = json.loads(done.stdout.strip().splitlines()[-1])
    assert any("numpy" in path for path, _ in pools), pools
    assert {count for _, count in pools} == {threads}, pools


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no thread priorities here")
def test_the_computation_runs_below_the_pages_and_what_it_starts_too():
    """lower_priority lowers only the calling thread (the worker's), and the threads it
    starts afterwards (the parallel read and betweenness) inherit it; the process's other
    threads (the pages') keep theirs."""
    from coordinator.network.jobs.queue import lower_priority

    seen = {}

    def priority() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def worker() -> None:
        before = priority()
        lower_priority(3)
        child = threading.Thread(target=lambda: seen.update(child=priority()))
        child.start()
        child.join()
        seen.update(before=before, worker=priority())

    page_before = priority()
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["worker"] == min(seen["before"] + 3, 19) == seen["child"]
    assert priority() == page_before


def test_worker_priority_is_a_typed_setting(app_factory, tmp_path):
    app = app_factory(NETWORK_WORKER_NICE="7")
    assert app.config["NETWORK_WORKER_NICE"] == 7


def test_a_long_computation_keeps_its_claim_alive(queued_app, world, monkeypatch):
    """The lease is renewed while the job computes, so a computation longer than the lease
    (L takes minutes) is never taken over by a second worker."""
    queued_app.config["NETWORK_JOB_LEASE_SECONDS"] = 0.3
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    client.get("/")
    original = stored_figures.compute_scope
    seen = {}

    def slow(scope, today, exact=False):
        time.sleep(0.8)  # more than two lease lengths
        with db.engine.connect() as connection:  # what other workers see
            row = connection.execute(select(NetworkJob.started_at, NetworkJob.lease_until)
                                     .where(NetworkJob.key == WHOLE)).one()
        seen.update(started=row.started_at, until=row.lease_until, now=utcnow())
        return original(scope, today, exact)

    monkeypatch.setattr(refresh, "compute_scope", slow)
    run_queue(queued_app)
    assert seen["until"] > seen["started"] + timedelta(seconds=0.5)  # renewed, not expired
    assert seen["until"] > seen["now"] - timedelta(seconds=0.2)
    assert "Stand: vor" in client.get("/").get_data(as_text=True)
    assert db.session.get(NetworkJob, WHOLE).lease_until is None  # released when done


@pytest.mark.skipif(os.name != "posix", reason="asks the process table (POSIX)")
def test_a_new_worker_frees_the_claims_of_ended_workers_on_its_host(queued_app, world):
    import socket

    host = socket.gethostname()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    client = queued_app.test_client()
    log_in(client, "leitung@example.org")
    client.get("/")
    claims = {f"{host}:{ended}:1:dead": None, f"{host}:{os.getpid()}:1:alive": "kept",
              f"other-host:{ended}:1:elsewhere": "kept"}
    for owner in claims:
        db.session.execute(update(NetworkJob).where(NetworkJob.key == WHOLE).values(
            lease_owner=owner, lease_until=utcnow() + timedelta(minutes=1)))
        db.session.commit()
        freed = refresh.release_orphaned_leases()
        job = db.session.get(NetworkJob, WHOLE)
        db.session.refresh(job)
        assert (job.lease_owner is None) == (claims[owner] is None) == (freed == 1), owner
