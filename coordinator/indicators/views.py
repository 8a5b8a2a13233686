"""Indicator pages: overview with traffic lights, one indicator with trend, gap and values;
admins keep the catalogue, coordinators enter values."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import ALL_ROLES, EDITORS, has_role, roles
from ..auth.models import Role
from ..extensions import db
from ..register.models import FieldOfWork
from ..rule_error import INVALID_FORM, RuleError, committed, show_rule_error
from . import operations
from .forms import NO_FIELD, IndicatorForm, IndicatorValueForm
from .models import Indicator
from .presentation import (
    change_text,
    gap_rows,
    load_indicators,
    number,
    status_label,
    summarise,
    trend_chart,
)

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


@bp.app_context_processor
def indicator_helpers() -> dict:
    """Formatting helpers for indicator figures (also used by the leadership report)."""
    return {"number": number, "status_label": status_label, "change_text": change_text}


@bp.route("/")
@roles(ALL_ROLES)
def index():
    summaries = [summarise(indicator) for indicator in load_indicators()]
    return render_template("indicators/index.html", summaries=summaries)


@bp.route("/<int:indicator_id>")
@roles(ALL_ROLES)
def detail(indicator_id: int):
    indicator = db.session.get(Indicator, indicator_id) or abort(404)
    form = IndicatorValueForm() if has_role(EDITORS) else None
    return _detail_page(indicator, form)


@bp.route("/<int:indicator_id>/values", methods=["POST"])
@roles(EDITORS)
def add_value(indicator_id: int):
    indicator = db.session.get(Indicator, indicator_id) or abort(404)
    form = IndicatorValueForm()
    if form.validate_on_submit():
        try:
            with committed():
                period, group, value = operations.check_value(
                    form.period.data, form.group.data, form.value.data)
                operations.set_value(indicator, period, group, value, form.source.data or "")
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Der Wert für %(period)s wurde gespeichert.", period=period), "success")
            return redirect(url_for(".detail", indicator_id=indicator.id))
    return _detail_page(indicator, form, INVALID_FORM)


def _detail_page(indicator: Indicator, form: IndicatorValueForm | None, status: int = 200):
    summary = summarise(indicator)
    return render_template(
        "indicators/detail.html", indicator=indicator, summary=summary,
        chart=trend_chart(summary), gaps=gap_rows(summary), form=form,
    ), status


@bp.route("/<int:indicator_id>/values/<int:value_id>/delete", methods=["POST"])
@roles(EDITORS)
def delete_value(indicator_id: int, value_id: int):
    indicator = db.session.get(Indicator, indicator_id) or abort(404)
    if not operations.delete_value(indicator, value_id):
        abort(404)
    db.session.commit()
    flash(_("Der Wert wurde gelöscht."), "success")
    return redirect(url_for(".detail", indicator_id=indicator.id))


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create():
    return _edit(None)


@bp.route("/<int:indicator_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit(indicator_id: int):
    return _edit(db.session.get(Indicator, indicator_id) or abort(404))


def _edit(indicator: Indicator | None):
    initial = None
    if request.method == "GET" and indicator is not None:
        initial = {
            "key": indicator.key, "name": indicator.name, "unit": indicator.unit,
            "field_id": indicator.field_id or NO_FIELD, "direction": indicator.direction,
            "source": indicator.source, "definition": indicator.definition,
            "targets": operations.format_targets(indicator),
        }
    form = IndicatorForm(data=initial)
    form.set_field_choices(db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position)))
    if form.validate_on_submit():
        try:
            with committed():
                saved = operations.save_indicator(
                    indicator, key=form.key.data, name=form.name.data, unit=form.unit.data or "",
                    field_id=form.field_id.data or None, direction=form.direction.data,
                    source=form.source.data or "", definition=form.definition.data or "",
                    targets_text=form.targets.data or "",
                )
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Der Indikator „%(name)s“ wurde gespeichert.", name=saved.name), "success")
            return redirect(url_for(".detail", indicator_id=saved.id))
    status = INVALID_FORM if request.method == "POST" else 200
    return render_template("indicators/form.html", form=form, indicator=indicator), status
