"""The catalogue of fields of work (Handlungsfelder), for admins only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..access import roles
from ..auth.models import Role
from ..extensions import db
from . import field_operations
from .blueprint import INVALID_FORM, bp, show_rule_error
from .forms import FieldOfWorkForm, NewFieldOfWorkForm
from .models import FieldOfWork
from .operations import RegisterRuleError
from .queries import field_usage


@bp.route("/fields/")
@roles(Role.ADMIN)
def fields():
    return _render_catalogue()


@bp.route("/fields/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create_field():
    form = NewFieldOfWorkForm(data=_next_position() if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            field = field_operations.create_field(
                form.key.data, form.label.data, form.position.data
            )
        except RegisterRuleError as error:
            show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Das Handlungsfeld „%(label)s“ wurde angelegt.", label=field.label),
                  "success")
            return redirect(url_for(".fields"))
    return _render_form(form, None)


@bp.route("/fields/<int:field_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_field(field_id: int):
    field = db.session.get(FieldOfWork, field_id) or abort(404)
    initial = {"label": field.label, "position": field.position}
    form = FieldOfWorkForm(data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            field_operations.update_field(field, form.label.data, form.position.data)
        except RegisterRuleError as error:
            show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Das Handlungsfeld „%(label)s“ wurde gespeichert.", label=field.label),
                  "success")
            return redirect(url_for(".fields"))
    return _render_form(form, field)


@bp.route("/fields/<int:field_id>/delete", methods=["POST"])
@roles(Role.ADMIN)
def delete_field(field_id: int):
    try:
        label = field_operations.delete_field(field_id)
    except RegisterRuleError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_catalogue(status=409)
    if label is None:
        abort(404)
    db.session.commit()
    flash(_("Das Handlungsfeld „%(label)s“ wurde gelöscht.", label=label), "success")
    return redirect(url_for(".fields"))


def _render_catalogue(status: int = 200):
    return render_template("register/fields.html", usage=field_usage()), status


def _render_form(form: FieldOfWorkForm, field: FieldOfWork | None):
    status = INVALID_FORM if request.method == "POST" else 200
    return render_template("register/field_form.html", form=form, field=field), status


def _next_position() -> dict:
    highest = db.session.scalar(select(func.max(FieldOfWork.position)))
    return {"position": 0 if highest is None else highest + 1}
