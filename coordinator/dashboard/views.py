"""The start page for every role (leadership lands here after login): the state of the
network in figures, trends, warnings and matrices, and a printable one-page report."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

from ..access import ALL_ROLES, roles
from ..network.data.stored_figures import get_metrics
from ..network.web.view_models import scope_from_request
from .report import build_dashboard

bp = Blueprint("dashboard", __name__)

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
    dashboard = build_dashboard(get_metrics(scope))
    return render_template("dashboard/index.html", dashboard=dashboard, **context)


@bp.route("/report")
@roles(ALL_ROLES)
def report():
    scope, errors, fields = scope_from_request()
    context = {"scope": scope, "errors": errors, "fields": fields, "today": date.today()}
    if errors:
        return render_template("dashboard/report.html", dashboard=None, **context), 400
    dashboard = build_dashboard(
        get_metrics(scope), matrix_size=REPORT_MATRIX_SIZE, list_length=REPORT_LIST_LENGTH,
        suggestions=REPORT_SUGGESTIONS,
    )
    return render_template("dashboard/report.html", dashboard=dashboard, **context)
