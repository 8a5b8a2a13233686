"""The JSON shapes of register entries, activities and ties, with the name rule for engaged
individuals applied (see :func:`coordinator.access.sees_individual_names`)."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from ..access import name_rule, withheld_name
from ..activities.models import JointActivity
from ..register.models import Stakeholder, StakeholderKind


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"  # stored as naive UTC
    return value.isoformat()


def stakeholder_ref(stakeholder_id: int, name: str, kind: str, label) -> dict:
    return {"id": stakeholder_id, "name": label(stakeholder_id, name, kind), "kind": kind}


def stakeholder_json(stakeholder: Stakeholder, names_visible: bool) -> dict:
    withheld = stakeholder.kind is StakeholderKind.INDIVIDUAL and not names_visible
    return {
        "id": stakeholder.id,
        "name": withheld_name(stakeholder.id) if withheld else stakeholder.name,
        "name_withheld": withheld,
        "kind": stakeholder.kind.value,
        "kind_label": str(stakeholder.kind_label),
        "active": stakeholder.active,
        "parent_id": stakeholder.parent_id,
        "fields": [f.key for f in stakeholder.fields],
        "description": "" if withheld else stakeholder.description,
        "affiliation": None if withheld else (stakeholder.affiliation or None),
        "consent_date": None if withheld else iso(stakeholder.consent_date),
        "created_at": iso(stakeholder.created_at),
        "updated_at": iso(stakeholder.updated_at),
        "links": {
            "self": url_for("api.stakeholder", stakeholder_id=stakeholder.id),
            "web": url_for("register.stakeholder", stakeholder_id=stakeholder.id),
        },
    }


def activity_json(activity: JointActivity, names_visible: bool) -> dict:
    label = name_rule(names_visible)
    return {
        "id": activity.id,
        "date": iso(activity.date),
        "title": activity.title,
        "kind": activity.kind.value,
        "kind_label": str(activity.kind_label),
        "description": activity.description,
        "fields": [f.key for f in activity.fields],
        "participants": [
            stakeholder_ref(p.id, p.name, p.kind.value, label) for p in activity.participants
        ],
        "created_at": iso(activity.created_at),
        "updated_at": iso(activity.updated_at),
        "links": {
            "self": url_for("api.activity", activity_id=activity.id),
            "web": url_for("activities.detail", activity_id=activity.id),
        },
    }
