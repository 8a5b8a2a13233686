from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..names import clean_name, name_key
from ..timeutil import utcnow


class StakeholderKind(enum.StrEnum):
    DEPARTMENT = "department"
    GROUP = "group"
    INDIVIDUAL = "individual"

    @property
    def label(self) -> str:
        return STAKEHOLDER_KIND_LABELS[self]

    @property
    def plural_label(self) -> str:
        return STAKEHOLDER_KIND_PLURALS[self]


STAKEHOLDER_KIND_LABELS = {
    StakeholderKind.DEPARTMENT: _l("Ressort/Dienststelle"),
    StakeholderKind.GROUP: _l("zivilgesellschaftliche Gruppe"),
    StakeholderKind.INDIVIDUAL: _l("engagierte Einzelperson"),
}
STAKEHOLDER_KIND_PLURALS = {
    StakeholderKind.DEPARTMENT: _l("Ressorts/Dienststellen"),
    StakeholderKind.GROUP: _l("zivilgesellschaftliche Gruppen"),
    StakeholderKind.INDIVIDUAL: _l("engagierte Einzelpersonen"),
}


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> SAEnum:
    """A portable enum column: VARCHAR + CHECK on every database, storing the enum's value."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=True,
        name=f"{enum_cls.__name__.lower()}",
    )


stakeholder_field = Table(
    "stakeholder_field",
    db.metadata,
    Column("stakeholder_id", ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True),
    Column("field_id", ForeignKey("field_of_work.id", ondelete="CASCADE"), primary_key=True),
)


class FieldOfWork(db.Model):
    """A Handlungsfeld such as Arbeit or Wohnen. ``key`` is stable (used in imports, URLs and
    exports); ``label`` is the German display name and may be edited."""

    __tablename__ = "field_of_work"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<FieldOfWork {self.key}>"


class Stakeholder(db.Model):
    """A node of the integration network: a department, a group or an engaged individual.

    For individuals only what the network needs is stored (name or pseudonym, role or
    affiliation, date of consent); never an address or a date of birth.
    """

    __tablename__ = "stakeholder"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[StakeholderKind] = mapped_column(enum_column(StakeholderKind), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    consent_date: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # An individual whose name every role may see (e.g. a named Integrationsbeauftragte who
    # consented); other individuals appear as "Einzelperson N" to roles below coordinator.
    name_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    parent: Mapped[Stakeholder | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Stakeholder]] = relationship(back_populates="parent")
    fields: Mapped[list[FieldOfWork]] = relationship(
        secondary=stakeholder_field, order_by=FieldOfWork.position
    )

    # Optimistic locking: a stale edit form raises StaleDataError → 409 instead of a lost update.
    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _set_name_key(self, _key: str, value: str) -> str:
        value = clean_name(value)
        self.name_key = name_key(value)
        return value

    @property
    def kind_label(self) -> str:
        return STAKEHOLDER_KIND_LABELS[self.kind]

    def __repr__(self) -> str:
        return f"<Stakeholder {self.id} {self.kind.value} {self.name!r}>"
