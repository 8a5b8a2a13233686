"""From an uploaded or local file to a :class:`Table`: a header and rows of trimmed text cells,
each row with the line number a person sees in the file (header = line 1).

CSV files come from Excel, LibreOffice or hand-written scripts: comma or semicolon (German
Excel) as delimiter, UTF-8 with or without BOM, or Windows-1252 (German Excel's "CSV" without
"UTF-8"). Rows are streamed, so a file with a million lines is never held in memory at once.
XLSX files are read with openpyxl in read-only mode, first sheet, values only. Every file is
held to the :class:`~.limits.ImportLimits` (rows, cell and line length, zip archive sizes).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
)

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
CSV_DELIMITERS = (";", ",", "\t")
# Tried in this order: UTF-8 must decode strictly; cp1252 is what German Excel writes otherwise.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
CHUNK_SIZE = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"

Row = tuple[int, list[str]]


class ImportFileError(Exception):
    """The file as a whole cannot be read. The message is German and meant for the user."""


@dataclass
class Table:
    header: list[str]
    rows: Iterable[Row]


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
            "Es können nur Dateien mit der Endung .csv oder .xlsx importiert werden."
        ))
    return suffix


@contextmanager
def open_table(
    source: Path | bytes, filename: str, limits: ImportLimits | None = None
) -> Iterator[Table]:
    """Open ``source`` (a path, or the bytes of an upload) as a :class:`Table`.

    Raises :class:`ImportFileError` when opening, and also while iterating the rows (a broken
    line deep inside a CSV, a corrupt sheet inside an XLSX, a limit exceeded). ``limits``
    defaults to those of the web upload.
    """
    suffix = check_suffix(filename)
    limits = limits or ImportLimits.for_web()
    binary: BinaryIO = open(source, "rb") if isinstance(source, Path) else io.BytesIO(source)  # noqa: SIM115
    try:
        reader = _xlsx_table if suffix == ".xlsx" else _csv_table
        with _limit_errors(), reader(binary, limits) as table:
            check_cells(1, table.header, limits)
            yield Table(header=table.header, rows=_checked_rows(table.rows, limits))
    finally:
        binary.close()


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
        yield Table(header=header, rows=_csv_rows(reader))


def _detect_encoding(binary: BinaryIO) -> str:
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(ZIP_MAGIC):
        raise ImportFileError(_(
            "Die Datei ist eine Excel-Arbeitsmappe, keine CSV-Datei. Bitte laden Sie sie mit "
            "der Endung .xlsx hoch."
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


# --- XLSX ----------------------------------------------------------------------------------


def _corrupt_xlsx() -> ImportFileError:
    return ImportFileError(_(
        "Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei. Bitte öffnen und "
        "speichern Sie sie erneut in Excel oder exportieren Sie sie als CSV."
    ))


@contextmanager
def _xlsx_table(binary: BinaryIO, limits: ImportLimits) -> Iterator[Table]:
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
        rows = _xlsx_rows(workbook, limits)
        first = next(rows, None)
        if first is None:
            raise ImportFileError(_("Die Datei ist leer."))
        line, header = first
        if line != 1:
            raise ImportFileError(_(
                "Die erste Zeile ist leer. Sie muss die Spaltenüberschriften enthalten."
            ))
        yield Table(header=header, rows=rows)
    finally:
        workbook.close()


def _xlsx_rows(workbook, limits: ImportLimits) -> Iterator[Row]:
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
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
    """The header's width. The sheet's declared dimension may claim a million rows and 16,384
    columns, and openpyxl pads every row to it: forget it, and read rows only one column past
    the header (a value there is reported as a row longer than the header)."""
    sheet.reset_dimensions()
    header = next(sheet.iter_rows(max_row=1, max_col=limits.max_columns, values_only=True), ())
    return max((i + 1 for i, value in enumerate(header) if value not in (None, "")), default=1)


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
