"""The editable list of case outcomes, kept by admins (they see no case content)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..access import roles
from ..audit.operations import field_changes, record
from ..auth.models import Role
from ..extensions import db
from .forms import OutcomeForm
from .models import CaseOutcome
from .operations import ensure_outcomes
from .views import MAX_ID, bp, render_form


@bp.route("/outcomes/")
@roles(Role.ADMIN)
def outcomes():
    ensure_outcomes()
    db.session.commit()
    rows = db.session.scalars(select(CaseOutcome).order_by(CaseOutcome.position)).all()
    return render_template("cases/outcomes.html", outcomes=rows)


def _save(form: OutcomeForm, outcome: CaseOutcome | None):
    label = form.label.data
    clash = db.session.scalar(select(CaseOutcome.id).where(
        func.lower(CaseOutcome.label) == label.lower()))
    if clash and (outcome is None or clash != outcome.id):
        form.label.errors = [_("Dieses Ergebnis gibt es bereits.")]
        return None
    before = {} if outcome is None else {"label": outcome.label, "active": outcome.active}
    if outcome is None:
        position = db.session.scalar(select(func.max(CaseOutcome.position))) or 0
        outcome = CaseOutcome(position=position + 1)
        db.session.add(outcome)
    outcome.label = label
    outcome.active = form.active.data == "1"
    db.session.flush()
    changes = field_changes(before, {"label": outcome.label, "active": outcome.active})
    if changes:
        record("update" if before else "create", "case_outcome", outcome.id,
               label=outcome.label, changes=changes)
    db.session.commit()
    flash(_("Das Ergebnis „%(label)s“ wurde gespeichert.", label=label), "success")
    return redirect(url_for("cases.outcomes"))


@bp.route("/outcomes/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create_outcome():
    form = OutcomeForm()
    if form.validate_on_submit():
        done = _save(form, None)
        if done:
            return done
    return render_form("cases/outcome_form.html", form, outcome=None)


@bp.route("/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_outcome(outcome_id: int):
    outcome = db.session.get(CaseOutcome, outcome_id) if outcome_id <= MAX_ID else None
    if outcome is None:
        abort(404)
    form = OutcomeForm(data=None if request.method == "POST" else {
        "label": outcome.label, "active": "1" if outcome.active else "0"})
    if form.validate_on_submit():
        done = _save(form, outcome)
        if done:
            return done
    return render_form("cases/outcome_form.html", form, outcome=outcome)
