"""Engine set-up that differs between SQLite and PostgreSQL.

SQLite needs per-connection pragmas (foreign keys are off by default, WAL lets readers and a
writer work side by side, busy_timeout makes writers wait instead of failing) and explicit
``BEGIN IMMEDIATE`` for requests that write: with a plain deferred ``BEGIN`` a transaction that
first reads and then writes fails at once with "database is locked" when another writer
committed in between, busy_timeout or not.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# The largest id an INTEGER primary key can hold: a larger one cannot exist, and PostgreSQL
# refuses to compare INTEGER with it (a 500 instead of a 404 or a validation message).
MAX_ID = 2**31 - 1

# Writes of at least this many rows refresh the query planner's statistics afterwards.
BULK_WRITE_ROWS = 1_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


@contextmanager
def write_intent() -> Iterator[None]:
    """Mark work outside a request (CLI imports, demo data) as writing, so that its SQLite
    transactions start with ``BEGIN IMMEDIATE`` and wait for other writers instead of failing.

    Begin the transaction inside the block (the session starts it on the first query).
    """
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record):
        # Take over transaction control from the sqlite3 module (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if expects_write() else "BEGIN")


def expects_write() -> bool:
    """Requests with a state-changing method, and blocks marked with :func:`write_intent`."""
    if _write_intent.get():
        return True
    return has_request_context() and request.method not in READ_ONLY_METHODS


def refresh_planner_statistics(session: Session) -> None:
    """``ANALYZE`` after a bulk write (an import, the demo data, rebuilt ties), in its own
    transaction after the caller's commit.

    Without statistics PostgreSQL guesses row counts and scans whole tables where an index
    answers at once (seen: ``date > today`` over 100,000 activities read every row, 7 ms on
    each page view), and SQLite picks indexes without knowing their selectivity. Autovacuum
    would analyze eventually, but it may be switched off and runs only after a delay.

    On PostgreSQL the tie store is also vacuumed: the ego view and the partner list read it
    from its covering indexes alone, which needs the visibility map that only ``VACUUM``
    sets (outside a transaction: a connection of its own in autocommit)."""
    session.execute(text("ANALYZE"))
    session.commit()
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM network_tie")
    except DBAPIError as error:  # the pages only get slower; the write itself is done
        log.warning("VACUUM network_tie failed: %s", error.orig)
