"""Carrying an upload from the preview to the confirmation without server-side state.

The preview page puts the parsed table (header and rows with their line numbers) into a hidden
field: JSON, zlib-compressed, signed with the secret key and time-stamped (itsdangerous). The
confirmation checks the signature and re-validates every row against the database as it is
then. No app process keeps the file in memory or on disk between the two requests, so any
worker may answer the confirmation.

Werkzeug applies ``MAX_FORM_MEMORY_SIZE`` only to multipart fields, so the hidden field of an
ordinary (URL-encoded) form may be as large as ``MAX_CONTENT_LENGTH`` allows.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .columns import IMPORT_KINDS, header_test
from .reading import Table, open_table

SALT = "coordinator.imports.confirmation"
MAX_AGE_SECONDS = 2 * 60 * 60
# Room for the CSRF token and form encoding beside the hidden field.
FORM_OVERHEAD = 16 * 1024


class ConfirmationError(ValueError):
    """The hidden field was altered, is too old, or does not describe an import."""


def read_upload(data: bytes, filename: str, kind: str) -> Table:
    """Read a whole upload (at most MAX_CONTENT_LENGTH) into a table that can be iterated
    more than once."""
    with open_table(data, filename, is_header=header_test(kind)) as table:
        return replace(table, rows=list(table.rows))


def reopen(table: Table):
    """A table opener for run_import that hands out an in-memory table again."""
    return lambda: nullcontext(table)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def encode(kind: str, filename: str, table: Table) -> str:
    return _serializer().dumps(
        {"kind": kind, "filename": filename, "header": table.header, "rows": list(table.rows),
         "sheet": table.sheet, "header_line": table.header_line, "encoding": table.encoding}
    )


def fits_in_form(token: str) -> bool:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return limit is None or len(token) + FORM_OVERHEAD <= limit


def decode(token: str) -> tuple[str, str, Table]:
    """(kind, filename, table) from a token made by :func:`encode`."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature as exc:  # also SignatureExpired
        raise ConfirmationError(str(exc)) from exc
    try:
        kind, filename, header = data["kind"], str(data["filename"]), data["header"]
        rows = [(int(line), [str(cell) for cell in cells]) for line, cells in data["rows"]]
        sheet, encoding = data.get("sheet"), data.get("encoding")
        header_line = int(data.get("header_line", 1))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfirmationError("malformed payload") from exc
    if kind not in IMPORT_KINDS or not isinstance(header, list):
        raise ConfirmationError("malformed payload")
    return kind, filename, Table(
        header=[str(h) for h in header], rows=rows, header_line=header_line,
        sheet=str(sheet) if sheet is not None else None,
        encoding=str(encoding) if encoding is not None else None,
    )
