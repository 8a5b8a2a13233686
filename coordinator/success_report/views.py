"""The printable leadership report (two A4 pages at most) and its XLSX export."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..access import ALL_ROLES, roles
from ..decimal_input import whole_number
from ..errors import render_error
from ..periods import EARLIEST_YEAR, LATEST_YEAR
from ..tabular import download
from .sections import build_sections, cell_text

bp = Blueprint("success_report", __name__, url_prefix="/success")


def _year() -> int | None:
    raw = request.args.get("year", "").strip()
    if not raw:
        return date.today().year
    year = whole_number(raw)
    return year if year is not None and EARLIEST_YEAR <= year <= LATEST_YEAR else None


def _bad_year():
    return render_error(400, _("Bitte geben Sie ein Jahr zwischen %(first)d und %(last)d an.",
                               first=EARLIEST_YEAR, last=LATEST_YEAR))


@bp.route("/report")
@roles(ALL_ROLES)
def report():
    year = _year()
    if year is None:
        return _bad_year()
    return render_template("success_report/report.html", year=year,
                           sections=build_sections(year), cell_text=cell_text,
                           today=date.today())


@bp.route("/report.xlsx")
@roles(ALL_ROLES)
def export():
    year = _year()
    if year is None:
        return _bad_year()
    return download([s.table() for s in build_sections(year)],
                    f"erfolgskontrolle-{year}", "xlsx")
