from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, enum_column
from ..timeutil import utcnow


class ActivityKind(enum.StrEnum):
    MEETING = "meeting"
    PROJECT = "project"
    CASE_CONFERENCE = "case_conference"
    REFERRAL = "referral"
    EVENT = "event"
    WORKING_GROUP = "working_group"

    @property
    def label(self) -> str:
        return ACTIVITY_KIND_LABELS[self]


ACTIVITY_KIND_LABELS = {
    ActivityKind.MEETING: _l("Besprechung"),
    ActivityKind.PROJECT: _l("gemeinsames Projekt"),
    ActivityKind.CASE_CONFERENCE: _l("Fallkonferenz"),
    ActivityKind.REFERRAL: _l("Vermittlung/Überweisung"),
    ActivityKind.EVENT: _l("Veranstaltung"),
    ActivityKind.WORKING_GROUP: _l("Arbeitskreis"),
}

# The participation table is what the network analysis aggregates in SQL; the index on
# stakeholder_id serves "activities of a stakeholder" and the pair self-join.
participation = Table(
    "participation",
    db.metadata,
    Column("activity_id", ForeignKey("joint_activity.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "stakeholder_id",
        ForeignKey("stakeholder.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)

activity_field = Table(
    "activity_field",
    db.metadata,
    Column("activity_id", ForeignKey("joint_activity.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "field_id", ForeignKey("field_of_work.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class JointActivity(db.Model):
    """Something two or more stakeholders did together on a given day."""

    __tablename__ = "joint_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # Set by imports only: a hash of date, title, kind and participants, so that importing
    # the same file twice (or two imports racing) stores each activity once.
    import_fingerprint: Mapped[str | None] = mapped_column(String(64), unique=True)

    participants: Mapped[list[Stakeholder]] = relationship(
        secondary=participation, order_by=Stakeholder.name
    )
    fields: Mapped[list[FieldOfWork]] = relationship(
        secondary=activity_field, order_by=FieldOfWork.position
    )
    created_by: Mapped["User | None"] = relationship()  # noqa: F821,UP037

    __mapper_args__ = {"version_id_col": version}
    # The form's "recently worked with" list reads a user's latest activities: without this
    # index SQLite walked all 100,000 activities of M by date for each form (1 s).
    __table_args__ = (Index("ix_joint_activity_creator_recent", "created_by_id", "date", "id"),)

    @property
    def kind_label(self) -> str:
        return ACTIVITY_KIND_LABELS[self.kind]

    def __repr__(self) -> str:
        return f"<JointActivity {self.id} {self.date} {self.title!r}>"
