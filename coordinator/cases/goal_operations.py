"""Short notes and the goals agreed with the resident."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..auth.models import User
from ..extensions import db
from ..timeutil import utcnow
from . import audit
from .models import GOAL_MAX, NOTE_MAX, Case, CaseGoal, CaseNote, GoalStatus
from .operations import CaseRuleError, check_text, organisation, require_case_worker

# --- notes and goals ---------------------------------------------------------------------


def add_note(user: User, case: Case, text: str) -> CaseNote:
    require_case_worker(user, case)
    text = text.strip()
    if not text or len(text) > NOTE_MAX:
        raise CaseRuleError(_("Bitte geben Sie einen Text mit höchstens %(max)d Zeichen ein.",
                              max=NOTE_MAX), "text")
    check_text(text, "text")
    note = CaseNote(case=case, text=text, author_id=user.id)
    db.session.add(note)
    db.session.flush()
    audit.case_event("create", case, "case_note", note.id,
                     changes=audit.changes_between({}, {"text": text}))
    return note


def add_goal(user: User, case: Case, text: str, responsible_id: int, due_on: date | None,
             conference=None) -> CaseGoal:
    require_case_worker(user, case)
    text = text.strip()
    if not text or len(text) > GOAL_MAX:
        raise CaseRuleError(_("Bitte beschreiben Sie das Ziel in höchstens %(max)d Zeichen.",
                              max=GOAL_MAX), "text")
    check_text(text, "text")
    responsible = organisation(responsible_id, "responsible")
    if not case.party_for(responsible.id):
        raise CaseRuleError(_("Verantwortlich kann nur ein am Fall beteiligtes Ressort "
                              "sein."), "responsible")
    goal = CaseGoal(case=case, text=text, responsible=responsible, due_on=due_on,
                    status=GoalStatus.OPEN, conference_id=conference.id if conference else None)
    db.session.add(goal)
    db.session.flush()
    audit.case_event("create", case, "case_goal", goal.id, changes=audit.changes_between(
        {}, {"text": text, "responsible_id": responsible.id,
             "due_on": due_on.isoformat() if due_on else None}))
    return goal


def set_goal_status(user: User, case: Case, goal: CaseGoal, status: GoalStatus) -> None:
    require_case_worker(user, case)
    if goal.case_id != case.id:
        raise CaseRuleError(_("Dieses Ziel gehört nicht zu diesem Fall."))
    if goal.status is status:
        return
    old = goal.status
    goal.status = status
    goal.status_changed_at = utcnow()
    audit.case_event("update", case, "case_goal", goal.id,
                     changes={"status": [old.value, status.value]})
