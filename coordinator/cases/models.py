"""Cases, the departments and groups involved in them, consents, goals and notes.

Nothing here names the resident: no name, birth date, address, nationality or file number.
Free texts (notes, goals, consent purposes) are checked by :mod:`.personal_data` before they
are stored. Referrals and conferences live in :mod:`.referral_models`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, enum_column
from ..timeutil import utcnow

NOTE_MAX = 500
GOAL_MAX = 300
PURPOSE_MAX = 300


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return CASE_STATUS_LABELS[self]


CASE_STATUS_LABELS = {
    CaseStatus.OPEN: _l("offen"),
    CaseStatus.IN_PROGRESS: _l("in Bearbeitung"),
    CaseStatus.CLOSED: _l("abgeschlossen"),
}


class PartyRole(enum.StrEnum):
    LEAD = "lead"
    INVOLVED = "involved"
    CONSULTED = "consulted"

    @property
    def label(self) -> str:
        return PARTY_ROLE_LABELS[self]


PARTY_ROLE_LABELS = {
    PartyRole.LEAD: _l("federführend"),
    PartyRole.INVOLVED: _l("beteiligt"),
    PartyRole.CONSULTED: _l("beratend hinzugezogen"),
}


class LegalBasis(enum.StrEnum):
    """Statutory bases for sharing a case without consent (see the domain notes)."""

    SGB_X_69 = "sgbx_69_1_1"
    SGB_X_71 = "sgbx_71"
    SGB_VIII_8A = "sgbviii_8a"
    AUFENTHG_87 = "aufenthg_87"

    @property
    def label(self) -> str:
        return LEGAL_BASIS_LABELS[self]


LEGAL_BASIS_LABELS = {
    LegalBasis.SGB_X_69: _l("§ 69 Abs. 1 Nr. 1 SGB X (Erfüllung der eigenen gesetzlichen "
                            "Aufgabe)"),
    LegalBasis.SGB_X_71: _l("§ 71 SGB X (gesetzliche Mitteilungspflicht)"),
    LegalBasis.SGB_VIII_8A: _l("§ 8a SGB VIII (Schutzauftrag bei Kindeswohlgefährdung)"),
    LegalBasis.AUFENTHG_87: _l("§ 87 AufenthG (Übermittlung an die Ausländerbehörde)"),
}


class GoalStatus(enum.StrEnum):
    OPEN = "open"
    REACHED = "reached"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return GOAL_STATUS_LABELS[self]


GOAL_STATUS_LABELS = {
    GoalStatus.OPEN: _l("offen"),
    GoalStatus.REACHED: _l("erreicht"),
    GoalStatus.DROPPED: _l("nicht weiter verfolgt"),
}

case_need = Table(
    "case_need",
    db.metadata,
    Column("case_id", ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True),
    Column("field_id", ForeignKey("field_of_work.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

consent_coverage = Table(
    "case_consent_coverage",
    db.metadata,
    Column("consent_id", ForeignKey("case_consent.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholder.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class CaseOutcome(db.Model):
    """The editable list of outcomes a closed case can have (kept by admins)."""

    __tablename__ = "case_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Case(db.Model):
    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), index=True,
                                               default=CaseStatus.OPEN)
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_outcome.id", ondelete="RESTRICT"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="RESTRICT"),
                                         index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    lead: Mapped[Stakeholder] = relationship()
    outcome: Mapped[CaseOutcome | None] = relationship()
    needs: Mapped[list[FieldOfWork]] = relationship(secondary=case_need,
                                                    order_by=FieldOfWork.position)
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.joined_on")
    consents: Mapped[list[CaseConsent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseConsent.given_on")
    goals: Mapped[list[CaseGoal]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseGoal.id")
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNote.created_at")

    @property
    def status_label(self) -> str:
        return CASE_STATUS_LABELS[self.status]

    def party_for(self, stakeholder_id: int | None) -> CaseParty | None:
        return next((p for p in self.parties if p.stakeholder_id == stakeholder_id), None)

    def __repr__(self) -> str:
        return f"<Case {self.id}>"  # never the reference: reprs end up in logs


class CaseParty(db.Model):
    """A department or group involved in a case, on a basis: a statutory one chosen here, or
    (``legal_basis`` empty) a consent of the resident that covers it. The lead department
    keeps the case in its own files and needs no basis to see it."""

    __tablename__ = "case_party"
    __table_args__ = (UniqueConstraint("case_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="RESTRICT"), index=True)
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole))
    joined_on: Mapped[date] = mapped_column(Date)
    legal_basis: Mapped[LegalBasis | None] = mapped_column(enum_column(LegalBasis))

    case: Mapped[Case] = relationship(back_populates="parties")
    stakeholder: Mapped[Stakeholder] = relationship()

    @property
    def role_label(self) -> str:
        return PARTY_ROLE_LABELS[self.role]


class CaseConsent(db.Model):
    """Einwilligung / Schweigepflichtentbindung: which departments and groups the resident
    released from confidentiality, for which purpose, from when, until revoked."""

    __tablename__ = "case_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    given_on: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(PURPOSE_MAX))
    revoked_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship(back_populates="consents")
    covers: Mapped[list[Stakeholder]] = relationship(secondary=consent_coverage,
                                                     order_by=Stakeholder.name)

    @property
    def active(self) -> bool:
        return self.revoked_on is None


class CaseGoal(db.Model):
    """A goal agreed with the resident (Zielvereinbarung)."""

    __tablename__ = "case_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    text: Mapped[str] = mapped_column(String(GOAL_MAX))
    responsible_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="RESTRICT"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[GoalStatus] = mapped_column(enum_column(GoalStatus), default=GoalStatus.OPEN)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_conference.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    case: Mapped[Case] = relationship(back_populates="goals")
    responsible: Mapped[Stakeholder] = relationship()

    @property
    def status_label(self) -> str:
        return GOAL_STATUS_LABELS[self.status]


class CaseNote(db.Model):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         index=True)
    text: Mapped[str] = mapped_column(String(NOTE_MAX))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="notes")
    author: Mapped["User | None"] = relationship()  # noqa: F821,UP037


class CaseDeletionRecord(db.Model):
    """What remains of a case after the retention period: no reference, no content — a hash
    of the pseudonym (to answer "was case X deleted?"), its dates, the fields of need and
    counts, which keep the cross-case figures stable."""

    __tablename__ = "case_deletion_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_hash: Mapped[str] = mapped_column(String(64), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    need_keys: Mapped[list] = mapped_column(JSON, default=list)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
