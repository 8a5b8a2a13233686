"""The audit log table and its action names.

The table has no foreign key to ``user``: the trail must outlive the rows it talks about
(deleted stakeholders, users). On PostgreSQL a trigger (migration ``0004_audit_log``) refuses
UPDATE and DELETE; the retention purge is the only DELETE it lets through (see
:mod:`coordinator.audit.retention`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"
    ANONYMISE = "anonymise"
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login_failed"
    PASSWORD_CHANGE = "password_change"
    ROLE_CHANGE = "role_change"
    DEACTIVATE = "deactivate"
    VIEW = "view"
    EXPORT = "export"
    PURGE = "purge"


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # What identified the acting account at the time: the e-mail's digest, never the e-mail
    # itself (a failed login for an unknown address must not store that address).
    user_label: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    label: Mapped[str | None] = mapped_column(String(200))
    case_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    detail: Mapped[dict | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.object_type}:{self.object_id}>"
