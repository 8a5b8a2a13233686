"""purge-expired with a frozen clock: exactly the expired closed cases go; their activities,
the content-free referral rows and counts stay; deletion records are written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from case_builders import case_world, make_case, make_referral
from sqlalchemy import func, select

from coordinator.audit.models import AuditEntry
from coordinator.cases.health_data import need_sets, referral_facts
from coordinator.cases.models import Case, CaseGoal, CaseNote, CaseStatus
from coordinator.cases.referral_models import (
    CaseDerivedActivity,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from coordinator.cases.referral_operations import move_referral
from coordinator.cases.retention import reference_hash
from coordinator.extensions import db
from coordinator.models import CaseDeletionRecord, JointActivity, Role

NOW = datetime(2026, 11, 30, 12, 0)


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr("coordinator.retention.utcnow", lambda: NOW)
    return NOW


@pytest.fixture
def closed_cases(world):
    case_world(world)
    jc, jugendamt = world["jobcenter"], world["jugendamt"]
    expired = make_case("K-2024-0007", jc, [(world["auslaenderbehoerde"], None)],
                        needs=("arbeit", "sprache"), opened_on=date(2024, 1, 10))
    expired.goals.append(CaseGoal(text="Deutschkurs abschließen", responsible=jc))
    expired.notes.append(CaseNote(text="Kurs läuft gut"))
    referral = make_referral(expired, jc, jugendamt, sent_on=date(2024, 2, 1))
    referral.steps[0].note = "erste Vermittlung"
    db.session.commit()
    move_referral(world["users"][Role.COORDINATOR], referral, ReferralStatus.ACCEPTED,
                  on=date(2024, 2, 3))
    expired.status, expired.closed_on = CaseStatus.CLOSED, date(2024, 11, 29)
    kept = make_case("K-2024-0008", jc, opened_on=date(2024, 1, 10), status=CaseStatus.CLOSED,
                     closed_on=date(2024, 11, 30))  # exactly 24 months: not yet
    db.session.commit()
    return {"expired": expired, "kept": kept, "referral": referral}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_dry_run_lists_without_content_and_changes_nothing(app, runner, frozen_clock,
                                                           closed_cases):
    result = runner.invoke(args=["purge-expired", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Abgeschlossene Fälle, länger als 24 Monate geschlossen: 1 würden gelöscht" \
        in result.output
    assert reference_hash("K-2024-0007")[:12] in result.output
    assert "K-2024-0007" not in result.output and "Deutschkurs" not in result.output
    assert count(Case) == 4


def test_purge_deletes_exactly_the_expired_cases_and_keeps_activities_and_counts(
        app, runner, frozen_clock, closed_cases):
    referral_id = closed_cases["referral"].id
    facts_before = referral_facts()
    themes_before = sorted(sorted(s) for s in need_sets())
    activities_before = count(JointActivity)
    assert count(CaseDerivedActivity) == 1

    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Abgeschlossene Fälle, länger als 24 Monate geschlossen: 1 gelöscht" in result.output
    db.session.expire_all()

    refs = set(db.session.scalars(select(Case.reference)))
    assert refs == {"K-2026-0001", "K-2026-0002", "K-2024-0008"}
    assert not db.session.scalars(select(CaseGoal).where(
        CaseGoal.text == "Deutschkurs abschließen")).all()
    assert not db.session.scalars(select(CaseNote).where(CaseNote.text == "Kurs läuft gut")).all()
    referral = db.session.get(Referral, referral_id)
    assert referral.case_id is None and referral.activity_id is not None
    assert all(step.note == "" for step in db.session.scalars(
        select(ReferralStep).where(ReferralStep.referral_id == referral_id)))
    assert count(JointActivity) == activities_before and count(CaseDerivedActivity) == 1

    [record] = db.session.scalars(select(CaseDeletionRecord)).all()
    assert record.reference_hash == reference_hash("K-2024-0007")
    assert (record.opened_on, record.closed_on) == (date(2024, 1, 10), date(2024, 11, 29))
    assert sorted(record.need_keys) == ["arbeit", "sprache"]
    assert record.counts == {"parties": 3, "consents": 0, "goals": 1, "notes": 1,
                             "conferences": 0, "referrals": 1}
    # the coordination figures do not change
    assert referral_facts() == facts_before
    assert sorted(sorted(s) for s in need_sets()) == themes_before
    deleted = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete",
                                                          AuditEntry.object_type == "case"))
    assert [e.case_ref for e in deleted] == ["K-2024-0007"]

    again = runner.invoke(args=["purge-expired"])
    assert again.exit_code == 0 and "Nichts zu löschen." in again.output


def test_retention_period_is_a_setting(app, runner, frozen_clock, closed_cases):
    app.config["CASE_RETENTION_MONTHS"] = 60
    result = runner.invoke(args=["purge-expired"])
    assert "länger als 60 Monate geschlossen: 0 gelöscht" in result.output
    assert count(Case) == 4


def test_the_audit_trail_still_says_who_saw_a_deleted_case(
        app, client, auth, runner, frozen_clock, closed_cases, world):
    auth.login_as(world, Role.COORDINATOR)
    client.get(f"/cases/{closed_cases['expired'].id}")
    client.post("/logout")
    runner.invoke(args=["purge-expired"])
    views = db.session.scalars(select(AuditEntry).where(
        AuditEntry.case_ref == "K-2024-0007", AuditEntry.action == "view",
        AuditEntry.object_type == "case")).all()
    assert [v.user_id for v in views] == [world["users"][Role.COORDINATOR].id]


def test_open_cases_are_never_purged(app, runner, frozen_clock, world):
    make_case("K-2020-0001", world["jobcenter"], opened_on=date(2020, 1, 1))
    db.session.commit()
    runner.invoke(args=["purge-expired"])
    assert count(Case) == 1
