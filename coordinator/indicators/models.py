"""Indicator catalogue, values per period and group, and targets per year."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..periods import PERIOD_LENGTH, period_sort_key
from ..register.models import FieldOfWork
from .calculations import HIGHER, LOWER

DIRECTION_LABELS = {
    HIGHER: _l("höher ist besser"),
    LOWER: _l("niedriger ist besser"),
}

TOTAL = "gesamt"
# Groups a value may be given for; the keys are what import files use.
GROUP_LABELS = {
    TOTAL: _l("gesamt"),
    "mit_migrationsgeschichte": _l("mit Migrationsgeschichte"),
    "ohne_migrationsgeschichte": _l("ohne Migrationsgeschichte"),
    "deutsch": _l("deutsch"),
    "auslaendisch": _l("ausländisch"),
}
# Pairs whose difference is the gap shown beside the trend (first minus second).
GAP_PAIRS = (
    ("mit_migrationsgeschichte", "ohne_migrationsgeschichte"),
    ("auslaendisch", "deutsch"),
)


class Indicator(db.Model):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    unit: Mapped[str] = mapped_column(String(40), default="")
    field_id: Mapped[int | None] = mapped_column(
        ForeignKey("field_of_work.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10), default=HIGHER)
    source: Mapped[str] = mapped_column(String(200), default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    field: Mapped[FieldOfWork | None] = relationship()
    targets: Mapped[list[IndicatorTarget]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan",
        order_by="IndicatorTarget.year",
    )
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS.get(self.direction, self.direction)

    def target_map(self) -> dict[int, float]:
        return {t.year: t.value for t in self.targets}

    def sorted_values(self) -> list[IndicatorValue]:
        return sorted(self.values, key=lambda v: (period_sort_key(v.period), v.group_key))


class IndicatorTarget(db.Model):
    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class IndicatorValue(db.Model):
    """One figure: an indicator in one period for one group (``gesamt`` when not split)."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period", "group_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    group_key: Mapped[str] = mapped_column(String(40), default=TOTAL)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200), default="")

    indicator: Mapped[Indicator] = relationship(back_populates="values")

    @property
    def group_label(self) -> str:
        return GROUP_LABELS.get(self.group_key, self.group_key)
