"""``flask import-csv``: output, exit codes, and that it changes nothing when a row is bad."""

import io

import openpyxl
from sqlalchemy import func, select

from coordinator import database
from coordinator.extensions import db
from coordinator.imports import cli
from coordinator.imports.operations import ImportConflictError, ImportReport
from coordinator.models import JointActivity, Stakeholder

ACTIVITIES = (
    "Datum;Titel;Art;Beteiligte\n"
    "05.03.2026;Sprachcafé;Besprechung;Jugendamt|Interkultureller Verein Sonnenfeld\n"
    "06.03.2026;Fallkonferenz;Fallkonferenz;Jobcenter|Ausländerbehörde\n"
)


def count(model) -> int:
    db.session.rollback()  # the command wrote through its own session; see its commits
    return db.session.scalar(select(func.count()).select_from(model))


def write(tmp_path, text: str, name: str = "aktivitaeten.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_and_import_again(runner, world, tmp_path):
    path = write(tmp_path, ACTIVITIES)
    before = count(JointActivity)
    first = runner.invoke(args=["import-csv", "activities", str(path)])
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "Import abgeschlossen: 2 neu, 0 bereits vorhanden"
    assert count(JointActivity) == before + 2

    second = runner.invoke(args=["import-csv", "activities", str(path)])
    assert second.exit_code == 0
    assert second.stdout.strip() == "Import abgeschlossen: 0 neu, 2 bereits vorhanden"
    assert count(JointActivity) == before + 2


def test_stakeholders_from_xlsx(runner, app, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Art", "Handlungsfelder"])
    workbook.active.append(["Jobcenter", "Ressort", "Arbeit"])
    workbook.active.append(["Verein Miteinander", "Gruppe", "Sprache|Sport & Freizeit"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "akteure.xlsx"
    path.write_bytes(buffer.getvalue())

    result = runner.invoke(args=["import-csv", "stakeholders", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 neu, 0 aktualisiert, 0 bereits vorhanden" in result.stdout
    assert count(Stakeholder) == 2


def test_bad_rows_are_listed_and_nothing_is_imported(runner, world, tmp_path):
    path = write(tmp_path, ACTIVITIES + "31.02.2026;Geht nicht;Besprechung;Jobcenter|Jugendamt\n"
                 "07.03.2026;Auch nicht;Besprechung;Jobcenter|Frau Unbekannt\n"
                 "08.03.2026;Zu viel;meeting;Jobcenter|Jugendamt;übrig\n", encoding="cp1252")
    before = count(JointActivity)
    result = runner.invoke(args=["import-csv", "activities", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Zeile 4, Spalte „Datum“: Ungültiges Datum „31.02.2026“. Erwartet wird TT.MM.JJJJ, "
        "TT.MM.JJ oder JJJJ-MM-TT (Jahr 1900 bis 2100).",
        "Zeile 5, Spalte „Beteiligte“: Unbekannter Akteur „Frau Unbekannt“. Bitte legen Sie ihn "
        "zuerst im Register an oder importieren Sie ihn mit dem Akteurs-Import.",
        "Zeile 6: Die Zeile hat mehr Werte als die Kopfzeile Spalten. Enthält ein Wert das "
        "Trennzeichen? Dann setzen Sie den Wert in Anführungszeichen. Mehrere Werte in einer "
        "Zelle (Beteiligte, Handlungsfelder) trennen Sie mit |, nicht mit „;“ oder „,“.",
        "3 Fehler – es wurde nichts importiert.",
    ]
    assert count(JointActivity) == before


def test_header_and_file_errors(runner, app, tmp_path):
    header = runner.invoke(args=["import-csv", "stakeholders",
                                 str(write(tmp_path, "name,kind,Farbe\nA,group,rot\n"))])
    assert header.exit_code == 1
    assert header.stderr.startswith("Zeile 1, Spalte „Farbe“: Unbekannte Spalte „Farbe“.")

    undecodable = write(tmp_path, "name,kind\nA\x81,group\n", "kaputt.csv", encoding="latin-1")
    result = runner.invoke(args=["import-csv", "stakeholders", str(undecodable)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Datei: Die Datei konnte nicht gelesen werden")

    wrong = write(tmp_path, "name,kind\n", "liste.odt")
    result = runner.invoke(args=["import-csv", "stakeholders", str(wrong)])
    assert result.exit_code == 1
    assert "nur Dateien mit der Endung .csv, .xlsx oder .ods" in result.stderr
    assert count(Stakeholder) == 0


def test_dry_run_stores_nothing(runner, world, tmp_path):
    before = count(JointActivity)
    result = runner.invoke(args=["import-csv", "activities", "--dry-run",
                                 str(write(tmp_path, ACTIVITIES))])
    assert result.exit_code == 0
    assert result.stdout.strip() == "Probelauf, nichts gespeichert: 2 neu, 0 bereits vorhanden"
    assert count(JointActivity) == before


def test_usage_errors(runner, app, tmp_path):
    assert runner.invoke(args=["import-csv", "people", str(write(tmp_path, "x"))]).exit_code == 2
    missing = runner.invoke(args=["import-csv", "activities", str(tmp_path / "fehlt.csv")])
    assert missing.exit_code == 2
    assert runner.invoke(args=["import-csv", "activities"]).exit_code == 2


def test_runs_with_write_intent_and_reports_conflicts(runner, app, tmp_path, monkeypatch):
    """SQLite must begin the import with BEGIN IMMEDIATE; a lasting conflict ends with a
    clear message and exit code 1."""
    seen = []

    def fake_run_import(kind, _open_table, **_options):
        seen.append(database._write_intent.get())
        if len(seen) == 1:
            return ImportReport(kind=kind)
        raise ImportConflictError("Der Import konnte wegen gleichzeitiger Änderungen nicht "
                                  "abgeschlossen werden.")

    monkeypatch.setattr(cli, "run_import", fake_run_import)
    path = write(tmp_path, ACTIVITIES)
    assert runner.invoke(args=["import-csv", "activities", str(path)]).exit_code == 0
    result = runner.invoke(args=["import-csv", "activities", str(path)])
    assert result.exit_code == 1
    assert "gleichzeitiger Änderungen" in result.stderr
    assert seen == [True, True]
