"""Case events in the audit trail (:mod:`coordinator.audit`, API in AUDIT_API.md).

Every read and every change of a case, referral, goal, note or consent goes through here, so
the rules stay in one place: the entry names the case by its pseudonymous reference (never
any content), and free texts appear only as a digest.
"""

from __future__ import annotations

from ..audit.operations import field_changes, record, text_digest

__all__ = ["case_event", "field_changes", "text_digest", "viewed"]

HASHED_FIELDS = ("text", "minutes", "purpose", "note")


def case_event(action: str, case, object_type: str = "case", object_id=None, *,
               changes: dict | None = None, detail: dict | None = None, user=None):
    """One entry about ``case`` (or an object of it): added to the session, committed by the
    caller together with the change."""
    return record(
        action, object_type, case.id if object_id is None else object_id,
        label=case.reference, case_ref=case.reference, changes=changes, detail=detail,
        user=user,
    )


def viewed(case, objects: dict[str, list[int]] | None = None, page: str = "case") -> None:
    """Reads: one ``view`` entry for the case and one for each referral, goal or consent
    that the page showed."""
    case_event("view", case, detail={"page": page})
    for object_type, ids in (objects or {}).items():
        for object_id in ids:
            case_event("view", case, object_type, object_id, detail={"page": page})


def snapshot(obj, fields) -> dict:
    """The fields of ``obj`` as plain values, for ``field_changes`` (enums as their value,
    related rows as ids)."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, list):
            value = sorted(item.id for item in value)
        elif hasattr(value, "value"):
            value = value.value
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[name] = value
    return values


def changes_between(before: dict, after: dict) -> dict:
    return field_changes(before, after, hashed=HASHED_FIELDS)
