"""The one table writer: formula cells are inert whatever separator a reader assumes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from coordinator.tabular import Table, csv_bytes, neutralise, xlsx_bytes

HOSTILE = ["Verein;=1+1;", "@SUM(A1:A2)", '=HYPERLINK("http://x")', "a,+1", "\tTab", "-2+3",
           "Jugendamt; -1+1"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cells_as_read(data: bytes, delimiter: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize("flavour", ["excel", "machine"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_no_cell_starts_a_formula_under_either_separator(flavour, delimiter):
    data = csv_bytes(Table("t", ["Name", "Zahl"], [[h, -1.5] for h in HOSTILE]), flavour)
    for cell in _cells_as_read(data, delimiter):
        assert not cell.lstrip(" ").startswith(FORMULA_STARTS) or cell in (
            "-1.5", "-1,5"), cell


def test_excel_flavour_is_semicolon_bom_and_german_formats():
    data = csv_bytes(Table("t", ["Datum", "Anteil", "Name"],
                           [[date(2026, 3, 1), 0.25, "Ausländerbehörde"]]), "excel")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[1] == '"01.03.2026";"0,25";"Ausländerbehörde"'


def test_machine_flavour_is_comma_iso_and_plain_utf8():
    data = csv_bytes(Table("t", ["Datum", "Anteil"], [[date(2026, 3, 1), 0.25]]), "machine")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode().splitlines()[1] == '"2026-03-01",0.25'


def test_neutralise_leaves_ordinary_text_and_numbers():
    assert neutralise("Jugendamt, Schulamt") == "Jugendamt, Schulamt"
    assert neutralise(-3) == -3
    assert neutralise(" =1") == " '=1"


def test_xlsx_stores_formula_text_as_text():
    data = xlsx_bytes([Table("Akteure", ["Name"], [["=1+1"], ["Jobcenter"]]),
                       Table("Akteure", ["x"], [[1]])])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Akteure", "Akteure (2)"]
    values = [c.value for c in book["Akteure"]["A"]]
    assert values == ["Name", "'=1+1", "Jobcenter"]
    assert book["Akteure"]["A2"].data_type == "s"
