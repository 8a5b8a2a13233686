"""What reading an import file gives: a :class:`Table` of text rows, or an
:class:`ImportFileError` whose German message is meant for the user. Shared by the CSV reader
(:mod:`.reading`) and the workbook readers (:mod:`.workbooks`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
