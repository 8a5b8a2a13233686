"""The coordination-health page (coordinators and leadership): aggregates only."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request

from ..access import CASE_FIGURE_READERS, roles
from ..activities.forms import local_today
from .health_data import load_health
from .views import bp

PERIODS = {"12": 365, "24": 730, "all": None}


def period_start(period: str):
    days = PERIODS.get(period, PERIODS["12"])
    return local_today() - timedelta(days=days) if days else None


@bp.route("/coordination")
@roles(CASE_FIGURE_READERS)
def health():
    period = request.args.get("period", "12")
    if period not in PERIODS:
        period = "12"
    return render_template("cases/health.html", health=load_health(period_start(period)),
                           period=period)
