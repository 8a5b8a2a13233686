"""Audit rows for every read and every change of case data — with the case reference, who and
from where, old and new values, and free texts only as a digest — and the append-only guard
on PostgreSQL for them."""

from __future__ import annotations

import json

import pytest
from case_builders import OWN_NOTE, case_world
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from conftest import field, make_user
from coordinator.audit.models import AuditEntry
from coordinator.audit.operations import text_digest
from coordinator.extensions import db
from coordinator.models import Role

NEW_NOTE = "Rückmeldung zur Kita-Anmeldung abwarten"


def entries(**where) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEntry, key) == value)
    return list(db.session.scalars(query))


@pytest.fixture
def cw(world):
    return case_world(world)


def test_viewing_a_case_logs_the_case_and_every_object_shown(client, auth, cw):
    case = cw["own_case"]
    auth.login_as(cw, Role.STAFF)
    assert client.get(f"/cases/{case.id}").status_code == 200
    views = entries(action="view", case_ref=case.reference)
    shown = {(e.object_type, e.object_id) for e in views}
    assert shown == {
        ("case", str(case.id)), ("referral", str(cw["own_referral"].id)),
        ("case_goal", str(cw["own_goal"].id)), ("case_consent", str(cw["own_consent"].id)),
        ("case_note", str(case.notes[0].id)),
    }
    staff = cw["users"][Role.STAFF]
    assert all(e.user_id == staff.id and e.address == "127.0.0.1" for e in views)


def test_list_and_inbox_reads_are_logged(client, auth, cw):
    jc = make_user("jobcenter@example.org", Role.STAFF, cw["jobcenter"])
    auth.login(jc.email)
    client.get("/cases/inbox")
    [entry] = entries(action="view", object_type="referral")
    assert entry.object_id == str(cw["own_referral"].id) and entry.user_id == jc.id
    client.get("/cases/")  # the Jobcenter leads K-2026-0002; K-2026-0001 is not its case
    listed = [e.case_ref for e in entries(action="view", object_type="case")]
    assert listed == ["K-2026-0002"]


def test_every_change_is_logged_with_old_and_new_values_and_no_text(client, auth, cw):
    case = cw["own_case"]
    auth.login_as(cw, Role.STAFF)
    base = f"/cases/{case.id}"
    steps = [
        (f"{base}/notes", {"text": NEW_NOTE}, ("create", "case_note")),
        (f"{base}/goals/new", {"text": "Bewerbungstraining", "responsible": cw["jugendamt"].id,
                               "due_on": "2026-06-30"}, ("create", "case_goal")),
        (f"{base}/goals/{cw['own_goal'].id}/status", {"status": "reached"},
         ("update", "case_goal")),
        (f"{base}/consents/new", {"given_on": "2026-03-01", "covers": cw["jobcenter"].id,
                                  "purpose": "Arbeitsvermittlung"}, ("create", "case_consent")),
        (f"{base}/parties/new", {"stakeholder": cw["jobcenter"].id, "role": "involved",
                                 "joined_on": "2026-03-02", "legal_basis": ""},
         ("create", "case_party")),
        (f"{base}/conferences/new", {"held_on": "2026-03-05", "participants": [
            cw["jugendamt"].id, cw["jobcenter"].id], "minutes": "Plan abgestimmt",
            "goal1_text": "", "goal1_responsible": cw["jugendamt"].id,
            "goal2_text": "", "goal2_responsible": cw["jugendamt"].id},
         ("create", "case_conference")),
        (f"{base}/edit", {"status": "in_progress",
                          "needs": [f.id for f in case.needs] + [field("sprache").id]},
         ("update", "case")),
        (f"{base}/referrals/new", {"sent_on": "2026-03-06", "from_id": cw["jugendamt"].id,
                                   "to_id": cw["verein"].id, "field_id": case.needs[0].id,
                                   "legal_basis": ""}, ("create", "referral")),
        (f"{base}/consents/{cw['own_consent'].id}/revoke", {"revoked_on": "2026-03-07"},
         ("consent_revoke", "case_consent")),
        (f"{base}/close", {"closed_on": "2026-03-08", "outcome": 1}, ("update", "case")),
    ]
    for url, data, (action, object_type) in steps:
        before = len(entries(action=action, object_type=object_type))
        response = client.post(url, data=data)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:2000])
        new = entries(action=action, object_type=object_type)[before:]
        assert new and all(e.case_ref == case.reference for e in new), url
    everything = json.dumps([[e.changes, e.detail] for e in entries()], ensure_ascii=False)
    for text in (NEW_NOTE, "Bewerbungstraining", "Arbeitsvermittlung", "Plan abgestimmt",
                 OWN_NOTE):
        assert text not in everything
    [note_entry] = entries(action="create", object_type="case_note")
    assert note_entry.changes == {"text": [None, text_digest(NEW_NOTE)]}
    [status] = entries(action="update", object_type="case_goal")
    assert status.changes == {"status": ["open", "reached"]}
    closing = entries(action="update", object_type="case")[-1]
    assert closing.changes["status"] == ["in_progress", "closed"]


def test_referral_steps_are_logged(client, auth, cw):
    jc = make_user("jobcenter@example.org", Role.STAFF, cw["jobcenter"])
    auth.login(jc.email)
    referral = cw["own_referral"]
    assert client.post(f"/cases/referrals/{referral.id}/accepted",
                       data={"on": "2026-02-05"}).status_code == 302
    [entry] = entries(action="referral_status")
    assert entry.changes == {"status": ["sent", "accepted"]}
    assert entry.user_id == jc.id and entry.case_ref == cw["own_case"].reference


def test_postgresql_refuses_to_change_case_audit_rows(client, auth, cw, backend):
    if not backend.is_postgres:
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    auth.login_as(cw, Role.STAFF)
    client.get(f"/cases/{cw['own_case'].id}")
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(update(AuditEntry).where(AuditEntry.case_ref.is_not(None))
                           .values(case_ref=None))
        db.session.flush()
    db.session.rollback()
    assert all(e.case_ref for e in entries(action="view"))
