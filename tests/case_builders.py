"""Cases for the tests, built directly (the rules are tested through the operations
elsewhere): ``case_world(world)`` adds, once per test, a case the Jugendamt takes part in and
one it does not."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coordinator.cases.models import (
    Case,
    CaseConsent,
    CaseGoal,
    CaseNote,
    CaseParty,
    CaseStatus,
    LegalBasis,
    PartyRole,
)
from coordinator.cases.referral_models import Referral, ReferralStatus, ReferralStep
from coordinator.extensions import db
from coordinator.models import FieldOfWork

OWN_NOTE = "Sprachkurs im Frühjahr besprochen"
OWN_GOAL = "Anmeldung zum Integrationskurs"
FOREIGN_GOAL = "Arbeitserlaubnis klären"


def _field(key: str) -> FieldOfWork:
    return db.session.scalars(select(FieldOfWork).where(FieldOfWork.key == key)).one()


def make_case(reference: str, lead, parties=(), needs=("arbeit",), opened_on=date(2026, 2, 1),
              status=CaseStatus.OPEN, closed_on=None) -> Case:
    case = Case(reference=reference, opened_on=opened_on, lead=lead, status=status,
                closed_on=closed_on)
    case.needs = [_field(k) for k in needs]
    case.parties = [CaseParty(stakeholder=lead, role=PartyRole.LEAD, joined_on=opened_on)]
    for stakeholder, basis in parties:
        case.parties.append(CaseParty(stakeholder=stakeholder, role=PartyRole.INVOLVED,
                                      joined_on=opened_on, legal_basis=basis))
    db.session.add(case)
    db.session.flush()
    return case


def make_referral(case: Case, sender, recipient, need="arbeit", basis=LegalBasis.SGB_X_69,
                  status=ReferralStatus.SENT, sent_on=date(2026, 2, 2)) -> Referral:
    referral = Referral(case=case, sender=sender, recipient=recipient, field=_field(need),
                        sent_on=sent_on, status=status, legal_basis=basis)
    referral.steps = [ReferralStep(status=ReferralStatus.SENT)]
    db.session.add(referral)
    db.session.flush()
    return referral


def case_world(world: dict) -> dict:
    """``own_case`` (Jugendamt leads, Verein by consent), ``foreign_case`` (Jobcenter leads,
    Ausländerbehörde by statute), each with a consent, a goal, a note and a referral."""
    if "own_case" in world:
        return world
    jugendamt, jobcenter = world["jugendamt"], world["jobcenter"]
    abh, verein = world["auslaenderbehoerde"], world["verein"]
    own = make_case("K-2026-0001", jugendamt, [(verein, None)], needs=("bildung", "arbeit"))
    own.consents.append(CaseConsent(given_on=date(2026, 2, 1), purpose="Sprachförderung",
                                    covers=[verein]))
    own.goals.append(CaseGoal(text=OWN_GOAL, responsible=jugendamt, due_on=date(2026, 5, 1)))
    own.notes.append(CaseNote(text=OWN_NOTE))
    foreign = make_case("K-2026-0002", jobcenter, [(abh, LegalBasis.SGB_X_69)],
                        needs=("arbeit", "aufenthalt_recht"))
    foreign.consents.append(CaseConsent(given_on=date(2026, 2, 1), purpose="Arbeitsaufnahme",
                                        covers=[abh]))
    foreign.goals.append(CaseGoal(text=FOREIGN_GOAL, responsible=jobcenter))
    foreign.notes.append(CaseNote(text="Termin bei der Ausländerbehörde steht"))
    db.session.flush()
    world.update(
        own_case=own, foreign_case=foreign,
        own_referral=make_referral(own, jugendamt, jobcenter),
        foreign_referral=make_referral(foreign, jobcenter, abh, need="aufenthalt_recht"),
        own_goal=own.goals[0], foreign_goal=foreign.goals[0],
        own_consent=own.consents[0], foreign_consent=foreign.consents[0],
    )
    db.session.commit()
    return world


CASE_PLACEHOLDERS = ("own_case", "foreign_case", "own_referral", "foreign_referral",
                     "own_goal", "foreign_goal", "own_consent", "foreign_consent")


def case_values(url: str, world: dict) -> dict:
    """The ids for the case placeholders of ``url`` (creating the cases only when needed)."""
    if not any("{" + name + "}" in url for name in CASE_PLACEHOLDERS):
        return {}
    case_world(world)
    return {name: world[name].id for name in CASE_PLACEHOLDERS}
