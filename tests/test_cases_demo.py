"""The demo Landkreis's case work: enough of everything for every case view to show
something, and nothing in it that looks like personal data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from coordinator.activities.models import ActivityKind, JointActivity
from coordinator.cases.health_data import load_health
from coordinator.cases.models import Case, CaseGoal, CaseNote, CaseStatus, GoalStatus
from coordinator.cases.personal_data import find_personal_data
from coordinator.cases.referral_models import (
    CaseConference,
    CaseDerivedActivity,
    Referral,
    ReferralStatus,
)
from coordinator.extensions import db
from coordinator.models import User


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_has_about_150_cases_with_everything_the_views_need(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert count(Case) == 150
    assert count(Case, Case.status == CaseStatus.CLOSED) >= 30
    assert count(Case, Case.status != CaseStatus.CLOSED) >= 30
    opened = db.session.scalars(select(Case.opened_on)).all()
    assert (max(opened) - min(opened)).days > 600  # over two years
    assert count(Referral, Referral.status == ReferralStatus.DECLINED) >= 10
    stuck = count(Referral, Referral.status == ReferralStatus.SENT,
                  Referral.sent_on < date.today().replace(day=1))
    assert 3 <= stuck <= 40
    assert count(Referral, Referral.status == ReferralStatus.FIRST_CONTACT) >= 10
    assert count(CaseConference) >= 20 and count(CaseGoal) >= 40
    assert count(CaseGoal, CaseGoal.status == GoalStatus.OPEN,
                 CaseGoal.due_on < date.today()) >= 1
    # every accepted referral and every conference is a joint activity, marked as such
    accepted = count(Referral, Referral.activity_id.is_not(None))
    derived = select(CaseDerivedActivity.activity_id)
    assert accepted == count(JointActivity, JointActivity.kind == ActivityKind.REFERRAL,
                             JointActivity.id.in_(derived))
    assert count(CaseDerivedActivity) == accepted + count(CaseConference)
    assert {"jobcenter@lindenau.example", "auslaenderbehoerde@lindenau.example"} <= set(
        db.session.scalars(select(User.email)))
    texts = [*db.session.scalars(select(CaseNote.text)),
             *db.session.scalars(select(CaseGoal.text)),
             *db.session.scalars(select(CaseConference.minutes))]
    assert not [t for t in texts if find_personal_data(t, date.today().year)]
    health = load_health(None)
    assert health.themes and health.reasons and health.departments
