"""The audit log for admins: search by account, action, object, case reference and period;
page through it; download what the filter found as CSV or XLSX."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import roles
from ..auth.models import Role, User
from ..errors import render_error
from ..extensions import db
from ..pagination import paginate
from ..tabular import TABLE_FORMATS, Table, download
from .forms import AuditFilterForm
from .models import Action, AuditEntry
from .operations import record
from .queries import AuditFilter, audit_query, audit_rows, distinct_values

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

# An export is for a period or an object, not the whole trail at once.
MAX_EXPORT_ROWS = 50_000


def _filter_form() -> AuditFilterForm:
    users = [(uid, email) for uid, email in
             db.session.execute(select(User.id, User.email).order_by(User.email))]
    return AuditFilterForm(users, distinct_values(AuditEntry.action),
                           distinct_values(AuditEntry.object_type), formdata=request.args)


def _criteria(form: AuditFilterForm) -> AuditFilter:
    """A value with an error is left out (the page says so) instead of failing the list."""

    def usable(field):
        return field.data if field.data and not field.errors else None

    user = usable(form.user)
    return AuditFilter(
        user_id=int(user) if user else None,
        object_type=usable(form.object_type),
        object_id=(usable(form.object_id) or "").strip() or None,
        action=usable(form.action),
        case_ref=(usable(form.case_ref) or "").strip() or None,
        since=usable(form.since),
        until=usable(form.until),
    )


@bp.route("/")
@roles(Role.ADMIN)
def index():
    form = _filter_form()
    valid = form.validate()
    page = paginate(audit_query(_criteria(form)))
    return render_template(
        "admin/audit.html", form=form, page=page, rows=audit_rows(page.items),
        formats=TABLE_FORMATS,
    ), 200 if valid else 400


@bp.route("/export.<fmt>")
@roles(Role.ADMIN)
def export(fmt: str):
    if fmt not in TABLE_FORMATS:
        return render_error(404)
    form = _filter_form()
    form.validate()
    criteria = _criteria(form)
    entries = list(db.session.scalars(audit_query(criteria).limit(MAX_EXPORT_ROWS)))
    table = Table(
        title=_("Änderungsprotokoll"),
        header=[_("Zeitpunkt"), _("Nr."), _("Benutzerkonto"), _("Adresse"), _("Aktion"),
                _("Objektart"), _("Objekt-Nr."), _("Bezeichnung"), _("Aktenzeichen"),
                _("Änderungen (alt → neu)"), _("Details")],
        rows=[
            [format_datetime(row.entry.at, "yyyy-MM-dd HH:mm:ss"), row.entry.id, row.user,
             row.entry.address, row.action, row.object_type, row.entry.object_id,
             row.entry.label, row.entry.case_ref, row.changes_text, row.detail]
            for row in audit_rows(entries)
        ],
    )
    # Exporting the trail is itself recorded (what was asked for, how many rows).
    record(Action.EXPORT, "audit_log", detail={
        "format": fmt, "rows": len(entries),
        "filter": {k: v for k, v in vars(criteria).items() if v is not None},
    })
    db.session.commit()
    return download(table, "aenderungsprotokoll", fmt)
