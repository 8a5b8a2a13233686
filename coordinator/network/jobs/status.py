"""The health line of the figures' queue: queue length, last computation, its duration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select

from ...extensions import db
from ...timeutil import utcnow
from ..data.models import NetworkJob
from .queue import network_queue


@dataclass
class QueueStatus:
    mode: str
    backend: str
    queued: int  # messages waiting in the queue (-1: queue unreachable)
    scopes: int
    computing: int
    failing: int
    last_finished: datetime | None
    last_duration_ms: int | None
    last_error: str | None


def queue_status() -> QueueStatus:
    queue = network_queue()
    now = utcnow()
    latest = db.session.scalars(
        select(NetworkJob).where(NetworkJob.finished_at.is_not(None))
        .order_by(NetworkJob.finished_at.desc()).limit(1)
    ).first()
    failing = db.session.scalars(
        select(NetworkJob.last_error).where(NetworkJob.last_error.is_not(None)).limit(1)
    ).first()
    return QueueStatus(
        mode=queue.mode,
        backend=type(queue.huey).__name__,
        queued=queue.pending(),
        scopes=db.session.scalar(select(func.count()).select_from(NetworkJob)) or 0,
        computing=db.session.scalar(select(func.count()).select_from(NetworkJob).where(
            NetworkJob.lease_until > now)) or 0,
        failing=db.session.scalar(select(func.count()).select_from(NetworkJob).where(
            NetworkJob.last_error.is_not(None))) or 0,
        last_finished=latest.finished_at if latest else None,
        last_duration_ms=latest.duration_ms if latest else None,
        last_error=failing,
    )


def status_line(status: QueueStatus) -> str:
    queued = _("nicht erreichbar") if status.queued < 0 else str(status.queued)
    if status.last_finished is None:
        last = _("noch keine Berechnung")
    else:
        last = _("letzte Berechnung %(when)s (UTC), Dauer %(seconds).1f s",
                 when=format_datetime(status.last_finished, "yyyy-MM-dd HH:mm:ss",
                                      rebase=False),
                 seconds=(status.last_duration_ms or 0) / 1000)
    line = _("Warteschlange %(backend)s (%(mode)s): %(queued)s wartend; %(scopes)d Ausschnitte, "
             "%(computing)d in Berechnung, %(failing)d mit Fehler; %(last)s",
             backend=status.backend, mode=status.mode, queued=queued, scopes=status.scopes,
             computing=status.computing, failing=status.failing, last=last)
    return line
