"""Survey rounds: coordinators open and close them, staff answer for their own department,
everyone sees the (suppressed) self-assessment results, coordination and leadership the
perceived-versus-logged comparison."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import ALL_ROLES, EDITORS, own_department_id, roles, sees_every_department
from ..auth.models import Role
from ..errors import render_error
from ..extensions import db
from ..rule_error import INVALID_FORM, RuleError, committed, show_rule_error
from . import operations
from .blueprint import bp
from .calculations import MIN_ANSWERS
from .forms import (
    LEVEL_LABELS,
    LIKERT_LABELS,
    NOT_JUDGED,
    NOT_JUDGED_LABEL,
    TRUST_LABELS,
    TRUST_SCALE,
    PlainForm,
    RoundForm,
)
from .models import RelationalRating, SelfAssessmentAnswer, SurveyRound
from .results import answered_departments, cooperation_view, heading_results, trend_chart

READERS_OF_TIES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADERSHIP})


def _round(round_id: int) -> SurveyRound:
    return db.session.get(SurveyRound, round_id) or abort(404)


def _rounds() -> list[SurveyRound]:
    return list(db.session.scalars(select(SurveyRound).order_by(SurveyRound.since.desc())))


@bp.route("/")
@roles(ALL_ROLES)
def index():
    return _index_page(RoundForm(formdata=None))


def _index_page(form: RoundForm, status: int = 200):
    counts = {r.id: len(answered_departments(r.id)) for r in _rounds()}
    return render_template("surveys/index.html", rounds=_rounds(), counts=counts,
                           form=form, close_form=PlainForm(),
                           departments=len(operations.departments())), status


@bp.route("/rounds", methods=["POST"])
@roles(EDITORS)
def open_round():
    form = RoundForm()
    if form.validate_on_submit():
        try:
            with committed():
                survey_round = operations.open_round(form.title.data, form.since.data,
                                                     form.until.data)
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Die Runde „%(title)s“ ist eröffnet. Die Ressorts können jetzt antworten.",
                    title=survey_round.title), "success")
            return redirect(url_for(".index"))
    return _index_page(form, INVALID_FORM)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@roles(EDITORS)
def close_round(round_id: int):
    survey_round = _round(round_id)
    if PlainForm().validate_on_submit() and operations.close_round(survey_round):
        db.session.commit()
        flash(_("Die Runde „%(title)s“ ist geschlossen.", title=survey_round.title), "success")
    return redirect(url_for(".index"))


@bp.route("/rounds/<int:round_id>/answer", methods=["GET", "POST"])
@roles(Role.STAFF)
def answer(round_id: int):
    survey_round = _round(round_id)
    department_id = own_department_id(current_user)
    if not survey_round.is_open:
        return render_error(409, _("Diese Runde ist geschlossen; Antworten lassen sich nicht "
                                   "mehr ändern."))
    form = PlainForm()
    items = operations.active_items()
    partners = [d for d in operations.departments() if d.id != department_id]
    errors: list[str] = []
    if form.validate_on_submit():
        answers, ratings, errors = _read_answers(items, partners)
        if not errors:
            try:
                with committed():
                    operations.save_answers(survey_round, department_id, current_user.id,
                                            answers, ratings)
            except RuleError as error:
                db.session.rollback()
                errors.append(error.message)
            else:
                flash(_("Ihre Antworten wurden gespeichert. Sie können sie bis zum Schließen "
                        "der Runde ändern."), "success")
                return redirect(url_for(".answer", round_id=round_id))
    elif request.method == "POST":
        errors.append(_("Das Formular ist abgelaufen. Bitte senden Sie es erneut."))
    given = _stored_answers(survey_round.id, department_id) if not errors else (
        dict(request.form.items()))
    return render_template(
        "surveys/answer.html", survey_round=survey_round, form=form, items=items,
        partners=partners, given=given, errors=errors, likert=LIKERT_LABELS,
        not_judged=NOT_JUDGED, not_judged_label=NOT_JUDGED_LABEL, levels=LEVEL_LABELS,
        trust_labels=TRUST_LABELS, trust_scale=TRUST_SCALE,
    ), INVALID_FORM if errors else 200


def _read_answers(items, partners):
    """Form values → (answers, ratings, German errors)."""
    answers: dict[int, int | None] = {}
    ratings: dict[int, operations.Rating] = {}
    errors: list[str] = []
    for item in items:
        raw = request.form.get(f"item-{item.id}", "")
        if raw == NOT_JUDGED:
            answers[item.id] = None
        elif raw in {"1", "2", "3", "4", "5"}:
            answers[item.id] = int(raw)
        elif raw:
            errors.append(_("Ungültige Antwort bei „%(item)s“.", item=item.text[:60]))
    for partner in partners:
        raw = request.form.get(f"level-{partner.id}", "")
        if not raw:
            continue
        trust = {name: request.form.get(f"{name}-{partner.id}", "")
                 for name in operations.TRUST_ITEMS}
        if raw not in {str(v) for v in operations.LEVELS} or any(
                v not in {"", "1", "2", "3", "4"} for v in trust.values()):
            errors.append(_("Ungültige Einschätzung bei „%(name)s“.", name=partner.name))
            continue
        level = int(raw)
        ratings[partner.id] = operations.Rating(level, **{
            name: (int(v) if v and level >= 1 else None) for name, v in trust.items()})
    return answers, ratings, errors


def _stored_answers(round_id: int, department_id: int) -> dict[str, str]:
    """The department's stored answers as form values."""
    given = {}
    for a in db.session.scalars(select(SelfAssessmentAnswer).where(
            SelfAssessmentAnswer.round_id == round_id,
            SelfAssessmentAnswer.department_id == department_id)):
        given[f"item-{a.item_id}"] = NOT_JUDGED if a.value is None else str(a.value)
    for r in db.session.scalars(select(RelationalRating).where(
            RelationalRating.round_id == round_id, RelationalRating.rater_id == department_id)):
        given[f"level-{r.partner_id}"] = str(r.level)
        for name in operations.TRUST_ITEMS:
            value = getattr(r, name)
            given[f"{name}-{r.partner_id}"] = "" if value is None else str(value)
    return given


@bp.route("/rounds/<int:round_id>/results")
@roles(ALL_ROLES)
def results(round_id: int):
    survey_round = _round(round_id)
    answered = answered_departments(round_id)
    names = {d.id: d.name for d in operations.departments()}
    if sees_every_department(current_user):
        shown = [d for d in answered if d in names]
        min_departments = 1
    else:
        shown = [d for d in answered if d == current_user.department_id]
        min_departments = MIN_ANSWERS  # totals of fewer departments would give them away
    shown.sort(key=lambda d: names[d].casefold())
    return render_template(
        "surveys/results.html",
        survey_round=survey_round, results=heading_results(round_id, min_departments),
        answered=len(answered), shown=shown, names=names, chart=trend_chart(min_departments),
        likert=LIKERT_LABELS,
    )


@bp.route("/rounds/<int:round_id>/cooperation")
@roles(READERS_OF_TIES)
def cooperation(round_id: int):
    survey_round = _round(round_id)
    return render_template("surveys/cooperation.html", survey_round=survey_round,
                           view=cooperation_view(survey_round), levels=LEVEL_LABELS)
