"""Need to know: a case's URLs answer 404 (never 403) to everyone who may not see the case —
staff of an uninvolved department, leadership and admins — so references cannot be probed;
admins and leadership see no case content anywhere."""

from __future__ import annotations

import pytest
from case_builders import FOREIGN_GOAL, OWN_GOAL, OWN_NOTE, case_world

from coordinator.models import Role
from route_matrix import HIDDEN_CASE_URLS, ROUTES, fill_url

CASE_ROWS = [(e, m, u) for e, m, u, _r in ROUTES if u in HIDDEN_CASE_URLS]


def test_every_case_url_is_covered():
    endpoints = {e for e, _m, _u in CASE_ROWS}
    assert {"cases.detail", "cases.edit", "cases.close", "cases.new_referral",
            "cases.new_conference", "cases.referral_step", "cases.add_consent_view",
            "cases.revoke_consent_view", "cases.goal_status", "cases.add_note_view"} <= endpoints


@pytest.mark.parametrize(("endpoint", "method", "url"), CASE_ROWS,
                         ids=[f"{m} {u}" for _e, m, u in CASE_ROWS])
def test_case_urls_are_404_for_whoever_may_not_see_the_case(client, auth, world, endpoint,
                                                            method, url):
    target = fill_url(url, world)
    for role in Role:
        auth.login_as(world, role)
        response = client.open(target, method=method)
        if role in HIDDEN_CASE_URLS[url]:
            assert response.status_code == 404, (role, target, response.status_code)
        else:
            assert response.status_code not in (403, 404), (role, target)
        client.post("/logout")


def test_referral_step_of_an_uninvolved_recipient_is_404(client, auth, world):
    """The Jugendamt is neither party of the foreign case nor recipient of its referral."""
    case_world(world)
    auth.login_as(world, Role.STAFF)
    response = client.get(f"/cases/referrals/{world['foreign_referral'].id}/accepted")
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEADERSHIP])
def test_admin_and_leadership_see_no_case_content(client, auth, world, role):
    case_world(world)
    auth.login_as(world, role)
    pages = ["/", "/report", "/activities/", "/network/", "/network/table",
             "/admin/users/" if role is Role.ADMIN else "/cases/coordination"]
    for page in pages:
        body = client.get(page).get_data(as_text=True)
        for secret in ("K-2026-0001", "K-2026-0002", OWN_NOTE, OWN_GOAL, FOREIGN_GOAL):
            assert secret not in body, (page, secret)
    assert client.get("/cases/").status_code == 403
    assert client.get("/cases/inbox").status_code == 403


def test_staff_list_shows_only_cases_of_their_department(client, auth, world):
    case_world(world)
    auth.login_as(world, Role.STAFF)
    body = client.get("/cases/").get_data(as_text=True)
    assert "K-2026-0001" in body and "K-2026-0002" not in body
    client.post("/logout")
    auth.login_as(world, Role.COORDINATOR)
    body = client.get("/cases/").get_data(as_text=True)
    assert "K-2026-0001" in body and "K-2026-0002" in body


def test_a_huge_or_unknown_case_id_is_404(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    assert client.get("/cases/99999").status_code == 404
    assert client.get(f"/cases/{2**40}").status_code == 404


def test_admin_keeps_the_outcome_list_and_the_change_is_logged(client, auth, world):
    from sqlalchemy import select

    from coordinator.audit.models import AuditEntry
    from coordinator.cases.models import CaseOutcome
    from coordinator.extensions import db

    auth.login_as(world, Role.ADMIN)
    assert "Ziele erreicht" in client.get("/cases/outcomes/").get_data(as_text=True)
    response = client.post("/cases/outcomes/new", data={"label": "in Ausbildung", "active": "1"})
    assert response.status_code == 302
    outcome = db.session.scalars(select(CaseOutcome).where(
        CaseOutcome.label == "in Ausbildung")).one()
    assert client.post(f"/cases/outcomes/{outcome.id}/edit",
                       data={"label": "in Ausbildung", "active": "0"}).status_code == 302
    assert client.post("/cases/outcomes/new", data={"label": "IN AUSBILDUNG",
                                                    "active": "1"}).status_code == 400
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "case_outcome").order_by(AuditEntry.id)).all()
    assert [(e.action, e.changes) for e in entries] == [
        ("create", {"label": [None, "in Ausbildung"], "active": [None, True]}),
        ("update", {"active": [True, False]}),
    ]
