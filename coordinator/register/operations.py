"""Writes to the register that carry business rules."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..audit.models import Action
from ..auth.models import User
from ..extensions import db
from ..names import clean_name as clean_text
from ..names import invisible_characters_message
from ..network.data.figure_store import purge_figures_naming
from .audit_trail import record_stakeholder, stakeholder_snapshot
from .consent import consent_problem
from .models import FieldOfWork, Stakeholder, StakeholderKind, name_key
from .queries import activity_count_of, descendant_ids

# The seeded catalogue of fields of work (Handlungsfelder): stable key, German label.
DEFAULT_FIELDS_OF_WORK = (
    ("arbeit", "Arbeit"),
    ("bildung", "Bildung"),
    ("sprache", "Sprache"),
    ("wohnen", "Wohnen"),
    ("gesundheit", "Gesundheit"),
    ("soziales", "Soziales"),
    ("aufenthalt_recht", "Aufenthalt & Recht"),
    ("politische_teilhabe", "Politische Teilhabe"),
    ("oeffentliches_leben_kultur", "Öffentliches Leben & Kultur"),
    ("sport_freizeit", "Sport & Freizeit"),
)


def seed_fields_of_work() -> int:
    """Fill an empty catalogue with the default fields; returns how many were added.

    Only an empty catalogue is filled, so fields an admin removed on purpose do not come back
    when ``init-db`` runs again.
    """
    if db.session.scalar(select(func.count()).select_from(FieldOfWork)):
        return 0
    for position, (key, label) in enumerate(DEFAULT_FIELDS_OF_WORK):
        db.session.add(FieldOfWork(key=key, label=label, position=position))
    db.session.commit()
    return len(DEFAULT_FIELDS_OF_WORK)


# --- stakeholders ----------------------------------------------------------------------------


class RegisterRuleError(Exception):
    """A write the register's rules forbid. ``field`` names the form field the German
    ``message`` belongs to (``None``: a message about the whole record)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class StakeholderData:
    """What a form (or an import) supplies for a stakeholder."""

    name: str
    kind: StakeholderKind
    parent_id: int | None = None
    field_ids: list[int] = dataclass_field(default_factory=list)
    description: str = ""
    affiliation: str = ""
    consent_date: date | None = None
    active: bool = True
    name_public: bool = False


def create_stakeholder(data: StakeholderData) -> Stakeholder:
    """Add a stakeholder after checking the rules; flushed, the caller commits."""
    stakeholder = Stakeholder(name=data.name, kind=data.kind)
    _check_and_apply(stakeholder, data)
    db.session.add(stakeholder)
    _flush_unique_name(data.name, except_id=None)
    record_stakeholder(Action.CREATE, stakeholder, before={})
    return stakeholder


def update_stakeholder(stakeholder: Stakeholder, data: StakeholderData, version: int) -> None:
    """Change a stakeholder edited from ``version``; flushed, the caller commits.

    Raises StaleDataError (shown as 409) when someone else saved in between; the version column
    catches the same conflict again at flush if it happens during this request.
    """
    if stakeholder.version != version:
        raise StaleDataError(
            f"stakeholder {stakeholder.id} is at version {stakeholder.version}, form had {version}"
        )
    before = stakeholder_snapshot(stakeholder)
    _check_and_apply(stakeholder, data)
    _flush_unique_name(data.name, except_id=stakeholder.id)
    record_stakeholder(Action.UPDATE, stakeholder, before)


def delete_stakeholder(stakeholder_id: int) -> str | None:
    """Delete a stakeholder that has no activities and no user accounts; its children lose
    their parent. Returns the deleted name (None if it did not exist); the caller commits.

    The row is locked first: on PostgreSQL a concurrent insert of a participation or a user
    referring to it must wait (foreign keys take a KEY SHARE lock), so the check stays true.
    """
    stakeholder = db.session.get(Stakeholder, stakeholder_id, with_for_update=True)
    if stakeholder is None:
        return None
    if activity_count_of(stakeholder.id):
        raise RegisterRuleError(
            _("„%(name)s“ kann nicht gelöscht werden, weil Aktivitäten mit diesem Akteur "
              "erfasst sind. Deaktivieren Sie den Akteur stattdessen (Bearbeiten → „aktiv“ "
              "abwählen); die Aktivitäten bleiben dann erhalten.", name=stakeholder.name)
        )
    if db.session.scalar(
        select(func.count()).select_from(User).where(User.department_id == stakeholder.id)
    ):
        raise RegisterRuleError(
            _("„%(name)s“ kann nicht gelöscht werden, weil Benutzerkonten diesem Ressort "
              "zugeordnet sind. Deaktivieren Sie den Akteur stattdessen oder ordnen Sie die "
              "Konten zuerst einem anderen Ressort zu.", name=stakeholder.name)
        )
    name = stakeholder.name
    purge_figures_naming(name)  # stored network figures name it; same transaction
    record_stakeholder(Action.DELETE, stakeholder, stakeholder_snapshot(stakeholder), after={})
    for child in list(stakeholder.children):
        before = stakeholder_snapshot(child)
        child.parent = None
        record_stakeholder(Action.UPDATE, child, before, after={**before, "parent_id": None})
    db.session.delete(stakeholder)
    db.session.flush()
    return name


def _check_and_apply(stakeholder: Stakeholder, data: StakeholderData) -> None:
    if problem := invisible_characters_message(data.name):
        raise RegisterRuleError(problem, "name")
    clean_name = clean_text(data.name)
    if not clean_name:
        raise RegisterRuleError(_("Bitte geben Sie einen Namen ein."), "name")
    _check_name_unique(clean_name, except_id=stakeholder.id)
    if (
        stakeholder.id is not None
        and data.kind is not StakeholderKind.DEPARTMENT
        and stakeholder.children
    ):
        raise RegisterRuleError(
            _("Dieser Akteur hat untergeordnete Einheiten und muss deshalb ein Ressort bzw. "
              "eine Dienststelle bleiben. Ordnen Sie die Einheiten zuerst neu zu."),
            "kind",
        )
    _check_parent(stakeholder, data.parent_id)
    fields = _fields_by_id(data.field_ids)
    if problem := consent_problem(data.kind, data.consent_date):
        raise RegisterRuleError(problem, "consent_date")

    # No autoflush: replacing the fields collection loads the old one, and a flush in between
    # would write the change in two UPDATEs (and count two versions).
    with db.session.no_autoflush:
        stakeholder.name = clean_name
        stakeholder.kind = data.kind
        stakeholder.parent_id = data.parent_id
        stakeholder.fields = fields
        stakeholder.description = data.description.strip()
        stakeholder.active = data.active
        if data.kind is StakeholderKind.INDIVIDUAL:
            stakeholder.affiliation = " ".join(data.affiliation.split())
            stakeholder.consent_date = data.consent_date
            stakeholder.name_public = data.name_public
        else:
            # Data minimisation: affiliation and consent only describe individuals.
            stakeholder.affiliation = ""
            stakeholder.consent_date = None
            stakeholder.name_public = False


def _check_parent(stakeholder: Stakeholder, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = db.session.get(Stakeholder, parent_id)
    if parent is None:
        raise RegisterRuleError(_("Die gewählte übergeordnete Einheit gibt es nicht."),
                                "parent_id")
    if parent.kind is not StakeholderKind.DEPARTMENT:
        raise RegisterRuleError(
            _("Übergeordnete Einheit kann nur ein Ressort bzw. eine Dienststelle sein."),
            "parent_id",
        )
    if stakeholder.id is not None and (
        parent_id == stakeholder.id or parent_id in descendant_ids(stakeholder.id)
    ):
        raise RegisterRuleError(
            _("Ein Akteur kann nicht sich selbst oder einer seiner eigenen untergeordneten "
              "Einheiten untergeordnet werden (Zirkelbezug)."),
            "parent_id",
        )


def _fields_by_id(field_ids: list[int]) -> list[FieldOfWork]:
    wanted = set(field_ids)
    if not wanted:
        return []
    fields = list(db.session.scalars(select(FieldOfWork).where(FieldOfWork.id.in_(wanted))))
    if len(fields) != len(wanted):
        raise RegisterRuleError(_("Ein gewähltes Handlungsfeld gibt es nicht (mehr)."),
                                "field_ids")
    return fields


def _check_name_unique(name: str, except_id: int | None) -> None:
    query = select(Stakeholder.id).where(Stakeholder.name_key == name_key(name))
    if except_id is not None:
        query = query.where(Stakeholder.id != except_id)
    if db.session.scalar(query) is not None:
        raise RegisterRuleError(
            _("Es gibt bereits einen Akteur namens „%(name)s“ (Groß- und Kleinschreibung wird "
              "nicht unterschieden). Bitte wählen Sie einen eindeutigen Namen.", name=name),
            "name",
        )


def _flush_unique_name(name: str, except_id: int | None) -> None:
    """Flush; a concurrent insert of the same name (possible on PostgreSQL between our check
    and the flush) becomes the same German message instead of an error page."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _check_name_unique(name, except_id)
        raise
