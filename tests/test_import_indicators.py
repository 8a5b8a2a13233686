"""``import-csv indicators``: a good file (CSV and XLSX with German headers, decimal comma),
importing again, and every kind of bad row – which changes nothing."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.indicators.catalogue import seed_indicators
from coordinator.indicators.models import Indicator, IndicatorValue
from coordinator.models import Role

GOOD = (
    "Indikator;Zeitraum;Gruppe;Wert;Quelle\n"
    "E8;2024;gesamt;8,4;BA\n"
    "SGB-II-Quote;2025;;7,9;BA\n"
    "D3;2025-q2;deutsch;4,8;RDB\n"
    "d3;2025-Q2;ausländisch;1.011,2;RDB\n"
)


@pytest.fixture
def catalogue(app):
    seed_indicators()


def values() -> dict:
    db.session.rollback()
    rows = db.session.execute(
        select(Indicator.key, IndicatorValue.period, IndicatorValue.group_key,
               IndicatorValue.value).join(IndicatorValue.indicator))
    return {(k, p, g): v for k, p, g, v in rows}


def write(tmp_path, text: str, name: str = "indikatoren.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8-sig"))
    return str(path)


def test_good_file_imports_and_again_changes_nothing(runner, catalogue, tmp_path):
    path = write(tmp_path, GOOD)
    first = runner.invoke(args=["import-csv", "indicators", path])
    assert first.exit_code == 0, first.output
    assert "4 neu, 0 aktualisiert, 0 bereits vorhanden" in first.stdout
    assert values() == pytest.approx({
        ("E8", "2024", "gesamt"): 8.4, ("E8", "2025", "gesamt"): 7.9,
        ("D3", "2025-Q2", "deutsch"): 4.8, ("D3", "2025-Q2", "auslaendisch"): 1011.2,
    })
    again = runner.invoke(args=["import-csv", "indicators", path])
    assert "0 neu, 0 aktualisiert, 4 bereits vorhanden" in again.stdout
    changed = write(tmp_path, "indicator,period,value\nE8,2024,8.1\n", "neu.csv")
    third = runner.invoke(args=["import-csv", "indicators", changed])
    assert "0 neu, 1 aktualisiert, 0 bereits vorhanden" in third.stdout
    assert values()[("E8", "2024", "gesamt")] == pytest.approx(8.1)


def test_xlsx_from_a_spreadsheet(runner, catalogue, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Indikator", "Jahr", "Wert"])
    workbook.active.append(["E4", 2025, 5.25])
    workbook.active.append(["E4", 2024, 6])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "werte.xlsx"
    path.write_bytes(buffer.getvalue())
    result = runner.invoke(args=["import-csv", "indicators", str(path)])
    assert result.exit_code == 0, result.output
    assert values() == pytest.approx({("E4", "2025", "gesamt"): 5.25,
                                      ("E4", "2024", "gesamt"): 6.0})


@pytest.mark.parametrize(("row", "message"), [
    ("X99;2025;gesamt;1;", "Unbekannter Indikator „X99“"),
    (";2025;gesamt;1;", "Pflichtangabe fehlt"),
    ("E8;25;gesamt;1;", "Ungültiger Zeitraum „25“"),
    ("E8;2025-Q5;gesamt;1;", "Ungültiger Zeitraum"),
    ("E8;2025;Frauen;1;", "Unbekannte Gruppe „Frauen“"),
    ("E8;2025;gesamt;7,9 %;", "„7,9 %“ ist keine Zahl"),
    ("E8;2025;gesamt;;", "Pflichtangabe fehlt"),
    ("E8;2024;gesamt;8,4;BA", "stehen bereits in Zeile 2"),
    ("E8;2025;gesamt;1;" + "x" * 201, "zu lang"),
    ("E8;2025;gesamt;1;BA;zu viel", "mehr Werte als die Kopfzeile"),
])
def test_every_bad_row_is_reported_and_nothing_is_stored(runner, catalogue, tmp_path, row,
                                                         message):
    path = write(tmp_path, "Indikator;Zeitraum;Gruppe;Wert;Quelle\nE8;2024;gesamt;8,4;BA\n"
                 + row + "\n")
    result = runner.invoke(args=["import-csv", "indicators", path])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Zeile 3" in result.stderr
    assert values() == {}


def test_missing_and_unknown_columns(runner, catalogue, tmp_path):
    result = runner.invoke(args=["import-csv", "indicators",
                                 write(tmp_path, "Indikator;Wert;Farbe\nE8;1;rot\n")])
    assert result.exit_code == 1
    assert "Pflichtspalte „Zeitraum“" in result.stderr
    assert "Unbekannte Spalte „Farbe“" in result.stderr


def test_web_import_preview_and_confirm(client, auth, world, catalogue):
    auth.login_as(world, Role.COORDINATOR)
    upload = {"kind": "indicators",
              "file": (io.BytesIO(GOOD.encode("utf-8")), "indikatoren.csv")}
    preview = client.post("/import/preview", data=upload, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "Indikatorwerte" in page and "Jetzt importieren" in page
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0
    token = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    done = client.post("/import/confirm", data={"payload": token})
    assert done.status_code == 200  # the result page itself
    assert "Import abgeschlossen" in done.get_data(as_text=True)
    assert len(values()) == 4
    bad = {"kind": "indicators",
           "file": (io.BytesIO(b"Indikator;Zeitraum;Wert\nE8;2025;viel\n"), "x.csv")}
    refused = client.post("/import/preview", data=bad, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "keine Zahl" in refused.get_data(as_text=True)
    assert client.get("/import/examples/indicators.csv").status_code == 200
