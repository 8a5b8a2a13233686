"""Pure reach status of offers and of the stakeholders who provide them (the map option
"Angebote: Reichweite zeigen").

An offer either reaches the people it is meant for (counts, no flag), is flagged (misses its
target group, reaches only one group, runs far below capacity …: any flag of
:func:`coordinator.offers.reach.assess_reach`), or has no participation counts yet. A
provider shows the most pressing status among its offers, so that one flagged offer is not
hidden behind others that go well. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .reach import Reach

REACHES, FLAGGED, NO_COUNTS = "reaches", "flagged", "no_counts"
# Most pressing first: a provider with any flagged offer is shown as flagged.
STATUS_ORDER = (FLAGGED, REACHES, NO_COUNTS)


def offer_status(reach: Reach | None) -> str:
    """``no_counts`` without participation counts, ``flagged`` with any flag, else
    ``reaches``.

    Examples
    --------
    >>> offer_status(None)
    'no_counts'
    """
    if reach is None or reach.total == 0:
        return NO_COUNTS
    return FLAGGED if reach.flags else REACHES


@dataclass
class ProviderStatus:
    status: str
    offers: dict[str, int] = field(default_factory=dict)  # status → number of offers

    @property
    def total(self) -> int:
        return sum(self.offers.values())


def provider_statuses(offers: Iterable[tuple[Iterable[int], str]]) -> dict[int, ProviderStatus]:
    """Status of every provider from ``(provider ids, offer status)`` pairs: the most
    pressing status of its offers (:data:`STATUS_ORDER`) and how many offers have each.

    Examples
    --------
    >>> statuses = provider_statuses([([1, 2], "reaches"), ([2], "flagged")])
    >>> statuses[1].status, statuses[2].status, statuses[2].offers
    ('reaches', 'flagged', {'reaches': 1, 'flagged': 1})
    """
    counts: dict[int, dict[str, int]] = {}
    for providers, status in offers:
        if status not in STATUS_ORDER:
            raise ValueError(f"unknown offer status {status!r}")
        for provider in set(providers):
            per_status = counts.setdefault(provider, {})
            per_status[status] = per_status.get(status, 0) + 1
    return {
        provider: ProviderStatus(next(s for s in STATUS_ORDER if s in per_status), per_status)
        for provider, per_status in counts.items()
    }


def status_totals(statuses: Iterable[ProviderStatus]) -> dict[str, int]:
    """How many providers have each status (every status present, zero if none).

    Examples
    --------
    >>> status_totals([ProviderStatus("flagged"), ProviderStatus("reaches"),
    ...                ProviderStatus("flagged")])
    {'flagged': 2, 'reaches': 1, 'no_counts': 0}
    """
    totals = dict.fromkeys(STATUS_ORDER, 0)
    for item in statuses:
        totals[item.status] += 1
    return totals
