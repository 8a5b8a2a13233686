"""Every write path leaves an audit entry with old and new values (never a password, never the
personal data anonymisation removed)."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from conftest import PASSWORD, field
from coordinator.audit.models import AuditEntry
from coordinator.audit.operations import text_digest
from coordinator.extensions import db
from coordinator.models import JointActivity, Role, Stakeholder, User

NEW_PASSWORD = "Ein ganz neues Passwort 2027"


def entries(action: str | None = None, object_type: str | None = None) -> list[AuditEntry]:
    """Entries of ``action`` (default: every action but the test user's login)."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    else:
        query = query.where(AuditEntry.action != "login")
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    return list(db.session.scalars(query))


def only(action: str, object_type: str) -> AuditEntry:
    found = entries(action, object_type)
    assert len(found) == 1, [(e.action, e.object_type, e.object_id) for e in entries()]
    return found[0]


def stored_text(entry: AuditEntry) -> str:
    return json.dumps([entry.label, entry.changes, entry.detail, entry.user_label],
                      ensure_ascii=False)


@pytest.fixture
def coordinator(auth, world):
    auth.login_as(world, Role.COORDINATOR)
    return world


@pytest.fixture
def admin(auth, world):
    auth.login_as(world, Role.ADMIN)
    return world


def stakeholder_form(**overrides) -> dict:
    data = {"name": "Gesundheitsamt", "kind": "department", "parent_id": "0",
            "description": "", "affiliation": "", "consent_date": "", "active": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- register --------------------------------------------------------------------------------


def test_stakeholder_create_update_delete_with_old_and_new_values(client, coordinator):
    user = coordinator["users"][Role.COORDINATOR]
    client.post("/stakeholders/new", data=stakeholder_form(
        field_ids=[str(field("arbeit").id)], description="Impfberatung"))
    created = only("create", "stakeholder")
    amt = db.session.scalars(select(Stakeholder).where(Stakeholder.name == "Gesundheitsamt")).one()
    assert created.object_id == str(amt.id) and created.label == "Gesundheitsamt"
    assert created.changes["name"] == [None, "Gesundheitsamt"]
    assert created.changes["fields"] == [None, ["arbeit"]]
    assert created.changes["description"] == [None, "Impfberatung"]
    assert (created.user_id, created.address) == (user.id, "127.0.0.1")
    assert created.at is not None

    client.post(f"/stakeholders/{amt.id}/edit", data=stakeholder_form(
        name="Gesundheitsamt Nord", description="Impfberatung", active=None,
        version=str(amt.version), field_ids=[str(field("arbeit").id)],
        parent_id=str(coordinator["jugendamt"].id)))
    updated = only("update", "stakeholder")
    assert updated.changes == {
        "name": ["Gesundheitsamt", "Gesundheitsamt Nord"],
        "parent_id": [None, coordinator["jugendamt"].id],
        "active": [True, False],
    }

    amt_id = amt.id
    client.post(f"/stakeholders/{amt_id}/delete")
    deleted = only("delete", "stakeholder")
    assert deleted.object_id == str(amt_id)
    assert deleted.changes["name"] == ["Gesundheitsamt Nord", None]
    assert deleted.changes["active"] == [False, None]


def test_unchanged_save_leaves_no_update_entry(client, coordinator):
    jobcenter = coordinator["jobcenter"]
    client.post(f"/stakeholders/{jobcenter.id}/edit", data=stakeholder_form(
        name="Jobcenter", version=str(jobcenter.version),
        field_ids=[str(f.id) for f in jobcenter.fields]))
    assert entries("update") == []


def test_individuals_are_recorded_without_their_personal_data(client, coordinator):
    client.post("/stakeholders/new", data=stakeholder_form(
        name="Frau Musterfrau", kind="individual", affiliation="Lotsin",
        consent_date="2026-01-02"))
    entry = only("create", "stakeholder")
    assert entry.label == f"Einzelperson #{entry.object_id}"
    assert entry.changes["name"] == [None, text_digest("Frau Musterfrau")]
    assert entry.changes["kind"] == [None, "individual"]
    assert "Musterfrau" not in stored_text(entry) and "Lotsin" not in stored_text(entry)


def test_anonymisation_record_keeps_no_personal_data(client, coordinator):
    person = coordinator["person"]
    response = client.post(f"/stakeholders/{person.id}/anonymise")
    assert response.status_code == 302
    entry = only("anonymise", "stakeholder")
    assert entry.object_id == str(person.id)
    assert entry.detail == {"removed": ["name", "affiliation", "description", "consent_date"]}
    text = stored_text(entry)
    for removed in ("Yilmaz", "Elternlotsin", "2026-01-15", text_digest("A. Yilmaz")):
        assert removed not in text


def test_field_catalogue_changes(client, admin):
    client.post("/fields/new", data={"key": "digitales", "label": "Digitales", "position": "11"})
    created = only("create", "field_of_work")
    assert created.changes == {"key": [None, "digitales"], "label": [None, "Digitales"],
                               "position": [None, 11]}
    field_id = created.object_id
    client.post(f"/fields/{field_id}/edit", data={"label": "Digitale Teilhabe", "position": "2"})
    assert only("update", "field_of_work").changes == {
        "label": ["Digitales", "Digitale Teilhabe"], "position": [11, 2]}
    client.post(f"/fields/{field_id}/delete")
    deleted = only("delete", "field_of_work")
    assert deleted.changes["label"] == ["Digitale Teilhabe", None]


# --- activities ------------------------------------------------------------------------------


def test_activity_create_update_delete(client, coordinator):
    jugendamt, verein = coordinator["jugendamt"], coordinator["verein"]
    day = date.today() - timedelta(days=3)
    data = {"date": day.isoformat(), "title": "Sprachcafé", "kind": "meeting",
            "participants": [jugendamt.id, verein.id], "fields": [field("sprache").id],
            "description": ""}
    assert client.post("/activities/new", data=data).status_code == 302
    created = only("create", "activity")
    activity = db.session.get(JointActivity, int(created.object_id))
    assert created.changes["title"] == [None, "Sprachcafé"]
    assert created.changes["participants"] == [None, sorted([jugendamt.id, verein.id])]
    assert created.changes["date"] == [None, day.isoformat()]

    edit = {**data, "title": "Sprachcafé Nord", "version": activity.version,
            "participants": [jugendamt.id, verein.id, coordinator["jobcenter"].id]}
    assert client.post(f"/activities/{activity.id}/edit", data=edit).status_code == 302
    updated = only("update", "activity")
    assert updated.changes == {
        "title": ["Sprachcafé", "Sprachcafé Nord"],
        "participants": [sorted([jugendamt.id, verein.id]),
                         sorted([jugendamt.id, verein.id, coordinator["jobcenter"].id])],
    }
    db.session.refresh(activity)
    client.post(f"/activities/{activity.id}/delete", data={"version": activity.version})
    deleted = only("delete", "activity")
    assert deleted.changes["title"] == ["Sprachcafé Nord", None]


# --- imports ---------------------------------------------------------------------------------


def _import(client, kind: str, content: bytes):
    preview = client.post("/import/preview", content_type="multipart/form-data",
                          data={"kind": kind, "file": (io.BytesIO(content), "liste.csv")})
    payload = re.search(r'name="payload"[^>]*value="([^"]+)"', preview.get_data(as_text=True))
    return client.post("/import/confirm", data={"payload": unescape(payload.group(1))})


def test_stakeholder_import_records_each_change_and_the_import(client, coordinator):
    assert entries() == []  # the preview (a dry run) records nothing
    _import(client, "stakeholders",
            "Name;Art;Beschreibung\nSozialamt;Ressort;neu\nJobcenter;Ressort;geändert\n".encode())
    summary = only("import", "import")
    assert summary.detail == {"kind": "stakeholders", "rows": 2, "created": 1, "updated": 1,
                              "unchanged": 0}
    assert summary.user_id == coordinator["users"][Role.COORDINATOR].id
    created = only("create", "stakeholder")
    assert created.label == "Sozialamt" and created.detail == {"via": "import"}
    updated = only("update", "stakeholder")
    assert updated.object_id == str(coordinator["jobcenter"].id)
    assert updated.changes == {"description": ["", "geändert"]}


def test_activity_import_is_recorded_with_its_counts(client, coordinator):
    _import(client, "activities", (
        "Datum;Titel;Art;Beteiligte\n"
        "05.03.2026;Sprachcafé;Besprechung;Jugendamt|Interkultureller Verein Sonnenfeld\n"
    ).encode())
    assert only("import", "import").detail["created"] == 1


def test_failed_import_records_nothing(client, coordinator):
    _import_response = client.post(
        "/import/preview", content_type="multipart/form-data",
        data={"kind": "stakeholders", "file": (io.BytesIO(b"Name;Art\nA;Club\n"), "x.csv")})
    assert _import_response.status_code == 422
    assert entries() == []


def test_cli_import_is_recorded_from_the_cli(app, runner, world, tmp_path):
    path = tmp_path / "akteure.csv"
    path.write_text("Name;Art\nSozialamt;Ressort\n", encoding="utf-8")
    result = runner.invoke(args=["import-csv", "stakeholders", str(path)])
    assert result.exit_code == 0, result.output
    summary = only("import", "import")
    assert (summary.user_id, summary.address) == (None, "cli")


# --- users and sign-in -------------------------------------------------------------------------


def test_user_created_role_changed_and_deactivated(client, admin):
    actor = admin["users"][Role.ADMIN]
    client.post("/admin/users/new", data={
        "email": "neu@example.org", "role": "staff", "department_id": str(admin["jobcenter"].id),
        "active": "y", "new_password": PASSWORD, "confirm_password": PASSWORD})
    created = only("create", "user")
    assert created.user_id == actor.id
    assert created.changes == {
        "email": [None, text_digest("neu@example.org")], "role": [None, "staff"],
        "department_id": [None, admin["jobcenter"].id], "active": [None, True]}
    target = db.session.scalars(select(User).where(User.email == "neu@example.org")).one()
    client.post(f"/admin/users/{target.id}/edit", data={
        "email": "neu@example.org", "role": "coordinator", "department_id": "0"})
    assert only("role_change", "user").changes == {"role": ["staff", "coordinator"]}
    assert only("deactivate", "user").changes == {"active": [True, False]}
    assert only("update", "user").changes == {"department_id": [admin["jobcenter"].id, None]}
    for entry in entries():
        assert PASSWORD not in stored_text(entry) and "neu@example.org" not in stored_text(entry)


def test_cli_create_user_is_recorded(app, runner):
    result = runner.invoke(args=["create-user", "cli@example.org", "--role", "admin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    entry = only("create", "user")
    assert entry.address == "cli" and entry.changes["role"] == [None, "admin"]


def test_login_logout_and_failed_logins(client, auth, world):
    staff = world["users"][Role.STAFF]
    auth.login(staff.email, "falsch")
    auth.login("unbekannt@example.org", "falsch")
    auth.login(staff.email)
    auth.logout()
    failed = entries("login_failed")
    assert [e.object_id for e in failed] == [str(staff.id), None]
    assert failed[1].detail == {"account": text_digest("unbekannt@example.org")}
    assert all(e.user_id is None for e in failed)
    login, logout = only("login", "user"), only("logout", "user")
    assert (login.user_id, login.object_id, login.address) == (staff.id, str(staff.id),
                                                               "127.0.0.1")
    assert logout.user_id == staff.id
    for entry in [*entries(), login]:
        text = stored_text(entry)
        assert "example.org" not in text and "falsch" not in text and PASSWORD not in text


def test_password_change_is_recorded_without_the_password(client, auth, world):
    staff = world["users"][Role.STAFF]
    auth.login_as(world, Role.STAFF)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    entry = only("password_change", "user")
    assert entry.user_id == staff.id and entry.changes == {}
    assert NEW_PASSWORD not in stored_text(entry) and PASSWORD not in stored_text(entry)


def test_api_token_created_and_revoked_without_the_token(client, auth, world):
    staff = world["users"][Role.STAFF]
    auth.login_as(world, Role.STAFF)
    page = client.post("/account/api-tokens/", data={"name": "Bericht", "lifetime": "30"})
    text = re.search(r'value="(coord_[A-Za-z0-9_-]+)"', page.get_data(as_text=True)).group(1)
    created = only("create", "api_token")
    assert created.user_id == staff.id and created.label == "Bericht"
    assert created.changes["name"] == [None, "Bericht"] and "expires_at" in created.changes
    client.post(f"/account/api-tokens/{created.object_id}/revoke")
    revoked = only("deactivate", "api_token")
    assert revoked.object_id == created.object_id and revoked.changes["revoked_at"][0] is None
    for entry in (created, revoked):
        assert text not in stored_text(entry) and text[:12] not in stored_text(entry)
