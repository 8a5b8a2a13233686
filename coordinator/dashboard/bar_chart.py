"""Horizontal bar charts as server-rendered SVG, for shares (0–1) and means on a scale.

Like ``charts.line_chart`` this only computes geometry; ``templates/success/_bar_chart.html``
writes the SVG (every label through Jinja's escaping) and a data table with the same numbers.
Series are told apart by fill pattern and legend text, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .charts import format_value

WIDTH = 560
LABEL_WIDTH = 190
RIGHT_MARGIN = 60
BAR_HEIGHT = 12
BAR_GAP = 3
ROW_GAP = 10
TOP = 8


@dataclass
class Bar:
    series: int  # index of the series (selects the fill pattern)
    x: float
    y: float
    width: float
    value: float | None
    text: str


@dataclass
class BarRow:
    label: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class BarChart:
    title: str
    description: str
    series: list[str]
    rows: list[BarRow]
    value_format: str
    height: int
    width: int = WIDTH
    left: int = LABEL_WIDTH

    @property
    def is_empty(self) -> bool:
        return all(bar.value is None for row in self.rows for bar in row.bars)

    def table(self) -> list[tuple[str, list[str]]]:
        return [(row.label, [bar.text for bar in row.bars]) for row in self.rows]


def bar_chart(title: str, description: str, series: Sequence[str],
              rows: Sequence[tuple[str, Sequence[float | None]]], *, maximum: float = 1.0,
              value_format: str = "percent") -> BarChart:
    """One row per label, one bar per series (``None``: no bar, "–" in the table)."""
    plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    per_row = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP
    chart_rows = []
    for index, (label, values) in enumerate(rows):
        y = TOP + index * per_row
        row = BarRow(str(label), y)
        for k, value in enumerate(values):
            share = 0.0 if value is None else max(0.0, min(value / maximum, 1.0))
            row.bars.append(Bar(k, LABEL_WIDTH, round(y + k * (BAR_HEIGHT + BAR_GAP), 1),
                                round(plot * share, 1), value,
                                format_value(value, value_format)))
        chart_rows.append(row)
    height = TOP + len(rows) * per_row + 4
    return BarChart(title, description, [str(s) for s in series], chart_rows, value_format,
                    height)
