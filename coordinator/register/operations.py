"""Writes to the register that carry business rules."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from .models import FieldOfWork

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
