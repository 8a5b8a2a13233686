"""The production layout of the README, for real: gunicorn web workers + a queue worker
(``flask network-worker``) + PostgreSQL + Redis. A page of a new scope shows the progress
state, the worker computes, the page shows the figures; a killed worker is replaced by a new
one that finishes the job. Needs PostgreSQL and Redis on 127.0.0.1 (Redis DB 10)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
REDIS = "redis://127.0.0.1:6379/10"
PORT = 5104
PASSWORD = "Ein langes Produktions-Passwort 2026"

pytestmark = pytest.mark.slow


def _services_or_skip() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:  # the layout needs both services
        pytest.skip(f"PostgreSQL and Redis are needed: {exc}")
    if not (BIN / "gunicorn").exists():
        pytest.skip("gunicorn is not installed (pip install '.[prod]')")


@pytest.fixture
def layout(tmp_path):
    _services_or_skip()
    import psycopg
    import redis

    name = f"h8_layout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    queue_name = f"h8-layout-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": PG + name,
        "REDIS_URL": REDIS,
        "FLASK_SECRET_KEY": "x" * 48,
        "FLASK_NETWORK_QUEUE_NAME": queue_name,
        "FLASK_NETWORK_JOB_LEASE_SECONDS": "5",
    }
    processes: list[subprocess.Popen] = []
    logs = []

    def run(*args, **kwargs):
        return subprocess.run([str(BIN / "flask"), "--app", "coordinator", *args], env=env,
                              cwd=ROOT, check=True, capture_output=True, text=True, **kwargs)

    def start(*args) -> subprocess.Popen:
        log = open(tmp_path / f"p{len(processes)}.log", "w")  # noqa: SIM115 (closed below)
        logs.append(log)
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=log)
        processes.append(process)
        return process

    run("init-db")
    run("demo")
    run("create-user", "leitung-test@example.org", "--role", "leadership",
        input=f"{PASSWORD}\n{PASSWORD}\n")
    start(str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "wsgi:app")
    worker = start(str(BIN / "flask"), "--app", "coordinator", "network-worker")
    layout = {"start_worker": lambda: start(str(BIN / "flask"), "--app", "coordinator",
                                            "network-worker"),
              "worker": worker, "logs": tmp_path}
    try:
        yield layout
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        for log in logs:
            log.close()
        connection = redis.Redis.from_url(REDIS)
        for key in connection.scan_iter(f"*{queue_name}*"):
            connection.delete(key)
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                             autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
            return response.read().decode()

    def login(self, email: str) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                form = self.get("/login")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                       "password": PASSWORD}).encode()
        with self.opener.open(f"http://127.0.0.1:{PORT}/login", data, timeout=30) as response:
            assert "/login" not in response.geturl()


def wait_for(browser: Browser, path: str, text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        page = browser.get(path)
        if text in page:
            return page
        assert time.monotonic() < deadline, f"{text!r} not on {path} after {seconds} s"
        time.sleep(0.5)


def test_gunicorn_queue_worker_postgresql_redis(layout):
    browser = Browser()
    browser.login("leitung-test@example.org")
    first = browser.get("/")
    assert "werden gerade berechnet" in first or "Stand: vor" in first
    wait_for(browser, "/", "Stand: vor", 120)
    wait_for(browser, "/network/", "Stand: vor", 120)

    # A new scope while the only worker is killed (-9) in the middle of its work: its lease
    # runs out and the next worker finishes the job.
    browser.get("/?since=2024-01-01")
    time.sleep(0.3)
    os.kill(layout["worker"].pid, signal.SIGKILL)
    layout["worker"].wait(10)
    layout["start_worker"]()
    page = wait_for(browser, "/?since=2024-01-01", "Stand: vor", 180)
    assert "Einzelperson" in page or "Stand: vor" in page


def test_the_production_entry_compiles_every_template_before_the_first_request(tmp_path):
    """wsgi.py compiles the templates at start-up, so the first visitor after a worker
    restart does not wait for Jinja."""
    probe = (
        "import wsgi; env = wsgi.app.jinja_env; "
        "names = [n for n in env.list_templates() if n.endswith('.html')]; "
        "cached = sum(1 for key in env.cache.keys() if key[1] in names); "
        "print(len(names), cached)"
    )
    env = {**os.environ, "FLASK_SECRET_KEY": "p" * 40,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    total, compiled = map(int, done.stdout.split()[-2:])
    assert total > 50 and compiled == total
