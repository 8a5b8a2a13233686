"""Shared fixtures, after the Flask tutorial: ``app``, ``client``, ``runner``, ``auth``.

The suite runs on SQLite by default (a migrated template database is copied per test). When
``COORDINATOR_TEST_DATABASE_URL`` names a PostgreSQL server, the suite creates a database of its
own on that server, migrates it once, empties it after each test and drops it at the end.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coordinator import create_app
from coordinator.extensions import db
from coordinator.models import (
    ActivityKind,
    FieldOfWork,
    JointActivity,
    Role,
    Stakeholder,
    StakeholderKind,
    User,
)
from coordinator.network.data.tie_store import add_activities

PG_URL_ENV = "COORDINATOR_TEST_DATABASE_URL"
PASSWORD = "Ein langes Test-Passwort 2026"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def base_config(database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        # Production uses 600,000 PBKDF2 iterations (checked in test_auth); the suite would
        # spend minutes hashing, so it uses a cheap method of the same kind.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_STORAGE_URI": "memory://",
        # The network figures' jobs run at once in the caller's thread (tests of the
        # embedded and external workers choose their mode themselves).
        "NETWORK_QUEUE": "immediate",
        # Test worlds register every stakeholder "now": with the newcomer rule on, each one
        # without an activity would be new instead of isolated. Its tests switch it on.
        "NEWCOMER_DAYS": 0,
    }


def _migrate(app) -> None:
    from flask_migrate import upgrade

    from coordinator.register.operations import seed_fields_of_work

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        seed_fields_of_work()
        db.session.remove()
        db.engine.dispose()


class _Backend:
    """Where each test's database comes from."""

    def __init__(self, tmp_root):
        self.pg_url = os.environ.get(PG_URL_ENV)
        self.tmp_root = tmp_root
        if self.pg_url:
            server = make_url(self.pg_url)
            self.db_name = f"coordinator_test_{uuid.uuid4().hex[:10]}"
            self.admin_engine = create_engine(
                server.set(database="postgres"), isolation_level="AUTOCOMMIT"
            )
            with self.admin_engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.db_name}"'))
            self.url = server.set(database=self.db_name).render_as_string(hide_password=False)
            _migrate(create_app(base_config(self.url)))
        else:
            self.template = tmp_root / "template.db"
            _migrate(create_app(base_config(f"sqlite:///{self.template}")))

    @property
    def is_postgres(self) -> bool:
        return bool(self.pg_url)

    def database_for_test(self, tmp_path) -> str:
        if self.is_postgres:
            return self.url
        path = tmp_path / "test.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def reset(self, app) -> None:
        """Empty every table (PostgreSQL) and seed the catalogue again."""
        if not self.is_postgres or app.config["SQLALCHEMY_DATABASE_URI"] != self.url:
            return  # SQLite files are per test; an app on a database of its own is left alone
        from coordinator.register.operations import seed_fields_of_work

        with app.app_context():
            db.session.remove()
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            seed_fields_of_work()
            db.session.remove()

    def close(self) -> None:
        if self.is_postgres:
            with self.admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
            self.admin_engine.dispose()


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    backend = _Backend(tmp_path_factory.mktemp("db"))
    yield backend
    backend.close()


class SessionAwareClient(FlaskClient):
    """Test client for tests that run inside an app context (the ``app`` fixture pushes one).

    Flask would reuse that context for every request, sharing ``g`` (and Flask-Login's cached
    user) and the database session between requests. Here each request gets a fresh app
    context, as in production; the test's own session commits what the test prepared before
    the request and forgets cached rows afterwards, so assertions see what the request wrote.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


def make_app(backend, tmp_path, **overrides):
    config = base_config(backend.database_for_test(tmp_path))
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = SessionAwareClient
    return app


@pytest.fixture
def app_factory(backend, tmp_path):
    """Build an app with extra settings (e.g. CSRF switched on)."""
    made = []

    def factory(**overrides):
        app = make_app(backend, tmp_path, **overrides)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
    if made:
        backend.reset(made[0])  # they all share the test's database
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(backend, tmp_path):
    app = make_app(backend, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
    backend.reset(app)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- data builders -------------------------------------------------------------------------


def field(key: str) -> FieldOfWork:
    from sqlalchemy import select

    return db.session.scalars(select(FieldOfWork).where(FieldOfWork.key == key)).one()


def make_stakeholder(
    name: str,
    kind: StakeholderKind = StakeholderKind.DEPARTMENT,
    fields: tuple[str, ...] = (),
    **extra,
) -> Stakeholder:
    stakeholder = Stakeholder(name=name, kind=kind, **extra)
    stakeholder.fields = [field(k) for k in fields]
    db.session.add(stakeholder)
    db.session.commit()
    return stakeholder


def make_activity(
    participants: list[Stakeholder],
    on: date = date(2026, 3, 1),
    title: str = "Gemeinsame Besprechung",
    kind: ActivityKind = ActivityKind.MEETING,
    fields: tuple[str, ...] = (),
    **extra,
) -> JointActivity:
    activity = JointActivity(date=on, title=title, kind=kind, **extra)
    activity.participants = list(participants)
    activity.fields = [field(k) for k in fields]
    db.session.add(activity)
    db.session.flush()
    add_activities([activity.id])  # the tie store, as the activity operations keep it
    db.session.commit()
    return activity


def make_user(
    email: str, role: Role, department: Stakeholder | None = None, password: str = PASSWORD
) -> User:
    user = User(email=email, role=role, department=department, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def world(app):
    """A small network: three departments, a group, an individual, two activities, and one
    user per role (staff belong to the Jugendamt)."""
    jugendamt = make_stakeholder("Jugendamt", fields=("bildung", "soziales"))
    jobcenter = make_stakeholder("Jobcenter", fields=("arbeit",))
    auslaenderbehoerde = make_stakeholder("Ausländerbehörde", fields=("aufenthalt_recht",))
    verein = make_stakeholder(
        "Interkultureller Verein Sonnenfeld", StakeholderKind.GROUP, fields=("sprache",)
    )
    person = make_stakeholder(
        "A. Yilmaz", StakeholderKind.INDIVIDUAL, affiliation="Elternlotsin",
        consent_date=date(2026, 1, 15),
    )
    own = make_activity([jugendamt, verein], date(2026, 2, 3), "Sprachcafé planen",
                        fields=("sprache",))
    foreign = make_activity([jobcenter, auslaenderbehoerde], date(2026, 2, 10),
                            "Fallkonferenz Arbeitserlaubnis", ActivityKind.CASE_CONFERENCE,
                            fields=("arbeit",))
    users = {
        Role.ADMIN: make_user("admin@example.org", Role.ADMIN),
        Role.COORDINATOR: make_user("koordination@example.org", Role.COORDINATOR),
        Role.STAFF: make_user("jugendamt@example.org", Role.STAFF, department=jugendamt),
        Role.LEADERSHIP: make_user("leitung@example.org", Role.LEADERSHIP),
    }
    return {
        "jugendamt": jugendamt,
        "jobcenter": jobcenter,
        "auslaenderbehoerde": auslaenderbehoerde,
        "verein": verein,
        "person": person,
        "own_activity": own,
        "foreign_activity": foreign,
        "users": users,
    }


def run_at_once(app, work, times: int = 2) -> list:
    """Start ``work()`` in ``times`` threads at the same moment, each with its own app
    context (own session and connection); return the results and fail on any exception."""
    import threading

    start = threading.Barrier(times)
    results, failures = [], []

    def worker():
        try:
            with app.app_context():
                start.wait()
                results.append(work())
                db.session.remove()
        except Exception as exc:  # reported below; a thread must not swallow it
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return results


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def login_as(self, world: dict, role: Role):
        return self.login(world["users"][role].email)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@contextmanager
def served(app):
    """The app on a real werkzeug server in a thread (for the browser tests); yields the
    base URL and shuts the server down afterwards."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


# Debian's Chromium for the browser tests (they are skipped, saying so, without it).
CHROMIUM = next(
    (path for path in (shutil.which("chromium"), shutil.which("chromium-browser")) if path), None
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)
