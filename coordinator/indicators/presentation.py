"""Indicator data as the pages and the leadership report show it: per indicator the main
series, last change, status against target, trend chart (with target line) and the gap
between groups. Reads the database, computes with :mod:`.calculations`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..dashboard.charts import LineChart, line_chart
from ..extensions import db
from ..periods import parse_period, period_sort_key
from .calculations import Change, gap_between, last_change, target_for, traffic_light
from .models import GAP_PAIRS, GROUP_LABELS, TOTAL, Indicator

STATUS_LABELS = {
    "green": _l("Ziel erreicht"),
    "amber": _l("Ziel knapp verfehlt"),
    "red": _l("Ziel verfehlt"),
    "none": _l("kein Zielwert"),
}


@dataclass
class IndicatorSummary:
    indicator: Indicator
    group: str | None  # the group of the main series
    latest_period: str | None
    latest: float | None
    target: float | None
    status: str
    change: Change | None
    series: dict[str, dict[str, float]] = field(default_factory=dict)  # group → period → value

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS.get(self.group, self.group or ""))


def number(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, "#,##0.##")


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def load_indicators(field_id: int | None = None) -> list[Indicator]:
    query = (select(Indicator).options(selectinload(Indicator.values),
                                       selectinload(Indicator.targets),
                                       selectinload(Indicator.field))
             .order_by(Indicator.position, Indicator.name))
    if field_id is not None:
        query = query.where(Indicator.field_id == field_id)
    return list(db.session.scalars(query))


def series_by_group(indicator: Indicator) -> dict[str, dict[str, float]]:
    series: dict[str, dict[str, float]] = defaultdict(dict)
    for value in indicator.sorted_values():
        series[value.group_key][value.period] = value.value
    return dict(series)


def main_group(series: dict[str, dict[str, float]]) -> str | None:
    """``gesamt`` when it has values, else the first catalogue group that has some."""
    for group in (TOTAL, *GROUP_LABELS):
        if series.get(group):
            return group
    return next(iter(series), None)


def summarise(indicator: Indicator, up_to: int | None = None) -> IndicatorSummary:
    """Status of ``indicator`` at its latest value (of year ``up_to`` or earlier, if given)."""
    series = series_by_group(indicator)
    group = main_group(series)
    points = sorted(series.get(group, {}).items(), key=lambda item: period_sort_key(item[0]))
    if up_to is not None:
        points = [(p, v) for p, v in points if parse_period(p).year <= up_to]
    if not points:
        return IndicatorSummary(indicator, group, None, None, None, "none", None, series)
    latest_period, latest = points[-1]
    year = parse_period(latest_period).year
    target = target_for(indicator.target_map(), year)
    return IndicatorSummary(
        indicator, group, latest_period, latest, target,
        traffic_light(latest, target, indicator.direction),
        last_change(points, indicator.direction), series,
    )


def trend_chart(summary: IndicatorSummary) -> LineChart:
    """Every group's values over the periods, with the target of each period's year as a
    line of its own."""
    indicator = summary.indicator
    periods = sorted({p for values in summary.series.values() for p in values},
                     key=period_sort_key)
    series = [(str(GROUP_LABELS.get(g, g)), [values.get(p) for p in periods])
              for g, values in summary.series.items()]
    targets = indicator.target_map()
    if targets:
        series.append((_("Zielwert"),
                       [target_for(targets, parse_period(p).year) for p in periods]))
    chart = line_chart(
        _("%(name)s (%(unit)s)", name=indicator.name, unit=indicator.unit or "–"),
        _("Verlauf von %(name)s je Zeitraum und Gruppe, mit Zielwert.", name=indicator.name),
        periods, series, value_format="ratio",
    )
    # The template draws this series as the dashed target line without points.
    chart.target_series = len(series) - 1 if targets else None
    return chart


def gap_rows(summary: IndicatorSummary) -> list[tuple[str, str, list[tuple[str, float]]]]:
    """(first group, second group, [(period, gap)]) for each group pair that has values."""
    rows = []
    for first, second in GAP_PAIRS:
        gaps = gap_between(summary.series.get(first, {}), summary.series.get(second, {}))
        if gaps:
            ordered = sorted(gaps.items(), key=lambda item: period_sort_key(item[0]))
            rows.append((str(GROUP_LABELS[first]), str(GROUP_LABELS[second]), ordered))
    return rows


def change_text(summary: IndicatorSummary) -> str:
    change = summary.change
    if change is None:
        return _("noch keine Veränderung messbar")
    if change.better is None:
        return _("unverändert seit %(period)s", period=change.previous_period)
    direction = _("besser") if change.better else _("schlechter")
    return _("%(direction)s: %(delta)s gegenüber %(period)s", direction=direction,
             delta=format_decimal(change.delta, "+#,##0.##;−#,##0.##"),
             period=change.previous_period)
