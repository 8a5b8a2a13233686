"""The network's tables as XLSX and CSV (German Excel and machine flavour)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from conftest import make_activity, make_stakeholder
from coordinator.dashboard.tables import TABLES
from coordinator.models import Role, StakeholderKind


@pytest.fixture
def logged_in(client, auth, world):
    make_stakeholder("=HYPERLINK(\"x\")", StakeholderKind.GROUP)  # a formula as a name
    auth.login_as(world, Role.LEADERSHIP)
    return client


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-machine"])
def test_every_table_in_every_format(logged_in, name, fmt):
    response = logged_in.get(f"/tables/{name}?format={fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and date.today().isoformat() in disposition
    body = response.get_data()
    if fmt == "xlsx":
        assert body[:2] == b"PK" and disposition.endswith('.xlsx"')
    elif fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf")  # BOM: German Excel reads UTF-8
        assert b";" in body.splitlines()[0]
    else:
        assert not body.startswith(b"\xef\xbb\xbf") and b"," in body.splitlines()[0]


def test_german_excel_csv_of_the_nodes(logged_in):
    text = logged_in.get("/tables/akteure?format=csv").get_data().decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header == '"Nr.";"Akteur";"Art";"Partner";"Gewichtete Verbindungen";"Hinweise"'
    assert any('"Ausländerbehörde";"Ressort/Dienststelle";1;1;' in row for row in rows)
    assert any('"\'=HYPERLINK(""x"")"' in row for row in rows)  # neutralised


def test_ties_carry_german_dates(logged_in):
    text = logged_in.get("/tables/verbindungen?format=csv").get_data().decode("utf-8-sig")
    assert '"Jobcenter";"Ausländerbehörde";1;"10.02.2026"' in text or \
        '"Ausländerbehörde";"Jobcenter";1;"10.02.2026"' in text
    machine = logged_in.get("/tables/verbindungen?format=csv-machine").get_data(as_text=True)
    assert "2026-02-10" in machine


def test_all_tables_in_one_workbook(logged_in, world):
    make_activity([world["jugendamt"], world["jobcenter"]], date(2026, 3, 1))
    response = logged_in.get("/tables/alle?format=xlsx&field=arbeit")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames[:5] == ["Akteure", "Verbindungen", "Ressort-Matrix",
                                   "Ressorts und Handlungsfelder", "Entwicklung"]
    assert len(book.sheetnames) == len(TABLES)
    trend = list(book["Entwicklung"].values)
    assert trend[0][0] == "Quartal" and trend[0][-1] == "Abgeschlossen"


def test_bad_requests_explain_themselves(logged_in):
    assert logged_in.get("/tables/unbekannt").status_code == 404
    assert logged_in.get("/tables/akteure?format=pdf").status_code == 400
    response = logged_in.get("/tables/alle?format=csv")
    assert response.status_code == 400 and "nur als XLSX" in response.get_data(as_text=True)
    assert logged_in.get("/tables/akteure?since=gestern").status_code == 400
