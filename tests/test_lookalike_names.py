"""Look-alike names: invisible and bidi code points are refused, white space and Unicode forms
are normalised, and uniqueness is checked on the normalised, case-folded form — for
stakeholders (form and import) and field-of-work labels, with one function everywhere."""

from __future__ import annotations

from functools import partial

import pytest
from sqlalchemy import func, select

from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.imports.operations import run_import
from coordinator.imports.reading import open_table
from coordinator.models import FieldOfWork, Role, Stakeholder
from coordinator.names import clean_name, invisible_characters, name_key

INVISIBLE = {
    "zero-width space": "Jugendamt\u200b",
    "zero-width joiner": "Jugend\u200damt",
    "right-to-left override": "Jugend\u202etma",
    "first strong isolate": "\u2068Jugendamt\u2069",
    "soft hyphen": "Jugend\u00adamt",
    "byte order mark": "\ufeffJugendamt",
    "Hangul filler": "Jugendamt\u3164",
    "control character": "Jugend\x07amt",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("text", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_code_points_are_found_and_dropped_from_the_key(text):
    assert invisible_characters(text)
    assert name_key(text) == "jugendamt" or name_key(text) == "jugendtma"


def test_white_space_and_unicode_forms_are_normalised():
    assert clean_name("  Jugend\u00a0amt\u2003 Süd\t") == "Jugend amt Süd"
    decomposed = "Ausla\u0308nderbeho\u0308rde"
    assert clean_name(decomposed) == "Ausländerbehörde"
    assert name_key(decomposed) == name_key("AUSLÄNDERBEHÖRDE")
    assert name_key("Ｊｕｇｅｎｄａｍｔ") == name_key("Jugendamt")  # full-width letters
    assert invisible_characters("Jugend amt Süd – Straße 1") == []


@pytest.fixture
def coordinator(auth, world):
    auth.login_as(world, Role.COORDINATOR)
    return world


def stakeholder_form(name: str) -> dict:
    return {"name": name, "kind": "department", "parent_id": "0", "description": "",
            "affiliation": "", "consent_date": "", "active": "y"}


@pytest.mark.parametrize(
    ("name", "message"),
    [(name, "unsichtbare oder steuernde Zeichen (U+") for name in INVISIBLE.values()]
    + [(name, "Es gibt bereits einen Akteur namens")
       for name in ("Ｊｕｇｅｎｄａｍｔ", "\u00a0Jugendamt\u00a0", "JUGENDAMT\u2003")],
)
def test_form_refuses_invisible_characters_and_look_alikes(client, coordinator, name, message):
    before = count(Stakeholder)
    response = client.post("/stakeholders/new", data=stakeholder_form(name))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Stakeholder) == before


def test_form_stores_the_normalised_name(client, coordinator):
    response = client.post("/stakeholders/new",
                           data=stakeholder_form("Gesundheitsamt\u00a0 Nord\u2009"))
    assert response.status_code == 302
    stored = db.session.scalars(
        select(Stakeholder).where(Stakeholder.name_key == name_key("gesundheitsamt nord"))
    ).one()
    assert stored.name == "Gesundheitsamt Nord"


def import_text(text: str):
    with write_intent():
        return run_import("stakeholders", partial(open_table, text.encode(), "akteure.csv"))


def test_import_refuses_invisible_characters(app, world):
    before = count(Stakeholder)
    report = import_text("name,kind\nJugendamt\u200b,department\nNeuer Verein,group\n")
    assert not report.ok
    assert report.errors[0].line == 2
    assert "unsichtbare oder steuernde Zeichen (U+200B)" in report.errors[0].message
    assert count(Stakeholder) == before


def test_import_matches_look_alikes_to_the_existing_stakeholder(app, world):
    before = count(Stakeholder)
    report = import_text("name,kind\nＪｕｇｅｎｄａｍｔ,department\n"
                         "Ausla\u0308nderbeho\u0308rde,department\n")
    assert report.ok, report.errors
    assert count(Stakeholder) == before  # matched, not added


@pytest.fixture
def admin(auth, world):
    auth.login_as(world, Role.ADMIN)
    return world


@pytest.mark.parametrize("label", ["Arbeit\u200b", "\u202eArbeit"])
def test_field_label_with_invisible_characters_is_refused(client, admin, label):
    before = count(FieldOfWork)
    response = client.post("/fields/new", data={"key": "neu", "label": label, "position": "1"})
    assert "unsichtbare oder steuernde Zeichen" in response.get_data(as_text=True)
    assert count(FieldOfWork) == before


def test_field_label_look_alike_is_a_duplicate(client, admin):
    before = count(FieldOfWork)
    response = client.post("/fields/new", data={"key": "neu", "label": "ＡＲＢＥＩＴ",
                                                "position": "1"})
    assert "Es gibt bereits ein Handlungsfeld" in response.get_data(as_text=True)
    assert count(FieldOfWork) == before


def test_migration_recomputes_stored_keys(tmp_path):
    """Keys stored by the old rule (case and spaces only) are brought to the new form; a
    look-alike of another stakeholder keeps its key rather than failing the upgrade."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from conftest import TEST_SECRET
    from coordinator import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'alt.db'}"})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory, revision="0003")
        insert = text("INSERT INTO stakeholder (name, name_key, kind, description, affiliation,"
                      " active, created_at, updated_at, version) VALUES (:name, :key,"
                      " 'department', '', '', 1, '2026-01-01', '2026-01-01', 1)")
        with db.engine.begin() as connection:
            connection.execute(insert, {"name": "Ausla\u0308nderbeho\u0308rde",
                                        "key": "ausla\u0308nderbeho\u0308rde"})
            connection.execute(insert, {"name": "Jugendamt", "key": "jugendamt"})
            connection.execute(insert, {"name": "Jugendamt\u200b", "key": "jugendamt\u200b"})
        upgrade(directory=directory, revision="0005_hardening")
        with db.engine.connect() as connection:
            keys = dict(connection.execute(text("SELECT name, name_key FROM stakeholder")).all())
        db.engine.dispose()
    assert keys["Ausla\u0308nderbeho\u0308rde"] == "ausländerbehörde"
    assert keys["Jugendamt"] == "jugendamt"
    assert keys["Jugendamt\u200b"] == "jugendamt\u200b"
