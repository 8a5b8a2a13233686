"""What the map pages show (view-models), assembled from the analysis (graph arrays,
isolated departments), the stored positions and the map builder.

The whole-network view of a scope is built by the queue's job (:func:`build_network_view`)
and stored as JSON with the scope's figures; the pages read it back with
:func:`stored_network_view` and never lay out a network themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import g, request
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ...extensions import db
from ...register.models import FieldOfWork
from ..analysis.cohesion import isolated_departments
from ..analysis.compact import CompactGraph
from ..analysis.trend import trend_quarters
from ..data.figure_store import MAP, Figures, read_figures, stored_text
from ..data.graph_loading import load_compact
from ..data.memo import LatestMemo
from ..data.positions import positions_for
from ..data.scope import Scope
from ..data.stored_figures import ComputedScope
from .map_data import MapData, StoredMap, build_map
from .map_extras import attach_communities, attach_quarters
from .map_text import embeddable_json, map_text_with_label_spans, with_pseudonyms
from .pseudonyms import names_for_viewer, sees_names
from .tables import (
    INLINE_ROWS,
    WARNING_ISOLATED,
    WARNING_NO_TIES,
    NodeRow,
    TieRow,
    node_rows,
    tie_rows,
)

SLIDER_QUARTERS = 12  # the period slider covers the last three years


@dataclass
class NetworkView:
    map: MapData | StoredMap  # built by the job; as stored, read back by the pages
    nodes: list[NodeRow]
    top_ties: list[TieRow]
    tie_count: int
    isolated_names: list[str]
    # [id, start, end] of each individual's label in the stored map text (map_text.py);
    # None for figures stored before the spans were
    label_spans: list[list[int]] | None = None


def build_network_view(scope: Scope, computed: ComputedScope) -> NetworkView:
    """The whole map of a scope with its table rows (the job's work, not a page's), from the
    graph and the communities of the scope's fresh computation."""
    graph = computed.graph
    isolated = isolated_departments(graph)
    # The unfiltered view already is the whole network: no second load for new positions.
    positions = positions_for(graph, (lambda: graph) if scope == Scope() else whole_network)
    map_data = build_map(graph, positions, isolated=isolated, drawn=computed.drawn)
    return NetworkView(
        map=with_map_tools(map_data, scope, computed),
        nodes=node_rows(graph, isolated),
        top_ties=tie_rows(graph, INLINE_ROWS),
        tie_count=graph.m,
        isolated_names=_names(graph, isolated),
    )


WARNING_CODES = {"isolated": WARNING_ISOLATED, "no_ties": WARNING_NO_TIES}


def view_payload(view: NetworkView) -> dict:
    """The view as JSON-ready data (warnings as codes: they are translated when shown).
    Shallow on purpose: ``dataclasses.asdict`` deep-copies every node and edge dict of the
    map (1.5 s at M)."""
    codes = {id(text): code for code, text in WARNING_CODES.items()}
    nodes = [{"id": r.id, "name": r.name, "kind": r.kind, "degree": r.degree,
              "strength": r.strength, "warnings": [codes[id(w)] for w in r.warnings]}
             for r in view.nodes]
    ties = [{"a": r.a, "a_name": r.a_name, "b": r.b, "b_name": r.b_name, "weight": r.weight,
             "last": r.last.isoformat() if r.last else None} for r in view.top_ties]
    return {"map": view.map.summary(), "nodes": nodes, "top_ties": ties,
            "tie_count": view.tie_count, "isolated_names": view.isolated_names}


def stored_view_and_map(view: NetworkView) -> tuple[dict, str]:
    """What the job stores of a view: its payload (kind ``view``) and the map's JSON text
    (kind ``map``), which the pages embed as it is, so no web worker parses and writes it
    again (6 MB at L, ~0.5 s per worker and revision); the payload notes where the
    individuals' labels lie in the text."""
    text, spans = map_text_with_label_spans(view.map.payload())
    return {**view_payload(view), "label_spans": spans}, text


def view_from_payload(data: dict) -> NetworkView:
    return NetworkView(
        map=StoredMap(**_map_summary(data["map"])),
        nodes=[NodeRow(**{**row, "warnings": [WARNING_CODES[c] for c in row["warnings"]]})
               for row in data["nodes"]],
        top_ties=[TieRow(**{**row, "last": date.fromisoformat(row["last"])
                            if row["last"] else None}) for row in data["top_ties"]],
        tie_count=data["tie_count"],
        isolated_names=data["isolated_names"],
        label_spans=data.get("label_spans"),
    )


_viewer_views = LatestMemo(8)  # (database, scope, viewer class, language) → NetworkView
_viewer_maps = LatestMemo(8)  # the same → the map's JSON as the page embeds it


def _map_summary(stored: dict) -> dict:
    """A view stored before the map's text was (an upgrade) holds the whole map: its counts
    serve until the job has stored the view anew."""
    if "node_count" in stored:
        return stored
    return {"node_count": len(stored["nodes"]), "edge_count": len(stored["edges"]),
            "total_edges": stored["total_edges"], "timeline": stored.get("timeline"),
            "communities": stored.get("communities", 0)}


def stored_network_view(scope: Scope) -> tuple[NetworkView | None, Figures]:
    """The stored view of ``scope`` as this viewer sees it (None while its first computation
    is pending); built once per process, stored view and viewer class."""
    figures = read_figures(scope, view=True, user_id=user_id())
    if figures.view is None:
        return None, figures
    key, version = _viewer_key(scope), figures.freshness.computed_at
    view = _viewer_views.get(key, version)
    if view is None:
        view = view_for_viewer(view_from_payload(figures.view))
        _viewer_views.put(key, version, view)
    return view, figures


def stored_map_json(scope: Scope, view: NetworkView, figures: Figures) -> Markup | None:
    """The map of ``scope``'s stored view as the page embeds it: the job's text, with
    pseudonyms spliced in where this viewer may not see names; once per process, stored view
    and viewer class. ``view`` and ``figures``: what
    :func:`stored_network_view` returned."""
    key, version = _viewer_key(scope), figures.freshness.computed_at
    written = _viewer_maps.get(key, version)
    if written is not None:
        return written
    text = stored_text(MAP, scope)
    if text is None:
        return None
    if not sees_names():
        # The viewer's view already carries the pseudonyms (view_for_viewer): the rows whose
        # name differs from the stored one, so the map says what the tables say.
        names = {row["id"]: row["name"] for row in figures.view["nodes"]}  # as stored
        pseudonyms = {row.id: row.name for row in view.nodes if row.name != names.get(row.id)}
        if pseudonyms:
            text = with_pseudonyms(text, view.label_spans, pseudonyms, names)
    written = embeddable_json(text)
    _viewer_maps.put(key, version, written)
    return written


def _viewer_key(scope: Scope) -> tuple:
    return (str(db.engine.url), scope.cache_key(), sees_names(), str(get_locale()))


def user_id() -> int | None:
    return getattr(current_user, "id", None) if current_user.is_authenticated else None


def with_map_tools(map_data: MapData, scope: Scope, computed: ComputedScope) -> MapData:
    """The map plus what its tools need: communities ("Silos zeigen") from the scope's
    figures and the joint activities per tie and quarter (the period slider)."""
    today = date.today()
    quarters = trend_quarters(today, scope.since, scope.until, computed.first_activity,
                              count=SLIDER_QUARTERS)
    drawn = {(min(e["from"], e["to"]), max(e["from"], e["to"])) for e in map_data.edges}
    map_data.timeline = attach_quarters(
        map_data.edges, quarters, computed.ties.quarter_counts(sorted(drawn), quarters), today)
    map_data.communities = attach_communities(map_data.nodes, computed.metrics.communities)
    return map_data


def whole_network() -> CompactGraph:
    """Every active stakeholder and tie of the whole log: what the stored positions are
    computed on, so that a filter never moves a node."""
    return load_compact(Scope())


def _names(graph: CompactGraph, nodes) -> list[str]:
    wanted = set(nodes)
    return sorted((name for node, name in zip(graph.ids, graph.names, strict=True)
                   if node in wanted), key=str.casefold)


def scope_from_request() -> tuple[Scope, list[str], list[FieldOfWork]]:
    """The scope in the query string, its German errors, and the field-of-work catalogue
    (for the filter form)."""
    fields = list(db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position)))
    scope, errors = Scope.from_args(request.args, known_fields={f.key for f in fields})
    snapped = scope.snapped_to_quarters()
    g.scope_note = None
    if snapped != scope:
        g.scope_note = _("Zeitraum auf ganze Quartale erweitert: %(since)s bis %(until)s",
                         since=format_date(snapped.since) if snapped.since else "…",
                         until=format_date(snapped.until) if snapped.until else "…")
    return snapped, errors, fields


def page_status(figures: Figures) -> FigureStatus:
    """The freshness line of a page, with the note on a widened period."""
    return figure_status(figures, g.get("scope_note"))


def map_texts() -> dict:
    """Texts network-map.js puts into tooltips ({placeholders} are filled in there)."""
    from ...register.models import STAKEHOLDER_KIND_LABELS

    return {
        "kinds": {kind.value: str(label) for kind, label in STAKEHOLDER_KIND_LABELS.items()},
        "partners": _("{count} Partner; Summe der Verbindungsstärken: {weighted}"),
        "isolated": _("⚠ isoliertes Ressort: keine gemeinsame Aktivität mit einem anderen "
                      "Ressort"),
        "tie": _("{a} – {b}"),
        "activities": _("{count} gemeinsame Aktivitäten"),
        "last": _("zuletzt am {date}"),
        "click": _("Klicken: Umfeld anzeigen"),
        "focus": _("Klicken: Seite des Akteurs öffnen"),
        # the map tools (network-map-tools.js)
        "found": _("{name} hervorgehoben: {count} Partner."),
        "not_found": _("Kein Akteur auf der Karte heißt „{query}“."),
        "ambiguous": _("Mehrere Akteure passen zu „{query}“; bitte einen Vorschlag wählen."),
        "isolated_shown": _("Isolierte Ressorts hervorgehoben: {names}."),
        "isolated_none": _("Auf dieser Karte gibt es kein isoliertes Ressort."),
        "all_periods": _("gesamter Ausschnitt"),
        "period_summary": _("{period}: {ties} Verbindungen, {active} Akteure aktiv."),
        "incomplete": _("(laufendes Quartal, noch unvollständig)"),
        "community": _("Gruppe {number}: {count} Akteure"),
        "community_rest": _("kleinere Gruppen"),
        "silos_on": _("Silos gezeigt: Farbe = Gruppe, {count} Gruppen."),
        "silos_off": _("Farben wieder nach Art der Akteure."),
    }


@dataclass
class FigureStatus:
    """The freshness line above a page's figures, and whether the page reloads itself."""

    text: str
    pending: bool
    refresh_seconds: int | None


def figure_status(figures: Figures, note: str | None = None) -> FigureStatus:
    freshness = figures.freshness
    if figures.pending:
        if freshness.refused:
            text = _("Zu viele neue Ausschnitte in kurzer Zeit. Bitte versuchen Sie es in einer "
                     "Minute erneut.")
            return FigureStatus(text, True, None)
        text = _("Die Kennzahlen für diesen Ausschnitt werden gerade berechnet; die Seite "
                 "aktualisiert sich von selbst.")
        return FigureStatus(text, True, PENDING_REFRESH_SECONDS)
    parts = [_("Stand: vor %(age)s", age=_age(freshness.age_seconds or 0))]
    if freshness.updating:
        parts.append(_("wird aktualisiert"))
    if freshness.failed:
        parts.append(_("die letzte Berechnung ist fehlgeschlagen und wird wiederholt"))
    if note:
        parts.append(note)
    return FigureStatus("; ".join(parts), False, None)


PENDING_REFRESH_SECONDS = 3


def _age(seconds: int) -> str:
    if seconds < 60:
        return _("%(n)d s", n=seconds)
    if seconds < 3600:
        return _("%(n)d min", n=seconds // 60)
    if seconds < 86400:
        return _("%(n)d h", n=seconds // 3600)
    return ngettext("%(num)d Tag", "%(num)d Tagen", seconds // 86400)


def view_for_viewer(view: NetworkView) -> NetworkView:
    """The view with "Einzelperson N" for individuals the user may not see by name."""
    names = names_for_viewer((row.id, row.kind) for row in view.nodes)
    if not names:
        return view
    # Only the hidden individuals' rows are copied (a copy of each of L's 19 k rows: 80 ms).
    rows = [replace(row, name=names[row.id]) if row.id in names else row for row in view.nodes]
    ties = [replace(tie, a_name=names.get(tie.a, tie.a_name), b_name=names.get(tie.b, tie.b_name))
            for tie in view.top_ties]
    return replace(view, nodes=rows, top_ties=ties)
