"""Consent and legal basis: no department joins a case without one; revoking a consent
removes the departments it covered, in the same request, and is logged."""

from __future__ import annotations

from datetime import date

import pytest
from case_builders import case_world
from sqlalchemy import select

from conftest import make_user
from coordinator.audit.models import AuditEntry
from coordinator.cases.conference_operations import hold_conference
from coordinator.cases.models import LegalBasis, PartyRole
from coordinator.cases.operations import CaseRuleError
from coordinator.cases.party_operations import add_party, record_consent
from coordinator.cases.referral_models import Referral, ReferralStatus
from coordinator.cases.referral_operations import send_referral
from coordinator.extensions import db
from coordinator.models import Role


@pytest.fixture
def cw(world):
    return case_world(world)


def test_adding_a_department_without_basis_fails(cw):
    staff = cw["users"][Role.STAFF]
    with pytest.raises(CaseRuleError, match="keine Grundlage"):
        add_party(staff, cw["own_case"], cw["jobcenter"].id, PartyRole.INVOLVED, None,
                  date(2026, 3, 1))
    db.session.rollback()
    assert cw["own_case"].party_for(cw["jobcenter"].id) is None
    party = add_party(staff, cw["own_case"], cw["jobcenter"].id, PartyRole.CONSULTED,
                      LegalBasis.SGB_X_69, date(2026, 3, 1))
    assert party.legal_basis is LegalBasis.SGB_X_69


def test_web_form_refuses_department_without_basis(client, auth, cw):
    auth.login_as(cw, Role.STAFF)
    response = client.post(f"/cases/{cw['own_case'].id}/parties/new", data={
        "stakeholder": cw["auslaenderbehoerde"].id, "role": "involved",
        "joined_on": "2026-03-01", "legal_basis": ""})
    assert response.status_code == 400
    assert "keine Grundlage" in response.get_data(as_text=True)
    assert cw["own_case"].party_for(cw["auslaenderbehoerde"].id) is None


def test_conference_invites_only_parties(cw):
    with pytest.raises(CaseRuleError, match="beteiligt"):
        hold_conference(cw["users"][Role.COORDINATOR], cw["own_case"], date(2026, 3, 1),
                        [cw["jugendamt"].id, cw["auslaenderbehoerde"].id], "")


def test_consent_covers_department_then_revocation_removes_it(client, auth, cw):
    case = cw["own_case"]
    coordinator = cw["users"][Role.COORDINATOR]
    jc_staff = make_user("jobcenter@example.org", Role.STAFF, cw["jobcenter"])
    consent = record_consent(coordinator, case, date(2026, 3, 1), "Arbeitsvermittlung",
                             [cw["jobcenter"].id])
    add_party(coordinator, case, cw["jobcenter"].id, PartyRole.INVOLVED, None, date(2026, 3, 2))
    bildung = next(f for f in case.needs if f.key == "bildung")
    waiting = send_referral(coordinator, case, cw["jugendamt"].id, cw["jobcenter"].id,
                            bildung.id, None, date(2026, 3, 3))
    db.session.commit()

    auth.login(jc_staff.email)
    assert client.get(f"/cases/{case.id}").status_code == 200
    client.post("/logout")

    auth.login_as(cw, Role.STAFF)  # the Jugendamt leads the case and revokes
    response = client.post(f"/cases/{case.id}/consents/{consent.id}/revoke",
                           data={"revoked_on": "2026-04-01"})
    assert response.status_code == 302
    client.post("/logout")

    assert case.party_for(cw["jobcenter"].id) is None
    assert case.party_for(cw["verein"].id) is not None  # covered by the other consent
    assert consent.revoked_on == date(2026, 4, 1)
    referral = db.session.get(Referral, waiting.id)
    assert referral.status is ReferralStatus.DECLINED
    assert referral.decline_reason.value == "consent_revoked"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "consent_revoke")).one()
    assert entry.case_ref == case.reference
    assert entry.detail["removed_parties"] == [cw["jobcenter"].id]

    auth.login(jc_staff.email)
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/cases/referrals/{waiting.id}/accepted").status_code == 302


def test_statutory_basis_survives_revocation(cw):
    case = cw["foreign_case"]  # the Ausländerbehörde is involved by § 69 SGB X
    coordinator = cw["users"][Role.COORDINATOR]
    from coordinator.cases.party_operations import revoke_consent

    revoke_consent(coordinator, case, case.consents[0], date(2026, 4, 1))
    assert case.party_for(cw["auslaenderbehoerde"].id) is not None


def test_blanket_consent_is_refused(cw):
    with pytest.raises(CaseRuleError, match="pauschale"):
        record_consent(cw["users"][Role.COORDINATOR], cw["own_case"], date(2026, 3, 1),
                       "alles", [])
