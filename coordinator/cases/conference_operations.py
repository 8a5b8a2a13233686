"""Case conferences (Fallkonferenzen): a joint activity of kind ``case_conference`` with the
departments and groups of the case that took part, the goals agreed or reviewed, and short
minutes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..activities.models import ActivityKind, JointActivity
from ..activities.operations import ActivityInput, ActivityRuleError, create_activity
from ..auth.models import Role, User
from ..extensions import db
from . import audit
from .activity_link import linking_new_activity
from .goal_operations import add_goal
from .models import Case, CaseStatus
from .operations import CaseRuleError, check_text, require_case_worker
from .referral_models import CaseConference, CaseDerivedActivity


@dataclass(frozen=True)
class NewGoal:
    text: str
    responsible_id: int
    due_on: date | None


def hold_conference(user: User, case: Case, held_on: date, participant_ids: Sequence[int],
                    minutes: str, reviewed_goal_ids: Sequence[int] = (),
                    new_goals: Sequence[NewGoal] = ()) -> CaseConference:
    require_case_worker(user, case)
    if case.status is CaseStatus.CLOSED:
        raise CaseRuleError(_("Für einen abgeschlossenen Fall gibt es keine Fallkonferenz "
                              "mehr."))
    ids = list(dict.fromkeys(participant_ids))
    if len(ids) < 2:
        raise CaseRuleError(_("Eine Fallkonferenz hat mindestens zwei Beteiligte."),
                            "participants")
    # Only parties of the case have a basis to hear about it.
    outsiders = [i for i in ids if case.party_for(i) is None]
    if outsiders:
        raise CaseRuleError(_("Eingeladen werden können nur Ressorts und Gruppen, die am Fall "
                              "beteiligt sind und dafür eine Grundlage haben."), "participants")
    if user.role is Role.STAFF and user.department_id not in ids:
        raise CaseRuleError(_("Ihr eigenes Ressort muss an der Fallkonferenz teilnehmen."),
                            "participants")
    minutes = minutes.strip()
    check_text(minutes, "minutes")
    reviewed = [g for g in case.goals if g.id in set(reviewed_goal_ids)]
    if len(reviewed) != len(set(reviewed_goal_ids)):
        raise CaseRuleError(_("Die Auswahl der Ziele ist nicht (mehr) gültig."), "reviewed")
    conference = CaseConference(case=case, held_on=held_on, minutes=minutes,
                                created_by_id=user.id)
    conference.reviewed_goals = reviewed
    db.session.add(conference)
    db.session.flush()
    audit.case_event("create", case, "case_conference", conference.id,
                     changes=audit.changes_between({}, {
                         "held_on": held_on.isoformat(), "participants": sorted(ids),
                         "minutes": minutes, "reviewed_goals": sorted(g.id for g in reviewed),
                     }))
    for goal in new_goals:
        add_goal(user, case, goal.text, goal.responsible_id, goal.due_on, conference=conference)
    if case.status is CaseStatus.OPEN:
        case.status = CaseStatus.IN_PROGRESS

    def link(activity: JointActivity) -> None:
        conference.activity = activity
        db.session.add(CaseDerivedActivity(activity=activity, source="case_conference"))

    # Last: the activity log's own operation commits the conference with its activity.
    try:
        with linking_new_activity(link):
            create_activity(user, ActivityInput(
                date=held_on, title=_("Fallkonferenz"), kind=ActivityKind.CASE_CONFERENCE,
                participant_ids=ids, field_ids=[f.id for f in case.needs],
                description=_("Fallkonferenz im Rahmen der Fallkoordination."),
            ))
    except ActivityRuleError as error:
        raise CaseRuleError(error.message, "participants") from None
    return conference
