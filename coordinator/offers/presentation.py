"""Offers as the pages and the report show them: reach of the latest period with flags and
their plain-German reasons, per-period tables, and summaries per field of work and provider."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..dashboard.bar_chart import BarChart, bar_chart
from ..extensions import db
from ..periods import period_sort_key
from .models import PARTICIPANT_GROUP_LABELS, Offer, PopulationShare
from .reach import (
    BELOW_CAPACITY,
    KNOWN_GROUPS,
    MISSES_TARGET,
    ONE_GROUP,
    UNDER_REPRESENTED_GROUP,
    UNKNOWN_MOSTLY,
    Flag,
    Reach,
    assess_reach,
)


@dataclass
class OfferReach:
    offer: Offer
    period: str | None  # the latest period with counts
    counts: dict[str, int]
    reach: Reach | None
    reasons: list[str]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def percent(value: float | None) -> str:
    return "–" if value is None else format_percent(value, "#,##0 %")


def group_label(group: str | None) -> str:
    return str(PARTICIPANT_GROUP_LABELS.get(group, group or ""))


def explain(flag: Flag, offer: Offer, reach: Reach) -> str:
    """One plain-German sentence per flag."""
    if flag.code == MISSES_TARGET:
        return _("Gedacht für %(target)s, erreicht aber vor allem andere: nur %(share)s der "
                 "Teilnehmenden mit bekannter Gruppe gehören zur Zielgruppe.",
                 target=offer.target_label, share=percent(flag.share))
    if flag.code == ONE_GROUP:
        return _("Erreicht fast nur eine Gruppe: %(share)s der Teilnehmenden mit bekannter "
                 "Gruppe sind %(group)s.", share=percent(flag.share), group=group_label(flag.group))
    if flag.code == UNDER_REPRESENTED_GROUP:
        return _("%(group)s sind unterrepräsentiert: %(share)s der Teilnehmenden, aber "
                 "%(population)s der Bevölkerung.", group=group_label(flag.group),
                 share=percent(flag.share), population=percent(flag.reference))
    if flag.code == BELOW_CAPACITY:
        return _("Läuft weit unter der Kapazität: %(count)d Teilnehmende bei %(capacity)d "
                 "Plätzen (%(share)s ausgelastet).", count=reach.total,
                 capacity=offer.capacity or 0, share=percent(flag.share))
    if flag.code == UNKNOWN_MOSTLY:
        return _("Bei %(share)s der Teilnehmenden ist die Gruppe unbekannt; die Reichweite "
                 "lässt sich so kaum beurteilen.", share=percent(flag.share))
    return flag.code


def population_shares() -> dict[str, dict[str, float]]:
    """period → group → share."""
    shares: dict[str, dict[str, float]] = defaultdict(dict)
    for row in db.session.scalars(select(PopulationShare)):
        shares[row.period][row.group_key] = row.share
    return dict(shares)


def population_for(period: str, shares: dict[str, dict[str, float]]) -> dict[str, float]:
    """The shares of ``period``, else of the latest earlier period (or its year)."""
    earlier = [p for p in shares if period_sort_key(p) <= period_sort_key(period)]
    return shares[max(earlier, key=period_sort_key)] if earlier else {}


def counts_by_period(offer: Offer) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in offer.participation:
        counts[row.period][row.group_key] = row.count
    return dict(sorted(counts.items(), key=lambda item: period_sort_key(item[0])))


def offer_reach(offer: Offer, shares: dict[str, dict[str, float]],
                up_to: int | None = None) -> OfferReach:
    periods = counts_by_period(offer)
    if up_to is not None:
        periods = {p: c for p, c in periods.items() if period_sort_key(p)[0] <= up_to}
    if not periods:
        return OfferReach(offer, None, {}, None, [])
    period = next(reversed(periods))
    counts = periods[period]
    reach = assess_reach(counts, offer.target_group, population_for(period, shares),
                         offer.capacity)
    return OfferReach(offer, period, counts, reach,
                      [explain(flag, offer, reach) for flag in reach.flags])


def load_offers(field_id: int | None = None, provider_id: int | None = None) -> list[Offer]:
    query = select(Offer).options(selectinload(Offer.participation),
                                  selectinload(Offer.providers),
                                  selectinload(Offer.field)).order_by(Offer.title)
    if field_id:
        query = query.where(Offer.field_id == field_id)
    if provider_id:
        query = query.where(Offer.providers.any(id=provider_id))
    return list(db.session.scalars(query))


@dataclass
class GroupSummary:
    label: str
    offers: int
    participants: int
    newcomer_share: float | None
    flagged: int


def summaries_by(reaches: list[OfferReach], key) -> list[GroupSummary]:
    """Offers, participants (latest periods), newcomer share and flagged offers per key
    (field of work or provider); ``key(offer)`` returns the labels an offer counts for."""
    grouped: dict[str, list[OfferReach]] = defaultdict(list)
    for item in reaches:
        for label in key(item.offer) or [_("ohne Angabe")]:
            grouped[label].append(item)
    rows = []
    for label, items in sorted(grouped.items(), key=lambda kv: kv[0].casefold()):
        newcomers = sum(i.counts.get(KNOWN_GROUPS[0], 0) for i in items)
        known = sum(i.counts.get(g, 0) for i in items for g in KNOWN_GROUPS)
        rows.append(GroupSummary(
            label, len(items), sum(i.reach.total for i in items if i.reach),
            newcomers / known if known else None, sum(1 for i in items if i.flagged)))
    return rows


def reach_chart(item: OfferReach) -> BarChart:
    """Share of each known group among participants beside its population share."""
    reach = item.reach
    population = population_for(item.period, population_shares()) if item.period else {}
    rows = [(group_label(g), [reach.shares.get(g) if reach else None, population.get(g)])
            for g in KNOWN_GROUPS]
    return bar_chart(
        _("Wer nimmt teil? (%(period)s)", period=item.period or "–"),
        _("Anteil der Gruppen unter den Teilnehmenden mit bekannter Gruppe, neben ihrem "
          "Anteil an der Bevölkerung."),
        [_("Anteil unter Teilnehmenden"), _("Anteil an der Bevölkerung")], rows)
