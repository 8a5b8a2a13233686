"""Importing activities: formats, what gets stored, every kind of bad row, all or nothing,
idempotency by fingerprint, and parallel imports (checklist R4)."""

import io
from datetime import date, datetime
from functools import partial

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from conftest import make_stakeholder, run_at_once
from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.imports import activity_writer, operations
from coordinator.imports.operations import ImportConflictError, run_import
from coordinator.imports.reading import open_table
from coordinator.imports.validation import activity_fingerprint
from coordinator.models import (
    ActivityKind,
    JointActivity,
    StakeholderKind,
    activity_field,
    participation,
)
from coordinator.network.data.revision import current_revision

HEADER = "date,title,kind,fields,participants,description\n"


def import_bytes(data: bytes, filename: str = "aktivitaeten.csv", **options):
    with write_intent():
        return run_import("activities", partial(open_table, data, filename), **options)


def import_text(text: str, encoding: str = "utf-8", **options):
    return import_bytes(text.encode(encoding), **options)


def row_counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(table))
        for table in (JointActivity.__table__, participation, activity_field)
    )


def activity(title: str) -> JointActivity:
    return db.session.scalars(select(JointActivity).where(JointActivity.title == title)).one()


def names(item: JointActivity) -> set[str]:
    return {p.name for p in item.participants}


# --- formats and what is stored --------------------------------------------------------------


def test_comma_file_with_keys(app, world):
    before = row_counts()
    report = import_text(
        HEADER
        + "2026-03-05,Fallkonferenz Aufenthalt,case_conference,arbeit|aufenthalt_recht,"
        "Jobcenter|Ausländerbehörde,Zwei Fälle\n"
    )
    assert report.ok, report.errors
    assert (report.created, report.unchanged) == (1, 0)
    stored = activity("Fallkonferenz Aufenthalt")
    assert stored.date == date(2026, 3, 5)
    assert stored.kind is ActivityKind.CASE_CONFERENCE
    assert names(stored) == {"Jobcenter", "Ausländerbehörde"}
    assert {f.key for f in stored.fields} == {"arbeit", "aufenthalt_recht"}
    assert stored.description == "Zwei Fälle"
    assert stored.version == 1
    assert stored.created_by_id is None
    assert stored.import_fingerprint == activity_fingerprint(
        date(2026, 3, 5), "Fallkonferenz Aufenthalt", ActivityKind.CASE_CONFERENCE,
        ["jobcenter", "ausländerbehörde"],
    )
    assert row_counts() == (before[0] + 1, before[1] + 2, before[2] + 2)


def test_semicolon_file_with_german_headers_labels_and_dates(app, world):
    report = import_text(
        "Datum;Titel;Art;Handlungsfelder;Beteiligte;Beschreibung\n"
        "03.03.2026;Sprachcafé;Besprechung;Sprache|Bildung;jugendamt | A. YILMAZ ;\n"
        "4.3.2026;Projekt Wohnen;Projekt;wohnen;Jobcenter|Interkultureller  Verein Sonnenfeld;\n"
        "2026-3-6;Überweisung;Vermittlung/Überweisung;;Jobcenter|Jugendamt;\n"
        "07.03.2026;AK Integration;ARBEITSKREIS;Aufenthalt & Recht;Jobcenter|Jugendamt;\n"
    )
    assert report.ok, report.errors
    assert report.created == 4
    cafe = activity("Sprachcafé")
    assert (cafe.date, cafe.kind) == (date(2026, 3, 3), ActivityKind.MEETING)
    assert names(cafe) == {"Jugendamt", "A. Yilmaz"}
    assert {f.key for f in cafe.fields} == {"sprache", "bildung"}
    assert activity("Projekt Wohnen").kind is ActivityKind.PROJECT
    assert activity("Projekt Wohnen").date == date(2026, 3, 4)
    assert activity("Überweisung").kind is ActivityKind.REFERRAL
    assert activity("AK Integration").kind is ActivityKind.WORKING_GROUP


def test_utf8_bom_and_windows_1252(app, world):
    text = HEADER + "05.03.2026,Straßenfest,Veranstaltung,,Ausländerbehörde|Jobcenter,\n"
    assert import_text(text, encoding="utf-8-sig").created == 1
    again = import_text(text, encoding="cp1252")
    assert (again.created, again.unchanged) == (0, 1)
    assert names(activity("Straßenfest")) == {"Ausländerbehörde", "Jobcenter"}


def test_xlsx_with_date_cells(app, world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Datum", "Titel", "Art", "Beteiligte"])
    sheet.append([datetime(2026, 3, 9), "Netzwerktreffen", "Veranstaltung", "Jugendamt|Jobcenter"])
    sheet.append(["10.03.2026", "Nachtreffen", "meeting", "Jugendamt|Jobcenter"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_bytes(buffer.getvalue(), "aktivitaeten.xlsx")
    assert report.ok, report.errors
    assert activity("Netzwerktreffen").date == date(2026, 3, 9)
    assert activity("Nachtreffen").date == date(2026, 3, 10)


def test_user_is_recorded_as_creator(app, world):
    user = world["users"][next(iter(world["users"]))]
    import_text(HEADER + "2026-03-05,Mit Benutzer,meeting,,Jobcenter|Jugendamt,\n",
                user_id=user.id)
    assert activity("Mit Benutzer").created_by_id == user.id


def test_samples_describe_the_first_rows(app, world):
    report = import_text(HEADER + "2026-03-05,Treffen,meeting,,Jobcenter|Jugendamt,\n")
    [sample] = report.samples
    assert (sample.line, sample.status) == (2, "created")
    assert sample.label == "05.03.2026 – Treffen"
    assert sample.detail == "Jobcenter, Jugendamt"


# --- idempotency -------------------------------------------------------------------------------


def test_second_import_creates_nothing(app, world):
    text = HEADER + "".join(
        f"2026-03-{day:02d},Treffen {day},meeting,sprache,Jobcenter|Jugendamt,\n"
        for day in range(1, 21)
    )
    assert import_text(text).created == 20
    counts = row_counts()
    again = import_text(text)
    assert (again.created, again.unchanged) == (0, 20)
    assert row_counts() == counts
    assert {s.status for s in again.samples} == {"unchanged"}


def test_same_activity_is_recognised_despite_spelling_and_order(app, world):
    import_text(HEADER + "2026-03-05,Fallkonferenz,case_conference,,Jobcenter|Jugendamt,\n")
    report = import_text(
        "Datum;Titel;Art;Beteiligte;Beschreibung\n"
        "05.03.2026;  FALLKONFERENZ ;Fallkonferenz;JUGENDAMT|jobcenter|Jugendamt;anders\n"
    )
    assert (report.created, report.unchanged) == (0, 1)


def test_duplicate_lines_in_one_file_are_stored_once(app, world, monkeypatch):
    monkeypatch.setattr(activity_writer, "BATCH_SIZE", 2)  # duplicates across batches too
    line = "2026-03-05,Treffen,meeting,,Jobcenter|Jugendamt,\n"
    other = "2026-03-06,Anderes Treffen,meeting,,Jobcenter|Jugendamt,\n"
    before = row_counts()
    report = import_text(HEADER + line + line + other + line)
    assert (report.created, report.unchanged) == (2, 2)
    assert [s.status for s in report.samples] == ["created", "unchanged", "created", "unchanged"]
    assert row_counts()[0] == before[0] + 2


def test_dry_run_counts_but_stores_nothing(app, world):
    before = row_counts()
    report = import_text(HEADER + "2026-03-05,Treffen,meeting,,Jobcenter|Jugendamt,\n",
                         dry_run=True)
    assert report.ok and report.created == 1
    assert row_counts() == before


# --- bad rows ------------------------------------------------------------------------------------

GOOD = "2026-03-05,Gut,meeting,,Jobcenter|Jugendamt,"
BAD_ROWS = [
    ("missing-date", ",Titel,meeting,,Jobcenter|Jugendamt,", "date", "Pflichtangabe fehlt"),
    ("impossible-date", "31.02.2026,Titel,meeting,,Jobcenter|Jugendamt,", "date",
     "Ungültiges Datum „31.02.2026“"),
    ("month-13", "2026-13-01,Titel,meeting,,Jobcenter|Jugendamt,", "date", "Ungültiges Datum"),
    ("words", "gestern,Titel,meeting,,Jobcenter|Jugendamt,", "date", "Ungültiges Datum"),
    ("us-format", "03/05/2026,Titel,meeting,,Jobcenter|Jugendamt,", "date", "Ungültiges Datum"),
    ("year-1899", "01.01.1899,Titel,meeting,,Jobcenter|Jugendamt,", "date", "1900 bis 2100"),
    ("missing-title", "2026-03-05,,meeting,,Jobcenter|Jugendamt,", "title", "Pflichtangabe"),
    ("title-too-long", "2026-03-05," + "T" * 201 + ",meeting,,Jobcenter|Jugendamt,", "title",
     "zu lang (201 Zeichen, höchstens 200)"),
    ("missing-kind", "2026-03-05,Titel,,,Jobcenter|Jugendamt,", "kind", "Pflichtangabe"),
    ("unknown-kind", "2026-03-05,Titel,Kaffeeklatsch,,Jobcenter|Jugendamt,", "kind",
     "Unbekannte Art „Kaffeeklatsch“"),
    ("unknown-field", "2026-03-05,Titel,meeting,Sprache|Astronomie,Jobcenter|Jugendamt,",
     "fields", "Unbekanntes Handlungsfeld „Astronomie“"),
    ("missing-participants", "2026-03-05,Titel,meeting,,,", "participants", "Pflichtangabe"),
    ("unknown-participant", "2026-03-05,Titel,meeting,,Jobcenter|Jugendamt|Wer auch immer,",
     "participants", "Unbekannter Akteur „Wer auch immer“"),
    ("one-participant", "2026-03-05,Titel,meeting,,Jobcenter,", "participants",
     "mindestens zwei verschiedene Beteiligte"),
    ("same-participant-twice", "2026-03-05,Titel,meeting,,Jobcenter| JOBCENTER ,",
     "participants", "mindestens zwei verschiedene Beteiligte"),
    ("description-too-long", "2026-03-05,Titel,meeting,,Jobcenter|Jugendamt," + "x" * 5001,
     "description", "zu lang (5001 Zeichen"),
    ("extra-cells", "2026-03-05,Titel,meeting,,Jobcenter|Jugendamt,,mehr", None,
     "mehr Werte als die Kopfzeile"),
    ("participants-with-semicolon", '2026-03-05,Titel,meeting,,"Jobcenter;Jugendamt",',
     "participants", "mit einem senkrechten Strich |, also „Jobcenter|Jugendamt“"),
    ("participants-with-comma", '2026-03-05,Titel,meeting,,"Jobcenter, Jugendamt",',
     "participants", "enthält „,“"),
    ("two-digit-year-impossible", "31.02.26,Titel,meeting,,Jobcenter|Jugendamt,", "date",
     "TT.MM.JJ"),
]


@pytest.mark.parametrize(("cell", "expected"), [
    ("11.03.26", date(2026, 3, 11)), ("1.3.69", date(2069, 3, 1)),
    ("01.01.70", date(1970, 1, 1)), ("31.12.99", date(1999, 12, 31)),
    ("01.01.00", date(2000, 1, 1)),
])
def test_two_digit_years_as_german_libreoffice_writes_them(app, world, cell, expected):
    report = import_text(HEADER + f"{cell},Zweistellig,meeting,,Jobcenter|Jugendamt,\n")
    assert report.ok, report.errors
    assert activity("Zweistellig").date == expected


@pytest.mark.parametrize(
    ("body", "column", "message"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_row_is_reported_and_nothing_is_stored(app, world, body, column, message):
    before = row_counts()
    report = import_text(HEADER + GOOD + "\n" + body + "\n" + GOOD.replace("Gut", "Auch gut"))
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(3, column)], report.errors
    assert message in report.errors[0].message
    assert report.created == 0
    assert row_counts() == before


def test_every_bad_row_is_reported_with_line_and_column(app, world):
    report = import_text(
        "Datum;Titel;Art;Beteiligte\n"
        "05.03.2026;Gut;Besprechung;Jobcenter|Jugendamt\n"
        "32.03.2026;;Besprechung;Jobcenter\n"
        "\n"
        "05.03.2026;Gut 2;Plausch;Jobcenter|Niemand\n"
    )
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "Datum"), (3, "Titel"), (3, "Beteiligte"), (5, "Art"), (5, "Beteiligte"),
    ]


def test_bad_row_after_written_batches_rolls_everything_back(app, world, monkeypatch):
    """Batches are written while the file is still being read; a bad row at the end must
    still leave the database as it was."""
    monkeypatch.setattr(activity_writer, "BATCH_SIZE", 3)
    before = row_counts()
    text = HEADER + "".join(
        f"2026-03-{day:02d},Treffen {day},meeting,sprache,Jobcenter|Jugendamt,\n"
        for day in range(1, 11)
    )
    report = import_text(text + "2026-03-11,Treffen,meeting,,Jobcenter|Unbekannt,\n")
    assert [e.line for e in report.errors] == [12]
    assert report.created == 0
    assert row_counts() == before


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("date,title,kind\n2026-03-05,x,meeting\n", "Beteiligte", "Pflichtspalte „Beteiligte“"),
        ("name,kind\nJobcenter,department\n", "name", "Unbekannte Spalte „name“"),
        ("Datum,Titel,Art,Beteiligte,Datum\n", "Datum", "kommt mehrfach vor"),
    ],
    ids=["missing-column", "stakeholder-file", "duplicate-column"],
)
def test_wrong_header(app, world, text, column, message):
    before = row_counts()
    report = import_text(text)
    assert any(e.line == 1 and e.column == column and message in e.message
               for e in report.errors), report.errors
    assert row_counts() == before


def test_empty_file(app, world):
    report = import_text("")
    assert [(e.line, e.column) for e in report.errors] == [(None, None)]
    assert "leer" in report.errors[0].message


def test_corrupt_xlsx(app, world):
    report = import_bytes(b"PK\x03\x04 kaputt", "aktivitaeten.xlsx")
    assert "beschädigt" in report.errors[0].message


# --- concurrency ---------------------------------------------------------------------------------


def test_parallel_imports_store_each_activity_once(app, world, monkeypatch):
    """R4: two imports of the same file started at the same moment, each in its own thread,
    session and connection on a file-backed database, store every activity exactly once."""
    monkeypatch.setattr(activity_writer, "BATCH_SIZE", 25)  # several batches each
    text = HEADER + "".join(
        f"2026-01-{day % 28 + 1:02d},Treffen {n},meeting,sprache,"
        f"Jobcenter|Jugendamt{'|Ausländerbehörde' if n % 2 else ''},\n"
        for n, day in enumerate(range(120))
    )
    before = row_counts()
    reports = run_at_once(app, lambda: import_text(text))
    assert all(r.ok for r in reports), [r.errors[:3] for r in reports]
    assert sum(r.created for r in reports) == 120
    assert sum(r.unchanged for r in reports) == 120
    db.session.rollback()  # the test's own read snapshot predates the imports
    assert row_counts() == (before[0] + 120, before[1] + 300, before[2] + 120)


def test_conflict_is_retried(app, world, monkeypatch):
    """A unique violation (another import stored the same row meanwhile) repeats the import,
    which then finds the row and counts it as existing."""
    real_write = activity_writer.ActivityWriter._write
    calls = []

    def conflict_once(writer):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))
        real_write(writer)

    monkeypatch.setattr(activity_writer.ActivityWriter, "_write", conflict_once)
    report = import_text(HEADER + "2026-03-05,Treffen,meeting,,Jobcenter|Jugendamt,\n")
    assert report.ok and report.created == 1
    assert len(calls) == 2


def test_lasting_conflict_gives_up_with_a_clear_message(app, world, monkeypatch):
    attempts = []

    def always_conflict(_writer):
        attempts.append(1)
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(activity_writer.ActivityWriter, "_write", always_conflict)
    before = row_counts()
    with pytest.raises(ImportConflictError, match="gleichzeitiger Änderungen"):
        import_text(HEADER + "2026-03-05,Treffen,meeting,,Jobcenter|Jugendamt,\n")
    assert len(attempts) == operations.MAX_ATTEMPTS
    assert row_counts() == before


def test_broken_line_late_in_the_file_rolls_back_written_batches(app, world, monkeypatch):
    monkeypatch.setattr(activity_writer, "BATCH_SIZE", 2)
    before = row_counts()
    text = HEADER + "".join(
        f"2026-03-{day:02d},Treffen {day},meeting,,Jobcenter|Jugendamt,\n" for day in range(1, 8)
    )
    report = import_text(text + '2026-03-09,"' + "x" * 200_000 + '",meeting,,Jobcenter,\n')
    assert [(e.line, e.column) for e in report.errors] == [(None, None)]
    assert "Zeile 9" in report.errors[0].message
    assert (report.created, report.samples) == (0, [])
    assert row_counts() == before


def test_participant_names_are_matched_like_the_register(app):
    make_stakeholder("Amt   für Migration")
    make_stakeholder("Jobcenter", kind=StakeholderKind.GROUP)
    report = import_text(HEADER + "2026-03-05,Treffen,meeting,,amt für migration|JOBCENTER,\n")
    assert report.ok, report.errors
    assert names(activity("Treffen")) == {"Amt für Migration", "Jobcenter"}


def test_import_marks_network_data_as_changed(app, world):
    """The bulk insert passes the ORM session; cached network metrics must still go stale."""
    line = HEADER + "2026-03-05,Treffen,meeting,,Jobcenter|Jugendamt,\n"
    before = current_revision()
    import_text(line, dry_run=True)
    import_text(line + "2026-03-06,Kaputt,meeting,,Jobcenter,\n")
    assert current_revision() == before
    import_text(line)
    changed = current_revision()
    assert changed > before
    import_text(line)  # nothing new: cached metrics stay valid
    assert current_revision() == changed
