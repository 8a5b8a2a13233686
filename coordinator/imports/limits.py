"""Limits that keep a hostile or accidental file from exhausting a worker: a zip archive is
checked before any XML is parsed (member count, uncompressed sizes, compression ratio, the
longest text run, the number of rows), and rows are counted while they stream.

The archive check works on any zip-based office file (.xlsx, .ods): it looks only at the zip
members, never at what the XML means.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _

MIB = 1024 * 1024
SCAN_CHUNK = MIB
# Row tags in sheet XML: SpreadsheetML (<row …>, possibly with a namespace prefix) and
# OpenDocument (<table:table-row …>).
ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>", b"<table:table-row ", b"<table:table-row>")


class LimitExceeded(Exception):
    """A file exceeds an import limit. The message is German, names the limit, and is meant
    for the user; :mod:`reading` turns it into an :class:`ImportFileError`."""


@dataclass(frozen=True)
class ImportLimits:
    max_rows: int
    max_columns: int = 200
    # Excel's own limit for the text of one cell.
    max_cell_chars: int = 32_767
    # A physical CSV line (the header included); 128 KiB is Python's csv field limit too.
    max_line_chars: int = 128 * 1024
    max_members: int = 1_000
    # Only members larger than this are judged by their compression ratio: small XML parts
    # compress extremely well and are harmless.
    ratio_floor_bytes: int = MIB
    max_ratio: int = 200

    @property
    def max_member_bytes(self) -> int:
        """Uncompressed size of one member: generous for ``max_rows`` rows of a dozen cells."""
        return max(64 * MIB, self.max_rows * 640)

    @property
    def max_total_bytes(self) -> int:
        return 2 * self.max_member_bytes

    @property
    def max_text_run_bytes(self) -> int:
        """Bytes between two XML tags beyond which no cell can be within ``max_cell_chars``
        (four bytes per character in UTF-8, entities such as ``&amp;`` counted generously)."""
        return 6 * self.max_cell_chars

    @classmethod
    def for_web(cls) -> ImportLimits:
        return cls(max_rows=current_app.config["IMPORT_MAX_ROWS"])

    @classmethod
    def for_cli(cls) -> ImportLimits:
        return cls(max_rows=current_app.config["IMPORT_MAX_ROWS_CLI"])


def _n(value: int) -> str:
    return format_number(value)


def too_many_rows(limits: ImportLimits) -> LimitExceeded:
    return LimitExceeded(_(
        "Die Datei hat mehr als %(limit)s Datenzeilen. Mehr Zeilen werden in einem Import "
        "nicht gelesen; bitte teilen Sie die Datei auf.", limit=_n(limits.max_rows),
    ))


def too_long_cell(line: int | None, limits: ImportLimits) -> LimitExceeded:
    if line is None:
        return LimitExceeded(_(
            "Die Datei enthält eine Zelle mit mehr als %(limit)s Zeichen. So lange Zellen "
            "werden nicht gelesen.", limit=_n(limits.max_cell_chars),
        ))
    return LimitExceeded(_(
        "Zeile %(line)d: Eine Zelle hat mehr als %(limit)s Zeichen. So lange Zellen werden "
        "nicht gelesen.", line=line, limit=_n(limits.max_cell_chars),
    ))


# --- zip archives ---------------------------------------------------------------------------


def check_archive(binary: BinaryIO, limits: ImportLimits, sheet_prefixes: Iterable[str]) -> None:
    """Refuse a zip archive that would cost too much to parse, before anything parses it.

    First the central directory (member count, declared sizes, ratio), then a streaming pass
    over the members that decompresses in 1 MB chunks without keeping them: it measures the
    real sizes (a directory may lie), the longest text between two tags (one huge cell) and,
    in members whose names start with one of ``sheet_prefixes``, the number of rows.
    ``binary`` is left at position 0. A file that is no zip archive passes unchanged (the
    reader reports it as corrupt).
    """
    try:
        with zipfile.ZipFile(binary) as archive:
            members = archive.infolist()
            _check_directory(members, limits)
            total = 0
            for member in members:
                counts_rows = member.filename.startswith(tuple(sheet_prefixes))
                total += _scan_member(archive, member, limits, counts_rows)
                if total > limits.max_total_bytes:
                    raise _too_big(limits.max_total_bytes)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        return  # not a readable zip: the reader says so in its own words
    finally:
        binary.seek(0)


def _too_big(limit_bytes: int) -> LimitExceeded:
    return LimitExceeded(_(
        "Die Datei ist entpackt größer als %(limit)s MB (oder ungewöhnlich stark komprimiert) "
        "und wird aus Sicherheitsgründen nicht gelesen.", limit=_n(limit_bytes // MIB),
    ))


def _check_directory(members: list[zipfile.ZipInfo], limits: ImportLimits) -> None:
    if len(members) > limits.max_members:
        raise LimitExceeded(_(
            "Die Datei enthält mehr als %(limit)s Bestandteile und wird aus Sicherheitsgründen "
            "nicht gelesen.", limit=_n(limits.max_members),
        ))
    if sum(m.file_size for m in members) > limits.max_total_bytes:
        raise _too_big(limits.max_total_bytes)
    for member in members:
        if member.file_size > limits.max_member_bytes or _ratio_too_high(
            member.file_size, member.compress_size, limits
        ):
            raise _too_big(limits.max_member_bytes)


def _ratio_too_high(size: int, compressed: int, limits: ImportLimits) -> bool:
    return size > limits.ratio_floor_bytes and size > limits.max_ratio * max(compressed, 1)


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ImportLimits,
                 counts_rows: bool) -> int:
    """Decompress one member chunk by chunk; return its real size."""
    size = rows = longest_run = 0
    carry = b""  # the text after the last '<' of the previous chunk, and a tag cut in half
    with archive.open(member) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            size += len(chunk)
            if size > limits.max_member_bytes or _ratio_too_high(
                size, member.compress_size, limits
            ):
                raise _too_big(limits.max_member_bytes)
            data = carry + chunk
            pieces = data.split(b"<")
            longest_run = max(longest_run, max(map(len, pieces)))
            if longest_run > limits.max_text_run_bytes:
                raise too_long_cell(None, limits)
            if counts_rows:
                # A tag cut at the chunk's end is counted in the next round (it is in carry).
                counted = data[: len(data) - len(pieces[-1]) - 1] if len(pieces) > 1 else b""
                rows += sum(counted.count(tag) for tag in ROW_TAGS)
                if rows > limits.max_rows + 1:  # + the header row
                    raise too_many_rows(limits)
            carry = b"<" + pieces[-1] if len(pieces) > 1 else pieces[-1]
    if counts_rows:
        rows += sum(carry.count(tag) for tag in ROW_TAGS)
        if rows > limits.max_rows + 1:
            raise too_many_rows(limits)
    return size


# --- rows while they stream ---------------------------------------------------------------


def limit_sheet_rows(rows: Iterable[tuple], limits: ImportLimits) -> Iterator[tuple]:
    """Pass a sheet's rows of values through and stop with a German error past the header plus
    ``max_rows`` rows. Empty rows count too (openpyxl fills in every skipped row number) and
    come out as ``()``, so that the caller spends nothing on them."""
    for number, row in enumerate(rows, start=1):
        if number > limits.max_rows + 1:
            raise too_many_rows(limits)
        yield () if row.count(None) == len(row) else row


def limited_lines(text, limits: ImportLimits) -> Iterator[str]:
    """The physical lines of a text stream, each read with a bounded ``readline`` so that a
    file without line breaks is never read into memory at once."""
    number = 0
    while line := text.readline(limits.max_line_chars + 1):
        number += 1
        check_line_length(line, number, limits)
        if number > limits.max_rows + 1:
            raise too_many_rows(limits)
        yield line


def check_line_length(line: str, number: int, limits: ImportLimits) -> None:
    if len(line.rstrip("\r\n")) > limits.max_line_chars:
        if number == 1:
            raise LimitExceeded(_(
                "Die Kopfzeile ist länger als %(limit)s Zeichen. Bitte prüfen Sie, ob die "
                "Datei wirklich eine CSV-Datei mit Spaltenüberschriften ist.",
                limit=_n(limits.max_line_chars),
            ))
        raise LimitExceeded(_(
            "Zeile %(line)d ist länger als %(limit)s Zeichen und wird nicht gelesen.",
            line=number, limit=_n(limits.max_line_chars),
        ))


def check_cells(line: int, cells: list[str], limits: ImportLimits) -> None:
    if len(cells) > limits.max_columns:
        raise LimitExceeded(_(
            "Zeile %(line)d hat mehr als %(limit)s Spalten.",
            line=line, limit=_n(limits.max_columns),
        ))
    if any(len(cell) > limits.max_cell_chars for cell in cells):
        raise too_long_cell(line, limits)
