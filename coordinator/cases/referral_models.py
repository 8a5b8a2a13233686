"""Referrals between departments within a case, case conferences, and the marker that
tells the network which joint activities came from case work."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..activities.models import JointActivity
from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, enum_column
from ..timeutil import utcnow
from .models import Case, CaseGoal, LegalBasis

MINUTES_MAX = 1000
RESEND_NOTE_MAX = 300


class ReferralStatus(enum.StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    FIRST_CONTACT = "first_contact"
    DONE = "done"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return REFERRAL_STATUS_LABELS[self]


REFERRAL_STATUS_LABELS = {
    ReferralStatus.SENT: _l("gesendet"),
    ReferralStatus.ACCEPTED: _l("angenommen"),
    ReferralStatus.FIRST_CONTACT: _l("Erstkontakt"),
    ReferralStatus.DONE: _l("erledigt"),
    ReferralStatus.DECLINED: _l("abgelehnt"),
}


class DeclineReason(enum.StrEnum):
    NOT_RESPONSIBLE = "not_responsible"
    NO_CAPACITY = "no_capacity"
    CRITERIA = "criteria"
    ALREADY_SUPPORTED = "already_supported"
    NOT_REACHED = "not_reached"
    CONSENT_REVOKED = "consent_revoked"

    @property
    def label(self) -> str:
        return DECLINE_REASON_LABELS[self]


DECLINE_REASON_LABELS = {
    DeclineReason.NOT_RESPONSIBLE: _l("nicht zuständig"),
    DeclineReason.NO_CAPACITY: _l("keine Kapazität"),
    DeclineReason.CRITERIA: _l("Voraussetzungen nicht erfüllt"),
    DeclineReason.ALREADY_SUPPORTED: _l("bereits anderweitig betreut"),
    DeclineReason.NOT_REACHED: _l("Person nicht erreicht"),
    DeclineReason.CONSENT_REVOKED: _l("Einwilligung widerrufen"),
}

conference_review = Table(
    "case_conference_review",
    db.metadata,
    Column("conference_id", ForeignKey("case_conference.id", ondelete="CASCADE"),
           primary_key=True),
    Column("goal_id", ForeignKey("case_goal.id", ondelete="CASCADE"), primary_key=True),
)


class Referral(db.Model):
    """One department refers the case to another for one field of need.

    ``case_id`` becomes empty when the retention period deletes the case: what stays is
    content-free (departments, field, dates, status, reason) and keeps the coordination
    figures and the network stable.
    """

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="SET NULL"),
                                                index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="RESTRICT"),
                                         index=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="RESTRICT"),
                                       index=True)
    field_id: Mapped[int | None] = mapped_column(
        ForeignKey("field_of_work.id", ondelete="SET NULL"), index=True)
    sent_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus), index=True,
                                                   default=ReferralStatus.SENT)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        enum_column(DeclineReason, length=30))
    # Empty: the recipient is covered by a consent of the resident.
    legal_basis: Mapped[LegalBasis | None] = mapped_column(enum_column(LegalBasis))
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("joint_activity.id", ondelete="SET NULL"))
    first_contact_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case | None] = relationship()
    sender: Mapped[Stakeholder] = relationship(foreign_keys=[from_id])
    recipient: Mapped[Stakeholder] = relationship(foreign_keys=[to_id])
    field: Mapped[FieldOfWork | None] = relationship()
    activity: Mapped[JointActivity | None] = relationship()
    steps: Mapped[list[ReferralStep]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralStep.id")

    @property
    def status_label(self) -> str:
        return REFERRAL_STATUS_LABELS[self.status]


class ReferralStep(db.Model):
    """Each status a referral reached, when and set by whom."""

    __tablename__ = "referral_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"),
                                             index=True)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The note of a re-sent referral; emptied by the retention purge.
    note: Mapped[str] = mapped_column(String(RESEND_NOTE_MAX), default="")

    referral: Mapped[Referral] = relationship(back_populates="steps")
    user: Mapped["User | None"] = relationship()  # noqa: F821,UP037

    @property
    def status_label(self) -> str:
        return REFERRAL_STATUS_LABELS[self.status]


class CaseConference(db.Model):
    """A Fallkonferenz: its date and participants are those of its joint activity."""

    __tablename__ = "case_conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("joint_activity.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[str] = mapped_column(String(MINUTES_MAX), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship(
        backref=backref("conferences", cascade="all, delete-orphan",
                        order_by="CaseConference.held_on"))
    activity: Mapped[JointActivity | None] = relationship()
    agreed_goals: Mapped[list[CaseGoal]] = relationship(
        primaryjoin="CaseGoal.conference_id == CaseConference.id", viewonly=True)
    reviewed_goals: Mapped[list[CaseGoal]] = relationship(secondary=conference_review)


class CaseDerivedActivity(db.Model):
    """Marks a joint activity that case work created (an accepted referral or a case
    conference). It outlives the case, so the network can still include or exclude the
    activity once the case itself is deleted."""

    __tablename__ = "case_derived_activity"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("joint_activity.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # "referral" or "case_conference"

    activity: Mapped[JointActivity] = relationship()
