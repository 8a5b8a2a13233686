"""Creating, revoking and checking personal access tokens (the business rules of tokens)."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from ..auth.models import User, hash_token
from ..database import write_intent
from ..extensions import db
from ..timeutil import utcnow
from .models import ApiToken

security_log = logging.getLogger("coordinator.security")

TOKEN_PREFIX = "coord_"  # noqa: S105  (a marker: recognisable in a leaked paste)
LIFETIME_DAYS = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
MAX_ACTIVE_TOKENS = 20
# Writing last_used_at on every request would make every API read a write; once a minute
# is enough to show the user whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRuleError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def create_token(user: User, name: str, lifetime_days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token text (shown once, never
    stored). The caller commits."""
    from flask_babel import gettext as _

    if lifetime_days not in LIFETIME_DAYS:
        raise TokenRuleError(_("Ungültige Gültigkeitsdauer."))
    now = utcnow()
    if len(active_tokens(user, now)) >= MAX_ACTIVE_TOKENS:
        raise TokenRuleError(
            _("Sie haben bereits %(count)d gültige Tokens. Widerrufen Sie zuerst ein nicht "
              "mehr benötigtes.", count=MAX_ACTIVE_TOKENS)
        )
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=" ".join(name.split()), prefix=text[:12],
        token_hash=hash_token(text), created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    db.session.add(token)
    db.session.flush()
    security_log.info("api token created user=%s token=%s", user.id, token.id)
    return token, text


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens (``None`` when it is not theirs: no other user's
    token can be revoked, or even confirmed to exist). The caller commits."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        security_log.info("api token revoked user=%s token=%s", user.id, token.id)
    return token


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
    ))


def active_tokens(user: User, now: datetime) -> list[ApiToken]:
    return [t for t in tokens_of(user) if t.revoked_at is None and t.expires_at > now]


def bearer_text() -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or ``None``."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def user_for_token(text: str) -> User | None:
    """The user a valid (not expired, not revoked, user active) token belongs to."""
    if len(text) > 200:
        return None
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(text))
    ).first()
    now = utcnow()
    if token is None or not token.usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        _note_use(token.id, now)
    return token.user


def _note_use(token_id: int, now: datetime) -> None:
    """Best effort in a transaction of its own, so that an API read never fails (or waits
    on SQLite's write lock inside its own transaction) because of the bookkeeping."""
    table = ApiToken.__table__
    try:
        with write_intent(), db.engine.begin() as connection:
            connection.execute(
                update(table).where(table.c.id == token_id).values(last_used_at=now)
            )
    except DBAPIError as exc:
        security_log.warning("api token use not noted: %s", exc.__class__.__name__)
