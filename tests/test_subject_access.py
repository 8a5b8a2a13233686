"""Art. 15 DSGVO: one individual's register entry, activities and audit entries as a file for
coordinators and admins; the request is recorded in the audit trail."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from conftest import make_activity, make_stakeholder
from coordinator.audit.models import AuditEntry
from coordinator.audit.operations import text_digest
from coordinator.extensions import db
from coordinator.models import Role, StakeholderKind


@pytest.fixture
def person_world(client, auth, world):
    """The individual takes part in an activity with a department and another individual, and
    has been edited once (so the audit trail holds an entry about it)."""
    other = make_stakeholder("B. Schmidt", StakeholderKind.INDIVIDUAL,
                             consent_date=date(2026, 1, 1))
    make_activity([world["person"], world["jugendamt"], other], date(2026, 3, 5),
                  "Elterncafé", fields=("bildung",))
    auth.login_as(world, Role.COORDINATOR)
    person = world["person"]
    client.post(f"/stakeholders/{person.id}/edit", data={
        "name": "A. Yilmaz", "kind": "individual", "parent_id": "0", "description": "",
        "affiliation": "Elternlotsin Nord", "consent_date": "2026-01-15", "active": "y",
        "version": str(person.version)})
    return world


def export(client, person, fmt="json"):
    return client.get(f"/stakeholders/{person.id}/auskunft.{fmt}")


def test_json_export_holds_register_entry_activities_and_audit_entries(client, person_world):
    person = person_world["person"]
    response = export(client, person)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert f"auskunft-art15-einzelperson-{person.id}-" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    entry = data["registereintrag"]
    assert (entry["id"], entry["name"], entry["rolle_zugehoerigkeit"]) == (
        person.id, "A. Yilmaz", "Elternlotsin Nord")
    assert entry["datum_einwilligung"] == "2026-01-15" and entry["anonymisiert"] is False
    [activity] = data["aktivitaeten"]
    assert activity["titel"] == "Elterncafé" and activity["datum"] == "2026-03-05"
    assert activity["handlungsfelder"] == ["Bildung"]
    # fellow participants: departments by name, other individuals without theirs
    assert sorted(activity["weitere_beteiligte"]) == ["Einzelperson", "Jugendamt"]
    assert "Schmidt" not in response.get_data(as_text=True)
    [change] = data["aenderungsprotokoll"]
    assert change["aktion"] == "update"
    assert change["aenderungen"] == {"affiliation": [text_digest("Elternlotsin"),
                                                     text_digest("Elternlotsin Nord")]}
    assert "koordination@example.org" not in response.get_data(as_text=True)


def test_export_is_recorded_in_the_audit_trail(client, person_world):
    person = person_world["person"]
    export(client, person, "xlsx")
    recorded = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (recorded.object_type, recorded.object_id) == ("stakeholder", str(person.id))
    assert recorded.user_id == person_world["users"][Role.COORDINATOR].id
    assert recorded.detail == {"purpose": "art15", "format": "xlsx"}
    assert recorded.label == f"Einzelperson #{person.id}"
    # a later export lists the earlier one among the entries about the person
    data = json.loads(export(client, person).data)
    assert [e["aktion"] for e in data["aenderungsprotokoll"]] == ["update", "export"]


def test_xlsx_export_has_one_sheet_per_part(client, person_world):
    response = export(client, person_world["person"], "xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Registereintrag", "Aktivitäten", "Änderungsprotokoll"]
    register = {row[0].value: row[1].value for row in book["Registereintrag"].iter_rows()}
    assert register["name"] == "A. Yilmaz"
    assert book["Aktivitäten"].max_row == 2 and book["Änderungsprotokoll"].max_row == 2


def test_anonymised_person_export_shows_the_anonymised_entry(client, person_world):
    person = person_world["person"]
    client.post(f"/stakeholders/{person.id}/anonymise")
    text = export(client, person).get_data(as_text=True)
    data = json.loads(text)
    assert data["registereintrag"]["anonymisiert"] is True
    assert "Yilmaz" not in text and "Elternlotsin" not in text
    assert "anonymise" in [e["aktion"] for e in data["aenderungsprotokoll"]]


def test_only_for_individuals_and_known_formats(client, person_world):
    assert export(client, person_world["jugendamt"]).status_code == 404
    assert client.get(f"/stakeholders/{person_world['person'].id}/auskunft.pdf").status_code == 404
    assert client.get("/stakeholders/999999/auskunft.json").status_code == 404
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all() == []


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADERSHIP])
def test_staff_and_leadership_may_not_export(client, auth, world, role):
    auth.login_as(world, role)
    assert export(client, world["person"]).status_code == 403


def test_stakeholder_page_links_the_export_for_individuals_only(client, person_world):
    person_page = client.get(f"/stakeholders/{person_world['person'].id}").get_data(as_text=True)
    assert f"/stakeholders/{person_world['person'].id}/auskunft.json" in person_page
    amt_page = client.get(f"/stakeholders/{person_world['jugendamt'].id}").get_data(as_text=True)
    assert "auskunft.json" not in amt_page
