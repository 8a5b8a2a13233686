"""Reads what the coordination-health figures need from the database, as plain facts for
:mod:`.health` (names of departments and fields only; no reference, note, goal text or
decline note ever leaves this module)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..activities.forms import local_today
from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder
from .health import CoordinationHealth, GoalFact, ReferralFact, coordination_health
from .models import Case, CaseDeletionRecord, CaseGoal, CaseStatus, GoalStatus, case_need
from .referral_models import DECLINE_REASON_LABELS, Referral


def referral_facts(since: date | None = None) -> list[ReferralFact]:
    sender, recipient = aliased(Stakeholder), aliased(Stakeholder)
    query = (select(sender.name, recipient.name, FieldOfWork.label, Referral.status,
                    Referral.sent_on, Referral.first_contact_on, Referral.decline_reason)
             .join(sender, Referral.from_id == sender.id)
             .join(recipient, Referral.to_id == recipient.id)
             .outerjoin(FieldOfWork, Referral.field_id == FieldOfWork.id))
    if since:
        query = query.where(Referral.sent_on >= since)
    reasons = {reason: str(label) for reason, label in DECLINE_REASON_LABELS.items()}
    no_need = _("ohne Angabe")
    return [
        ReferralFact(s, r, need or no_need, status.value, sent_on, first_contact,
                     reasons[reason] if reason else None)
        for s, r, need, status, sent_on, first_contact, reason in db.session.execute(query)
    ]


def need_sets(since: date | None = None) -> list[list[str]]:
    """The needs of every case, including deleted ones (their deletion records keep the
    field keys)."""
    labels = dict(db.session.execute(select(FieldOfWork.key, FieldOfWork.label)).all())
    query = (select(case_need.c.case_id, FieldOfWork.label)
             .join(FieldOfWork, FieldOfWork.id == case_need.c.field_id)
             .join(Case, Case.id == case_need.c.case_id))
    if since:
        query = query.where(Case.opened_on >= since)
    by_case: dict[int, list[str]] = defaultdict(list)
    for case_id, label in db.session.execute(query):
        by_case[case_id].append(label)
    sets = list(by_case.values())
    records = select(CaseDeletionRecord.need_keys)
    if since:
        records = records.where(CaseDeletionRecord.opened_on >= since)
    for keys in db.session.scalars(records):
        sets.append([labels[k] for k in keys or () if k in labels])
    return sets


def goal_facts() -> list[GoalFact]:
    rows = db.session.execute(
        select(Stakeholder.name, CaseGoal.due_on, CaseGoal.status)
        .join(Stakeholder, CaseGoal.responsible_id == Stakeholder.id)
        .join(Case, CaseGoal.case_id == Case.id)
        .where(Case.status != CaseStatus.CLOSED, CaseGoal.status == GoalStatus.OPEN))
    return [GoalFact(name, due, status.value) for name, due, status in rows]


def load_health(since: date | None = None) -> CoordinationHealth:
    return coordination_health(
        referral_facts(since), need_sets(since), goal_facts(), local_today(),
        bar_labels={"sent": _("gesendet"), "accepted": _("angenommen"),
                    "first_contact": _("Erstkontakt erreicht"), "declined": _("abgelehnt")},
        total_label=_("alle Vermittlungen"),
    )
