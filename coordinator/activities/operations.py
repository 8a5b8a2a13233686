"""Writes to the activity log and the rules they keep.

The forms already check most of this for a friendly message next to the field; the rules are
checked here again because this is the one place every write passes through (a form can be
bypassed, this cannot).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import Role, User
from ..extensions import db
from ..network.data.tie_store import add_activities, refresh_pairs
from ..register.models import FieldOfWork, Stakeholder
from ..timeutil import utcnow
from .models import ActivityKind, JointActivity

MIN_PARTICIPANTS = 2


class ActivityRuleError(ValueError):
    """A rule of the activity log is broken. ``message`` is German and belongs next to
    ``field`` in the form."""

    def __init__(self, message: str, field: str = "participants"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ActivityInput:
    date: date
    title: str
    kind: ActivityKind
    participant_ids: Sequence[int]
    field_ids: Sequence[int] = field(default_factory=tuple)
    description: str = ""


def own_department_missing(user: User, participant_ids: Sequence[int]) -> bool:
    """Staff log and change only activities their own department takes part in; an activity
    they save must stay one they may change."""
    return user.role is Role.STAFF and user.department_id not in set(participant_ids)


def _participants(user: User, data: ActivityInput, current: Sequence[Stakeholder] = ()):
    ids = list(dict.fromkeys(data.participant_ids))
    if len(ids) < MIN_PARTICIPANTS:
        raise ActivityRuleError(
            _("Bitte wählen Sie mindestens zwei verschiedene Beteiligte aus – eine "
              "gemeinsame Aktivität hat mindestens zwei Beteiligte.")
        )
    if own_department_missing(user, ids):
        raise ActivityRuleError(
            _("Ihr eigenes Ressort (%(name)s) muss zu den Beteiligten gehören: Sie können nur "
              "Aktivitäten erfassen, an denen Ihr Ressort beteiligt ist.",
              name=user.department.name if user.department else "–")
        )
    found = db.session.scalars(select(Stakeholder).where(Stakeholder.id.in_(ids))).all()
    by_id = {s.id: s for s in found}
    already_there = {s.id for s in current}
    # Inactive stakeholders stay on old activities but are not added to new ones.
    if len(by_id) != len(ids) or any(
        not s.active and s.id not in already_there for s in found
    ):
        raise ActivityRuleError(
            _("Die Auswahl der Beteiligten ist nicht (mehr) gültig. Bitte laden Sie die Seite "
              "neu.")
        )
    return [by_id[i] for i in ids]


def _fields(data: ActivityInput) -> list[FieldOfWork]:
    ids = list(dict.fromkeys(data.field_ids))
    if not ids:
        return []
    found = db.session.scalars(select(FieldOfWork).where(FieldOfWork.id.in_(ids))).all()
    if len(found) != len(ids):
        raise ActivityRuleError(
            _("Die Auswahl der Handlungsfelder ist nicht (mehr) gültig. Bitte laden Sie die "
              "Seite neu."),
            field="fields",
        )
    return list(found)


def _apply(activity: JointActivity, data: ActivityInput, participants, fields) -> None:
    activity.date = data.date
    activity.title = data.title
    activity.kind = data.kind
    activity.description = data.description or ""
    activity.participants = participants
    activity.fields = fields


def _commit(update_ties: Callable[[], None]) -> None:
    """Flush, bring the tie store up to date in the same transaction, commit."""
    try:
        db.session.flush()
        update_ties()
        db.session.commit()
    except IntegrityError:
        # A participant or field was deleted between reading the form and saving it.
        db.session.rollback()
        raise ActivityRuleError(
            _("Die Auswahl hat sich inzwischen geändert. Bitte prüfen Sie die Angaben und "
              "speichern Sie erneut.")
        ) from None


def _check_version(activity: JointActivity, expected_version: int) -> None:
    """Optimistic locking: the form was built from ``expected_version``; if the row has
    moved on since, saving would silently undo someone else's change."""
    if expected_version != activity.version:
        raise StaleDataError(
            f"activity {activity.id}: version {expected_version} != {activity.version}"
        )


def create_activity(author: User, data: ActivityInput) -> JointActivity:
    activity = JointActivity(created_by_id=author.id)
    _apply(activity, data, _participants(author, data), _fields(data))
    db.session.add(activity)
    _commit(lambda: add_activities([activity.id]))
    return activity


def update_activity(
    editor: User, activity: JointActivity, expected_version: int, data: ActivityInput
) -> None:
    _check_version(activity, expected_version)
    participants = _participants(editor, data, current=activity.participants)
    fields = _fields(data)
    before = ({s.id for s in activity.participants}, activity.date)
    # One flush at commit, one UPDATE, one version step: without this, loading the old
    # collections while replacing them would flush the row halfway through.
    with db.session.no_autoflush:
        _apply(activity, data, participants, fields)
        # A change of participants or fields alone touches no column of the row, and
        # SQLAlchemy bumps the version only when the row itself is updated; setting the
        # timestamp makes every save an UPDATE, so the version (and the conflict check)
        # always moves on.
        activity.updated_at = utcnow()
    _commit(lambda: refresh_pairs(before[0] | {s.id for s in participants},
                                  {before[1], activity.date}))


def delete_activity(activity: JointActivity, expected_version: int) -> None:
    _check_version(activity, expected_version)
    members, day = {s.id for s in activity.participants}, activity.date
    db.session.delete(activity)
    db.session.flush()
    refresh_pairs(members, {day})
    db.session.commit()
