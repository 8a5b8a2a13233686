"""Searching the audit log: the filter, the query, and rows ready for the page and exports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from sqlalchemy import Select, select

from ..auth.models import User
from ..extensions import db
from .labels import action_label, object_type_label
from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    case_ref: str | None = None
    since: date | None = None  # local (Europe/Berlin) days, both inclusive
    until: date | None = None


def local_day_start_utc(day: date) -> datetime:
    """Midnight of a local day (the app's time zone) as the naive UTC timestamp the log
    stores."""
    zone = ZoneInfo(str(get_timezone()))
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def audit_query(criteria: AuditFilter) -> Select:
    """Newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if criteria.user_id is not None:
        query = query.where(AuditEntry.user_id == criteria.user_id)
    if criteria.object_type:
        query = query.where(AuditEntry.object_type == criteria.object_type)
    if criteria.object_id:
        query = query.where(AuditEntry.object_id == criteria.object_id)
    if criteria.action:
        query = query.where(AuditEntry.action == criteria.action)
    if criteria.case_ref:
        query = query.where(AuditEntry.case_ref == criteria.case_ref)
    if criteria.since:
        query = query.where(AuditEntry.at >= local_day_start_utc(criteria.since))
    if criteria.until:
        query = query.where(AuditEntry.at < local_day_start_utc(criteria.until + timedelta(1)))
    return query


def distinct_values(column) -> list[str]:
    return list(db.session.scalars(select(column).distinct().order_by(column)))


def user_emails(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))
    return dict(rows.all())  # a Result has keys(): dict() would take it for a mapping


def show_value(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value) or "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class AuditRow:
    """One entry as people read it (the page and the CSV/XLSX export share it)."""

    entry: AuditEntry
    user: str
    action: str
    object_type: str
    changes: list[tuple[str, str, str]]
    detail: str

    @property
    def changes_text(self) -> str:
        return "; ".join(f"{name}: {old} → {new}" for name, old, new in self.changes)


def audit_rows(entries: list[AuditEntry]) -> list[AuditRow]:
    emails = user_emails({e.user_id for e in entries if e.user_id is not None})
    rows = []
    for entry in entries:
        if entry.user_id is not None:
            user = emails.get(entry.user_id) or f"#{entry.user_id} ({entry.user_label or '–'})"
        else:
            user = "–"
        rows.append(AuditRow(
            entry=entry,
            user=user,
            action=action_label(entry.action),
            object_type=object_type_label(entry.object_type),
            changes=[(name, show_value(old), show_value(new))
                     for name, (old, new) in (entry.changes or {}).items()],
            detail="; ".join(f"{key}: {show_value(value)}"
                             for key, value in (entry.detail or {}).items()),
        ))
    return rows
