"""``import-csv indicators``: values per indicator, period and group, all or nothing.

Indicators are found by key or name; the same indicator, period and group twice in one file
is an error (which of the two would count?). Stored values are replaced (``updated``) or left
alone when equal (``unchanged``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..imports.activity_writer import CREATED, UNCHANGED, UPDATED
from ..imports.columns import clip, normalise
from ..imports.success_kinds import INDICATORS
from ..imports.success_rows import checked_records, number_cell, period_cell, tally
from ..imports.validation import RowChecker, RowError
from .models import GROUP_LABELS, TOTAL, Indicator, IndicatorValue

SOURCE_MAX = IndicatorValue.__table__.c.source.type.length


@dataclass(frozen=True, slots=True)
class ValueRecord:
    line: int
    indicator_id: int
    period: str
    group: str
    value: float
    source: str


def group_lookup() -> dict[str, str]:
    """normalised key or label (German and English) → group key."""
    lookup = {normalise(key): key for key in GROUP_LABELS}
    for locale in ("en", "de"):
        with force_locale(locale):
            lookup.update({normalise(str(label)): key for key, label in GROUP_LABELS.items()})
    return lookup


class IndicatorValueChecker(RowChecker):
    def __init__(self, header):
        super().__init__(header)
        self.indicators: dict[str, int] = {}
        for indicator_id, key, name in db.session.execute(
            select(Indicator.id, Indicator.key, Indicator.name)
        ):
            self.indicators[normalise(key)] = indicator_id
            self.indicators[normalise(name)] = indicator_id
        self.groups = group_lookup()
        self.seen: dict[tuple[int, str, str], int] = {}

    def check(self, line: int, cells: list[str]) -> ValueRecord | list[RowError]:
        errors: list[RowError] = []
        cells = self.padded(line, cells, errors)
        raw = cells[self.position["indicator"]]
        indicator_id = self.indicators.get(normalise(raw))
        if indicator_id is None:
            errors.append(self.error(line, "indicator", _(
                "Unbekannter Indikator „%(value)s“. Bitte legen Sie ihn zuerst im Katalog an "
                "(Schlüssel oder Bezeichnung).", value=clip(raw)) if raw
                else _("Pflichtangabe fehlt.")))
        period = period_cell(self, line, cells, errors)
        raw_group = cells[self.position["group"]]
        group = self.groups.get(normalise(raw_group)) if raw_group else TOTAL
        if group is None:
            errors.append(self.error(line, "group", _(
                "Unbekannte Gruppe „%(value)s“. Möglich sind: %(known)s.", value=clip(raw_group),
                known=", ".join(GROUP_LABELS))))
        value = number_cell(self, line, cells, "value", errors)
        source = self.text(line, cells, "source", errors, required=False, limit=SOURCE_MAX)
        if errors:
            return errors
        key = (indicator_id, period, group)
        if key in self.seen:
            return [self.error(line, None, _(
                "Derselbe Indikator, Zeitraum und dieselbe Gruppe stehen bereits in Zeile "
                "%(line)d.", line=self.seen[key]))]
        self.seen[key] = line
        return ValueRecord(line, indicator_id, period, group, value, source)


def import_indicator_values(table, report, _user_id: int | None) -> None:
    records = checked_records(table, report, INDICATORS, IndicatorValueChecker)
    if records is None:
        return
    stored = {
        (v.indicator_id, v.period, v.group_key): v
        for v in db.session.scalars(select(IndicatorValue).where(
            IndicatorValue.indicator_id.in_({r.indicator_id for r in records})))
    }
    names = dict(db.session.execute(select(Indicator.id, Indicator.name)).all())
    for record in records:
        row = stored.get((record.indicator_id, record.period, record.group))
        if row is None:
            db.session.add(IndicatorValue(
                indicator_id=record.indicator_id, period=record.period,
                group_key=record.group, value=record.value, source=record.source))
            status = CREATED
        elif row.value != record.value or (record.source and row.source != record.source):
            row.value = record.value
            row.source = record.source or row.source
            status = UPDATED
        else:
            status = UNCHANGED
        tally(report, status, record.line, f"{names[record.indicator_id]} {record.period}",
              f"{GROUP_LABELS[record.group]}: {record.value:g}")
    db.session.flush()
