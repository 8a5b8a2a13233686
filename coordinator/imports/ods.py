"""Reading LibreOffice's own format, OpenDocument Spreadsheet (``.ods``), with the standard
library: the sheets are in ``content.xml`` inside a zip archive.

Only values are read: a cell's text (``<text:p>`` paragraphs, ``<text:s/>`` spaces), or its
typed value for dates and numbers. The XML is parsed as a stream and every finished row is
dropped from memory. Repeated rows and cells (``number-rows-repeated``,
``number-columns-repeated``: LibreOffice stores the empty rest of a sheet as one row repeated
a million times) are expanded only while they carry a value, so a sheet of empty rows costs
nothing.

Archive size checks for zip-based files live with the other upload limits; this module only
turns an archive that has been let through into rows.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
T = f"{{{TABLE_NS}}}"
TEXT = f"{{{TEXT_NS}}}"
OFFICE = f"{{{OFFICE_NS}}}"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Cells further right than this are never columns of an import file (Excel/LibreOffice pad
# rows with thousands of empty repeated cells).
MAX_COLUMNS = 1024

Row = tuple[int, list[str]]


class OdsError(Exception):
    """The archive is no readable OpenDocument spreadsheet."""


def is_ods(binary: BinaryIO) -> bool:
    """Whether the zip archive says it is an OpenDocument spreadsheet (its ``mimetype``)."""
    try:
        with zipfile.ZipFile(binary) as archive:
            return archive.read("mimetype").strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        binary.seek(0)


def ods_sheets(binary: BinaryIO) -> Iterator[tuple[str, Iterator[Row]]]:
    """Each sheet as (name, rows), in the order of the file. A row is (line number as
    LibreOffice shows it, cell texts without trailing empty cells); empty rows are skipped.

    The sheets share one XML stream: take them in order and read a sheet's rows before
    moving on to the next sheet (the rows of a skipped sheet are passed over).
    """
    try:
        archive = zipfile.ZipFile(binary)
        content = archive.open("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise OdsError(str(exc)) from exc
    with archive, content:
        # Expat ≥ 2.4 limits entity expansion, ElementTree never fetches external entities,
        # and a document type declaration (which an ODS file never has) is refused outright.
        events = iterparse(_NoDoctype(content), events=("start", "end"))  # noqa: S314
        try:
            for event, element in events:
                if event == "start" and element.tag == f"{T}table":
                    rows = _sheet_rows(element, events)
                    yield element.get(f"{T}name", ""), rows
                    for _row in rows:  # the caller moved on early: skip to the sheet's end
                        pass
        except (ParseError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise OdsError(str(exc)) from exc


class _NoDoctype:
    """A file wrapper that raises OdsError when the XML declares a document type or
    entities (the way into entity-expansion attacks)."""

    FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
    OVERLAP = 16

    def __init__(self, raw):
        self.raw = raw
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        window = self.tail + chunk
        if any(token in window for token in self.FORBIDDEN):
            raise OdsError("document type declarations are not allowed")
        self.tail = window[-self.OVERLAP:]
        return chunk


def _sheet_rows(table, events) -> Iterator[Row]:
    line = 0
    open_elements = [table]  # the path down to the current element; finished rows are removed
    for event, element in events:
        if event == "start":
            open_elements.append(element)
            continue
        if element is table:
            element.clear()
            return
        open_elements.pop()
        if element.tag != f"{T}table-row":
            continue
        repeat = _repeat(element, "rows")
        cells = _row_cells(element)
        element.clear()
        open_elements[-1].remove(element)  # keep memory flat on sheets of a million rows
        if not cells:
            line += repeat
            continue
        for _copy in range(repeat):
            line += 1
            yield line, list(cells)


def _row_cells(row) -> list[str]:
    cells: list[str] = []
    pending_empty = 0
    for cell in row:
        if cell.tag not in (f"{T}table-cell", f"{T}covered-table-cell"):
            continue
        repeat = _repeat(cell, "columns")
        text = _cell_text(cell)
        if not text:
            pending_empty += repeat
            continue
        if len(cells) + pending_empty + repeat > MAX_COLUMNS:
            break
        cells.extend([""] * pending_empty)
        pending_empty = 0
        cells.extend([text] * repeat)
    return cells


def _repeat(element, what: str) -> int:
    try:
        return max(1, int(element.get(f"{T}number-{what}-repeated", "1")))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    """Dates as ISO dates (the import reads them like a typed date); other cells as the text
    LibreOffice displays, except that plain numbers keep their value (no thousands
    separators)."""
    value_type = cell.get(f"{OFFICE}value-type")
    if value_type == "date":
        raw = cell.get(f"{OFFICE}date-value", "")
        try:
            return date.fromisoformat(raw[:10]).isoformat()
        except ValueError:
            pass
    if value_type == "float":
        raw = cell.get(f"{OFFICE}value", "")
        try:
            number = float(raw)
        except ValueError:
            pass
        else:
            return str(int(number)) if number.is_integer() else raw
    paragraphs = [_paragraph_text(p) for p in cell.iter(f"{TEXT}p")]
    return "\n".join(paragraphs).strip()


def _paragraph_text(paragraph) -> str:
    parts = [paragraph.text or ""]
    for child in paragraph:
        if child.tag == f"{TEXT}s":
            parts.append(" " * _count(child))
        elif child.tag == f"{TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count(element) -> int:
    try:
        return max(1, int(element.get(f"{TEXT}c", "1")))
    except ValueError:
        return 1
