"""Trend charts as server-rendered SVG (no chart library, nothing loaded from outside).

``line_chart`` only computes geometry (and formats numbers in the request's locale);
``templates/dashboard/_chart.html`` writes the SVG, so every label passes through Jinja's
escaping like any other text. Each chart carries a
``<title>``/``<desc>`` and is followed by a data table with the same numbers (BITV).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 48
MARGIN_RIGHT = 44
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
MAX_X_LABELS = 8
# The printed report's charts: three side by side on A4, their text at least 7 pt.
COMPACT = {"width": 300, "height": 150, "left": 34, "right": 300 - 34, "top": 8,
           "bottom": 150 - 34, "x_labels": 4}


@dataclass
class Series:
    name: str
    values: list[float | None]
    points: list[tuple[float, float]] = field(default_factory=list)
    polylines: list[str] = field(default_factory=list)  # one per unbroken run of values
    # The running quarter: drawn as a dashed segment to a hollow point, apart from the line.
    incomplete_segment: str = ""
    incomplete_point: tuple[float, float] | None = None


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    title: str
    description: str
    labels: list[str]
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    value_format: str
    incomplete: int | None = None  # index of the running, still incomplete period
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    right: int = WIDTH - MARGIN_RIGHT
    top: int = MARGIN_TOP
    bottom: int = HEIGHT - MARGIN_BOTTOM

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(v is None for s in self.series for v in s.values)

    @property
    def incomplete_label(self) -> str | None:
        return None if self.incomplete is None else self.labels[self.incomplete]

    def rows(self) -> list[tuple[str, list[str]]]:
        """The data table: one row per period, one formatted cell per series."""
        return [
            (_("%(period)s (läuft noch)", period=label) if i == self.incomplete else label,
             [format_value(s.values[i], self.value_format) for s in self.series])
            for i, label in enumerate(self.labels)
        ]


def line_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    value_format: str = "int",
    y_max: float | None = None,
    incomplete: int | None = None,
    compact: bool = False,
) -> LineChart:
    """A line chart of one or two series over the same periods (``None`` = no value).
    The period at index ``incomplete`` (the running quarter) is drawn apart: a dashed
    segment to a hollow point, so that its low values do not read as a drop."""
    labels = [str(label) for label in labels]
    values = [v for _name, vs in series for v in vs if v is not None]
    top_value = y_max if y_max is not None else _nice_ceiling(max(values, default=0))
    top_value = top_value or 1
    chart = LineChart(title, description, labels, [], [], [], value_format, incomplete)
    max_x_labels = MAX_X_LABELS
    if compact:
        geometry = dict(COMPACT)
        max_x_labels = geometry.pop("x_labels")
        for key, value in geometry.items():
            setattr(chart, key, value)
    plot_w = chart.right - chart.left
    plot_h = chart.bottom - chart.top
    step = plot_w / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return round(chart.left + (i * step if len(labels) > 1 else plot_w / 2), 1)

    def y_at(v: float) -> float:
        return round(chart.bottom - plot_h * min(v, top_value) / top_value, 1)

    for name, vs in series:
        line = Series(str(name), [None if v is None else float(v) for v in vs])
        run: list[str] = []
        for i, v in enumerate(line.values):
            if i == incomplete and v is not None:
                point = (x_at(i), y_at(v))
                line.incomplete_point = point
                previous = line.values[i - 1] if i > 0 else None
                if previous is not None:
                    line.incomplete_segment = (f"{x_at(i - 1)},{y_at(previous)} "
                                               f"{point[0]},{point[1]}")
                continue
            if v is None:
                if len(run) > 1:
                    line.polylines.append(" ".join(run))
                run = []
                continue
            point = (x_at(i), y_at(v))
            line.points.append(point)
            run.append(f"{point[0]},{point[1]}")
        if len(run) > 1:
            line.polylines.append(" ".join(run))
        chart.series.append(line)

    steps = _tick_steps(top_value, value_format)
    tick_values = [top_value * k / steps for k in range(steps + 1)]
    chart.y_ticks = [Tick(y_at(v), label)
                     for v, label in zip(tick_values, tick_labels(tick_values, value_format),
                                         strict=True)]
    every = max(1, math.ceil(len(labels) / max_x_labels))
    chart.x_ticks = [Tick(x_at(i), label) for i, label in enumerate(labels) if i % every == 0]
    return chart


def format_value(value: float | None, value_format: str, decimals: int | None = None) -> str:
    """A value as the page shows it; ``decimals`` overrides the format's usual precision
    (two for ratios, none for percentages and counts)."""
    if value is None:
        return "–"
    if value_format == "percent":
        return format_percent(value, "#,##0" + _fraction(decimals or 0) + " %")
    if value_format == "ratio":
        return format_decimal(value, "#,##0" + _fraction(2 if decimals is None else decimals))
    return format_decimal(value, "#,##0" + _fraction(decimals or 0))


def _fraction(decimals: int) -> str:
    return "." + "0" * decimals if decimals else ""


def tick_labels(values: Sequence[float], value_format: str, max_decimals: int = 4) -> list[str]:
    """Axis labels that differ from each other at the precision shown: more decimals until
    no two ticks read the same (a small density axis read 0,00 / 0,00 / 0,01 before)."""
    base = 2 if value_format == "ratio" else 0
    for decimals in range(base, max_decimals + 1):
        labels = [format_value(v, value_format, decimals) for v in values]
        if len(set(labels)) == len(labels):
            return labels
    return labels


def _tick_steps(top: float, value_format: str) -> int:
    """How many intervals the y axis gets so that every tick is a round number: 4 for tops
    like 2 or 200 (steps of 0.5 × a power of ten), else 5; small counts in steps of one."""
    if value_format == "int" and top <= 5:
        return max(int(top), 1)
    mantissa = top / 10 ** math.floor(math.log10(top))
    return 4 if math.isclose(mantissa, 2) else 5


def _nice_ceiling(value: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``value`` (for round axis labels)."""
    if value <= 0:
        return 0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power:
            return factor * power
    return 10 * power
