"""Map positions kept in the database: read on every map, extended when stakeholders appear.

Positions are a cache computed on the whole network (every active stakeholder, every tie, the
whole period), not on the filtered view, so that filtering by period or field of work never
moves a node. They are written during GET requests on purpose: a write-once, idempotent
cache fill in a separate short transaction (``INSERT … ON CONFLICT DO NOTHING``), never part
of the request's own session. If the database is busy, the map is drawn with the computed but
unsaved positions and the next visit tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from ...database import write_intent
from ...extensions import db
from ..analysis.compact import CompactGraph
from ..analysis.layout import Position, extend_layout
from .models import NodePosition

log = logging.getLogger("coordinator.network")

# How long a map request waits for a lock before it gives up saving (the page is still
# drawn). SQLite's app-wide busy timeout (30 s) is meant for real writes.
SAVE_WAIT_MS = 2_000


def stored_positions(only: Collection[int] | None = None) -> dict[int, Position]:
    """The stored positions (of ``only`` these stakeholders when given)."""
    stmt = select(NodePosition.stakeholder_id, NodePosition.x, NodePosition.y)
    if only is not None:
        stmt = stmt.where(NodePosition.stakeholder_id.in_(sorted(only)))
    return {stakeholder_id: (x, y) for stakeholder_id, x, y in db.session.execute(stmt)}


def positions_for(
    graph: CompactGraph, load_whole_network: Callable[[], CompactGraph]
) -> dict[int, Position]:
    """Positions for every node of ``graph``; nodes without one are placed (on the whole
    network, which ``load_whole_network`` returns) and the new positions saved."""
    known = stored_positions()
    if all(node in known for node in graph.ids):
        return {node: known[node] for node in graph.ids}
    added = extend_layout(load_whole_network(), known)
    known.update(added)
    if any(node not in known for node in graph.ids):  # created between the two loads
        late = extend_layout(graph, known)
        added.update(late)
        known.update(late)
    save_positions(added)
    return {node: known[node] for node in graph.ids}


def save_positions(positions: dict[int, Position]) -> bool:
    """Insert positions that are not stored yet; ``False`` when the database was busy or a
    stakeholder vanished meanwhile (nothing is saved then)."""
    if not positions:
        return True
    rows = [
        {"stakeholder_id": node, "x": round(x, 1), "y": round(y, 1)}
        for node, (x, y) in sorted(positions.items())
    ]
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(NodePosition).on_conflict_do_nothing(index_elements=["stakeholder_id"])
    try:
        with (
            db.engine.connect() as connection,
            _short_lock_wait(connection, dialect),
            write_intent(),
            connection.begin(),
        ):
            if dialect == "postgresql":
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(SAVE_WAIT_MS)}ms'")
            connection.execute(statement, rows)
    except DBAPIError as error:  # locked, or a stakeholder deleted meanwhile (foreign key)
        log.info("map positions not saved (%s): %s", type(error).__name__, error.orig)
        return False
    return True


@contextmanager
def _short_lock_wait(connection, dialect: str) -> Iterator[None]:
    """Lower SQLite's busy timeout on this one pooled connection, and restore it after."""
    raw = connection.connection.driver_connection if dialect == "sqlite" else None
    if raw is not None:
        raw.execute(f"PRAGMA busy_timeout={int(SAVE_WAIT_MS)}")
    try:
        yield
    finally:
        if raw is not None:
            configured = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
            raw.execute(f"PRAGMA busy_timeout={configured}")
