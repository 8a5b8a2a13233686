"""The referral state machine: every allowed and every forbidden transition, who may take
which step, and the joint activity an accepted referral becomes (created once, kept in step)."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from case_builders import case_world, make_referral
from sqlalchemy import func, select

from conftest import make_user
from coordinator.cases import referral_states as rs
from coordinator.cases.operations import CaseRuleError
from coordinator.cases.referral_models import (
    CaseDerivedActivity,
    DeclineReason,
    ReferralStatus,
)
from coordinator.cases.referral_operations import move_referral, send_referral
from coordinator.extensions import db
from coordinator.models import ActivityKind, JointActivity, Role

ALLOWED = {
    ("sent", "accepted"), ("sent", "declined"), ("accepted", "first_contact"),
    ("first_contact", "done"), ("declined", "sent"),
}
STATES = ["sent", "accepted", "first_contact", "done", "declined"]


@pytest.mark.parametrize(("current", "target"), list(product(STATES, STATES)))
def test_pure_state_machine(current, target):
    assert rs.can_move(current, target) is ((current, target) in ALLOWED)


def test_next_steps_follow_the_happy_path():
    assert rs.next_steps("sent") == ["accepted", "declined"]
    assert rs.next_steps("done") == []
    assert rs.side_for("sent") == "sender" and rs.side_for("accepted") == "recipient"


@pytest.fixture
def cw(world):
    case_world(world)
    world["jc_staff"] = make_user("jobcenter@example.org", Role.STAFF, world["jobcenter"])
    world["coordinator"] = world["users"][Role.COORDINATOR]
    return world


def _referral_in(cw, status: ReferralStatus):
    referral = make_referral(cw["own_case"], cw["jugendamt"], cw["jobcenter"], status=status)
    if status is ReferralStatus.DECLINED:
        referral.decline_reason = DeclineReason.NO_CAPACITY
    db.session.commit()
    return referral


def _kwargs(target: ReferralStatus) -> dict:
    return {
        ReferralStatus.DECLINED: {"reason": DeclineReason.NOT_RESPONSIBLE},
        ReferralStatus.SENT: {"note": "Zuständigkeit inzwischen geklärt"},
        ReferralStatus.FIRST_CONTACT: {"on": date(2026, 2, 20)},
        ReferralStatus.ACCEPTED: {"on": date(2026, 2, 10)},
    }.get(target, {})


@pytest.mark.parametrize(("current", "target"), list(product(STATES, STATES)))
def test_operations_allow_exactly_the_allowed_transitions(cw, current, target):
    referral = _referral_in(cw, ReferralStatus(current))
    target_status = ReferralStatus(target)
    user = cw["coordinator"]
    if (current, target) in ALLOWED:
        move_referral(user, referral, target_status, **_kwargs(target_status))
        db.session.commit()
        assert referral.status is target_status
        assert referral.steps[-1].status is target_status
        assert referral.steps[-1].user_id == user.id
    else:
        with pytest.raises(CaseRuleError):
            move_referral(user, referral, target_status, **_kwargs(target_status))
        db.session.rollback()
        assert db.session.get(type(referral), referral.id).status.value == current


def test_recipient_answers_and_sender_resends(cw):
    referral = _referral_in(cw, ReferralStatus.SENT)
    jugendamt_staff = cw["users"][Role.STAFF]
    with pytest.raises(CaseRuleError, match="empfangende"):
        move_referral(jugendamt_staff, referral, ReferralStatus.ACCEPTED)
    move_referral(cw["jc_staff"], referral, ReferralStatus.DECLINED,
                  reason=DeclineReason.NO_CAPACITY)
    with pytest.raises(CaseRuleError, match="vermittelnde"):
        move_referral(cw["jc_staff"], referral, ReferralStatus.SENT, note="neuer Versuch")
    with pytest.raises(CaseRuleError, match="geändert"):
        move_referral(jugendamt_staff, referral, ReferralStatus.SENT, note="  ")
    move_referral(jugendamt_staff, referral, ReferralStatus.SENT, note="Kapazität frei")
    db.session.commit()
    assert [s.status.value for s in referral.steps] == ["sent", "declined", "sent"]
    assert referral.decline_reason is None


def test_declining_needs_a_reason_and_first_contact_a_date(cw):
    referral = _referral_in(cw, ReferralStatus.SENT)
    with pytest.raises(CaseRuleError, match="Grund"):
        move_referral(cw["jc_staff"], referral, ReferralStatus.DECLINED)
    db.session.rollback()
    move_referral(cw["jc_staff"], referral, ReferralStatus.ACCEPTED, on=date(2026, 2, 5))
    with pytest.raises(CaseRuleError, match="Datum"):
        move_referral(cw["jc_staff"], referral, ReferralStatus.FIRST_CONTACT)
    with pytest.raises(CaseRuleError, match="vor der Vermittlung"):
        move_referral(cw["jc_staff"], referral, ReferralStatus.FIRST_CONTACT,
                      on=date(2026, 1, 1))


def _activities(kind=ActivityKind.REFERRAL) -> list[JointActivity]:
    return list(db.session.scalars(select(JointActivity).where(JointActivity.kind == kind)))


def test_accepted_referral_becomes_one_activity_kept_in_step(cw):
    referral = _referral_in(cw, ReferralStatus.SENT)
    move_referral(cw["jc_staff"], referral, ReferralStatus.ACCEPTED, on=date(2026, 2, 10))
    db.session.commit()
    [activity] = _activities()
    assert {p.id for p in activity.participants} == {cw["jugendamt"].id, cw["jobcenter"].id}
    assert activity.date == date(2026, 2, 10)
    assert [f.key for f in activity.fields] == ["arbeit"]
    assert "K-2026" not in activity.title + activity.description  # no case reference
    assert "angenommen" in activity.description
    # the jobcenter joined the case on the referral's basis
    assert cw["own_case"].party_for(cw["jobcenter"].id).legal_basis.value == "sgbx_69_1_1"
    move_referral(cw["jc_staff"], referral, ReferralStatus.FIRST_CONTACT, on=date(2026, 2, 20))
    move_referral(cw["jc_staff"], referral, ReferralStatus.DONE)
    db.session.commit()
    [same] = _activities()
    assert same.id == activity.id and "abgeschlossen" in same.description
    assert db.session.scalar(select(func.count()).select_from(CaseDerivedActivity)) == 1


def test_sending_needs_a_basis_for_the_recipient(cw):
    case = cw["own_case"]
    staff = cw["users"][Role.STAFF]
    with pytest.raises(CaseRuleError, match="keine Grundlage"):
        send_referral(staff, case, cw["jugendamt"].id, cw["auslaenderbehoerde"].id,
                      case.needs[0].id, None, date(2026, 3, 1))
    db.session.rollback()
    referral = send_referral(staff, case, cw["jugendamt"].id, cw["verein"].id,
                             case.needs[0].id, None, date(2026, 3, 1))  # consent covers it
    assert referral.status is ReferralStatus.SENT


def test_staff_send_only_for_their_own_department(cw):
    case = cw["own_case"]
    with pytest.raises(CaseRuleError, match="eigenes"):
        send_referral(cw["users"][Role.STAFF], case, cw["verein"].id, cw["jobcenter"].id,
                      case.needs[0].id, None, date(2026, 3, 1))
