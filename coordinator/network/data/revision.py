"""The data revision: one counter that changes with every write to the network's data.

Cached metrics are stored with the revision they were computed for; a different revision
means they are stale. The counter is increased

* automatically, at commit, for every transaction of the ORM session that wrote
  stakeholders, activities, fields of work or their link tables — by the unit of work
  (flush) or by ``session.execute(insert/update/delete(...))`` on those tables;
* explicitly with :func:`bump_revision` by code that writes past the session (raw
  connections, ``text()`` statements).

The listeners are attached to the app's session by :func:`track_revisions` (called by
``create_app``). The increase is an ``UPDATE`` of a single row in the writer's own
transaction, so it becomes visible together with the data. It is issued as the last
statement before ``COMMIT``, so the row lock is held only for the commit itself and cannot
take part in a lock cycle.
"""

from __future__ import annotations

import time
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ...activities.models import JointActivity
from ...extensions import db
from ...register.models import FieldOfWork, Stakeholder
from .models import REVISION_ROW_ID, NetworkRevision

WATCHED_MODELS = (Stakeholder, JointActivity, FieldOfWork)
WATCHED_TABLES = frozenset({
    "stakeholder", "joint_activity", "participation", "activity_field", "stakeholder_field",
    "field_of_work",
})
PENDING = "network_revision_pending"
BUMPED = "network_revision_bumped"


def current_revision() -> int:
    """The revision the current transaction sees (0 before the first write)."""
    return db.session.scalar(
        select(NetworkRevision.value).where(NetworkRevision.id == REVISION_ROW_ID)
    ) or 0


def bump_revision(session: Session | None = None) -> None:
    """Mark the network's data as changed, in the caller's transaction (commit it as usual).

    For writes the session cannot see (raw connections, ``text()`` statements); writes
    through the ORM or ``session.execute(insert(...))`` on the watched tables are noticed
    without it. Calling it more often than needed only costs a recomputation.
    """
    session = session or db.session
    table = NetworkRevision.__table__
    done = session.execute(
        update(table).where(table.c.id == REVISION_ROW_ID).values(value=table.c.value + 1)
    )
    if done.rowcount == 0:
        # The row is missing (tables emptied by hand or by the test suite). Start from a
        # value never used before (microseconds since 1970), so that caches keyed by the
        # revision cannot mistake the new content for what the database held earlier.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(
            insert(table).values(id=REVISION_ROW_ID, value=time.time_ns() // 1000)
            .on_conflict_do_nothing()
        )
    session.info.pop(PENDING, None)
    session.info[BUMPED] = True


def _note_flushed_writes(session: Session, _flush_context) -> None:
    # Still the pre-flush state here: new, dirty and deleted list what was just written.
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, WATCHED_MODELS) for obj in changed):
        session.info[PENDING] = True


def _note_statement_writes(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        state.session.info[PENDING] = True


def _bump_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()  # the final flush would otherwise come after this hook
    if session.info.get(PENDING):
        bump_revision(session)


def _enqueue_after_commit(session: Session) -> None:
    # The write is visible now: hand the recomputation to the queue (jobs/queue.py).
    if session.info.pop(BUMPED, False) and has_app_context():
        queue = current_app.extensions.get("network_queue")
        if queue is not None:
            queue.enqueue(None)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(BUMPED, None)


LISTENERS = (
    ("after_flush", _note_flushed_writes),
    ("do_orm_execute", _note_statement_writes),
    ("before_commit", _bump_before_commit),
    ("after_commit", _enqueue_after_commit),
    ("after_rollback", _forget_after_rollback),
)


def track_revisions(sessions) -> None:
    """Keep the data revision for the sessions of ``sessions`` (the app's ``db.session``;
    called by ``create_app``, not at import, so that no other session of the process is
    touched). Idempotent: several apps in one process share Flask-SQLAlchemy's session
    class."""
    for name, listener in LISTENERS:
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)
