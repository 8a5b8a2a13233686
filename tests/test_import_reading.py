"""Reading import files: encodings, delimiters, line numbers, XLSX, and files that cannot be
read at all (each with a German message)."""

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from coordinator.imports.reading import ImportFileError, open_table

DATA = Path(__file__).parent / "data"


def read(source, filename="data.csv"):
    with open_table(source, filename) as table:
        return table.header, list(table.rows)


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(app, delimiter):
    text = delimiter.join(["name", "kind", "fields"]) + "\n"
    text += delimiter.join(["Jobcenter", "department", "arbeit|bildung"]) + "\n"
    header, rows = read(text.encode())
    assert header == ["name", "kind", "fields"]
    assert rows == [(2, ["Jobcenter", "department", "arbeit|bildung"])]


def test_quoted_cells_may_contain_the_other_delimiter(app):
    header, rows = read(b'Name;Beschreibung\n"Jobcenter";"Arbeit, Ausbildung; Beratung"\n')
    assert header == ["Name", "Beschreibung"]
    assert rows[0][1] == ["Jobcenter", "Arbeit, Ausbildung; Beratung"]


def test_utf8_bom_is_removed_from_the_first_header(app):
    header, rows = read("name,kind\nStraßenverein,group\n".encode("utf-8-sig"))
    assert header == ["name", "kind"]
    assert rows[0][1][0] == "Straßenverein"


def test_windows_1252_as_german_excel_writes_it(app):
    """German Excel's plain "CSV" is cp1252 with semicolons and CRLF."""
    raw = (DATA / "stakeholders_excel_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header, rows = read(raw)
    assert header == ["Name", "Art", "Handlungsfelder", "Übergeordnet", "Beschreibung"]
    names = [cells[0] for _line, cells in rows]
    assert "Ausländerbehörde" in names
    assert any("Straße" in cells[4] for _line, cells in rows)


def test_cp1252_euro_sign_and_quotes(app):
    text = "name;description\nFörderverein;„Spenden“ über 5 €\n"
    _header, rows = read(text.encode("cp1252"))
    assert rows[0][1] == ["Förderverein", "„Spenden“ über 5 €"]


def test_line_numbers_count_physical_lines(app):
    """Header is line 1; a quoted cell over two lines and blank lines keep the count right."""
    text = 'name,description\nA,"zwei\nZeilen"\n\nB,x\n , \n,,\nC,y\n'
    _header, rows = read(text.encode())
    assert [(line, cells[0]) for line, cells in rows] == [(2, "A"), (5, "B"), (8, "C")]
    assert rows[0][1][1] == "zwei\nZeilen"


def test_cells_are_trimmed(app):
    _header, rows = read(b"name , kind\n  Jobcenter ,  department \n")
    assert rows == [(2, ["Jobcenter", "department"])]


def test_reads_from_a_path(app, tmp_path):
    path = tmp_path / "Akteure.CSV"
    path.write_bytes(b"name,kind\nJobcenter,department\n")
    header, rows = read(path, path.name)
    assert header == ["name", "kind"]
    assert rows == [(2, ["Jobcenter", "department"])]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "leer"),
        (b"\r\n  \n", "leer"),
        ("\ufeff".encode(), "leer"),
        (b"\nname,kind\nA,group\n", "erste Zeile ist leer"),
        (b"name,kind\nA\x81,group\n", "weder als UTF-8 noch als Windows-1252"),
        ("name,kind\n".encode("utf-16"), "UTF-16"),
        (b"name,kind\nA\x00B,group\n", "Binärdaten"),
        (b"PK\x03\x04rest-of-a-zip", "Tabellen-Arbeitsmappe"),
    ],
    ids=["empty", "blank", "bom-only", "blank-first-line", "undecodable", "utf16", "nul",
         "zip-as-csv"],
)
def test_unreadable_csv_files(app, raw, expected):
    with pytest.raises(ImportFileError, match=expected):
        read(raw)


def test_broken_csv_line_is_reported_with_its_number(app):
    raw = b"name,description\nA,ok\nB," + b'"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(ImportFileError, match="Zeile 3"):
        read(raw)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("liste.xls", r"\.xls wird nicht unterstützt"), ("liste.txt", r"\.csv, \.xlsx oder \.ods"),
     ("liste", r"\.csv, \.xlsx oder \.ods")],
)
def test_unsupported_extensions(app, filename, expected):
    with pytest.raises(ImportFileError, match=expected):
        read(b"name,kind\n", filename)


def test_xlsx_first_sheet_values_and_dates(app):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Datum", "Titel", "Anzahl", None])
    sheet.append([datetime(2026, 2, 3, 0, 0), "Sprachcafé", 12, None])
    sheet.append([None, None, None])
    sheet.append([date(2026, 2, 10), "  Fallkonferenz ", 3.0])
    other = workbook.create_sheet("Ignoriert")
    other.append(["nicht", "gelesen"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    header, rows = read(buffer.getvalue(), "Liste.XLSX")
    assert header == ["Datum", "Titel", "Anzahl"]
    assert rows == [
        (2, ["2026-02-03", "Sprachcafé", "12"]),
        (4, ["2026-02-10", "Fallkonferenz", "3"]),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"not a zip at all", "beschädigt"),
        (b"PK\x03\x04garbage", "beschädigt"),
    ],
    ids=["random-bytes", "broken-zip"],
)
def test_corrupt_xlsx(app, raw, expected):
    with pytest.raises(ImportFileError, match=expected):
        read(raw, "liste.xlsx")


def test_zip_that_is_no_workbook(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "no workbook here")
    with pytest.raises(ImportFileError, match="beschädigt"):
        read(buffer.getvalue(), "liste.xlsx")


def test_truncated_xlsx(app):
    raw = xlsx_bytes([["name", "kind"], ["Jobcenter", "department"]])
    with pytest.raises(ImportFileError, match="beschädigt"):
        read(raw[: len(raw) // 2], "liste.xlsx")


def test_empty_xlsx(app):
    with pytest.raises(ImportFileError, match="leer"):
        read(xlsx_bytes([]), "liste.xlsx")


def test_xlsx_without_header_in_first_row(app):
    raw = xlsx_bytes([[None, None], ["name", "kind"], ["Jobcenter", "department"]])
    with pytest.raises(ImportFileError, match="erste Zeile ist leer"):
        read(raw, "liste.xlsx")
