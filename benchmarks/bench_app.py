"""A fresh database and the real app on it: what every benchmark size starts from.

SQLite: a new file in the size's temporary directory. PostgreSQL: a new database
``coordinator_bench_…`` on the local server (trust auth, user ``postgres``), created here and
dropped with ``WITH (FORCE)`` when the size is done. The schema comes from the app's own
``init-db`` command (Alembic migrations plus the field-of-work catalogue).
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coordinator import create_app
from coordinator.extensions import db
from coordinator.models import Role, User

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
COORDINATOR_EMAIL = "benchmark-koordination@example.org"
COORDINATOR_PASSWORD = secrets.token_urlsafe(18)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@contextmanager
def fresh_database(backend: str, directory: Path, label: str) -> Iterator[str]:
    """The URL of an empty database; PostgreSQL databases are dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'benchmark.db'}"
        return
    if backend != "postgresql":
        raise ValueError(f"unknown database backend {backend!r}")
    server = make_url(POSTGRES_SERVER)
    name = f"coordinator_bench_{label.lower()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(database_url: str) -> Flask:
    """The production configuration (CSRF on, production password hashing) on ``database_url``;
    only the secret key, the rate-limit store and the queue are set here: the queue runs each
    job at once in the caller (``immediate``), so that no background thread competes with
    the timed requests and the stored figures are in place when measuring starts."""
    return create_app({
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "NETWORK_QUEUE": "immediate",
    })


def initialise(app: Flask) -> None:
    """Schema through ``flask init-db`` and one coordinator account."""
    with app.app_context():  # init-db, unlike import-csv, expects the caller's app context
        result = app.test_cli_runner().invoke(args=["init-db"])
    if result.exit_code != 0:
        raise RuntimeError(f"init-db failed: {result.output}") from result.exception
    with app.app_context():
        user = User(email=COORDINATOR_EMAIL, role=Role.COORDINATOR, active=True)
        user.set_password(COORDINATOR_PASSWORD)
        db.session.add(user)
        db.session.commit()


def database_size(app: Flask) -> int | None:
    """Bytes the database takes on disk (PostgreSQL: the database; SQLite: file and WAL)."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            return db.session.scalar(text("SELECT pg_database_size(current_database())"))
        path = Path(db.engine.url.database)
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def logged_in_client(app: Flask):
    """A test client logged in as the coordinator (through the real login form)."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={
        "email": COORDINATOR_EMAIL, "password": COORDINATOR_PASSWORD, "csrf_token": token,
    })
    if response.status_code != 302:
        raise RuntimeError(f"login failed with HTTP {response.status_code}")
    return client


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    if match is None:
        raise RuntimeError("no CSRF token in the page")
    return match.group(1)
