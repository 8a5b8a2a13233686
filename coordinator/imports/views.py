"""Import pages: upload → preview (errors, or what would change) → confirm."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..access import EDITORS, roles
from ..errors import render_error
from ..logging_config import log_event
from ..tabular import XLSX_MIMETYPE
from .columns import COLUMNS, IMPORT_KINDS
from .confirmation import ConfirmationError, decode, encode, fits_in_form, read_upload, reopen
from .examples import EXAMPLE_FILENAMES, TEMPLATE_FILENAMES, example_csv, example_xlsx
from .export_data import DATA_FORMATS, data_zip
from .forms import ConfirmForm, UploadForm
from .operations import ImportConflictError, ImportReport, run_import
from .reading import ImportFileError

bp = Blueprint("imports", __name__, url_prefix="/import")
log = logging.getLogger("coordinator.imports")

ERRORS_SHOWN = 1000  # a page with more rows helps nobody; the count is shown


def _upload_page(form: UploadForm, status: int = 200):
    return render_template(
        "imports/index.html", form=form, columns=COLUMNS, example_names=EXAMPLE_FILENAMES,
        template_names=TEMPLATE_FILENAMES,
    ), status


def _report_page(report: ImportReport, filename: str, confirm: ConfirmForm | None = None):
    """The preview: what the import would change (200), or every bad row (422)."""
    hidden = max(0, len(report.errors) - ERRORS_SHOWN)
    return render_template(
        "imports/preview.html", report=report, filename=filename, confirm=confirm,
        errors=report.errors[:ERRORS_SHOWN], errors_hidden=hidden,
    ), 200 if report.ok else 422


@bp.route("/")
@roles(EDITORS)
def index():
    return _upload_page(UploadForm())


@bp.route("/preview", methods=["POST"])
@roles(EDITORS)
def preview():
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400)
    upload = form.file.data
    filename = upload.filename or ""
    try:
        table = read_upload(upload.read(), filename, form.kind.data)
        report = run_import(form.kind.data, reopen(table), user_id=current_user.id,
                            dry_run=True)
    except ImportFileError as exc:
        form.file.errors.append(str(exc))
        return _upload_page(form, 400)
    except ImportConflictError as exc:
        flash(str(exc), "error")
        return _upload_page(form, 409)
    if not report.ok:
        return _report_page(report, filename)
    token = encode(form.kind.data, filename, table)
    if not fits_in_form(token):
        form.file.errors.append(_(
            "Die Datei ist zu groß, um sie über die Weboberfläche zu bestätigen. Bitte teilen "
            "Sie sie auf oder lassen Sie sie von der Administration mit dem Befehl "
            "„flask import-csv“ einlesen."
        ))
        return _upload_page(form, 400)
    return _report_page(report, filename, ConfirmForm(payload=token))


@bp.route("/confirm", methods=["POST"])
@roles(EDITORS)
def confirm():
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            raise ConfirmationError("payload missing")
        kind, filename, table = decode(form.payload.data)
    except ConfirmationError:
        return render_error(400, _(
            "Die Vorschau ist abgelaufen oder ungültig. Bitte laden Sie die Datei erneut hoch."
        ))
    try:
        report = run_import(kind, reopen(table), user_id=current_user.id)
    except ImportConflictError as exc:
        flash(str(exc), "error")
        return _upload_page(UploadForm(formdata=None, kind=kind), 409)
    if not report.ok:
        # The register changed since the preview (e.g. a participant was deleted).
        return _report_page(report, filename)
    log_event(log, "import_confirmed", kind=kind)  # no file name: it may name a person
    # The result page itself (no redirect): it lists and links the imported records. Sending
    # the form again imports nothing twice (matching by name and fingerprint).
    return _report_page(report, filename)


@bp.route("/examples/<kind>.csv")
@roles(EDITORS)
def example(kind: str):
    if kind not in IMPORT_KINDS:
        return render_error(404)
    return Response(
        example_csv(kind),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{EXAMPLE_FILENAMES[kind]}"'},
    )


@bp.route("/examples/<kind>.xlsx")
@roles(EDITORS)
def template(kind: str):
    if kind not in IMPORT_KINDS:
        return render_error(404)
    return Response(
        example_xlsx(kind),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_FILENAMES[kind]}"'},
    )


@bp.route("/export-data.zip")
@roles(EDITORS)
def export_data():
    """Everything in the import format, as a zip of the two files (for a move to another
    server or a DSGVO Art. 20 request)."""
    fmt = request.args.get("format", "csv")
    if fmt not in DATA_FORMATS:
        return render_error(404)
    log.info("full data export by=%s format=%s", current_user.id, fmt)
    return Response(
        data_zip(fmt),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="coordinator-daten-{fmt}.zip"'},
    )
