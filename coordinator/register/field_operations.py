"""Writes to the catalogue of fields of work (Handlungsfelder) with their rules."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..activities.models import activity_field
from ..extensions import db
from ..names import clean_name, invisible_characters_message, name_key
from .models import FieldOfWork, stakeholder_field
from .operations import RegisterRuleError

FIELD_KEY_PATTERN = re.compile(r"[a-z0-9_]{1,40}")


def create_field(key: str, label: str, position: int) -> FieldOfWork:
    """Add a field of work; its key is fixed from now on. Flushed, the caller commits."""
    key = key.strip()
    if not FIELD_KEY_PATTERN.fullmatch(key):
        raise RegisterRuleError(
            _("Der Schlüssel darf nur Kleinbuchstaben a–z, Ziffern und Unterstriche enthalten "
              "(höchstens 40 Zeichen), z. B. „gesundheit“ oder „sport_freizeit“."),
            "key",
        )
    field = FieldOfWork(key=key)
    _apply_field(field, label, position)
    db.session.add(field)
    _flush_field(field)
    return field


def update_field(field: FieldOfWork, label: str, position: int) -> None:
    """Change label and position (the key stays). Flushed, the caller commits."""
    _apply_field(field, label, position)
    _flush_field(field)


def delete_field(field_id: int) -> str | None:
    """Delete an unused field of work; returns its label (None if it did not exist).

    Deleting a used field would silently untag its stakeholders and activities (the link
    tables cascade). The row lock makes concurrent tagging wait on PostgreSQL.
    """
    field = db.session.get(FieldOfWork, field_id, with_for_update=True)
    if field is None:
        return None
    stakeholders, activities = (
        db.session.scalar(select(func.count()).select_from(link).where(link.c.field_id == field.id))
        for link in (stakeholder_field, activity_field)
    )
    if stakeholders or activities:
        raise RegisterRuleError(
            _("Das Handlungsfeld „%(label)s“ wird noch verwendet (%(stakeholders)d Akteure, "
              "%(activities)d Aktivitäten) und kann daher nicht gelöscht werden. Entfernen Sie "
              "es zuerst dort oder benennen Sie es um.",
              label=field.label, stakeholders=stakeholders, activities=activities)
        )
    label = field.label
    db.session.delete(field)
    db.session.flush()
    return label


def _apply_field(field: FieldOfWork, label: str, position: int) -> None:
    if problem := invisible_characters_message(label):
        raise RegisterRuleError(problem, "label")
    label = clean_name(label)
    if not label:
        raise RegisterRuleError(_("Bitte geben Sie eine Bezeichnung ein."), "label")
    _check_field_unique(field.key, label, field.id)
    field.label = label
    field.position = position


def _check_field_unique(key: str, label: str, field_id: int | None) -> None:
    # Labels compare like stakeholder names ("Arbeit", "arbeit" and "Ａｒｂｅｉｔ" in one
    # catalogue would only confuse); folded in Python as SQLite's lower() is ASCII-only.
    others = db.session.execute(
        select(FieldOfWork.key, FieldOfWork.label).where(FieldOfWork.id != (field_id or 0))
    ).all()
    if any(other_key == key for other_key, _label in others):
        raise RegisterRuleError(_("Den Schlüssel „%(key)s“ gibt es bereits.", key=key), "key")
    if any(name_key(other) == name_key(label) for _key, other in others):
        raise RegisterRuleError(
            _("Es gibt bereits ein Handlungsfeld „%(label)s“.", label=label), "label"
        )


def _flush_field(field: FieldOfWork) -> None:
    """Flush; a concurrent insert of the same key or label (PostgreSQL) becomes the German
    message instead of an error page."""
    key, label, field_id = field.key, field.label, field.id
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _check_field_unique(key, label, field_id)
        raise
