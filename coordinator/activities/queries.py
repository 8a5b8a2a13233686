"""Reads for the activity pages: the filtered list and the choices the forms offer."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..register.models import (
    STAKEHOLDER_KIND_PLURALS,
    FieldOfWork,
    Stakeholder,
    StakeholderKind,
)
from .forms import ActivityFilterForm
from .models import JointActivity, activity_field, participation

KIND_ORDER = {kind: position for position, kind in enumerate(StakeholderKind)}


def filtered_activities(form: ActivityFilterForm) -> Select:
    """Activities matching a validated filter form, newest first."""
    query = select(JointActivity).options(
        selectinload(JointActivity.participants), selectinload(JointActivity.fields)
    )
    if form.date_from.data:
        query = query.where(JointActivity.date >= form.date_from.data)
    if form.date_to.data:
        query = query.where(JointActivity.date <= form.date_to.data)
    if form.kind_value:
        query = query.where(JointActivity.kind == form.kind_value)
    if form.field.data:
        query = query.where(
            JointActivity.id.in_(
                select(activity_field.c.activity_id)
                .join(FieldOfWork, FieldOfWork.id == activity_field.c.field_id)
                .where(FieldOfWork.key == form.field.data)
            )
        )
    for stakeholder_id in (form.participant_id, form.partner_id):
        if stakeholder_id:
            query = query.where(
                JointActivity.id.in_(
                    select(participation.c.activity_id).where(
                        participation.c.stakeholder_id == stakeholder_id
                    )
                )
            )
    return query.order_by(
        JointActivity.date.desc(), JointActivity.created_at.desc(), JointActivity.id.desc()
    )


def fields_of_work() -> list[FieldOfWork]:
    return list(db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position)))


def _by_kind_and_name(stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    return sorted(stakeholders, key=lambda s: (KIND_ORDER[s.kind], s.name.casefold(), s.id))


def participant_label(stakeholder: Stakeholder) -> str:
    """Name and kind in one label, so the kind does not hang on layout or colour."""
    if stakeholder.active:
        return _("%(name)s (%(kind)s)", name=stakeholder.name, kind=stakeholder.kind_label)
    return _("%(name)s (%(kind)s, inaktiv)", name=stakeholder.name, kind=stakeholder.kind_label)


def participant_choices(keep_ids: Iterable[int] = ()) -> list[SelectChoice]:
    """Active stakeholders, plus the ones given in ``keep_ids`` even if inactive (those
    already on an activity being edited, a staff member's own department)."""
    keep = set(keep_ids)
    condition = Stakeholder.active.is_(True)
    if keep:
        condition = or_(condition, Stakeholder.id.in_(keep))
    stakeholders = db.session.scalars(select(Stakeholder).where(condition))
    return [SelectChoice(str(s.id), participant_label(s)) for s in _by_kind_and_name(stakeholders)]


def participant_filter_choices() -> list[SelectChoice]:
    """Every stakeholder (inactive ones too: their old activities stay findable), grouped by
    kind."""
    stakeholders = _by_kind_and_name(db.session.scalars(select(Stakeholder)))
    return [SelectChoice("", _("alle Beteiligten"))] + [
        SelectChoice(
            str(s.id),
            s.name if s.active else _("%(name)s (inaktiv)", name=s.name),
            optgroup=str(STAKEHOLDER_KIND_PLURALS[s.kind]),
        )
        for s in stakeholders
    ]


def field_choices() -> list[SelectChoice]:
    return [SelectChoice(str(f.id), f.label) for f in fields_of_work()]


def field_filter_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("alle Handlungsfelder"))] + [
        SelectChoice(f.key, f.label) for f in fields_of_work()
    ]
