"""The network map's option "Angebote: Reichweite zeigen": the reach status of the
stakeholders on the map who provide offers, as JSON for network-map-tools.js and as rows for
the table under the map.

Read per request: a few dozen offers with their counts (one small query, no network
computation). Names come from the map's own rows, so individuals keep the pseudonyms the map
gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .presentation import load_offers, offer_reach, population_shares
from .provider_reach import (
    FLAGGED,
    NO_COUNTS,
    REACHES,
    STATUS_ORDER,
    offer_status,
    provider_statuses,
    status_totals,
)

# A sign beside the colour and the border (solid, dashed, dotted): never colour alone.
STATUS_MARKS = {REACHES: "✓", FLAGGED: "!", NO_COUNTS: "?"}
STATUS_LABELS = {
    REACHES: _l("erreicht die Zielgruppe"),
    FLAGGED: _l("mit Hinweis (z. B. Zielgruppe verfehlt, weit unter Kapazität)"),
    NO_COUNTS: _l("noch keine Teilnahmezahlen"),
}


def reach_texts() -> dict:
    """What network-map-tools.js announces when the option is switched."""
    return {
        "reach_on": _("Reichweite der Angebote gezeigt: {reaches} Anbieter erreichen die "
                      "Zielgruppe, {flagged} mit Hinweis, {no_counts} noch ohne Zahlen. "
                      "Akteure ohne Angebot sind blass."),
        "reach_off": _("Farben wieder nach Art der Akteure."),
        "reach_marks": STATUS_MARKS,
    }


class StatusText:
    """The sign and the words of a row's ``status``."""

    status: str

    @property
    def mark(self) -> str:
        return STATUS_MARKS[self.status]

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class OfferLine(StatusText):
    id: int
    title: str
    status: str
    period: str | None
    reasons: list[str]  # listed beside a flagged offer: its label stays short

    @property
    def label(self) -> str:
        return _("mit Hinweis") if self.status == FLAGGED else super().label


@dataclass
class ProviderRow(StatusText):
    id: int
    name: str
    kind: str
    status: str
    offers: list[OfferLine] = field(default_factory=list)


@dataclass
class MapReach:
    rows: list[ProviderRow]  # providers on the map, flagged first, then by name
    totals: dict[str, int]  # status → providers on the map
    off_map: int  # providers of the offers who are not on this map

    def legend(self) -> list[tuple[str, str, str, int]]:
        """``(status, sign, words, providers)`` per status."""
        return [(status, STATUS_MARKS[status], str(STATUS_LABELS[status]), count)
                for status, count in self.totals.items()]

    def payload(self) -> dict:
        """``{node id: status}`` for the map (the texts come with the legend)."""
        return {str(row.id): row.status for row in self.rows}


def map_reach(nodes: Sequence, field_id: int | None = None, up_to: int | None = None) -> MapReach:
    """Reach of the providers among ``nodes`` (the map's rows: ``id``, ``name``, ``kind``),
    from their offers (of the field of work ``field_id``, if given), each judged by its
    latest period with counts (up to the year ``up_to``, if given)."""
    shares = population_shares()
    offers = [(offer, offer_reach(offer, shares, up_to)) for offer in load_offers(field_id)]
    lines = [
        (offer, OfferLine(offer.id, offer.title, offer_status(item.reach), item.period,
                          item.reasons))
        for offer, item in offers
    ]
    statuses = provider_statuses(([p.id for p in offer.providers], line.status)
                                 for offer, line in lines)
    on_map = {row.id: row for row in nodes}
    rows = []
    for provider_id, status in statuses.items():
        node = on_map.get(provider_id)
        if node is None:
            continue
        own = [line for offer, line in lines if any(p.id == provider_id for p in offer.providers)]
        own.sort(key=lambda line: (STATUS_ORDER.index(line.status), line.title.casefold()))
        rows.append(ProviderRow(provider_id, node.name, node.kind, status.status, own))
    rows.sort(key=lambda row: (STATUS_ORDER.index(row.status), row.name.casefold()))
    return MapReach(rows, status_totals(statuses[row.id] for row in rows),
                    len(statuses) - len(rows))
