"""Login, logout, own password, language choice."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
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

from ..access import ALL_ROLES, public, roles
from ..extensions import db
from ..i18n import LANGUAGE_KEY
from ..security import safe_next_url
from . import throttle
from .forms import ChangePasswordForm, LanguageForm, LoginForm
from .models import User
from .sessions import end_other_sessions, end_session, start_session

bp = Blueprint("auth", __name__)
security_log = logging.getLogger("coordinator.security")

def landing_url_for(user: User) -> str:
    return url_for("dashboard.index")


def _login_attempt_key() -> str:
    """Throttle per account *and* client address: an attacker elsewhere cannot lock the real
    user out by guessing at the same account."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login:{email}:{request.remote_addr}"


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(landing_url_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if not throttle.take_login_attempt(_login_attempt_key(), email):
            security_log.warning("login throttled ip=%s", request.remote_addr)
            abort(429)
        user = db.session.scalars(select(User).where(User.email == email)).first()
        # Exactly one password hash is checked on every path (unknown, deactivated, wrong,
        # right), so the time taken reveals nothing about the account.
        if user is None:
            throttle.spend_a_password_check(form.password.data)
        password_ok = user is not None and user.check_password(form.password.data)
        if password_ok and user.active:
            throttle.forget_login_attempts(_login_attempt_key())
            start_session(user)
            db.session.commit()
            security_log.info("login ok user=%s role=%s", user.id, user.role.value)
            flash(_("Sie sind angemeldet."), "success")
            target = safe_next_url(request.args.get("next")) or landing_url_for(user)
            return redirect(target)
        g.login_failed = True
        security_log.warning(
            "login failed user=%s ip=%s", user.id if user else "unknown", request.remote_addr
        )
        flash(_("E-Mail-Adresse oder Passwort ist falsch."), "error")
    status = 401 if g.get("login_failed") else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles(ALL_ROLES)
def logout():
    user_id = current_user.id
    end_session(current_user._get_current_object())
    db.session.commit()
    security_log.info("logout user=%s", user_id)
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles(ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    form.password_email = lambda: current_user.email
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not throttle.take_password_check(user.id):
            security_log.warning("password check throttled user=%s", user.id)
            abort(429)
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Das aktuelle Passwort ist nicht korrekt."))
        else:
            throttle.forget_password_checks(user.id)
            user.set_password(form.new_password.data)
            end_other_sessions(user)
            db.session.commit()
            security_log.info("password changed user=%s", user.id)
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

