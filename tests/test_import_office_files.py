"""Files as German LibreOffice and Excel write them: ODS workbooks (title rows above the
header, several sheets, repeated empty rows), XLSX with the data on a later sheet, and
Windows-1252 files in which characters were lost on saving."""

import io
import zipfile
from datetime import date
from functools import partial
from xml.sax.saxutils import escape

import openpyxl
import pytest
from sqlalchemy import func, select

from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.imports.columns import header_test
from coordinator.imports.operations import run_import
from coordinator.imports.reading import ImportFileError, open_table
from coordinator.models import JointActivity, Stakeholder

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(value) -> str:
    if value is None:
        return '<table:table-cell table:number-columns-repeated="3"/>'
    if isinstance(value, date):
        return (f'<table:table-cell office:value-type="date" office:date-value="'
                f'{value.isoformat()}"><text:p>{value:%d.%m.%y}</text:p></table:table-cell>')
    if isinstance(value, int):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f'<text:p>{value}</text:p></table:table-cell>')
    first, _sep, rest = str(value).partition("  ")
    spaced = escape(first) + ('<text:s text:c="2"/>' + escape(rest) if _sep else "")
    return (f'<table:table-cell office:value-type="string"><text:p>{spaced}</text:p>'
            "</table:table-cell>")


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An ODS file as LibreOffice writes it, including the repeated empty rows and cells
    that pad every sheet."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(ods_cell(v) for v in row)
            + '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>'
            if row else "<table:table-row><table:table-cell/></table:table-row>"
            for row in rows
        )
        body += ('<table:table-row table:number-rows-repeated="1048000">'
                 '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
               f'<office:body><office:spreadsheet>{"".join(tables)}'
               "</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_file(kind: str, data: bytes, filename: str, dry_run: bool = False):
    with write_intent():
        return run_import(kind, partial(open_table, data, filename, is_header=header_test(kind)),
                          dry_run=dry_run)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


NOTES = [["Bitte nur das Blatt Aktivitäten ausfüllen"], ["Stand: März"]]
ACTIVITY_ROWS = [
    ["Aktivitäten Jugendamt 2026"],  # a title row
    [],
    ["Datum", "Titel", "Art", "Beteiligte"],
    [date(2026, 3, 11), "Sprachcafé  planen", "Besprechung",
     "Jugendamt|Interkultureller Verein Sonnenfeld"],
    ["12.03.26", "Fallkonferenz", "Fallkonferenz", "Jobcenter|Ausländerbehörde"],
]


@pytest.mark.parametrize("maker, filename", [(ods_bytes, "liste.ods"),
                                             (xlsx_bytes, "liste.xlsx")])
def test_first_matching_sheet_is_read_below_its_title_rows(app, world, maker, filename):
    data = maker({"Hinweise": NOTES, "Aktivitäten": ACTIVITY_ROWS})
    report = import_file("activities", data, filename)
    assert report.ok, report.errors
    assert (report.sheet, report.header_line, report.created) == ("Aktivitäten", 3, 2)
    titles = dict(db.session.execute(select(JointActivity.title, JointActivity.date)).all())
    assert titles["Sprachcafé planen"] == date(2026, 3, 11)
    assert titles["Fallkonferenz"] == date(2026, 3, 12)


def test_ods_cells_keep_their_spaces(app):
    data = ods_bytes({"Blatt": [["Name", "Art"], ["Amt  51", None, "Ressort"]]})
    with open_table(data, "a.ods") as table:
        assert list(table.rows) == [(2, ["Amt  51", "", "", "", "Ressort"])]


def test_ods_rows_keep_the_line_numbers_libreoffice_shows(app, world):
    rows = [*ACTIVITY_ROWS, ["31.02.26", "Geht nicht", "Besprechung", "Jobcenter|Jugendamt"]]
    report = import_file("activities", ods_bytes({"Tabelle1": rows}), "liste.ods")
    assert [(e.line, e.column) for e in report.errors] == [(6, "Datum")]


def test_ods_numbers_and_stakeholders(app):
    data = ods_bytes({"Akteure": [["Name", "Art", "Beschreibung"],
                                  ["Amt 51", "Ressort", 2026]]})
    report = import_file("stakeholders", data, "akteure.ods")
    assert report.ok, report.errors
    amt = db.session.scalars(select(Stakeholder).where(Stakeholder.name == "Amt 51")).one()
    assert amt.description == "2026"


def test_no_matching_sheet_names_the_missing_column(app, world):
    data = ods_bytes({"Tabelle1": [["Datum", "Titel"], ["01.03.2026", "x"]]})
    report = import_file("activities", data, "liste.ods")
    assert not report.ok
    assert any("Pflichtspalte „Art“" in e.message for e in report.errors)
    assert count(JointActivity) == 2


@pytest.mark.parametrize("raw", [b"PK\x03\x04kaputt", b"kein zip",
                                 b"PK" + b"\x00" * 40])
def test_broken_ods_is_explained(app, raw):
    with pytest.raises(ImportFileError, match="LibreOffice-Datei ist beschädigt"), \
            open_table(raw, "liste.ods") as table:
        list(table.rows)


def test_ods_with_entity_declarations_is_refused(app):
    bomb = ods_bytes({"A": [["Name", "Art"], ["Amt", "Ressort"]]})
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        content = archive.read("content.xml").decode()
    content = content.replace("?>", '?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    with pytest.raises(ImportFileError, match="LibreOffice-Datei ist beschädigt"), \
            open_table(buffer.getvalue(), "liste.ods") as table:
        list(table.rows)


def test_xlsx_saved_with_ods_suffix_is_refused(app):
    data = xlsx_bytes({"A": [["Name", "Art"], ["Amt", "Ressort"]]})
    with pytest.raises(ImportFileError, match=r"\.ods-Tabelle"), \
            open_table(data, "liste.ods") as table:
        list(table.rows)


# --- characters lost in Windows-1252 -------------------------------------------------------------


def test_question_marks_inside_names_of_a_cp1252_file_are_reported(app, world):
    text = ("Datum;Titel;Art;Beteiligte;Beschreibung\r\n"
            "05.03.2026;Wer hilft?;Besprechung;Jugendamt|Jobcenter;Gut? Ja.\r\n"
            "06.03.2026;Treffen mit Ba?ak;Besprechung;Jugendamt|Jobcenter;Größe ok\r\n")
    report = import_file("activities", text.encode("cp1252"), "liste.csv")
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(3, None)]
    assert "„Treffen mit Ba?ak“ enthält ein Fragezeichen mitten im Wort" in report.errors[0].message
    assert "CSV UTF-8" in report.errors[0].message
    assert count(JointActivity) == 2


def test_question_mark_in_a_utf8_file_is_the_users_own(app, world):
    text = "Datum;Titel;Art;Beteiligte\n05.03.2026;Frage?Antwort;Besprechung;Jugendamt|Jobcenter\n"
    report = import_file("activities", text.encode("utf-8"), "liste.csv")
    assert report.ok, report.errors


@pytest.mark.parametrize("garbled", ["MÃ¼ller", "Stra\ufffde"])
def test_double_encoded_or_replaced_characters_are_reported(app, world, garbled):
    text = f"Name;Art\nAmt;Ressort\n{garbled};Gruppe\n"
    report = import_file("stakeholders", text.encode("utf-8"), "akteure.csv")
    assert [(e.line, e.column) for e in report.errors] == [(3, None)]
    assert "verfälschte Zeichen" in report.errors[0].message
