"""What the audit trail records about accounts and sign-ins. Passwords never appear (not even
as digests: a password change is recorded as the event alone); e-mail addresses only as
digests, so a failed login with a mistyped address stores no address."""

from __future__ import annotations

from ..audit.models import Action
from ..audit.operations import field_changes, record, record_change, text_digest
from .models import User

USER = "user"


def user_snapshot(user: User | None) -> dict:
    if user is None:
        return {}
    return {
        "email": user.email,
        "role": user.role,
        "department_id": user.department_id,
        "active": user.active,
    }


def record_user_created(user: User) -> None:
    record_change(Action.CREATE, USER, user.id, {}, user_snapshot(user), hashed=["email"])


def record_user_changed(user: User, before: dict) -> None:
    """Role changes and deactivations get entries of their own (so they can be searched
    for); any other change (e-mail, department, reactivation) is an ``update``."""
    changes = field_changes(before, user_snapshot(user), hashed=["email"])
    role = {k: v for k, v in changes.items() if k == "role"}
    deactivated = {k: v for k, v in changes.items() if k == "active" and v == [True, False]}
    rest = {k: v for k, v in changes.items() if k not in role and k not in deactivated}
    for action, part in ((Action.ROLE_CHANGE, role), (Action.DEACTIVATE, deactivated),
                         (Action.UPDATE, rest)):
        if part:
            record(action, USER, user.id, changes=part)


def record_login(user: User) -> None:
    record(Action.LOGIN, USER, user.id, user=user)


def record_logout(user: User) -> None:
    record(Action.LOGOUT, USER, user.id, user=user)


def record_login_failed(user: User | None, email: str) -> None:
    """The targeted account if it exists; otherwise only the digest of what was typed."""
    record(Action.LOGIN_FAILED, USER, user.id if user else None,
           detail={"account": text_digest(email.strip().lower())})


def record_password_change(user: User) -> None:
    record(Action.PASSWORD_CHANGE, USER, user.id, user=user)
