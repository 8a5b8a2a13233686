"""What the audit trail records about register and catalogue changes.

Departments and groups are recorded with old and new values. For engaged individuals the
fields that anonymisation removes (name, affiliation, description, date of consent) are
recorded only as digests: the trail is append-only, so a name stored here could never be
erased again (DSGVO Art. 17). The digest still proves that and when a value changed.
"""

from __future__ import annotations

from ..audit.models import Action
from ..audit.operations import record_change
from .models import FieldOfWork, Stakeholder, StakeholderKind

STAKEHOLDER = "stakeholder"
FIELD_OF_WORK = "field_of_work"
PERSONAL_FIELDS = ("name", "affiliation", "description", "consent_date")


def stakeholder_snapshot(stakeholder: Stakeholder | None) -> dict:
    """The audited fields of a stakeholder (empty for one that does not exist yet); take it
    before a change and after the flush (``parent_id`` follows ``parent`` only then)."""
    if stakeholder is None:
        return {}
    return {
        "name": stakeholder.name,
        "kind": stakeholder.kind,
        "parent_id": stakeholder.parent_id,  # taken from flushed state (no lazy loads)
        "fields": sorted(f.key for f in stakeholder.fields),
        "description": stakeholder.description or "",
        "affiliation": stakeholder.affiliation or "",
        "consent_date": stakeholder.consent_date,
        "active": stakeholder.active,
        "name_public": stakeholder.name_public,
    }


def stakeholder_label(stakeholder_id: int, kind: StakeholderKind, name: str) -> str:
    """A label without personal data: an individual is only its id."""
    if kind is StakeholderKind.INDIVIDUAL:
        return f"Einzelperson #{stakeholder_id}"
    return name


def record_stakeholder(action: str, stakeholder: Stakeholder, before: dict,
                       after: dict | None = None, detail: dict | None = None) -> None:
    """One entry for ``stakeholder`` with the fields that differ between ``before`` and
    ``after`` (default: its current state); nothing for an update that changed nothing."""
    after = stakeholder_snapshot(stakeholder) if after is None else after
    kinds = {before.get("kind"), after.get("kind")}
    record_change(action, STAKEHOLDER, stakeholder.id, before, after,
                  label=stakeholder_label(stakeholder.id, stakeholder.kind, stakeholder.name),
                  hashed=PERSONAL_FIELDS if StakeholderKind.INDIVIDUAL in kinds else (),
                  detail=detail)


def field_snapshot(field: FieldOfWork | None) -> dict:
    if field is None:
        return {}
    return {"key": field.key, "label": field.label, "position": field.position}


def record_field(action: str, field: FieldOfWork, before: dict) -> None:
    after = {} if action == Action.DELETE else field_snapshot(field)
    record_change(action, FIELD_OF_WORK, field.id, before, after, label=field.label)
