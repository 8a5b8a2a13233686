"""Writes to offers, participation counts and population shares, with their rules."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..periods import parse_period
from ..register.models import Stakeholder, name_key
from ..rule_error import RuleError
from .models import TARGET_GROUP_LABELS, Offer, OfferParticipation, PopulationShare
from .reach import KNOWN_GROUPS, NAMED, UNKNOWN

MAX_COUNT = 1_000_000


def check_period(text: str | None, field: str, required: bool = True) -> str | None:
    if not (text or "").strip():
        if required:
            raise RuleError(_("Pflichtangabe fehlt."), field)
        return None
    period = parse_period(text)
    if period is None:
        raise RuleError(_("Der Zeitraum ist ein Jahr (2025) oder ein Quartal (2025-Q3)."),
                        field)
    return str(period)


def save_offer(offer: Offer | None, *, title: str, provider_ids: list[int],
               field_id: int | None, target_group: str, target_name: str,
               period_from: str | None, period_until: str | None,
               capacity: int | None) -> Offer:
    """Create (``offer`` is ``None``) or change an offer; flushed, not committed."""
    title = " ".join(title.split())
    if not title:
        raise RuleError(_("Pflichtangabe fehlt."), "title")
    clash = db.session.scalar(select(Offer.id).where(
        Offer.title_key == name_key(title), Offer.id != (offer.id if offer else 0)))
    if clash:
        raise RuleError(_("Ein Angebot mit diesem Titel ist bereits erfasst."), "title")
    if target_group not in TARGET_GROUP_LABELS:
        raise RuleError(_("Bitte wählen Sie eine Zielgruppe."), "target_group")
    target_name = " ".join((target_name or "").split())
    if target_group == NAMED and not target_name:
        raise RuleError(_("Bitte nennen Sie die Gruppe, z. B. Eltern, Jugendliche, Ältere."),
                        "target_name")
    start = check_period(period_from, "period_from", required=False)
    end = check_period(period_until, "period_until", required=False)
    if start and end and parse_period(start).sort_key() > parse_period(end).sort_key():
        raise RuleError(_("Das Ende liegt vor dem Beginn."), "period_until")
    if capacity is not None and not 0 < capacity <= MAX_COUNT:
        raise RuleError(_("Die Kapazität ist eine ganze Zahl größer als 0."), "capacity")
    providers = list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.id.in_(provider_ids)))) if provider_ids else []
    if offer is None:
        offer = Offer(title=title)
        db.session.add(offer)
    offer.title = title
    offer.providers = providers
    offer.field_id, offer.target_group = field_id, target_group
    offer.target_name = target_name if target_group == NAMED else ""
    offer.period_from, offer.period_until, offer.capacity = start, end, capacity
    db.session.flush()
    return offer


def set_participation(offer: Offer, period: str, counts: dict[str, int]) -> bool:
    """Store the counts of ``period`` (groups absent from ``counts`` are left alone);
    returns whether anything changed."""
    stored = {p.group_key: p for p in offer.participation if p.period == period}
    changed = False
    for group, count in counts.items():
        if group not in (*KNOWN_GROUPS, UNKNOWN):
            raise RuleError(_("Unbekannte Gruppe."), None)
        if not 0 <= count <= MAX_COUNT:
            raise RuleError(_("Anzahlen sind ganze Zahlen ab 0."), group)
        row = stored.get(group)
        if row is None:
            offer.participation.append(OfferParticipation(period=period, group_key=group,
                                                          count=count))
            changed = True
        elif row.count != count:
            row.count = count
            changed = True
    db.session.flush()
    return changed


def set_population_shares(period: str, shares: dict[str, float]) -> None:
    """Shares (0–1) of the known groups in ``period``; together at most 1."""
    if any(not 0 <= s <= 1 for s in shares.values()) or sum(shares.values()) > 1.0001:
        raise RuleError(_("Anteile liegen zwischen 0 und 100 Prozent und ergeben zusammen "
                          "höchstens 100 Prozent."), None)
    stored = {p.group_key: p for p in db.session.scalars(
        select(PopulationShare).where(PopulationShare.period == period))}
    for group, share in shares.items():
        row = stored.get(group)
        if row is None:
            db.session.add(PopulationShare(period=period, group_key=group, share=share))
        else:
            row.share = share
    db.session.flush()


def delete_offer(offer_id: int) -> str | None:
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        return None
    db.session.delete(offer)
    return offer.title
