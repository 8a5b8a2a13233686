"""Server-side login sessions (see :class:`UserSession`) and the Flask-Login user loader."""

from __future__ import annotations

import time

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select

from ..extensions import db, login_manager
from ..i18n import LANGUAGE_KEY
from ..timeutil import utcnow
from .models import User, UserSession, hash_token

LAST_SEEN_KEY = "_last_seen"


def start_session(user: User) -> None:
    """Log ``user`` in with a fresh session: the old cookie content is dropped (no session
    fixation), expired sessions of the user are cleaned up, a new token is issued."""
    now = utcnow()
    clear_session_keeping_language()
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now)
    )
    token = UserSession.new_token()
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + current_app.config["SESSION_ABSOLUTE_LIFETIME"],
        )
    )
    user.session_token = token
    user.last_login_at = now
    login_user(user)
    session.permanent = True
    session[LAST_SEEN_KEY] = time.time()


def end_session(user: User) -> None:
    if user.session_token:
        db.session.execute(
            delete(UserSession).where(UserSession.token_hash == hash_token(user.session_token))
        )
    logout_user()
    clear_session_keeping_language()


def clear_session_keeping_language() -> None:
    """Drop everything from the session except the chosen language: it is no secret, and a
    user who chose English on the login page should not get German after logging in."""
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language


def end_other_sessions(user: User) -> None:
    """After a password change or deactivation no other login of this user may stay valid."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if user.session_token:
        query = query.where(UserSession.token_hash != hash_token(user.session_token))
    db.session.execute(query)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    last_seen = session.get(LAST_SEEN_KEY, 0)
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    if time.time() - last_seen > idle:
        return None
    row = db.session.scalars(
        select(UserSession).where(UserSession.token_hash == hash_token(token))
    ).first()
    if row is None or row.expires_at < utcnow() or not row.user.active:
        return None
    session[LAST_SEEN_KEY] = time.time()
    user = row.user
    user.session_token = token
    return user
