"""From an uploaded or local file to a :class:`Table`: a header and rows of trimmed text cells,
each row with the line number a person sees in the file (header = line 1).

CSV files come from Excel, LibreOffice or hand-written scripts: comma or semicolon (German
Excel) as delimiter, UTF-8 with or without BOM, or Windows-1252 (German Excel's "CSV" without
"UTF-8"). Rows are streamed, so a file with a million lines is never held in memory at once.
XLSX files are read with openpyxl in read-only mode, ODS files (LibreOffice) with
:mod:`.ods`; values only. In a workbook the first sheet whose header matches the expected
columns is read, and title rows above the header are skipped; the table says which sheet and
which line that was. Every file is held to the :class:`~.limits.ImportLimits` (rows, cell and
line length; a zip archive's sizes are checked before any XML is parsed).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import BinaryIO

import openpyxl
from flask_babel import gettext as _

from .limits import (
    ImportLimits,
    LimitExceeded,
    check_archive,
    check_cells,
    limit_sheet_rows,
    limited_lines,
    too_many_rows,
)
from .ods import OdsError, is_ods, ods_sheets

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".ods")
# How far down a sheet the header may stand (title rows, a blank line, notes above it).
HEADER_SEARCH_ROWS = 20
CSV_DELIMITERS = (";", ",", "\t")
# Tried in this order: UTF-8 must decode strictly; cp1252 is what German Excel writes otherwise.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
CHUNK_SIZE = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"

Row = tuple[int, list[str]]
HeaderTest = Callable[[list[str]], bool]


class ImportFileError(Exception):
    """The file as a whole cannot be read. The message is German and meant for the user."""


@dataclass
class Table:
    header: list[str]
    rows: Iterable[Row]
    sheet: str | None = None  # the workbook sheet read (None for CSV)
    header_line: int = 1
    encoding: str | None = None  # the CSV encoding detected (None for workbooks)


def check_suffix(filename: str) -> str:
    """The file's lower-case suffix if it is one we import; otherwise a German error."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(_(
            "Das alte Excel-Format .xls wird nicht unterstützt. Bitte speichern Sie die Datei "
            "in Excel als „Excel-Arbeitsmappe (.xlsx)“ oder als „CSV UTF-8“."
        ))
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError(_(
            "Es können nur Dateien mit der Endung .csv, .xlsx oder .ods importiert werden."
        ))
    return suffix


@contextmanager
def open_table(
    source: Path | bytes,
    filename: str,
    limits: ImportLimits | None = None,
    *,
    is_header: HeaderTest | None = None,
) -> Iterator[Table]:
    """Open ``source`` (a path, or the bytes of an upload) as a :class:`Table`.

    ``limits`` defaults to those of the web upload. ``is_header`` tells a workbook's header
    row from title rows above it; without it (or when no sheet has a matching row) the first
    row of the first sheet is the header, and the import names what is wrong with it.

    Raises :class:`ImportFileError` when opening, and also while iterating the rows (a broken
    line deep inside a CSV, a corrupt sheet inside a workbook, a limit exceeded).
    """
    suffix = check_suffix(filename)
    limits = limits or ImportLimits.for_web()
    binary: BinaryIO = open(source, "rb") if isinstance(source, Path) else io.BytesIO(source)  # noqa: SIM115
    try:
        with _limit_errors(), _table(suffix, binary, limits, is_header) as table:
            check_cells(table.header_line, table.header, limits)
            yield replace(table, rows=_checked_rows(table.rows, limits))
    finally:
        binary.close()


@contextmanager
def _table(suffix: str, binary: BinaryIO, limits: ImportLimits,
           is_header: HeaderTest | None) -> Iterator[Table]:
    if suffix == ".csv":
        with _csv_table(binary, limits) as table:
            yield table
    else:
        reader = _xlsx_sheets if suffix == ".xlsx" else _ods_sheets
        with reader(binary, limits) as sheets:
            yield _workbook_table(sheets, is_header)


@contextmanager
def _limit_errors() -> Iterator[None]:
    try:
        yield
    except LimitExceeded as exc:
        raise ImportFileError(str(exc)) from exc


def _checked_rows(rows: Iterable[Row], limits: ImportLimits) -> Iterator[Row]:
    with _limit_errors():
        for line, cells in rows:
            check_cells(line, cells, limits)
            yield line, cells


# --- CSV -----------------------------------------------------------------------------------


@contextmanager
def _csv_table(binary: BinaryIO, limits: ImportLimits) -> Iterator[Table]:
    encoding = _detect_encoding(binary)
    with io.TextIOWrapper(binary, encoding=encoding, newline="") as text:
        lines = limited_lines(text, limits)
        first_line = next(lines, "")
        if not first_line.strip():
            if not first_line or not text.read(CHUNK_SIZE).strip():
                raise ImportFileError(_("Die Datei ist leer."))
            raise ImportFileError(_(
                "Die erste Zeile ist leer. Sie muss die Spaltenüberschriften enthalten."
            ))
        delimiter = _sniff_delimiter(first_line)
        reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
        try:
            header = [cell.strip().lstrip("\ufeff") for cell in next(reader)]
        except csv.Error as exc:  # e.g. a quote opened in the header and never closed
            raise ImportFileError(_(
                "Zeile 1: Die Kopfzeile ist fehlerhaft (%(detail)s).", detail=str(exc)
            )) from exc
        yield Table(header=header, rows=_csv_rows(reader), encoding=encoding)


def _detect_encoding(binary: BinaryIO) -> str:
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(ZIP_MAGIC):
        raise ImportFileError(_(
            "Die Datei ist eine Tabellen-Arbeitsmappe, keine CSV-Datei. Bitte laden Sie sie "
            "mit ihrer Endung .xlsx (Excel) oder .ods (LibreOffice) hoch."
        ))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_(
            "Die Datei ist als UTF-16 („Unicode-Text“) gespeichert. Bitte speichern Sie sie "
            "in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“."
        ))
    for encoding in CSV_ENCODINGS:
        if _decodes_strictly(binary, encoding):
            return encoding
    raise ImportFileError(_(
        "Die Datei konnte nicht gelesen werden: Sie ist weder als UTF-8 noch als Windows-1252 "
        "kodiert. Bitte speichern Sie sie in Excel als „CSV UTF-8 (durch Trennzeichen "
        "getrennt)“."
    ))


def _decodes_strictly(binary: BinaryIO, encoding: str) -> bool:
    """Decode the whole file chunk by chunk without keeping the text (a quick C-speed pass),
    so that a bad byte in line 900,000 is found before anything is imported."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        while chunk := binary.read(CHUNK_SIZE):
            if b"\x00" in chunk:
                raise ImportFileError(_(
                    "Die Datei enthält Binärdaten und ist keine CSV-Textdatei."
                ))
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        binary.seek(0)
    return True


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most columns (csv.Sniffer guesses wrong
    on short headers); a header of one column falls back to the comma."""
    best, best_count = ",", 1
    for delimiter in CSV_DELIMITERS:
        count = len(next(csv.reader([header_line], delimiter=delimiter)))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _csv_rows(reader) -> Iterator[Row]:
    end_of_previous = reader.line_num
    try:
        for cells in reader:
            # A quoted cell may span lines: report the line on which the record starts.
            line = end_of_previous + 1
            end_of_previous = reader.line_num
            if any(cell.strip() for cell in cells):
                yield line, [cell.strip() for cell in cells]
    except csv.Error as exc:
        raise ImportFileError(_(
            "Zeile %(line)d: Die CSV-Datei ist an dieser Stelle fehlerhaft (%(detail)s).",
            line=end_of_previous + 1, detail=str(exc),
        )) from exc


# --- workbooks (XLSX, ODS) -----------------------------------------------------------------

Sheets = Iterator[tuple[str, Iterator[Row]]]


def _workbook_table(sheets: Sheets, is_header: HeaderTest | None) -> Table:
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
def _xlsx_sheets(binary: BinaryIO, limits: ImportLimits) -> Iterator[Sheets]:
    if not binary.read(4).startswith(ZIP_MAGIC):
        raise _corrupt_xlsx()
    binary.seek(0)
    check_archive(binary, limits, sheet_prefixes=("xl/worksheets/",))
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
def _ods_sheets(binary: BinaryIO, limits: ImportLimits) -> Iterator[Sheets]:
    if not binary.read(4).startswith(ZIP_MAGIC) or not is_ods(binary):
        raise _corrupt_ods()
    check_archive(binary, limits, sheet_prefixes=("content.xml",))
    yield _ods_guarded(ods_sheets(binary), limits)


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
