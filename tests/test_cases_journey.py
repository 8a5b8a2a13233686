"""The issue's walk-through as a new user would try it, and the privacy promise: no case
reference, note, goal or decline reason on leadership pages, in network exports, in metrics
JSON or in the log output."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from conftest import field, make_user
from coordinator.activities.models import ActivityKind, JointActivity
from coordinator.audit.models import AuditEntry
from coordinator.cases.health_data import referral_facts
from coordinator.cases.models import Case
from coordinator.cases.referral_models import (
    DECLINE_REASON_LABELS,
    CaseDerivedActivity,
    DeclineReason,
    Referral,
)
from coordinator.extensions import db
from coordinator.models import Role

NOTE = "Sprachstand mit dem Bildungswerk abstimmen"
GOALS = ("Beschäftigungserlaubnis beantragen", "Berufssprachkurs B2 beginnen")
MINUTES = "Zuständigkeiten für Arbeit und Aufenthalt geklärt"
DECLINE_LABEL = str(DECLINE_REASON_LABELS[DeclineReason.NOT_RESPONSIBLE])  # "nicht zuständig"


@pytest.fixture
def people(world):
    world["jc"] = make_user("jobcenter@example.org", Role.STAFF, world["jobcenter"])
    world["abh_staff"] = make_user("abh@example.org", Role.STAFF, world["auslaenderbehoerde"])
    return world


def login(client, auth, user_or_role, world):
    client.post("/logout")
    if isinstance(user_or_role, Role):
        return auth.login_as(world, user_or_role)
    return auth.login(user_or_role.email)


def walk_through(client, auth, w) -> Case:
    """Jobcenter opens a case, records consent for the ABH, refers; the ABH accepts and
    records first contact; a conference agrees two goals; a note is added."""
    login(client, auth, w["jc"], w)
    arbeit, aufenthalt = field("arbeit"), field("aufenthalt_recht")
    response = client.post("/cases/new", data={
        "opened_on": "2026-03-02", "lead": w["jobcenter"].id,
        "needs": [arbeit.id, aufenthalt.id]})
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert re.fullmatch(r"K-2026-\d{4}", case.reference)
    base = f"/cases/{case.id}"
    assert client.post(f"{base}/consents/new", data={
        "given_on": "2026-03-02", "covers": w["auslaenderbehoerde"].id,
        "purpose": "Klärung der Beschäftigungserlaubnis"}).status_code == 302
    assert client.post(f"{base}/referrals/new", data={
        "sent_on": "2026-03-03", "from_id": w["jobcenter"].id,
        "to_id": w["auslaenderbehoerde"].id, "field_id": aufenthalt.id,
        "legal_basis": ""}).status_code == 302
    referral = db.session.scalars(select(Referral)).one()

    login(client, auth, w["abh_staff"], w)
    assert client.get(base).status_code == 404  # not yet involved
    inbox = client.get("/cases/inbox").get_data(as_text=True)
    assert case.reference in inbox and "annehmen" in inbox
    assert client.post(f"/cases/referrals/{referral.id}/accepted",
                       data={"on": "2026-03-05"}).status_code == 302
    assert client.get(base).status_code == 200
    assert client.post(f"/cases/referrals/{referral.id}/first_contact",
                       data={"on": "2026-03-10"}).status_code == 302

    login(client, auth, w["jc"], w)
    assert client.post(f"{base}/conferences/new", data={
        "held_on": "2026-03-12",
        "participants": [w["jobcenter"].id, w["auslaenderbehoerde"].id],
        "minutes": MINUTES,
        "goal1_text": GOALS[0], "goal1_responsible": w["auslaenderbehoerde"].id,
        "goal1_due": "2026-04-30",
        "goal2_text": GOALS[1], "goal2_responsible": w["jobcenter"].id,
        "goal2_due": "2026-06-30"}).status_code == 302
    assert client.post(f"{base}/notes", data={"text": NOTE}).status_code == 302
    return case


def test_walk_through(client, auth, people, runner, monkeypatch, tmp_path):
    w = people
    case = walk_through(client, auth, w)
    base = f"/cases/{case.id}"
    page = client.get(base).get_data(as_text=True)
    for text in (*GOALS, MINUTES, NOTE, "Einwilligung der Person", "Erstkontakt"):
        assert text in page

    # a birth date typed into a note is refused, the text is kept for correcting
    response = client.post(f"{base}/notes", data={"text": "Kind geb. 14.05.2012"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Geburtsdatum" in body and "Kind geb. 14.05.2012</textarea>" in body
    assert len(case.notes) == 1

    # the network and the coordination figures reflect it
    kinds = {a.kind for a in db.session.scalars(select(JointActivity))
             if {p.id for p in a.participants} == {w["jobcenter"].id,
                                                   w["auslaenderbehoerde"].id}}
    assert {ActivityKind.REFERRAL, ActivityKind.CASE_CONFERENCE} <= kinds
    [conference] = case.conferences
    [referral] = db.session.scalars(select(Referral)).all()
    derived = {d.activity_id: d.source for d in db.session.scalars(select(CaseDerivedActivity))}
    assert derived == {referral.activity_id: "referral", conference.activity_id: "case_conference"}
    with_cases = json.loads(runner.invoke(args=["metrics", "--json"]).output)
    without = json.loads(runner.invoke(args=["metrics", "--json", "--no-cases"]).output)
    assert with_cases["scope"]["cases"] is True and without["scope"]["cases"] is False
    assert with_cases != without
    runner.invoke(args=["export", "--format", "csv", "-o", str(tmp_path / "all")])
    runner.invoke(args=["export", "--format", "csv", "-o", str(tmp_path / "no"), "--no-cases"])
    # the world's own Jobcenter–ABH conference stays; the two from the case go
    assert (tmp_path / "all" / "ties.csv").read_text() != (tmp_path / "no" / "ties.csv").read_text()
    [fact] = referral_facts()
    assert (fact.status, fact.days_to_first_contact) == ("first_contact", 7)
    ties = client.get("/network/export/ties.csv").get_data(as_text=True)
    ties_without = client.get("/network/export/ties.csv?cases=0").get_data(as_text=True)
    assert ties != ties_without

    # nobody else sees anything of the case
    for who in (Role.STAFF, Role.LEADERSHIP, Role.ADMIN):
        login(client, auth, who, w)
        assert client.get(base).status_code == 404
        assert client.get(f"/cases/referrals/{case.id}/done").status_code == 404

    # close it; after the retention period (frozen clock) it is gone, its activities stay,
    # and the audit trail says who saw it
    login(client, auth, w["jc"], w)
    assert client.post(f"{base}/close", data={"closed_on": "2026-04-01",
                                              "outcome": 1}).status_code == 302
    activities = db.session.scalars(select(JointActivity.id)).all()
    monkeypatch.setattr("coordinator.retention.utcnow", lambda: datetime(2028, 4, 2, 12))
    assert runner.invoke(args=["purge-expired"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(select(Case)).all() == []
    assert db.session.scalars(select(JointActivity.id)).all() == activities
    readers = set(db.session.scalars(select(AuditEntry.user_id).where(
        AuditEntry.case_ref == case.reference, AuditEntry.action == "view")))
    assert readers == {w["jc"].id, w["abh_staff"].id}


def test_no_case_content_on_leadership_pages_exports_metrics_or_logs(
        client, auth, people, runner, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    w = people
    case = walk_through(client, auth, w)
    # a declined referral too
    login(client, auth, w["jc"], w)
    client.post(f"/cases/{case.id}/referrals/new", data={
        "sent_on": "2026-03-04", "from_id": w["jobcenter"].id, "to_id": w["verein"].id,
        "field_id": case.needs[0].id, "legal_basis": ""})  # refused: no basis for the Verein
    client.post(f"/cases/{case.id}/consents/new", data={
        "given_on": "2026-03-04", "covers": w["verein"].id, "purpose": "Sprachförderung"})
    client.post(f"/cases/{case.id}/referrals/new", data={
        "sent_on": "2026-03-04", "from_id": w["jobcenter"].id, "to_id": w["verein"].id,
        "field_id": case.needs[0].id, "legal_basis": ""})
    declined = db.session.scalars(select(Referral).where(
        Referral.to_id == w["verein"].id)).one()
    login(client, auth, Role.COORDINATOR, w)
    assert client.post(f"/cases/referrals/{declined.id}/declined",
                       data={"reason": "not_responsible"}).status_code == 302

    secrets = [case.reference, NOTE, *GOALS, MINUTES, "Klärung der Beschäftigungserlaubnis"]
    login(client, auth, Role.LEADERSHIP, w)
    leadership_pages = ["/", "/report", "/cases/coordination", "/network/",
                        "/network/table", "/network/ties", "/activities/",
                        f"/network/ego/{w['jobcenter'].id}"]
    exports = [f"/network/export/{fmt}" for fmt in ("gexf", "graphml", "nodes.csv",
                                                    "ties.csv")]
    for url in leadership_pages + exports:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in body, (url, secret)
        if url not in ("/cases/coordination", "/"):  # aggregate counts per reason only there
            assert DECLINE_LABEL not in body, url
    metrics = runner.invoke(args=["metrics", "--json"]).output
    runner.invoke(args=["export", "--format", "csv", "-o", str(tmp_path / "net")])
    exported = "".join(p.read_text() for p in (tmp_path / "net").iterdir())
    for output in (metrics, exported, caplog.text):
        for secret in [*secrets, DECLINE_LABEL]:
            assert secret not in output, secret
    assert caplog.records  # the log did capture something
