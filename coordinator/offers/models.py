"""Offers, their providers, participation counts per period and group, population shares."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..periods import PERIOD_LENGTH
from ..register.models import FieldOfWork, Stakeholder, name_key
from .reach import ALL_RESIDENTS, LONG_TIME, NAMED, NEWCOMERS, UNKNOWN

TARGET_GROUP_LABELS = {
    ALL_RESIDENTS: _l("alle Bewohner:innen"),
    NEWCOMERS: _l("Neuzugewanderte"),
    LONG_TIME: _l("Alteingesessene"),
    NAMED: _l("benannte Gruppe"),
}
PARTICIPANT_GROUP_LABELS = {
    NEWCOMERS: _l("Neuzugewanderte"),
    LONG_TIME: _l("Alteingesessene"),
    UNKNOWN: _l("unbekannt"),
}

offer_provider = Table(
    "offer_provider",
    db.metadata,
    Column("offer_id", ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholder.id", ondelete="CASCADE"),
           primary_key=True),
)


class Offer(db.Model):
    """An Angebot such as a language café or a parents' course. ``title_key`` matches titles
    in imports regardless of case and spacing."""

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_key: Mapped[str] = mapped_column(String(200), unique=True)
    field_id: Mapped[int | None] = mapped_column(
        ForeignKey("field_of_work.id", ondelete="SET NULL"), index=True
    )
    target_group: Mapped[str] = mapped_column(String(20), default=ALL_RESIDENTS)
    target_name: Mapped[str] = mapped_column(String(120), default="")  # e.g. "Eltern"
    period_from: Mapped[str | None] = mapped_column(String(PERIOD_LENGTH))
    period_until: Mapped[str | None] = mapped_column(String(PERIOD_LENGTH))
    capacity: Mapped[int | None] = mapped_column(Integer)  # places per period

    field: Mapped[FieldOfWork | None] = relationship()
    providers: Mapped[list[Stakeholder]] = relationship(
        secondary=offer_provider, order_by=Stakeholder.name
    )
    participation: Mapped[list[OfferParticipation]] = relationship(
        back_populates="offer", cascade="all, delete-orphan"
    )

    @validates("title")
    def _set_title_key(self, _key: str, value: str) -> str:
        value = " ".join(value.split())
        self.title_key = name_key(value)
        return value

    @property
    def target_label(self) -> str:
        if self.target_group == NAMED and self.target_name:
            return self.target_name
        return str(TARGET_GROUP_LABELS.get(self.target_group, self.target_group))


class OfferParticipation(db.Model):
    """How many took part in one period, for one group: a count, never a person."""

    __tablename__ = "offer_participation"
    __table_args__ = (UniqueConstraint("offer_id", "period", "group_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"),
                                          index=True)
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    group_key: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)

    offer: Mapped[Offer] = relationship(back_populates="participation")


class PopulationShare(db.Model):
    """The share (0–1) of a group in the Kreis' population in one period."""

    __tablename__ = "population_share"
    __table_args__ = (UniqueConstraint("period", "group_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    group_key: Mapped[str] = mapped_column(String(20))
    share: Mapped[float] = mapped_column(Float)
