"""The network's tables as spreadsheets: nodes, ties, the two matrices, the trend and the
dashboard's lists, for German Excel (CSV with ``;`` and BOM), for machines (plain CSV) and
as XLSX (one sheet per table) – all written by :mod:`coordinator.tabular`.

Headings and labels are German ("Ressort/Dienststelle", not ``department``); lists that the
page cuts short (matrix, communities) are complete here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..network.analysis.metrics import NetworkMetrics
from ..network.data.fading_ties import FadingList
from ..network.web.explanations import field_labels, format_introduction_reason
from ..network.web.tables import NodeRow, TieRow
from ..register.models import STAKEHOLDER_KIND_LABELS, StakeholderKind
from ..tabular import Table
from ..templating import quarter_title_of


@dataclass
class TableSources:
    """What the tables are made from: the scope's stored figures and node rows (as the
    viewer may see them), its ties and fading ties (both read only when a table needs
    them: a download of the node table reads neither)."""

    metrics: NetworkMetrics
    nodes: list[NodeRow]
    ties: Callable[[], Iterable[TieRow]]
    fading: Callable[[], FadingList | None]  # None while the first computation runs
    today: date


def _kind(kind: str) -> str:
    try:
        return str(STAKEHOLDER_KIND_LABELS[StakeholderKind(kind)])
    except ValueError:
        return kind


def nodes_table(src: TableSources) -> Table:
    return Table(_("Akteure"), [_("Nr."), _("Akteur"), _("Art"), _("Partner"),
                                _("Gewichtete Verbindungen"), _("Hinweise")],
                 [[r.id, r.name, _kind(r.kind), r.degree, r.strength,
                   "; ".join(str(w) for w in r.warnings)] for r in src.nodes])


def ties_table(src: TableSources) -> Table:
    return Table(_("Verbindungen"), [_("Akteur"), _("Partner"), _("Gemeinsame Aktivitäten"),
                                     _("Letzter Kontakt")],
                 ([r.a_name, r.b_name, r.weight, r.last] for r in src.ties()))


def matrix_table(src: TableSources) -> Table:
    """Every department (the page shows the most active ones only)."""
    m = src.metrics
    counts: dict[tuple[int, int], int] = {}
    for a, b, n in m.department_pairs:
        counts[(a, b)] = counts[(b, a)] = n
    departments = sorted((x for x, kind in m.kinds.items() if kind == "department"),
                         key=lambda x: m.names[x].casefold())
    return Table(_("Ressort-Matrix"), [_("Ressort"), *(m.names[x] for x in departments)],
                 [[m.names[a], *(None if a == b else counts.get((a, b), 0)
                                 for b in departments)] for a in departments])


def coverage_table(src: TableSources) -> Table:
    m, labels = src.metrics, field_labels()
    fc = m.field_coverage
    rows = sorted(fc.rows, key=lambda r: m.names[r.department].casefold())
    return Table(_("Ressorts und Handlungsfelder"),
                 [_("Ressort"), *(labels.get(key, key) for key in fc.fields), _("Lücken")],
                 [[m.names[r.department], *r.activities,
                   ", ".join(labels.get(key, key) for key in r.flagged)] for r in rows])


def trend_table(src: TableSources) -> Table:
    return Table(_("Entwicklung"), [
        _("Quartal"), _("Beginn"), _("Ende"), _("Aktivitäten"), _("Verbindungen"), _("Dichte"),
        _("Dichte zwischen Ressorts"), _("Isolierte Ressorts"), _("Teilnetze"),
        _("Abgeschlossen")],
        [[q.label, q.start, q.end, q.activities, q.ties, round(q.density, 4),
          round(q.department_density, 4), q.isolated_departments, q.components,
          q.end < src.today] for q in src.metrics.trend])


def advice_table(src: TableSources) -> Table:
    m, labels = src.metrics, field_labels()
    isolated = set(m.isolated_departments)
    rows = [[m.names[i.department],
             _("isoliert") if i.department in isolated else _("schwach eingebunden"),
             m.names[i.partner], format_introduction_reason(i, m.names, labels)]
            for i in m.recommended_introductions]
    suggested = {i.department for i in m.recommended_introductions}
    rows += [[m.names[d], _("isoliert"), None, None]
             for d in m.isolated_departments if d not in suggested]
    return Table(_("Isolierte Ressorts"),
                 [_("Ressort"), _("Lage"), _("Vorschlag: Kontakt mit"), _("Begründung")], rows)


def key_persons_table(src: TableSources) -> Table:
    m = src.metrics
    return Table(_("Schlüsselakteure"),
                 [_("Akteur"), _("Abgeschnitten ohne sie"), _("Teile danach")],
                 [[m.names[k.node], k.cut_off, k.parts] for k in m.key_persons])


def brokers_table(src: TableSources) -> Table:
    m = src.metrics
    return Table(_("Vermittler"), [_("Akteur"), _("Betweenness")],
                 [[m.names[x], round(value, 4)] for x, value in m.brokers])


def communities_table(src: TableSources) -> Table:
    m = src.metrics
    groups = sorted((g for g in m.communities if len(g) > 1), key=len, reverse=True)
    rows = [[number, m.names[x], _kind(m.kinds[x])]
            for number, group in enumerate(groups, start=1)
            for x in sorted(group, key=lambda x: m.names[x].casefold())]
    return Table(_("Gruppen"), [_("Gruppe"), _("Akteur"), _("Art")], rows)


def fading_table(src: TableSources) -> Table:
    f = src.fading()
    return Table(_("Einschlafende Verbindungen"), [
        _("Ressort"), _("Partner"), _("Letzte gemeinsame Aktivität"),
        _("Erstes gemeinsames Quartal"), _("Gemeinsame Aktivitäten"), _("Je Quartal")],
        [[f.names[t.a], f.names[t.b], t.last, quarter_title_of(t.first_quarter), t.activities,
          t.per_quarter] for t in f.ties] if f else [])


# URL name → (builder, file name stem); "alle" is every table in one workbook.
TABLES: dict[str, tuple[Callable[[TableSources], Table], str]] = {
    "akteure": (nodes_table, "netzwerk-akteure"),
    "verbindungen": (ties_table, "netzwerk-verbindungen"),
    "ressort-matrix": (matrix_table, "ressort-matrix"),
    "handlungsfelder": (coverage_table, "ressorts-handlungsfelder"),
    "entwicklung": (trend_table, "entwicklung-je-quartal"),
    "isolierte-ressorts": (advice_table, "isolierte-ressorts"),
    "schluesselakteure": (key_persons_table, "schluesselakteure"),
    "vermittler": (brokers_table, "vermittler"),
    "gruppen": (communities_table, "gruppen"),
    "einschlafende-verbindungen": (fading_table, "einschlafende-verbindungen"),
}


def table_titles() -> dict[str, str]:
    """The tables' German titles for the download list (same order as ``TABLES``)."""
    return {
        "akteure": _("Akteure"), "verbindungen": _("Verbindungen"),
        "ressort-matrix": _("Ressort-Matrix (alle Ressorts)"),
        "handlungsfelder": _("Ressorts und Handlungsfelder"),
        "entwicklung": _("Entwicklung je Quartal"),
        "isolierte-ressorts": _("Isolierte Ressorts mit Vorschlägen"),
        "schluesselakteure": _("Schlüsselakteure"), "vermittler": _("Vermittler"),
        "gruppen": _("Gruppen (mögliche Silos)"),
        "einschlafende-verbindungen": _("Verbindungen, die einschlafen"),
    }


def all_tables(src: TableSources) -> list[Table]:
    return [build(src) for build, _stem in TABLES.values()]

