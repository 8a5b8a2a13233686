"""Importing stakeholders: formats, matching and updating, every kind of bad row, all or
nothing, and two imports at the same time."""

from datetime import date
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import make_stakeholder, run_at_once
from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.imports.operations import run_import
from coordinator.imports.reading import open_table
from coordinator.models import Stakeholder, StakeholderKind, stakeholder_field
from coordinator.register.models import name_key

DATA = Path(__file__).parent / "data"
HEADER = "name,kind,fields,parent,description,consent_date\n"


def import_text(text: str, encoding: str = "utf-8", filename: str = "akteure.csv"):
    data = text.encode(encoding)
    with write_intent():
        return run_import("stakeholders", partial(open_table, data, filename))


def named(name: str) -> Stakeholder | None:
    return db.session.scalars(
        select(Stakeholder).where(Stakeholder.name_key == name_key(name))
    ).one_or_none()


def field_keys(stakeholder: Stakeholder) -> set[str]:
    return {f.key for f in stakeholder.fields}


def row_counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Stakeholder)),
        db.session.scalar(select(func.count()).select_from(stakeholder_field)),
    )


# --- formats -------------------------------------------------------------------------------


def test_keys_labels_and_short_forms_are_equivalent(app):
    report = import_text(
        "name,kind,fields,parent,description\n"
        "Dezernat Soziales,department,soziales,,\n"
        "Jugendamt,Ressort/Dienststelle,Bildung|SOZIALES,dezernat  soziales,Hilfen für Familien\n"
        "Verein Sonnenfeld,zivilgesellschaftliche Gruppe,sprache,,\n"
        "Kulturverein,gruppe,Öffentliches Leben & Kultur|aufenthalt & recht,,\n"
        "Sozialamt,  RESSORT ,,Dezernat Soziales,\n"
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    jugendamt = named("Jugendamt")
    assert jugendamt.kind is StakeholderKind.DEPARTMENT
    assert field_keys(jugendamt) == {"bildung", "soziales"}
    assert jugendamt.parent.name == "Dezernat Soziales"
    assert jugendamt.description == "Hilfen für Familien"
    assert named("Verein Sonnenfeld").kind is StakeholderKind.GROUP
    assert field_keys(named("Kulturverein")) == {"oeffentliches_leben_kultur", "aufenthalt_recht"}
    assert named("Sozialamt").parent_id == named("Dezernat Soziales").id


def test_german_headers_in_any_case_and_order(app):
    report = import_text(
        "BESCHREIBUNG;name;Art;Übergeordnet;handlungsfelder\n"
        "Vermittlung;Jobcenter;Ressort;;Arbeit\n"
    )
    assert report.ok, report.errors
    jobcenter = named("Jobcenter")
    assert (jobcenter.description, field_keys(jobcenter)) == ("Vermittlung", {"arbeit"})


def test_names_are_stored_with_folded_spaces(app):
    import_text("name,kind\n  Amt   für  Migration ,department\n")
    assert named("amt für migration").name == "Amt für Migration"


def test_parent_may_stand_further_down_in_the_file(app):
    report = import_text(
        "name,kind,parent\n"
        "Jugendamt,department,Dezernat Soziales\n"
        "Dezernat Soziales,department,\n"
    )
    assert report.ok, report.errors
    assert named("Jugendamt").parent.name == "Dezernat Soziales"


def test_parent_may_be_an_existing_department(app):
    make_stakeholder("Dezernat Soziales")
    report = import_text("name,kind,parent\nSozialamt,department,DEZERNAT SOZIALES\n")
    assert report.ok, report.errors
    assert named("Sozialamt").parent.name == "Dezernat Soziales"


def test_excel_csv_in_windows_1252(app):
    data = (DATA / "stakeholders_excel_cp1252.csv").read_bytes()
    with write_intent():
        report = run_import(
            "stakeholders", partial(open_table, data, "stakeholders_excel_cp1252.csv")
        )
    assert report.ok, report.errors
    assert report.created == 4
    behoerde = named("Ausländerbehörde")
    assert behoerde.parent.name == "Dezernat Soziales"
    assert behoerde.description == "Sprechzeiten Mo–Do"
    assert named("Nachbarschaftsverein Straße der Einheit").kind is StakeholderKind.GROUP
    assert named("Jobcenter").description == "„Arbeit für alle“"


def test_individuals_are_stored_with_their_consent(app):
    report = import_text(HEADER + "A. Yilmaz,Einzelperson,bildung,,Elternlotsin,15.01.2026\n")
    assert report.ok, report.errors
    person = named("A. Yilmaz")
    assert person.kind is StakeholderKind.INDIVIDUAL
    assert person.consent_date == date(2026, 1, 15)


def test_new_individual_without_consent_is_refused_like_in_the_form(app):
    """One consent rule for form and import (register/consent.py): a new individual needs a
    consent date, also when the file has no consent column at all."""
    report = import_text("name,kind,fields,parent,description\nB. Neu,individual,,,\n")
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(2, "Einwilligung")]
    assert "Einwilligung Pflicht" in report.errors[0].message
    assert named("B. Neu") is None


def test_two_digit_years_follow_the_documented_century_rule(app):
    report = import_text(HEADER + "A. Yilmaz,Einzelperson,,,,15.01.26\n"
                         "B. Alt,individual,,,,3.4.99\n")
    assert report.ok, report.errors
    assert named("A. Yilmaz").consent_date == date(2026, 1, 15)
    assert named("B. Alt").consent_date == date(1999, 4, 3)


def test_existing_individual_needs_no_consent_again(app, world):
    report = import_text("name,kind,description\nA. Yilmaz,engagierte Einzelperson,Lotsin\n")
    assert report.ok, report.errors
    assert report.updated == 1
    assert world["person"].consent_date == date(2026, 1, 15)


def test_hostile_names_are_stored_as_they_are(app):
    report = import_text(
        'name,kind\n"<script>alert(1)</script>",group\n"=HYPERLINK(""http://x"")",group\n'
    )
    assert report.ok, report.errors
    assert named("<script>alert(1)</script>") is not None
    assert named('=HYPERLINK("http://x")') is not None


# --- matching and updating -----------------------------------------------------------------


def test_second_import_changes_nothing(app):
    text = (
        "name,kind,fields,parent,description\n"
        "Dezernat Soziales,department,soziales,,Dezernat III\n"
        "Jugendamt,department,bildung|soziales,Dezernat Soziales,\n"
        "Verein,group,,,\n"
    )
    assert import_text(text).created == 3
    versions = {s.name: s.version for s in db.session.scalars(select(Stakeholder))}
    counts = row_counts()

    again = import_text(text.replace("Jugendamt", "JUGENDAMT").replace("Verein,", "verein ,"))
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert row_counts() == counts
    assert {s.name: s.version for s in db.session.scalars(select(Stakeholder))} == versions


def test_existing_stakeholder_is_updated(app):
    jobcenter = make_stakeholder("Jobcenter", fields=("arbeit",), description="alt")
    make_stakeholder("Dezernat Arbeit")
    version = jobcenter.version
    report = import_text(
        "name,kind,fields,parent,description\n"
        "jobcenter,department,arbeit|bildung,Dezernat Arbeit,Vermittlung\n"
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    db.session.refresh(jobcenter)
    assert field_keys(jobcenter) == {"arbeit", "bildung"}
    assert jobcenter.description == "Vermittlung"
    assert jobcenter.parent.name == "Dezernat Arbeit"
    assert jobcenter.name == "Jobcenter"  # the stored spelling stays
    assert jobcenter.version > version  # open edit forms now get a conflict


def test_only_fields_changed_still_bumps_the_version(app):
    jobcenter = make_stakeholder("Jobcenter", fields=("arbeit",))
    version = jobcenter.version
    report = import_text("name,kind,fields\nJobcenter,department,bildung\n")
    assert report.updated == 1
    db.session.refresh(jobcenter)
    assert field_keys(jobcenter) == {"bildung"}
    assert jobcenter.version > version


def test_columns_missing_from_the_file_leave_values_alone(app):
    make_stakeholder("Dezernat Soziales")
    jugendamt = make_stakeholder("Jugendamt", fields=("bildung",), description="Hilfen")
    jugendamt.parent = named("Dezernat Soziales")
    db.session.commit()
    report = import_text("name,kind\nJugendamt,department\n")
    assert (report.updated, report.unchanged) == (0, 1)
    db.session.refresh(jugendamt)
    assert (field_keys(jugendamt), jugendamt.description) == ({"bildung"}, "Hilfen")
    assert jugendamt.parent.name == "Dezernat Soziales"


def test_empty_cells_clear_values(app):
    make_stakeholder("Dezernat Soziales")
    jugendamt = make_stakeholder("Jugendamt", fields=("bildung",), description="Hilfen")
    jugendamt.parent = named("Dezernat Soziales")
    db.session.commit()
    report = import_text("name,kind,fields,parent,description\nJugendamt,department,,,\n")
    assert report.updated == 1
    db.session.refresh(jugendamt)
    assert (field_keys(jugendamt), jugendamt.description, jugendamt.parent) == (set(), "", None)


# --- bad rows --------------------------------------------------------------------------------


BAD_ROWS = [
    ("missing-name", ",department,,,,", 2, "name", "Pflichtangabe fehlt"),
    ("missing-kind", "Amt,,,,,", 2, "kind", "Pflichtangabe fehlt"),
    ("unknown-kind", "Amt,Behörde,,,,", 2, "kind", "Unbekannte Art „Behörde“"),
    ("unknown-field", "Amt,department,Arbeit|Raumfahrt,,,", 2, "fields",
     "Unbekanntes Handlungsfeld „Raumfahrt“"),
    ("duplicate-name", "Amt,department,,,,\n amt ,department,,,,", 3, "name",
     "bereits in Zeile 2"),
    ("parent-unknown", "Amt,department,,Nirgendwo,,", 2, "parent", "weder im Register"),
    ("parent-not-department", "Verein,group,,,,\nAmt,department,,Verein,,", 3, "parent",
     "nur ein Ressort"),
    ("parent-existing-group", "Amt,department,,Interkultureller Verein Sonnenfeld,,", 2,
     "parent", "nur ein Ressort"),
    ("parent-self", "Amt,department,,AMT,,", 2, "parent", "sich selbst"),
    ("parent-cycle", "Amt A,department,,Amt B,,\nAmt B,department,,Amt A,,", 2, "parent",
     "Zirkelbezug"),
    ("name-too-long", "A" * 201 + ",department,,,,", 2, "name", "zu lang (201 Zeichen"),
    ("description-too-long", "Amt,department,,," + "x" * 5001 + ",", 2, "description",
     "zu lang (5001 Zeichen"),
    ("extra-cells", "Amt,department,,,,,übrig", 2, None, "mehr Werte als die Kopfzeile"),
    ("kind-differs", "Jugendamt,group,,,,", 2, "kind", "bereits als „Ressort/Dienststelle“"),
    ("consent-for-department", "Amt,department,,,,01.01.2026", 2, "consent_date",
     "nur bei engagierten Einzelpersonen"),
    ("consent-in-future", "B. Neu,individual,,,,01.01.2099", 2, "consent_date",
     "nicht in der Zukunft"),
    ("consent-bad-date", "B. Neu,individual,,,,gestern", 2, "consent_date",
     "Ungültiges Datum „gestern“"),
    ("consent-missing", "B. Neu,individual,,,,", 2, "consent_date", "Einwilligung Pflicht"),
    ("fields-with-semicolon", '"Amt",department,"Arbeit;Bildung",,,', 2, "fields",
     "trennen Sie mit einem senkrechten Strich |, also „Arbeit|Bildung“"),
]


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_row_is_reported_and_nothing_is_stored(app, world, body, line, column, message):
    before = row_counts()
    report = import_text(HEADER + body + "\n")
    assert not report.ok
    assert any(
        e.line == line and e.column == column and message in e.message for e in report.errors
    ), report.errors
    assert report.created == report.updated == 0
    assert row_counts() == before


def test_cycle_through_the_register(app):
    upper = make_stakeholder("Amt A")
    lower = make_stakeholder("Amt B")
    lower.parent = upper
    db.session.commit()
    report = import_text("name,kind,parent\nAmt A,department,Amt B\n")
    assert [(e.line, e.column) for e in report.errors] == [(2, "parent")]
    assert "Zirkelbezug" in report.errors[0].message


def test_every_bad_row_is_reported_and_good_rows_are_not_stored(app):
    before = row_counts()
    report = import_text(
        "Name;Art;Handlungsfelder\n"
        "Gutes Amt;Ressort;Arbeit\n"
        ";Ressort;\n"
        "Zweites gutes Amt;Ressort;\n"
        "Verein;Club;Tanz\n"
    )
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "Name"), (5, "Art"), (5, "Handlungsfelder"),
    ]
    assert row_counts() == before
    assert named("Gutes Amt") is None


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("name,kind,Farbe\nAmt,department,blau\n", "Farbe", "Unbekannte Spalte „Farbe“"),
        ("name,fields\nAmt,arbeit\n", "Art", "Pflichtspalte „Art“ (oder „kind“) fehlt"),
        ("Name,kind,name\nAmt,department,Amt\n", "name", "kommt mehrfach vor"),
        ("Datum,Titel,Art,Beteiligte\n01.02.2026,x,meeting,a|b\n", "Datum", "Unbekannte Spalte"),
    ],
    ids=["unknown", "missing-required", "duplicate", "activity-file"],
)
def test_wrong_header(app, text, column, message):
    before = row_counts()
    report = import_text(text)
    assert any(e.line == 1 and e.column == column and message in e.message
               for e in report.errors), report.errors
    assert row_counts() == before


def test_header_only_file_is_an_error(app):
    report = import_text("name,kind\n")
    assert [(e.line, e.column) for e in report.errors] == [(None, None)]
    assert "keine Datenzeilen" in report.errors[0].message


def test_unreadable_file_is_an_error_not_an_exception(app):
    report = import_text("name,kind\nA\x81,group\n", encoding="latin-1")  # 0x81: not cp1252
    assert [(e.line, e.column) for e in report.errors] == [(None, None)]
    assert "weder als UTF-8 noch als Windows-1252" in report.errors[0].message


# --- two imports at once -----------------------------------------------------------------------


def test_parallel_imports_store_each_stakeholder_once(app):
    """R4: two imports of the same file at the same moment (separate sessions and
    connections, file-backed database) create every stakeholder exactly once."""
    text = "name,kind,parent\nDezernat Soziales,department,\n" + "".join(
        f"Amt {i},department,Dezernat Soziales\n" for i in range(40)
    )
    reports = run_at_once(app, lambda: import_text(text))
    assert all(r.ok for r in reports), [r.errors for r in reports]
    assert sorted(r.created for r in reports) == [0, 41]
    assert row_counts()[0] == 41
