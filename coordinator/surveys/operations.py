"""Opening and closing rounds, a department's answers, and the questionnaire catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..register.models import Stakeholder, StakeholderKind
from ..rule_error import RuleError
from ..timeutil import utcnow
from .models import (
    RelationalRating,
    SelfAssessmentAnswer,
    SurveyHeading,
    SurveyItem,
    SurveyRound,
)

LEVELS = range(0, 6)
TRUST = range(1, 5)
TRUST_ITEMS = ("reliable", "open_to_discussion", "shared_mission")


@dataclass(frozen=True)
class Rating:
    level: int
    reliable: int | None = None
    open_to_discussion: int | None = None
    shared_mission: int | None = None


def open_round(title: str, since: date, until: date) -> SurveyRound:
    title = " ".join(title.split())
    if not title:
        raise RuleError(_("Pflichtangabe fehlt."), "title")
    if since > until:
        raise RuleError(_("Das Ende des Zeitraums liegt vor seinem Beginn."), "until")
    if db.session.scalar(select(SurveyRound.id).where(
            func.lower(SurveyRound.title) == title.lower())):
        raise RuleError(_("Eine Runde mit diesem Titel gibt es bereits."), "title")
    if db.session.scalar(select(SurveyRound.id).where(SurveyRound.closed_at.is_(None))):
        raise RuleError(_("Es ist bereits eine Runde offen. Bitte schließen Sie sie zuerst."),
                        None)
    survey_round = SurveyRound(title=title, since=since, until=until)
    db.session.add(survey_round)
    db.session.flush()
    return survey_round


def close_round(survey_round: SurveyRound) -> bool:
    if survey_round.closed_at is not None:
        return False
    survey_round.closed_at = utcnow()
    return True


def departments() -> list[Stakeholder]:
    return list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.kind == StakeholderKind.DEPARTMENT, Stakeholder.active,
    ).order_by(Stakeholder.name)))


def active_items() -> list[SurveyItem]:
    return list(db.session.scalars(
        select(SurveyItem).join(SurveyItem.heading).where(SurveyItem.active)
        .order_by(SurveyHeading.position, SurveyItem.position)))


def save_answers(survey_round: SurveyRound, department_id: int, user_id: int | None,
                 answers: dict[int, int | None], ratings: dict[int, Rating]) -> None:
    """Replace the department's answers in an open round (one answer per department, editable
    until the round closes). ``answers``: item id → 1–5 or ``None`` ("kann ich nicht
    beurteilen"); items left out stay unanswered. ``ratings``: partner id → rating; partners
    left out are "kenne ich nicht"."""
    if not survey_round.is_open:
        raise RuleError(_("Diese Runde ist geschlossen; Antworten lassen sich nicht mehr "
                          "ändern."), None)
    items = {item.id for item in active_items()}
    partners = {d.id for d in departments()} - {department_id}
    for item_id, value in answers.items():
        if item_id not in items or (value is not None and value not in range(1, 6)):
            raise RuleError(_("Eine Antwort liegt außerhalb der Skala."), None)
    for partner_id, rating in ratings.items():
        trust = [getattr(rating, name) for name in TRUST_ITEMS]
        if (partner_id not in partners or rating.level not in LEVELS
                or any(t is not None and t not in TRUST for t in trust)
                or (rating.level == 0 and any(t is not None for t in trust))):
            raise RuleError(_("Eine Einschätzung der Zusammenarbeit liegt außerhalb der "
                              "Skala."), None)
    stored = {a.item_id: a for a in db.session.scalars(select(SelfAssessmentAnswer).where(
        SelfAssessmentAnswer.round_id == survey_round.id,
        SelfAssessmentAnswer.department_id == department_id))}
    for item_id, answer in stored.items():
        if item_id not in answers:
            db.session.delete(answer)
    for item_id, value in answers.items():
        answer = stored.get(item_id)
        if answer is None:
            db.session.add(SelfAssessmentAnswer(
                round_id=survey_round.id, department_id=department_id, item_id=item_id,
                value=value, answered_by_id=user_id))
        else:
            answer.value, answer.answered_by_id = value, user_id
    given = {r.partner_id: r for r in db.session.scalars(select(RelationalRating).where(
        RelationalRating.round_id == survey_round.id,
        RelationalRating.rater_id == department_id))}
    for partner_id, row in given.items():
        if partner_id not in ratings:
            db.session.delete(row)
    for partner_id, rating in ratings.items():
        row = given.get(partner_id)
        if row is None:
            row = RelationalRating(round_id=survey_round.id, rater_id=department_id,
                                   partner_id=partner_id, level=rating.level)
            db.session.add(row)
        row.level = rating.level
        for name in TRUST_ITEMS:
            setattr(row, name, getattr(rating, name))
    db.session.flush()


def add_item(heading_id: int, text: str) -> SurveyItem:
    heading = db.session.get(SurveyHeading, heading_id)
    text = " ".join(text.split())
    if heading is None:
        raise RuleError(_("Bitte wählen Sie eine Überschrift."), "heading_id")
    if not text:
        raise RuleError(_("Pflichtangabe fehlt."), "text")
    position = max((i.position for i in heading.items), default=-1) + 1
    item = SurveyItem(heading=heading, text=text, position=position)
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: SurveyItem, text: str, active: bool) -> None:
    """Change an item's wording or retire it; answers already given stay with the item."""
    text = " ".join(text.split())
    if not text:
        raise RuleError(_("Pflichtangabe fehlt."), "text")
    item.text, item.active = text, active


def add_heading(title: str) -> SurveyHeading:
    title = " ".join(title.split())
    if not title:
        raise RuleError(_("Pflichtangabe fehlt."), "title")
    if db.session.scalar(select(SurveyHeading.id).where(
            func.lower(SurveyHeading.title) == title.lower())):
        raise RuleError(_("Diese Überschrift gibt es bereits."), "title")
    position = (db.session.scalar(select(func.max(SurveyHeading.position))) or 0) + 1
    heading = SurveyHeading(title=title, position=position)
    db.session.add(heading)
    db.session.flush()
    return heading
