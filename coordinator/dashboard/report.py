"""The leadership dashboard as plain data: headline figures, trend charts, isolated
departments with recommended introductions, key persons, brokers, the two matrices and the
communities — all from the analysis' cached metrics of one scope.

Templates render it (``templates/dashboard/``); every name reaches the page through Jinja's
escaping. Large networks are cut down for the page (the matrix to the most active
departments, lists to their heads) with a note saying so; the exports hold everything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ..network.analysis.metrics import NetworkMetrics
from ..network.web.explanations import METRIC_EXPLANATIONS, field_labels, format_introduction_reason
from .charts import LineChart, line_chart

MATRIX_DEPARTMENTS = 15  # the department × department matrix shows the most active ones
COVERAGE_ROWS = 40
LIST_LENGTH = 10
COMMUNITY_MEMBERS_SHOWN = 12
HEAT_LEVELS = 4


# The help page's section for every figure (templates/dashboard/help.html).
HELP_ANCHORS = {
    "nodes": "teilnetz", "activities": "entwicklung", "edges": "dichte", "density": "dichte",
    "department_density": "dichte", "components": "teilnetz",
    "isolated_departments": "isoliertes-ressort",
    "cross_sector_share": "verwaltung-zivilgesellschaft",
}


@dataclass
class Card:
    key: str
    label: str
    value: str
    explanation: str
    warning: bool = False

    @property
    def help_anchor(self) -> str:
        return HELP_ANCHORS.get(self.key, "")


@dataclass
class DepartmentAdvice:
    id: int
    name: str
    isolated: bool
    introductions: list[tuple[int, str, str]]  # (partner id, partner, reason)


@dataclass
class MatrixCell:
    count: int | None  # None on the diagonal
    level: int


@dataclass
class Matrix:
    ids: list[int]
    names: list[str]
    rows: list[list[MatrixCell]]
    omitted: int


@dataclass
class CoverageCell:
    count: int
    registered: bool
    gap: bool


@dataclass
class Coverage:
    fields: list[str]
    rows: list[tuple[str, list[CoverageCell]]]
    gaps: list[tuple[str, list[str]]]  # department, field labels without a cross tie
    omitted: int


@dataclass
class Community:
    size: int
    members: list[tuple[int, str]]  # (id, name)
    more: int


@dataclass
class Dashboard:
    cards: list[Card]
    charts: list[LineChart]
    isolated_departments: list[tuple[int, str]]  # (id, name)
    advice: list[DepartmentAdvice]
    key_persons: list[tuple[int, str, int, int]]  # id, name, cut off, parts
    brokers: list[tuple[int, str, str]]  # id, name, formatted betweenness
    betweenness_approximate: bool
    matrix: Matrix
    coverage: Coverage
    communities: list[Community]
    modularity: str
    explanations: dict = field(default_factory=dict)


def build_dashboard(
    metrics: NetworkMetrics,
    *,
    matrix_size: int = MATRIX_DEPARTMENTS,
    list_length: int = LIST_LENGTH,
    suggestions: int | None = None,
    today: date | None = None,
    printed: bool = False,
) -> Dashboard:
    """Everything the dashboard shows; the printable report asks for shorter lists (at most
    ``list_length`` departments with ``suggestions`` introductions each) and ``printed``
    charts (small enough for three side by side on A4)."""
    names = metrics.names
    labels = field_labels()
    return Dashboard(
        cards=_cards(metrics),
        charts=_charts(metrics, today or date.today(), compact=printed),
        isolated_departments=sorted(((x, names[x]) for x in metrics.isolated_departments),
                                    key=lambda item: item[1].casefold()),
        advice=_advice(metrics, labels, list_length if suggestions else None, suggestions),
        key_persons=[(k.node, names[k.node], k.cut_off, k.parts)
                     for k in metrics.key_persons[:list_length]],
        brokers=[(x, names[x], format_decimal(value, "0.000"))
                 for x, value in metrics.brokers[:list_length]],
        betweenness_approximate=metrics.betweenness_approximate,
        matrix=_matrix(metrics, matrix_size),
        coverage=_coverage(metrics, labels),
        communities=_communities(metrics),
        modularity=_decimal(metrics.modularity),
        explanations={key: str(text) for key, text in METRIC_EXPLANATIONS.items()},
    )


def _decimal(value: float | None, pattern: str = "0.00") -> str:
    return "–" if value is None else format_decimal(value, pattern)


def _percent(value: float | None) -> str:
    return "–" if value is None else format_percent(value, "#,##0 %")


def _cards(m: NetworkMetrics) -> list[Card]:
    explain = METRIC_EXPLANATIONS
    return [
        Card("nodes", _("Akteure"), format_decimal(m.nodes, "#,##0"), str(explain["nodes"])),
        Card("activities", _("Gemeinsame Aktivitäten"),
             format_decimal(m.activities or 0, "#,##0"), str(explain["activities"])),
        Card("edges", _("Verbindungen"), format_decimal(m.edges, "#,##0"), str(explain["edges"])),
        Card("density", _("Dichte"), _decimal(m.density, "0.000"), str(explain["density"])),
        Card("department_density", _("Dichte zwischen Ressorts"),
             _decimal(m.department_density, "0.000"), str(explain["department_density"])),
        Card("components", _("Teilnetze"), format_decimal(m.components, "#,##0"),
             str(explain["components"]), warning=m.components > 1),
        Card("isolated_departments", _("Isolierte Ressorts"),
             format_decimal(len(m.isolated_departments), "#,##0"),
             str(explain["isolated_departments"]), warning=bool(m.isolated_departments)),
        Card("cross_sector_share", _("Verwaltung ↔ Zivilgesellschaft"),
             _percent(m.cross_sector_share), str(explain["cross_sector_share"])),
    ]


def _charts(m: NetworkMetrics, today: date, compact: bool = False) -> list[LineChart]:
    quarters = m.trend
    labels = [_quarter(q.label) for q in quarters]
    # The running quarter (its end not reached yet) is marked, not read as a drop.
    incomplete = next((i for i, q in enumerate(quarters) if q.end >= today), None)
    span = (_("von %(first)s bis %(last)s", first=labels[0], last=labels[-1])
            if labels else "")
    return [
        line_chart(
            _("Aktivitäten und Verbindungen je Quartal"),
            _("Zahl der gemeinsamen Aktivitäten und der Verbindungen je Quartal, %(span)s.",
              span=span),
            labels,
            [(_("Aktivitäten"), [q.activities for q in quarters]),
             (_("Verbindungen"), [q.ties for q in quarters])],
            incomplete=incomplete, compact=compact,
        ),
        line_chart(
            _("Dichte je Quartal"),
            _("Dichte des ganzen Netzwerks und Dichte zwischen den Ressorts je Quartal, "
              "%(span)s.", span=span),
            labels,
            [(_("Dichte"), [q.density for q in quarters]),
             (_("Dichte zwischen Ressorts"), [q.department_density for q in quarters])],
            value_format="ratio",
            incomplete=incomplete, compact=compact,
        ),
        line_chart(
            _("Isolierte Ressorts und Teilnetze je Quartal"),
            _("Zahl der isolierten Ressorts und der getrennten Teilnetze je Quartal, "
              "%(span)s.", span=span),
            labels,
            [(_("Isolierte Ressorts"), [q.isolated_departments for q in quarters]),
             (_("Teilnetze"), [q.components for q in quarters])],
            incomplete=incomplete, compact=compact,
        ),
    ]


def _quarter(label: str) -> str:
    """'2026-Q1' → 'Q1 2026'."""
    year, _sep, quarter = label.partition("-")
    return f"{quarter} {year}" if quarter else label


def _advice(
    m: NetworkMetrics, labels: dict[str, str], departments: int | None, per_department: int | None
) -> list[DepartmentAdvice]:
    names = m.names
    isolated = set(m.isolated_departments)
    by_department: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    order: list[int] = []
    for intro in m.recommended_introductions:
        if intro.department not in by_department:
            order.append(intro.department)
        by_department[intro.department].append(
            (intro.partner, names[intro.partner],
             format_introduction_reason(intro, names, labels))
        )
    for department in m.isolated_departments:  # isolated ones without any suggestion too
        if department not in by_department:
            order.append(department)
    return [
        DepartmentAdvice(d, names[d], d in isolated, by_department.get(d, [])[:per_department])
        for d in order[:departments]
    ]


def _matrix(m: NetworkMetrics, size: int) -> Matrix:
    """The most active departments (by activities with other departments) as a symmetric
    table; the shading level accompanies the number, never replaces it."""
    totals: dict[int, int] = defaultdict(int)
    counts: dict[tuple[int, int], int] = {}
    for a, b, n in m.department_pairs:
        totals[a] += n
        totals[b] += n
        counts[(a, b)] = counts[(b, a)] = n
    departments = [x for x, kind in m.kinds.items() if kind == "department"]
    departments.sort(key=lambda x: (-totals[x], m.names[x].casefold()))
    shown = sorted(departments[:size], key=lambda x: m.names[x].casefold())
    peak = max((counts.get((a, b), 0) for a in shown for b in shown if a != b), default=0)
    rows = []
    for a in shown:
        row = []
        for b in shown:
            if a == b:
                row.append(MatrixCell(None, 0))
                continue
            n = counts.get((a, b), 0)
            level = 0 if not n or not peak else max(1, -(-n * HEAT_LEVELS // peak))
            row.append(MatrixCell(n, level))
        rows.append(row)
    return Matrix(shown, [m.names[x] for x in shown], rows, len(departments) - len(shown))


def _coverage(m: NetworkMetrics, labels: dict[str, str]) -> Coverage:
    fc = m.field_coverage
    field_names = [labels.get(key, key) for key in fc.fields]
    rows = sorted(fc.rows, key=lambda r: (-len(r.flagged), m.names[r.department].casefold()))
    shown = rows[:COVERAGE_ROWS]
    return Coverage(
        fields=field_names,
        rows=[
            (m.names[r.department],
             [CoverageCell(n, registered, key in r.flagged)
              for key, n, registered in zip(fc.fields, r.activities, r.registered, strict=True)])
            for r in shown
        ],
        gaps=[(m.names[r.department], [labels.get(key, key) for key in r.flagged])
              for r in shown if r.flagged],
        omitted=len(rows) - len(shown),
    )


def _communities(m: NetworkMetrics) -> list[Community]:
    groups = sorted((g for g in m.communities if len(g) > 1), key=len, reverse=True)
    result = []
    for group in groups[:LIST_LENGTH]:
        members = sorted(((x, m.names[x]) for x in group), key=lambda item: item[1].casefold())
        result.append(Community(len(group), members[:COMMUNITY_MEMBERS_SHOWN],
                                max(len(group) - COMMUNITY_MEMBERS_SHOWN, 0)))
    return result
