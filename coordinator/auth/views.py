"""Login, logout, own password, language choice."""

from __future__ import annotations

import hmac
import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash

from ..access import ALL_ROLES, public, roles
from ..extensions import db, limiter
from ..i18n import LANGUAGE_KEY
from ..logging_config import SECURITY, log_event
from ..security import safe_next_url
from .audit_trail import record_login, record_login_failed, record_logout, record_password_change
from .forms import ChangePasswordForm, LanguageForm, LoginForm
from .models import User
from .sessions import end_other_sessions, end_session, start_session

bp = Blueprint("auth", __name__)
security_log = logging.getLogger(SECURITY)

# Compared against when the e-mail is unknown, so that a wrong address costs as much time as a
# wrong password and the response does not reveal which accounts exist.
_DUMMY_HASH = (
    "pbkdf2:sha256:600000$coordinator$"
    "4c5f7d6a1f0e8b9c2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
)


def landing_url_for(user: User) -> str:
    return url_for("dashboard.index")


def _login_attempt_key() -> str:
    """Throttle per account *and* client address: an attacker elsewhere cannot lock the real
    user out by guessing at the same account."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    # Keyed hash, not the address: the limiter's storage (Redis) and its log line on a breach
    # never hold an e-mail address in clear text.
    account = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), email.encode(),
                       "sha256").hexdigest()[:32]
    return f"login:{account}:{request.remote_addr}"


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=_login_attempt_key,
    methods=["POST"],
    deduct_when=lambda _response: g.get("login_failed", False),
)
def login():
    if current_user.is_authenticated:
        return redirect(landing_url_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalars(
            select(User).where(User.email == form.email.data.strip().lower())
        ).first()
        if user is None:
            check_password_hash(_DUMMY_HASH, form.password.data)
        if user is not None and user.active and user.check_password(form.password.data):
            start_session(user)
            record_login(user)
            db.session.commit()
            log_event(security_log, "login_ok", account=user.id, role=user.role.value)
            flash(_("Sie sind angemeldet."), "success")
            target = safe_next_url(request.args.get("next")) or landing_url_for(user)
            return redirect(target)
        g.login_failed = True
        record_login_failed(user, form.email.data)
        db.session.commit()
        log_event(security_log, "login_failed", logging.WARNING,
                  account=user.id if user else "unknown")
        flash(_("E-Mail-Adresse oder Passwort ist falsch."), "error")
    status = 401 if g.get("login_failed") else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles(ALL_ROLES)
def logout():
    user = current_user._get_current_object()
    record_logout(user)
    end_session(user)
    db.session.commit()
    log_event(security_log, "logout", account=user.id, actor=user.id)
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles(ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    form.password_email = lambda: current_user.email
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Das aktuelle Passwort ist nicht korrekt."))
        else:
            user.set_password(form.new_password.data)
            end_other_sessions(user)
            record_password_change(user)
            db.session.commit()
            log_event(security_log, "password_changed", account=user.id)
            flash(_("Ihr Passwort wurde geändert. Andere Anmeldungen wurden beendet."),
                  "success")
            return redirect(landing_url_for(user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        session[LANGUAGE_KEY] = form.language.data
    return redirect(safe_next_url(request.form.get("next")) or url_for("dashboard.index"))

