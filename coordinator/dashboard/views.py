"""The start page for every role (leadership lands here after login): the state of the
network in figures, trends, warnings and matrices, and a printable one-page report."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import ALL_ROLES, CASE_FIGURE_READERS, roles
from ..errors import render_error
from ..fragments import cached_fragment, page_with_fragment
from ..network.data.fading_ties import FADING_SHOWN, quiet_months_from, stored_fading
from ..network.data.figure_store import figure_key, read_figures
from ..network.data.scope import Scope
from ..network.web.all_ties import all_ties_for_viewer
from ..network.web.pseudonyms import metrics_for_viewer, sees_names
from ..network.web.view_models import page_status, scope_from_request, stored_network_view
from ..tabular import TABLE_FORMATS, download
from .report import build_dashboard
from .scope_notes import scope_notes
from .tables import TABLES, TableSources, all_tables, table_titles

bp = Blueprint("dashboard", __name__)


def activity_filter_args(scope: Scope) -> dict[str, str]:
    """The activity list's filter for the scope's period and field (its dates are German)."""
    args = {}
    if scope.since:
        args["date_from"] = scope.since.strftime("%d.%m.%Y")
    if scope.until:
        args["date_to"] = scope.until.strftime("%d.%m.%Y")
    if scope.field:
        args["field"] = scope.field
    return args

REPORT_MATRIX_SIZE = 8
REPORT_LIST_LENGTH = 5
REPORT_SUGGESTIONS = 1  # introductions per department on paper; the page shows all


@bp.route("/")
@roles(ALL_ROLES)
def index():
    scope, errors, fields = scope_from_request()
    context = {"scope": scope, "errors": errors, "fields": fields}
    if errors:
        return render_template("dashboard/index.html", dashboard=None, **context), 400
    figures = read_figures(scope, user_id=current_user.id)
    context["status"] = page_status(figures)
    context["case_health"] = case_health_for(current_user)
    if figures.pending:
        return render_template("dashboard/index.html", dashboard=None, **context)
    quiet_months = quiet_months_from(request.args.get("quiet_months"))
    # Everything the figures fragment depends on besides database and language: the stored
    # figures (scope, computation), the viewer's class, the fading window, today's date.
    key = (figure_key(scope), sees_names(), quiet_months)
    version = (figures.freshness.computed_at, date.today())
    figures_html = cached_fragment(
        key, version, "dashboard/_figures.html",
        lambda: _figures_context(scope, figures, fields, quiet_months))
    return page_with_fragment("dashboard/index.html", figures_html, dashboard=True, **context)


def _figures_context(scope: Scope, figures, fields, quiet_months: int) -> dict:
    """What dashboard/_figures.html shows: built only when the fragment is not memoised."""
    metrics = metrics_for_viewer(figures.metrics)
    return {
        "scope": scope, "fields": fields, "dashboard": build_dashboard(metrics),
        "activity_args": activity_filter_args(scope),
        "notes": scope_notes(scope, metrics.names.keys()),
        "fading": stored_fading(scope, quiet_months, shown=FADING_SHOWN),
        "fading_download": url_for("dashboard.table_export", name="einschlafende-verbindungen",
                                   quiet_months=quiet_months, **scope.to_args()),
        "table_titles": table_titles(),
    }


def case_health_for(user):
    """The coordination-health section, for coordinators and leadership only."""
    from ..cases.health_data import load_health
    from ..cases.health_views import period_start

    return load_health(period_start("12")) if user.role in CASE_FIGURE_READERS else None


@bp.route("/report")
@roles(ALL_ROLES)
def report():
    scope, errors, fields = scope_from_request()
    context = {"scope": scope, "errors": errors, "fields": fields, "today": date.today()}
    if errors:
        return render_template("dashboard/report.html", dashboard=None, **context), 400
    figures = read_figures(scope, user_id=current_user.id)
    context["status"] = page_status(figures)
    if figures.pending:
        return render_template("dashboard/report.html", dashboard=None, **context)
    dashboard = build_dashboard(
        metrics_for_viewer(figures.metrics), matrix_size=REPORT_MATRIX_SIZE,
        list_length=REPORT_LIST_LENGTH, suggestions=REPORT_SUGGESTIONS, printed=True,
    )
    return render_template("dashboard/report.html", dashboard=dashboard,
                           activity_args=activity_filter_args(scope), **context)


@bp.route("/help")
@roles(ALL_ROLES)
def help_page():
    """The glossary every figure links to: what a figure means, what good looks like and
    how to act on it."""
    return render_template("dashboard/help.html")


@bp.route("/tables/<name>")
@roles(ALL_ROLES)
def table_export(name: str):
    """One table of the scope (``?format=xlsx|csv|csv-machine``), or ``alle`` as one XLSX
    workbook with a sheet per table."""
    if name != "alle" and name not in TABLES:
        return render_error(404, _("Diese Tabelle gibt es nicht."))
    fmt = request.args.get("format", "xlsx")
    if fmt not in TABLE_FORMATS:
        return render_error(400, _("Unbekanntes Format: erlaubt sind xlsx, csv und "
                                   "csv-machine."))
    if name == "alle" and fmt != "xlsx":
        return render_error(400, _("Alle Tabellen zusammen gibt es nur als XLSX-Datei; als "
                                   "CSV bitte einzeln herunterladen."))
    scope, errors, _fields = scope_from_request()
    if errors:
        return render_error(400, " ".join(errors))
    view, figures = stored_network_view(scope)
    if view is None:
        return render_error(409, _("Die Kennzahlen für diesen Ausschnitt werden gerade "
                                   "berechnet; bitte in einigen Sekunden erneut versuchen."))
    today = date.today()
    quiet_months = quiet_months_from(request.args.get("quiet_months"))
    # The fading ties of one stakeholder (its page links here), or of the whole scope
    stakeholder_id = request.args.get("stakeholder", type=int)
    sources = TableSources(
        metrics_for_viewer(figures.metrics), view.nodes,
        lambda: all_ties_for_viewer(scope, view.nodes),
        lambda: stored_fading(scope, quiet_months, stakeholder_id=stakeholder_id), today)
    if name == "alle":
        return download(all_tables(sources), f"netzwerk-tabellen-{today.isoformat()}", fmt)
    build, stem = TABLES[name]
    return download(build(sources), f"{stem}-{today.isoformat()}", fmt,
                    stream=name == "verbindungen")
