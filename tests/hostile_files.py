"""Generators of hostile or huge spreadsheets, written member by member so that nothing big is
ever committed or held in memory: used by tests/test_import_limits.py (small sizes) and by
benchmarks/import_limits.py (the sizes of the attack files)."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
    f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
    f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
CHUNK = 1 << 20
LETTERS = bytes(97 + byte % 26 for byte in range(256))  # any byte → a lower-case letter


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def text_row(number: int, texts: Iterable[str]) -> str:
    cells = "".join(cell(f"{column_letter(i)}{number}", t) for i, t in enumerate(texts, 1))
    return f'<row r="{number}">{cells}</row>'


def write_xlsx(target: str | BinaryIO, sheet_body: Iterable[bytes], *,
               dimension: str = "A1", extra_members: int = 0, level: int = 6) -> None:
    """An .xlsx that openpyxl opens, whose first sheet's ``<sheetData>`` is ``sheet_body``
    (streamed into the archive chunk by chunk)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for number in range(extra_members):
            archive.writestr(f"customXml/item{number}.xml", "<x/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<worksheet xmlns="{MAIN_NS}"><dimension ref="{dimension}"/>'
                "<sheetData>".encode()
            )
            for part in sheet_body:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")


def _batched(rows: Iterator[str]) -> Iterator[bytes]:
    batch: list[str] = []
    size = 0
    for row in rows:
        batch.append(row)
        size += len(row)
        if size >= CHUNK:
            yield "".join(batch).encode()
            batch, size = [], 0
    if batch:
        yield "".join(batch).encode()


HEADER = ("Name", "Art", "Handlungsfelder", "Zugehörigkeit")


def huge_cell(cell_bytes: int, varied: bool = False) -> Iterator[bytes]:
    """A header and one row whose first cell holds ``cell_bytes`` letters: all the same (a
    compression ratio of 1000:1), or ``varied`` (random letters, about 1.6:1)."""
    yield text_row(1, HEADER).encode()
    yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    letters = random.Random(0)
    left = cell_bytes
    while left > 0:
        size = min(CHUNK, left)
        yield letters.randbytes(size).translate(LETTERS) if varied else b"A" * size
        left -= size
    yield b"</t></is></c></row>"


def tiny_rows(count: int) -> Iterator[bytes]:
    """``count`` rows of one number each: a few bytes per row once compressed."""
    rows = (f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, count + 2))
    yield text_row(1, HEADER).encode()
    yield from _batched(rows)


def bare_rows(count: int) -> Iterator[bytes]:
    """``count`` identical rows without row numbers: 5.5 M of them compress to a few MB."""
    yield text_row(1, HEADER).encode()
    yield from _batched(iter(["<row><c><v>1</v></c></row>"] * count))


def real_rows(count: int) -> Iterator[bytes]:
    """``count`` plausible stakeholder rows, every name different."""
    rows = (
        text_row(n, (f"Verein Nummer {n}", "Gruppe", "Sprache|Bildung", f"Ortsteil {n % 97}"))
        for n in range(2, count + 2)
    )
    yield text_row(1, HEADER).encode()
    yield from _batched(rows)


def far_row(number: int) -> Iterator[bytes]:
    """A header and a single row numbered ``number``: readers fill in the rows between."""
    yield text_row(1, HEADER).encode()
    yield text_row(number, ("Verein fern", "Gruppe", "", "")).encode()
