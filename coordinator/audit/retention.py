"""The audit log's own retention period (``AUDIT_RETENTION_MONTHS``, default 24).

On PostgreSQL the append-only trigger lets a DELETE through only for rows older than the
timestamp in the transaction-local setting ``coordinator.audit_purge_before``; this purger
sets it (``SET LOCAL`` via ``set_config(..., true)``) to its own cutoff, so even the purge
cannot remove younger entries.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select, text

from ..extensions import db
from ..retention import LISTED_ITEMS, PurgeResult, months_before, purger
from .models import AuditEntry

DEFAULT_RETENTION_MONTHS = 24
PURGE_SETTING = "coordinator.audit_purge_before"


def retention_months() -> int:
    return int(current_app.config.get("AUDIT_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS))


@purger
def purge_audit_log(now: datetime, dry_run: bool) -> PurgeResult:
    months = retention_months()
    cutoff = months_before(now, months)
    expired = AuditEntry.at < cutoff
    count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(expired))
    listed = db.session.execute(
        select(AuditEntry.id, AuditEntry.at, AuditEntry.action)
        .where(expired).order_by(AuditEntry.id).limit(LISTED_ITEMS)
    ).all()
    items = [f"Eintrag #{id_} vom {at:%d.%m.%Y} ({action})" for id_, at, action in listed]
    if count and not dry_run:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(
                text("SELECT set_config(:name, :cutoff, true)"),
                {"name": PURGE_SETTING, "cutoff": cutoff.isoformat(sep=" ")},
            )
        db.session.execute(delete(AuditEntry).where(expired))
    return PurgeResult(f"Protokolleinträge älter als {months} Monate", count, items)
