"""The case page's timeline: referrals, conferences, goals and consent events in one list,
newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from .models import Case
from .referral_models import Referral, ReferralStatus


@dataclass(frozen=True)
class Event:
    when: date
    kind: str  # referral, conference, goal, consent, party, case
    text: str


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def case_timeline(case: Case, referrals: list[Referral]) -> list[Event]:
    events = [Event(case.opened_on, "case", _("Fall eröffnet, federführend: %(lead)s",
                                              lead=case.lead.name))]
    for party in case.parties:
        if party.stakeholder_id != case.lead_id:
            events.append(Event(party.joined_on, "party", _(
                "%(name)s hinzugekommen (%(role)s)", name=party.stakeholder.name,
                role=party.role_label)))
    for consent in case.consents:
        names = ", ".join(s.name for s in consent.covers)
        events.append(Event(consent.given_on, "consent",
                            _("Einwilligung erteilt für: %(names)s", names=names)))
        if consent.revoked_on:
            events.append(Event(consent.revoked_on, "consent",
                                _("Einwilligung widerrufen (%(names)s)", names=names)))
    for referral in referrals:
        for step in referral.steps:
            text = _("Vermittlung %(sender)s → %(recipient)s: %(status)s",
                     sender=referral.sender.name, recipient=referral.recipient.name,
                     status=step.status_label)
            if step.status is ReferralStatus.DECLINED and referral.decline_reason:
                text += f" ({referral.decline_reason.label})"
            when = (referral.first_contact_on if step.status is ReferralStatus.FIRST_CONTACT
                    and referral.first_contact_on else _day(step.at))
            events.append(Event(when, "referral", text))
    for conference in case.conferences:
        names = ", ".join(p.name for p in conference.activity.participants) \
            if conference.activity else ""
        events.append(Event(conference.held_on, "conference",
                            _("Fallkonferenz mit %(names)s", names=names)))
    for goal in case.goals:
        events.append(Event(_day(goal.created_at), "goal",
                            _("Ziel vereinbart: %(text)s", text=goal.text)))
        if goal.status_changed_at:
            events.append(Event(_day(goal.status_changed_at), "goal", _(
                "Ziel %(status)s: %(text)s", status=goal.status_label, text=goal.text)))
    return sorted(events, key=lambda e: e.when, reverse=True)
