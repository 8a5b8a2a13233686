"""Questionnaire catalogue, survey rounds and the departments' answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..register.models import Stakeholder
from ..timeutil import utcnow


class SurveyHeading(db.Model):
    __tablename__ = "survey_heading"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The heading whose mean is the department's own view of how well it is networked.
    about_networking: Mapped[bool] = mapped_column(Boolean, default=False)

    items: Mapped[list[SurveyItem]] = relationship(
        back_populates="heading", order_by="SurveyItem.position"
    )


class SurveyItem(db.Model):
    """One Likert statement (1 = trifft nicht zu … 5 = trifft voll zu)."""

    __tablename__ = "survey_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    heading_id: Mapped[int] = mapped_column(ForeignKey("survey_heading.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    heading: Mapped[SurveyHeading] = relationship(back_populates="items")


class SurveyRound(db.Model):
    """A round (e.g. yearly); ``since``/``until`` is the period the answers are about, which
    the perceived-vs-logged comparison uses for the logged activities."""

    __tablename__ = "survey_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SelfAssessmentAnswer(db.Model):
    """A department's answer to one item in one round; ``value`` ``None`` = "kann ich nicht
    beurteilen"."""

    __tablename__ = "self_assessment_answer"
    __table_args__ = (
        UniqueConstraint("round_id", "department_id", "item_id"),
        CheckConstraint("value IS NULL OR (value BETWEEN 1 AND 5)", name="likert_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"),
                                          index=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("survey_item.id", ondelete="CASCADE"))
    value: Mapped[int | None] = mapped_column(SmallInteger)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    department: Mapped[Stakeholder] = relationship()


class RelationalRating(db.Model):
    """How one department sees its cooperation with another: Levels of Collaboration (0–5)
    and, from 1 on, three PARTNER trust items (1–4)."""

    __tablename__ = "relational_rating"
    __table_args__ = (
        UniqueConstraint("round_id", "rater_id", "partner_id"),
        CheckConstraint("rater_id <> partner_id", name="not_self"),
        CheckConstraint("level BETWEEN 0 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"),
                                          index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"),
                                          index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(SmallInteger)
    reliable: Mapped[int | None] = mapped_column(SmallInteger)
    open_to_discussion: Mapped[int | None] = mapped_column(SmallInteger)
    shared_mission: Mapped[int | None] = mapped_column(SmallInteger)
