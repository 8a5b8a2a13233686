"""What the audit trail records about activities: old and new values of every field."""

from __future__ import annotations

from ..audit.models import Action
from ..audit.operations import record_change
from .models import JointActivity

ACTIVITY = "activity"


def activity_snapshot(activity: JointActivity | None) -> dict:
    if activity is None:
        return {}
    return {
        "date": activity.date,
        "title": activity.title,
        "kind": activity.kind,
        "description": activity.description or "",
        "participants": sorted(s.id for s in activity.participants),
        "fields": sorted(f.key for f in activity.fields),
    }


def record_activity(action: str, activity: JointActivity, before: dict) -> None:
    after = {} if action == Action.DELETE else activity_snapshot(activity)
    record_change(action, ACTIVITY, activity.id, before, after, label=activity.title)
