"""Case coordination in the demo Landkreis: about 150 cases over the two demo years, with
consents, referrals (most accepted, some declined, a few stuck without answer), case
conferences with agreed goals, short notes, and closed cases with an outcome.

Deterministic for a given seed and period. Written with the ORM in the caller's transaction
(nothing is committed here); accepted referrals and conferences become joint activities of
kind ``referral`` and ``case_conference`` exactly as the case operations would create them.
No text here names or describes a person.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..activities.models import ActivityKind, JointActivity
from ..auth.models import Role, User
from ..cases.models import (
    Case,
    CaseConsent,
    CaseGoal,
    CaseNote,
    CaseParty,
    CaseStatus,
    GoalStatus,
    LegalBasis,
    PartyRole,
)
from ..cases.operations import ensure_outcomes, next_reference
from ..cases.referral_models import (
    CaseConference,
    CaseDerivedActivity,
    DeclineReason,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind

CASES = 150
SEED = 7

# Who leads cases (weights) and who is asked for which need.
LEADS = {"jobcenter": 5, "jugendamt": 3, "sozialamt": 2, "mbe": 2, "jmd": 1, "abh": 1}
RECIPIENTS = {
    "arbeit": ("jobcenter", "bildungswerk", "jmd"),
    "aufenthalt_recht": ("abh", "mbe"),
    "sprache": ("vhs", "bildungswerk"),
    "wohnen": ("wohngeld", "sozialamt", "mieterverein"),
    "bildung": ("jugendamt", "kita_fb", "schulamt", "jmd"),
    "soziales": ("sozialamt", "schuldnerberatung", "mbe"),
    "gesundheit": ("gesundheitsamt", "psz"),
}
NEED_SETS = (
    (("arbeit", "sprache"), 8), (("arbeit", "aufenthalt_recht"), 6),
    (("arbeit", "sprache", "aufenthalt_recht"), 5), (("wohnen", "soziales"), 5),
    (("bildung", "sprache"), 4), (("gesundheit", "soziales"), 3),
    (("bildung", "soziales", "wohnen"), 2), (("arbeit",), 2), (("aufenthalt_recht",), 2),
    (("gesundheit", "aufenthalt_recht"), 2),
)
# How often a recipient declines, and why (the psychosocial centre has a waiting list).
DECLINE_RATE = {"psz": 0.6, "wohngeld": 0.35, "schulamt": 0.3}
DECLINE_REASONS = {
    "psz": DeclineReason.NO_CAPACITY, "wohngeld": DeclineReason.CRITERIA,
    "schulamt": DeclineReason.NOT_RESPONSIBLE,
}
GOALS = {
    "arbeit": ("Teilnahme an einer Maßnahme zur Berufsorientierung",
               "Bewerbungsunterlagen fertigstellen", "Praktikum im Handwerk beginnen"),
    "aufenthalt_recht": ("Aufenthaltsfragen klären und Termin wahrnehmen",
                         "Unterlagen für die Verlängerung vollständig einreichen"),
    "sprache": ("Integrationskurs bis Niveau B1 abschließen", "Berufssprachkurs beginnen"),
    "wohnen": ("Wohngeldantrag stellen", "Wohnungssuche mit Unterstützung beginnen"),
    "bildung": ("Kita-Platz für das jüngste Kind sichern", "Hausaufgabenhilfe regelmäßig nutzen"),
    "soziales": ("Haushaltsplan mit der Schuldnerberatung erstellen",
                 "Anträge auf Leistungen vollständig stellen"),
    "gesundheit": ("Anbindung an eine Beratungsstelle herstellen",
                   "Vorsorgeuntersuchungen wahrnehmen"),
}
NOTES = (
    "Gesprächstermin vereinbart, Rückmeldung folgt.",
    "Unterlagen sind vollständig, nächster Schritt abgestimmt.",
    "Dolmetschung für das nächste Gespräch organisiert.",
    "Rückfrage an das beteiligte Ressort gestellt.",
    "Termin musste verschoben werden.",
)
MINUTES = (
    "Zuständigkeiten geklärt, nächste Schritte vereinbart.",
    "Stand der Maßnahmen besprochen, Ziele angepasst.",
    "Abstimmung der Termine zwischen den Ressorts, Übergabe vereinbart.",
)


def insert_demo_cases(ids: dict[str, int], users: list[User], start: date, end: date,
                      seed: int = SEED, count: int = CASES) -> list[int]:
    """Write the demo cases; returns the ids of the joint activities they produced (for
    whatever keeps aggregates of activities). ``ids`` are the stakeholder ids by key."""
    rng = random.Random(seed)
    fields = {f.key: f for f in db.session.scalars(select(FieldOfWork))}
    orgs = {k: db.session.get(Stakeholder, ids[k]) for k in _keys_used() if k in ids}
    writer = _Writer(rng, fields, orgs, users, ensure_outcomes(), end)
    span = (end - start).days - 7
    # More cases in the second year, as the work became known.
    days = sorted(int(span * rng.random() ** 0.7) for _ in range(count))
    numbers: dict[int, int] = {}
    for offset in days:
        opened = start + timedelta(days=offset)
        if opened.year not in numbers:  # continue after cases that exist already
            last = next_reference(opened.year).rsplit("-", 1)[1]
            numbers[opened.year] = int(last) - 1
        numbers[opened.year] += 1
        writer.case(f"K-{opened.year}-{numbers[opened.year]:04d}", opened)
    db.session.flush()
    return writer.activity_ids


def _keys_used() -> set[str]:
    return set(LEADS) | {k for keys in RECIPIENTS.values() for k in keys}


class _Writer:
    def __init__(self, rng, fields, orgs, users, outcomes, today):
        self.rng, self.fields, self.orgs, self.today = rng, fields, orgs, today
        self.outcomes = outcomes
        self.coordinator = next(u for u in users if u.role is Role.COORDINATOR)
        self.staff = {u.department_id: u for u in users if u.role is Role.STAFF}
        self.activity_ids: list[int] = []

    def user_for(self, org: Stakeholder) -> int:
        return (self.staff.get(org.id) or self.coordinator).id

    def at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(min(day, self.today), time(hour))

    def case(self, reference: str, opened: date) -> None:
        rng = self.rng
        need_keys = rng.choices([n for n, _w in NEED_SETS], [w for _n, w in NEED_SETS])[0]
        lead = self.orgs[rng.choices(list(LEADS), list(LEADS.values()))[0]]
        case = Case(reference=reference, opened_on=opened, lead=lead, status=CaseStatus.OPEN,
                    created_by_id=self.user_for(lead), created_at=self.at(opened, 9))
        case.needs = [self.fields[k] for k in need_keys if k in self.fields]
        case.parties = [CaseParty(stakeholder=lead, role=PartyRole.LEAD, joined_on=opened)]
        db.session.add(case)
        plans = []
        for key in need_keys:
            options = [k for k in RECIPIENTS[key] if self.orgs.get(k) is not lead]
            plans.append((key, self.orgs[rng.choice(options)]))
        consent = self._consent(case, opened, [org for _k, org in plans])
        for number, (key, recipient) in enumerate(plans):
            sent = opened + timedelta(days=2 + 5 * number + rng.randint(0, 6))
            if sent <= self.today:
                self._referral(case, lead, recipient, key, sent, consent)
        self._conference_and_goals(case, opened)
        for _ in range(rng.randint(0, 2)):
            day = opened + timedelta(days=rng.randint(1, 60))
            if day <= self.today:
                case.notes.append(CaseNote(text=rng.choice(NOTES), created_at=self.at(day, 15),
                                           author_id=self.user_for(lead)))
        self._maybe_close(case, opened)

    def _consent(self, case: Case, opened: date, recipients: list[Stakeholder]):
        """Groups (and, in most cases, the departments too) are covered by a consent; a few
        consents are revoked later."""
        covered = [r for r in recipients
                   if r.kind is StakeholderKind.GROUP or self.rng.random() < 0.6]
        if not covered:
            return None
        consent = CaseConsent(given_on=opened, purpose="Abstimmung der Unterstützung zu den "
                              "genannten Bedarfen", recorded_by_id=self.user_for(case.lead))
        consent.covers = list(dict.fromkeys(covered))
        case.consents.append(consent)
        return consent

    def _referral(self, case, sender, recipient, need_key, sent, consent) -> None:
        rng = self.rng
        covered = consent is not None and recipient in consent.covers
        basis = None if covered else LegalBasis.SGB_X_69
        if recipient.kind is StakeholderKind.GROUP and not covered:
            return  # no basis for a group without consent: the referral is not made
        referral = Referral(case=case, sender=sender, recipient=recipient,
                            field=self.fields.get(need_key), sent_on=sent,
                            status=ReferralStatus.SENT, legal_basis=basis)
        db.session.add(referral)
        self._step(referral, ReferralStatus.SENT, sent, sender)
        age = (self.today - sent).days
        if age < 3 or rng.random() < 0.06:  # new, or stuck without an answer
            return
        answered = sent + timedelta(days=rng.randint(1, min(age, 10)))
        recipient_key = next((k for k, o in self.orgs.items() if o is recipient), "")
        if rng.random() < DECLINE_RATE.get(recipient_key, 0.12):
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = DECLINE_REASONS.get(
                recipient_key, rng.choice([DeclineReason.NOT_RESPONSIBLE,
                                           DeclineReason.ALREADY_SUPPORTED,
                                           DeclineReason.NOT_REACHED]))
            self._step(referral, ReferralStatus.DECLINED, answered, recipient)
            return
        referral.status = ReferralStatus.ACCEPTED
        self._step(referral, ReferralStatus.ACCEPTED, answered, recipient)
        if case.party_for(recipient.id) is None:
            case.parties.append(CaseParty(stakeholder=recipient, role=PartyRole.INVOLVED,
                                          joined_on=answered, legal_basis=basis))
        case.status = CaseStatus.IN_PROGRESS
        contact = answered + timedelta(days=int(rng.lognormvariate(2.0, 0.7)))
        stage = "angenommen"
        if contact <= self.today and rng.random() < 0.92:
            referral.status = ReferralStatus.FIRST_CONTACT
            referral.first_contact_on = contact
            self._step(referral, ReferralStatus.FIRST_CONTACT, contact, recipient)
            stage = "Erstkontakt hergestellt"
            done = contact + timedelta(days=rng.randint(20, 120))
            if done <= self.today and rng.random() < 0.7:
                referral.status = ReferralStatus.DONE
                self._step(referral, ReferralStatus.DONE, done, recipient)
                stage = "abgeschlossen"
        referral.activity = self._activity(
            answered, f"Vermittlung {sender.name} → {recipient.name}", ActivityKind.REFERRAL,
            [sender, recipient], [referral.field] if referral.field else [],
            f"Vermittlung im Rahmen der Fallkoordination; Stand: {stage}.", recipient)

    def _step(self, referral, status, day, org) -> None:
        referral.steps.append(ReferralStep(status=status, at=self.at(day, 11),
                                           user_id=self.user_for(org)))

    def _activity(self, day, title, kind, participants, fields, description, author):
        activity = JointActivity(date=day, title=title[:200], kind=kind,
                                 description=description, created_by_id=self.user_for(author),
                                 created_at=self.at(day, 16), updated_at=self.at(day, 16))
        activity.participants = list(dict.fromkeys(participants))
        activity.fields = fields
        db.session.add(activity)
        db.session.flush()
        db.session.add(CaseDerivedActivity(activity_id=activity.id, source=kind.value))
        self.activity_ids.append(activity.id)
        return activity

    def _conference_and_goals(self, case: Case, opened: date) -> None:
        rng = self.rng
        held = opened + timedelta(days=rng.randint(20, 60))
        parties = [p.stakeholder for p in case.parties]
        if len(parties) < 2 or held > self.today or rng.random() > 0.45:
            return
        activity = self._activity(held, "Fallkonferenz", ActivityKind.CASE_CONFERENCE, parties,
                                  list(case.needs),
                                  "Fallkonferenz im Rahmen der Fallkoordination.", case.lead)
        conference = CaseConference(case=case, activity=activity, held_on=held,
                                    minutes=rng.choice(MINUTES),
                                    created_by_id=self.user_for(case.lead))
        db.session.add(conference)
        db.session.flush()
        for need in rng.sample(list(case.needs), k=min(2, len(case.needs))):
            due = held + timedelta(days=rng.randint(30, 150))
            status = GoalStatus.OPEN
            changed = None
            if due < self.today and rng.random() < 0.75:
                status = rng.choice([GoalStatus.REACHED] * 4 + [GoalStatus.DROPPED])
                changed = self.at(min(due, self.today))
            case.goals.append(CaseGoal(
                text=rng.choice(GOALS[need.key]), responsible=rng.choice(parties), due_on=due,
                status=status, conference_id=conference.id, created_at=self.at(held, 14),
                status_changed_at=changed))
        case.status = CaseStatus.IN_PROGRESS

    def _maybe_close(self, case: Case, opened: date) -> None:
        closed = opened + timedelta(days=self.rng.randint(90, 330))
        if closed < self.today - timedelta(days=14) and self.rng.random() < 0.75:
            case.status = CaseStatus.CLOSED
            case.closed_on = closed
            case.outcome = self.rng.choice(self.outcomes)
            for goal in case.goals:
                if goal.status is GoalStatus.OPEN:
                    goal.status = GoalStatus.REACHED
                    goal.status_changed_at = self.at(closed)
