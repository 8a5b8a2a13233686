"""The catalogue of fields of work (admin only)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from conftest import field, make_stakeholder
from coordinator.extensions import db
from coordinator.models import FieldOfWork, Role
from coordinator.register.operations import DEFAULT_FIELDS_OF_WORK

HOSTILE = "<script>alert(1)</script>"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def count_fields() -> int:
    return db.session.scalar(select(func.count()).select_from(FieldOfWork))


@pytest.fixture
def admin(auth, world):
    auth.login_as(world, Role.ADMIN)
    return world


def usage_row(html: str, label: str) -> tuple[str, str, str]:
    """(key, stakeholders, activities) of a row in the catalogue table."""
    match = re.search(
        rf'<th scope="row">{re.escape(label)}</th>\s*<td><code>([^<]*)</code></td>\s*'
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        html,
    )
    assert match, f"no row for {label}"
    return match.groups()


def test_catalogue_lists_fields_with_usage_counts(client, admin):
    make_stakeholder("Sprachschule Nord", fields=("sprache", "bildung"))
    response = client.get("/fields/")
    assert response.status_code == 200
    html = text_of(response)
    # sprache: the Verein and the Sprachschule; one activity (Sprachcafé planen)
    assert usage_row(html, "Sprache") == ("sprache", "2", "1")
    assert usage_row(html, "Arbeit") == ("arbeit", "1", "1")
    assert usage_row(html, "Wohnen") == ("wohnen", "0", "0")
    labels = [unescape(label) for label in re.findall(r'<th scope="row">([^<]*)</th>', html)]
    assert labels == [label for _key, label in DEFAULT_FIELDS_OF_WORK]


def test_catalogue_offers_delete_only_for_unused_fields(client, admin):
    html = text_of(client.get("/fields/"))
    wohnen, sprache = field("wohnen"), field("sprache")
    assert f'action="/fields/{wohnen.id}/delete"' in html
    assert f'action="/fields/{sprache.id}/delete"' not in html
    assert "„Wohnen“ löschen" in html


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.STAFF, Role.LEADERSHIP])
def test_only_admins_keep_the_catalogue(client, auth, world, role):
    auth.login_as(world, role)
    wohnen = field("wohnen")
    assert client.get("/fields/").status_code == 403
    assert client.post("/fields/new", data={"key": "digitales", "label": "Digitales",
                                            "position": "20"}).status_code == 403
    assert client.post(f"/fields/{wohnen.id}/edit",
                       data={"label": "Wohnraum", "position": "3"}).status_code == 403
    assert client.post(f"/fields/{wohnen.id}/delete").status_code == 403
    assert count_fields() == len(DEFAULT_FIELDS_OF_WORK)
    assert field("wohnen").label == "Wohnen"


def test_create_field(client, admin):
    form_page = text_of(client.get("/fields/new"))
    assert f'value="{len(DEFAULT_FIELDS_OF_WORK)}"' in form_page  # next free position
    response = client.post("/fields/new", data={
        "key": "digitale_teilhabe", "label": "  Digitale   Teilhabe ", "position": "3"})
    assert response.status_code == 302
    created = field("digitale_teilhabe")
    assert (created.label, created.position) == ("Digitale Teilhabe", 3)
    assert "Das Handlungsfeld „Digitale Teilhabe“ wurde angelegt." in text_of(
        client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"key": "Digitales", "label": "Digitales", "position": "1"}, "Kleinbuchstaben a–z"),
        ({"key": "digital es", "label": "Digitales", "position": "1"}, "Kleinbuchstaben a–z"),
        ({"key": "bürger", "label": "Bürger", "position": "1"}, "Kleinbuchstaben a–z"),
        ({"key": "a" * 41, "label": "Lang", "position": "1"}, "höchstens 40 Zeichen"),
        ({"key": "", "label": "Digitales", "position": "1"}, "Bitte geben Sie einen Schlüssel"),
        ({"key": "arbeit", "label": "Arbeit 2", "position": "1"}, "gibt es bereits"),
        ({"key": "arbeit2", "label": "ARBEIT", "position": "1"},
         "Es gibt bereits ein Handlungsfeld"),
        ({"key": "digitales", "label": "", "position": "1"}, "Bitte geben Sie eine Bezeichnung"),
        ({"key": "digitales", "label": "x" * 81, "position": "1"}, "höchstens 80 Zeichen"),
        ({"key": "digitales", "label": "Digitales", "position": "-1"}, "zwischen 0 und 9999"),
        ({"key": "digitales", "label": "Digitales", "position": "abc"}, "Fehler:"),
        ({"key": "digitales", "label": "Digitales", "position": ""}, "Fehler:"),
        ({}, "Bitte geben Sie einen Schlüssel"),
    ],
)
def test_create_field_validation(client, admin, form, message):
    response = client.post("/fields/new", data=form)
    assert response.status_code == 422
    html = text_of(response)
    assert message in html
    assert "Das Handlungsfeld wurde nicht gespeichert." in html
    assert count_fields() == len(DEFAULT_FIELDS_OF_WORK)


def test_edit_field_changes_label_and_position_but_not_key(client, admin):
    wohnen = field("wohnen")
    form_page = text_of(client.get(f"/fields/{wohnen.id}/edit"))
    assert "<code>wohnen</code>" in form_page
    assert 'name="key"' not in form_page
    response = client.post(f"/fields/{wohnen.id}/edit",
                           data={"key": "wohnraum", "label": "Wohnraum", "position": "42"})
    assert response.status_code == 302
    changed = db.session.get(FieldOfWork, wohnen.id)
    assert (changed.key, changed.label, changed.position) == ("wohnen", "Wohnraum", 42)
    assert "wurde gespeichert" in text_of(client.get(response.headers["Location"]))


def test_edit_field_keeps_own_label_and_rejects_anothers(client, admin):
    wohnen = field("wohnen")
    ok = client.post(f"/fields/{wohnen.id}/edit", data={"label": "WOHNEN", "position": "3"})
    assert ok.status_code == 302
    taken = client.post(f"/fields/{wohnen.id}/edit", data={"label": "arbeit", "position": "3"})
    assert taken.status_code == 422
    assert "Es gibt bereits ein Handlungsfeld" in text_of(taken)
    assert db.session.get(FieldOfWork, wohnen.id).label == "WOHNEN"


def test_edit_field_empty_post_is_rejected(client, admin):
    wohnen = field("wohnen")
    response = client.post(f"/fields/{wohnen.id}/edit", data={})
    assert response.status_code == 422
    assert db.session.get(FieldOfWork, wohnen.id).label == "Wohnen"


def test_delete_unused_field(client, admin):
    wohnen_id = field("wohnen").id
    response = client.post(f"/fields/{wohnen_id}/delete")
    assert response.status_code == 302
    assert db.session.get(FieldOfWork, wohnen_id) is None
    assert "Das Handlungsfeld „Wohnen“ wurde gelöscht." in text_of(
        client.get(response.headers["Location"]))


@pytest.mark.parametrize("key", ["sprache", "bildung"])
def test_delete_used_field_is_refused(client, admin, key):
    """sprache: used by a group and an activity; bildung: by a stakeholder only."""
    used = field(key)
    response = client.post(f"/fields/{used.id}/delete")
    assert response.status_code == 409
    assert "wird noch verwendet" in text_of(response)
    assert db.session.get(FieldOfWork, used.id) is not None
    jugendamt = admin["jugendamt"]
    db.session.refresh(jugendamt)
    assert {f.key for f in jugendamt.fields} == {"bildung", "soziales"}


def test_unknown_field_is_404(client, admin):
    assert client.get("/fields/999999/edit").status_code == 404
    assert client.post("/fields/999999/delete").status_code == 404


def test_hostile_label_is_escaped(client, admin):
    response = client.post("/fields/new", data={"key": "x", "label": HOSTILE, "position": "1"})
    assert response.status_code == 302
    html = text_of(client.get("/fields/"))
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
