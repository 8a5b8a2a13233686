"""Writing audit entries: :func:`record` adds one to the caller's transaction, so the entry
and the change it describes are committed (or rolled back) together."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..timeutil import utcnow
from .models import AuditEntry

CLI_ADDRESS = "cli"
_MAX_LABEL = 200


def text_digest(text: str | None) -> str | None:
    """'sha256:<first 16 hex chars>' of the text: proves a change without keeping content.

    >>> text_digest("Jugendamt")
    'sha256:708388e05e262772'
    """
    if text is None:
        return None
    return "sha256:" + hashlib.sha256(str(text).encode()).hexdigest()[:16]


def jsonable(value):
    """A value as JSON can store it: dates as ISO text, enums by value, sets sorted."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def field_changes(before: dict, after: dict, *, hashed: Iterable[str] = (),
                  omit: Iterable[str] = ()) -> dict[str, list]:
    """Only the fields whose value differs, as {field: [old, new]}; fields in ``hashed`` are
    stored as text_digest(value) (for free texts such as case notes); fields in ``omit`` never
    appear (passwords)."""
    hashed, omit = set(hashed), set(omit)
    changes: dict[str, list] = {}
    for name in dict.fromkeys([*before, *after]):
        if name in omit:
            continue
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old == new:
            continue
        if name in hashed:
            old, new = text_digest(old), text_digest(new)
        changes[name] = [old, new]
    return changes


def client_address() -> str:
    if not has_request_context():
        return CLI_ADDRESS
    return (request.remote_addr or "")[:64]


def _acting_user(user):
    if user is not None:
        return user
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def user_label_for(user) -> str | None:
    email = getattr(user, "email", None)
    return text_digest(email) if email else None


def record(action: str, object_type: str, object_id: int | str | None = None, *,
           label: str | None = None,
           changes: dict[str, list] | None = None,
           case_ref: str | None = None,
           detail: dict | None = None,
           user=None) -> AuditEntry:
    """Add one entry to db.session (the caller's transaction commits it with the change;
    for events without their own write — login, logout, failed login, a read — the caller
    commits). ``user`` defaults to flask_login.current_user if authenticated, else None;
    the address is the request's client address (as resolved by ProxyFix) if in a request,
    else "cli"."""
    actor = _acting_user(user)
    entry = AuditEntry(
        at=utcnow(),
        user_id=getattr(actor, "id", None),
        user_label=user_label_for(actor),
        address=client_address(),
        action=str(action),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        label=label[:_MAX_LABEL] if label else label,
        case_ref=case_ref,
        changes=jsonable(changes or {}),
        detail=jsonable(detail) if detail is not None else None,
    )
    db.session.add(entry)
    return entry
