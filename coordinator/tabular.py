"""Tables written for people and for machines: CSV for German Excel, plain CSV, and XLSX.

Every table the app hands out goes through here, so the formula-injection rule is enforced in
one place. A spreadsheet program evaluates a cell that starts with ``= + - @``, a tab or a
carriage return; and because a reader may split a cell on ``;`` *or* ``,`` whatever separator
the file really uses, every ``;``/``,``-separated part of a text cell is checked as well.
Dangerous starts get a leading apostrophe, which Excel and LibreOffice show as plain text.

Two CSV flavours:

``excel``
    what German Excel opens with a double click: ``;`` separator, UTF-8 with BOM, CRLF, dates
    ``TT.MM.JJJJ``, decimal comma.
``machine``
    for scripts and other tools: ``,`` separator, UTF-8 without BOM, ISO dates, decimal point.

Both quote every text cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_FLAVOURS = ("excel", "machine")
# A part starts after a separator a reader might split on; leading spaces do not protect it.
_PART_START = re.compile(r"(^|[;,])( *)(?=[=+\-@\t\r])")

Cell = str | int | float | Decimal | date | datetime | bool | None


def neutralise(cell: object) -> object:
    """Make a text cell inert in spreadsheet programs; other values pass unchanged.

    The whole cell and every ``;``- or ``,``-separated part of it that starts with a formula
    character gets a leading apostrophe.

    Examples
    --------
    >>> neutralise("=HYPERLINK(1)"), neutralise("Verein;=1+1;"), neutralise(3)
    ("'=HYPERLINK(1)", "Verein;'=1+1;", 3)
    >>> neutralise("Jugendamt, Schulamt")
    'Jugendamt, Schulamt'
    """
    if not isinstance(cell, str):
        return cell
    return _PART_START.sub(lambda m: f"{m.group(1)}{m.group(2)}'", cell)


_NEUTRALISED_PART = re.compile(r"(^|[;,])( *)'(?=[=+\-@\t\r])")


def restore(cell: str) -> str:
    """Undo :func:`neutralise` on text read back from a file this app wrote (the import of a
    full data export): the apostrophe before a formula character is dropped, as Excel and
    LibreOffice do when they save such a cell.

    Examples
    --------
    >>> restore("'=HYPERLINK(1)"), restore("Verein;'=1+1;"), restore("O'Brien")
    ('=HYPERLINK(1)', 'Verein;=1+1;', "O'Brien")
    """
    return _NEUTRALISED_PART.sub(lambda m: f"{m.group(1)}{m.group(2)}", cell)


@dataclass(frozen=True)
class Table:
    """One table: a sheet title, column headings and rows of plain values."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def _excel_text(value: Cell) -> Cell:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".").replace(".", ",") if value else "0"
    return value


def _machine_text(value: Cell) -> Cell:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _csv_cell(value: Cell, convert) -> Cell:
    if value is None:
        return ""
    # Only text can smuggle a formula; a converted number such as "-0,5" stays a number.
    return neutralise(value) if isinstance(value, str) else convert(value)


def csv_bytes(table: Table, flavour: str = "excel") -> bytes:
    """The table as CSV bytes in the given flavour (``excel`` or ``machine``).

    Examples
    --------
    >>> csv_bytes(Table("t", ["Name", "Anteil"], [["=1+1", 0.5]]), "machine")
    b'"Name","Anteil"\\r\\n"\\'=1+1",0.5\\r\\n'
    """
    return b"".join(csv_chunks(table, flavour))


def csv_chunks(table: Table, flavour: str = "excel", rows_per_chunk: int = 2000):
    """:func:`csv_bytes` piece by piece (a streamed download holds one piece at a time)."""
    if flavour not in CSV_FLAVOURS:
        raise ValueError(f"unknown CSV flavour {flavour!r}")
    excel = flavour == "excel"
    convert = _excel_text if excel else _machine_text
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if excel else ",", quoting=csv.QUOTE_NONNUMERIC,
        lineterminator="\r\n",
    )
    if excel:
        buffer.write("\ufeff")  # the BOM: German Excel reads UTF-8
    writer.writerow(list(table.header))
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_cell(c, convert) for c in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table; text cells are stored as text, never as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        bold = Font(bold=True)
        header = []
        for heading in table.header:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(heading))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(value: str) -> str:
    # openpyxl stores a string that starts with "=" as a formula; the apostrophe keeps it text.
    return neutralise(value) if value.startswith("=") else value


def _xlsx_cell(sheet, value: Cell):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = _xlsx_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD.MM.YYYY"
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique within the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Tabelle"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(tables: Table | Sequence[Table], filename_stem: str, fmt: str,
             stream: bool = False):
    """A Flask response offering the table(s) as ``csv`` (Excel flavour), ``csv-machine`` or
    ``xlsx``. CSV holds one table; XLSX one sheet per table. With ``stream`` a CSV is sent
    piece by piece while its rows are read (a long list is never whole in memory); its rows
    must then be readable without the request's context (which is gone by then)."""
    from flask import Response

    tables = [tables] if isinstance(tables, Table) else list(tables)
    if stream and fmt in ("csv", "csv-machine"):
        flavour = "machine" if fmt == "csv-machine" else "excel"
        return Response(
            csv_chunks(tables[0], flavour),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename_stem}.csv"'},
        )
    if fmt == "xlsx":
        body, mimetype, ext = xlsx_bytes(tables), XLSX_MIMETYPE, "xlsx"
    elif fmt in ("csv", "csv-machine"):
        flavour = "machine" if fmt == "csv-machine" else "excel"
        body, mimetype, ext = csv_bytes(tables[0], flavour), "text/csv; charset=utf-8", "csv"
    else:
        raise ValueError(f"unknown table format {fmt!r}")
    return Response(
        body, mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename_stem}.{ext}"'},
    )


TABLE_FORMATS = ("csv", "csv-machine", "xlsx")
