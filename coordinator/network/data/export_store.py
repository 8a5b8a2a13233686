"""Network export files made by the queue (``network_export``): one row per scope, format,
viewer class and data revision, the file gzip-compressed.

A page asks for a file with :func:`request_export` (a ``pending`` row; the caller enqueues
the job), the job claims it (:func:`claim_export`, ``running``), then stores the file
(:func:`finish_export`, ``ready``; older files of the same kind go) or the error
(:func:`fail_export`, ``failed``; the older file stays and can still be downloaded).
Files are kept ``NETWORK_EXPORT_RETENTION_HOURS`` (default 24) hours: the job drops older
ones whenever it stores a file, and ``flask purge-expired`` drops them too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...database import write_intent
from ...extensions import db
from ...retention import PurgeResult, purger
from ...timeutil import utcnow
from .models import NetworkExport
from .scope import Scope

PENDING, RUNNING, READY, FAILED = "pending", "running", "ready", "failed"
DEFAULT_RETENTION_HOURS = 24
LEASE = timedelta(minutes=10)  # a running export older than this was lost with its worker


@dataclass(frozen=True)
class ExportKey:
    scope_key: str
    fmt: str
    viewer: str
    revision: int

    def where(self, t=None) -> list:
        t = NetworkExport.__table__ if t is None else t
        return [t.c.scope_key == self.scope_key, t.c.fmt == self.fmt,
                t.c.viewer == self.viewer, t.c.revision == self.revision]

    def args(self) -> tuple:
        return (self.scope_key, self.fmt, self.viewer, self.revision)


@dataclass
class ExportState:
    """A row without its file."""

    key: ExportKey
    status: str
    error: str | None
    size: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _columns(t):
    return (t.c.scope_key, t.c.fmt, t.c.viewer, t.c.revision, t.c.status, t.c.error, t.c.size,
            t.c.created_at, t.c.started_at, t.c.finished_at)


def _state(row) -> ExportState:
    return ExportState(ExportKey(*row[:4]), *row[4:])


def export_state(key: ExportKey) -> ExportState | None:
    t = NetworkExport.__table__
    row = db.session.execute(select(*_columns(t)).where(*key.where(t))).first()
    return _state(row) if row else None


def previous_export(key: ExportKey) -> ExportState | None:
    """The newest ready file of the same scope, format and viewer for an older revision."""
    t = NetworkExport.__table__
    row = db.session.execute(
        select(*_columns(t)).where(
            t.c.scope_key == key.scope_key, t.c.fmt == key.fmt, t.c.viewer == key.viewer,
            t.c.revision < key.revision, t.c.status == READY)
        .order_by(t.c.revision.desc()).limit(1)
    ).first()
    return _state(row) if row else None


def export_content(key: ExportKey) -> bytes | None:
    """The gzip-compressed file."""
    t = NetworkExport.__table__
    return db.session.scalar(select(t.c.content).where(*key.where(t), t.c.status == READY))


def request_export(key: ExportKey, scope: Scope, *, again: bool = False) -> None:
    """Make the row ``pending`` (new, or — with ``again`` — a failed or lost one), in a short
    transaction of its own: a page view must not hold the write lock."""
    t = NetworkExport.__table__
    now = utcnow()
    with write_intent(), db.engine.begin() as connection:
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        connection.execute(insert(t).values(
            scope_key=key.scope_key, fmt=key.fmt, viewer=key.viewer, revision=key.revision,
            scope_args=json.dumps(scope.to_args()), status=PENDING, created_at=now,
        ).on_conflict_do_nothing())
        if again:
            connection.execute(update(t).where(*key.where(t), t.c.status != READY)
                               .values(status=PENDING, error=None, started_at=None,
                                       created_at=now))


def claim_export(key: ExportKey) -> Scope | None:
    """Take the row for this worker (pending, or running past its lease); the scope to
    export, or ``None`` when another worker has it or it is done."""
    t = NetworkExport.__table__
    now = utcnow()
    db.session.rollback()
    with write_intent():
        claimed = db.session.execute(
            update(t).where(*key.where(t), or_(
                t.c.status == PENDING, (t.c.status == RUNNING) & (t.c.started_at < now - LEASE)))
            .values(status=RUNNING, started_at=now)
        ).rowcount
        db.session.commit()
    if claimed != 1:
        return None
    args = db.session.scalar(select(t.c.scope_args).where(*key.where(t)))
    scope, _errors = Scope.from_args(json.loads(args), known_fields=None)
    return scope


def finish_export(key: ExportKey, compressed: bytes, size: int) -> None:
    """Store the file; older files of the same kind and expired ones go."""
    t = NetworkExport.__table__
    now = utcnow()
    db.session.rollback()
    with write_intent():
        db.session.execute(update(t).where(*key.where(t)).values(
            status=READY, content=compressed, size=size, error=None, finished_at=now))
        db.session.execute(delete(t).where(
            t.c.scope_key == key.scope_key, t.c.fmt == key.fmt, t.c.viewer == key.viewer,
            t.c.revision < key.revision))
        db.session.execute(delete(t).where(t.c.created_at < now - retention()))
        db.session.commit()


def fail_export(key: ExportKey, error: str) -> None:
    t = NetworkExport.__table__
    db.session.rollback()
    with write_intent():
        db.session.execute(update(t).where(*key.where(t)).values(
            status=FAILED, error=error[:300], finished_at=utcnow()))
        db.session.commit()


def delete_exports(connection, scope_keys: list[str] | None) -> None:
    """Drop the files of ``scope_keys`` (all with ``None``), on ``connection``."""
    t = NetworkExport.__table__
    if scope_keys is None:
        connection.execute(delete(t))
    elif scope_keys:
        connection.execute(delete(t).where(t.c.scope_key.in_(scope_keys)))


def retention() -> timedelta:
    return timedelta(hours=int(current_app.config.get("NETWORK_EXPORT_RETENTION_HOURS",
                                                      DEFAULT_RETENTION_HOURS)))


@purger
def purge_network_exports(now: datetime, dry_run: bool) -> PurgeResult:
    """Export files older than their retention period (``flask purge-expired``)."""
    t = NetworkExport.__table__
    hours = int(retention().total_seconds() // 3600)
    expired = t.c.created_at < now - retention()
    count = db.session.scalar(select(func.count()).select_from(t).where(expired)) or 0
    if count and not dry_run:
        db.session.execute(delete(t).where(expired))
    return PurgeResult(f"Netzwerk-Exporte älter als {hours} Stunden", count,
                       [f"{fmt} vom {at:%d.%m.%Y %H:%M}" for fmt, at in db.session.execute(
                           select(t.c.fmt, t.c.created_at).where(expired).limit(50))]
                       if dry_run else [])
