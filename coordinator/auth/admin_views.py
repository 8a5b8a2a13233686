"""User administration (admins only)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import roles
from ..extensions import db
from ..logging_config import SECURITY, log_event
from ..register.models import Stakeholder, StakeholderKind
from .audit_trail import record_user_changed, record_user_created, user_snapshot
from .forms import NewUserForm, UserForm
from .models import Role, User
from .sessions import end_other_sessions

bp = Blueprint("users", __name__, url_prefix="/admin/users")
security_log = logging.getLogger(SECURITY)


def _department_choices() -> list[tuple[int, str]]:
    departments = db.session.scalars(
        select(Stakeholder)
        .where(Stakeholder.kind == StakeholderKind.DEPARTMENT)
        .order_by(Stakeholder.name)
    )
    return [(0, _("– kein Ressort –"))] + [(d.id, d.name) for d in departments]


def _email_taken(email: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == email.strip().lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def _apply(form: UserForm, user: User) -> None:
    user.email = form.email.data
    user.role = Role(form.role.data)
    user.department_id = form.department_id.data or None
    user.active = form.active.data


@bp.route("/")
@roles(Role.ADMIN)
def index():
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("admin/users.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create():
    form = NewUserForm()
    form.department_id.choices = _department_choices()
    if form.validate_on_submit():
        if _email_taken(form.email.data):
            form.email.errors.append(_("Diese E-Mail-Adresse ist bereits vergeben."))
        else:
            user = User()
            _apply(form, user)
            user.set_password(form.new_password.data)
            db.session.add(user)
            db.session.flush()
            record_user_created(user)
            db.session.commit()
            log_event(security_log, "user_created", account=user.id, role=user.role.value)
            flash(_("Das Konto %(email)s wurde angelegt.", email=user.email), "success")
            return redirect(url_for(".index"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user, role=user.role.value, department_id=user.department_id or 0)
    form.department_id.choices = _department_choices()
    if form.validate_on_submit():
        if _email_taken(form.email.data, except_id=user.id):
            form.email.errors.append(_("Diese E-Mail-Adresse ist bereits vergeben."))
        elif user.id == current_user.id and (
            form.role.data != Role.ADMIN.value or not form.active.data
        ):
            flash(_("Sie können sich nicht selbst die Administration entziehen."), "error")
        else:
            old_role = user.role
            before = user_snapshot(user)
            _apply(form, user)
            record_user_changed(user, before)
            if not user.active or user.role != old_role:
                end_other_sessions(user)  # the user has no session token here: ends all
            db.session.commit()
            log_event(security_log, "user_changed", account=user.id,
                      role=f"{old_role.value}->{user.role.value}", active=user.active)
            flash(_("Das Konto %(email)s wurde gespeichert.", email=user.email), "success")
            return redirect(url_for(".index"))
    return render_template("admin/user_form.html", form=form, user=user)
