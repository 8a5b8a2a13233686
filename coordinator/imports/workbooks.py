"""Workbooks (XLSX with openpyxl in read-only mode, ODS with :mod:`.ods`; values only) as
the sheets :func:`.reading.open_table` looks through: the first sheet whose header matches the
expected columns is read, title rows above the header skipped. Both are zip archives and are
checked against the :class:`~.limits.ImportLimits` before any XML is parsed."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import BinaryIO

from flask_babel import gettext as _

from .limits import ImportLimits, LimitExceeded, check_archive, limit_sheet_rows, too_many_rows
from .ods import OdsError, is_ods
from .ods import ods_sheets as read_ods_sheets
from .table import ZIP_MAGIC, HeaderTest, ImportFileError, Row, Table

# How far down a sheet the header may stand (title rows, a blank line, notes above it).
HEADER_SEARCH_ROWS = 20

Sheets = Iterator[tuple[str, Iterator[Row]]]


def workbook_table(sheets: Sheets, is_header: HeaderTest | None) -> Table:
    """With ``is_header``: the first sheet with a header row among its first
    ``HEADER_SEARCH_ROWS`` rows, title rows above it skipped. Without it: the first sheet that
    is not empty, header in line 1. If no sheet matches, the first sheet's first row is
    returned as the header (with the rows seen), and the import reports what it lacks."""
    fallback: tuple[str, list[Row]] | None = None
    for name, rows in sheets:
        looked_at: list[Row] = []
        for row in rows:
            looked_at.append(row)
            if is_header is not None and is_header(row[1]):
                return Table(header=row[1], rows=rows, sheet=name, header_line=row[0])
            if is_header is None or len(looked_at) >= HEADER_SEARCH_ROWS:
                break
        if not looked_at:
            continue
        if is_header is None:
            line, header = looked_at[0]
            if line != 1:
                raise ImportFileError(_(
                    "Die erste Zeile ist leer. Sie muss die Spaltenüberschriften enthalten."
                ))
            return Table(header=header, rows=rows, sheet=name, header_line=line)
        if fallback is None:
            fallback = (name, looked_at)
    if fallback is None:
        raise ImportFileError(_("Die Datei ist leer."))
    name, looked_at = fallback
    (line, header), rest = looked_at[0], looked_at[1:]
    return Table(header=header, rows=rest, sheet=name, header_line=line)


def _corrupt_xlsx() -> ImportFileError:
    return ImportFileError(_(
        "Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei. Bitte öffnen und "
        "speichern Sie sie erneut in Excel oder exportieren Sie sie als CSV."
    ))


def _corrupt_ods() -> ImportFileError:
    return ImportFileError(_(
        "Die LibreOffice-Datei ist beschädigt oder keine gültige .ods-Tabelle. Bitte öffnen "
        "und speichern Sie sie erneut in LibreOffice Calc oder exportieren Sie sie als CSV."
    ))


@contextmanager
def xlsx_sheets(binary: BinaryIO, limits: ImportLimits) -> Iterator[Sheets]:
    if not binary.read(4).startswith(ZIP_MAGIC):
        raise _corrupt_xlsx()
    binary.seek(0)
    check_archive(binary, limits, sheet_prefixes=("xl/worksheets/",))
    import openpyxl  # here, not at import: 15 MB that only an upload of a workbook needs

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; values are all we read.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for bad files
        raise _corrupt_xlsx() from exc
    try:
        yield ((sheet.title, _xlsx_rows(sheet, limits)) for sheet in workbook.worksheets)
    finally:
        workbook.close()


def _xlsx_rows(sheet, limits: ImportLimits) -> Iterator[Row]:
    try:
        values_by_row = sheet.iter_rows(max_col=_sheet_width(sheet, limits) + 1,
                                        values_only=True)
        for line, values in enumerate(limit_sheet_rows(values_by_row, limits), start=1):
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield line, cells
    except (ImportFileError, LimitExceeded):
        raise
    except Exception as exc:  # a sheet's XML may turn out broken only while it is read
        raise _corrupt_xlsx() from exc


def _sheet_width(sheet, limits: ImportLimits) -> int:
    """The widest of the rows the header may stand in. The sheet's declared dimension may
    claim a million rows and 16,384 columns, and openpyxl pads every row to it: forget it, and
    read rows only one column past that width (a value there is reported as a row longer
    than the header)."""
    sheet.reset_dimensions()
    top = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=limits.max_columns,
                          values_only=True)
    return max((i + 1 for row in top for i, value in enumerate(row) if value not in (None, "")),
               default=1)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@contextmanager
def ods_sheets(binary: BinaryIO, limits: ImportLimits) -> Iterator[Sheets]:
    if not binary.read(4).startswith(ZIP_MAGIC) or not is_ods(binary):
        raise _corrupt_ods()
    check_archive(binary, limits, sheet_prefixes=("content.xml",))
    yield _ods_guarded(read_ods_sheets(binary), limits)


def _ods_guarded(sheets, limits: ImportLimits) -> Sheets:
    """The sheets and their rows, with a broken archive reported in German wherever the
    stream breaks."""
    try:
        for name, rows in sheets:
            yield name, _ods_rows_guarded(rows, limits)
    except OdsError as exc:
        raise _corrupt_ods() from exc


def _ods_rows_guarded(rows: Iterator[Row], limits: ImportLimits) -> Iterator[Row]:
    """Rows as :func:`.ods.ods_sheets` gives them, stopped past the header plus ``max_rows``
    (line numbers count the empty rows skipped, as in an XLSX sheet)."""
    try:
        for line, cells in rows:
            if line > limits.max_rows + 1:
                raise too_many_rows(limits)
            yield line, [cell.strip() for cell in cells]
    except OdsError as exc:
        raise _corrupt_ods() from exc
