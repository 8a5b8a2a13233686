"""Reads for the activity pages: the filtered list and the choices the forms offer."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, name_key
from .forms import ActivityFilterForm, ActivityOrder
from .models import ACTIVITY_KIND_LABELS, ActivityKind, JointActivity, activity_field, participation


def filtered_activities(form: ActivityFilterForm, participant_text: str = "") -> Select:
    """Activities matching a validated filter form, in the order it asks for (newest first by
    default). ``participant_text``: a part of a participant's name, when no participant was
    chosen by id (the filter without JavaScript)."""
    query = select(JointActivity).options(
        selectinload(JointActivity.participants), selectinload(JointActivity.fields)
    )
    if form.q.data:
        query = query.where(or_(
            JointActivity.title.icontains(form.q.data, autoescape=True),
            JointActivity.description.icontains(form.q.data, autoescape=True),
        ))
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
    if participant_text:
        query = query.where(
            JointActivity.id.in_(
                select(participation.c.activity_id)
                .join(Stakeholder, Stakeholder.id == participation.c.stakeholder_id)
                .where(Stakeholder.name_key.contains(name_key(participant_text),
                                                     autoescape=True))
            )
        )
    newest = (JointActivity.date.desc(), JointActivity.created_at.desc(),
              JointActivity.id.desc())
    order = {
        ActivityOrder.OLDEST: (JointActivity.date, JointActivity.created_at, JointActivity.id),
        ActivityOrder.TITLE: (func.lower(JointActivity.title), *newest),
        ActivityOrder.KIND: (_kind_label_order(), *newest),
    }.get(form.order, newest)
    return query.order_by(*order)


def _kind_label_order():
    """The kinds sorted by their label in the user's language."""
    ranked = sorted(ActivityKind, key=lambda kind: str(ACTIVITY_KIND_LABELS[kind]).casefold())
    return case({kind: rank for rank, kind in enumerate(ranked)}, value=JointActivity.kind)


def fields_of_work() -> list[FieldOfWork]:
    return list(db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position)))


def field_choices() -> list[SelectChoice]:
    return [SelectChoice(str(f.id), f.label) for f in fields_of_work()]


def field_filter_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("alle Handlungsfelder"))] + [
        SelectChoice(f.key, f.label) for f in fields_of_work()
    ]
