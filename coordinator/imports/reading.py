"""From an uploaded or local file to a :class:`Table`: a header and rows of trimmed text cells,
each row with the line number a person sees in the file (header = line 1).

CSV files come from Excel, LibreOffice or hand-written scripts: comma or semicolon (German
Excel) as delimiter, UTF-8 with or without BOM, or Windows-1252 (German Excel's "CSV" without
"UTF-8"). Rows are streamed, so a file with a million lines is never held in memory at once.
XLSX and ODS files are read by :mod:`.workbooks`; the table says which sheet was read and in
which line its header stood. Every file is held to the :class:`~.limits.ImportLimits` (rows,
cell and line length; a zip archive's sizes are checked before any XML is parsed).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePath
from typing import BinaryIO

from flask_babel import gettext as _

from .limits import ImportLimits, LimitExceeded, check_cells, limited_lines
from .table import ZIP_MAGIC, HeaderTest, ImportFileError, Row, Table
from .workbooks import ods_sheets, workbook_table, xlsx_sheets

__all__ = ["ImportFileError", "Row", "Table", "check_suffix", "open_table"]

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".ods")
CSV_DELIMITERS = (";", ",", "\t")
# Tried in this order: UTF-8 must decode strictly; cp1252 is what German Excel writes otherwise.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
CHUNK_SIZE = 1 << 20


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
        reader = xlsx_sheets if suffix == ".xlsx" else ods_sheets
        with reader(binary, limits) as sheets:
            yield workbook_table(sheets, is_header)


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
