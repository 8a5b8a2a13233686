"""The stable JSON documents of the network figures: ``flask metrics --json`` and the API's
``/metrics`` and ``/trend`` share them, and ``coordinator/schemas/metrics.schema.json``
describes them (a test validates real output against it).

The builders take figures that were already computed (the CLI computes them, the API reads
the stored figures the dashboard reads); nothing here computes a network figure. Bump
:data:`SCHEMA_VERSION` when a key changes meaning or disappears; adding a key is compatible.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime

from ..analysis.metrics import NetworkMetrics
from ..data.figure_store import Freshness
from ..data.revision import current_revision
from ..data.scope import Scope
from .explanations import field_labels, format_introduction_reason

SCHEMA_VERSION = "1.0"


def _iso_utc(moment: datetime) -> str:
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _header(scope: Scope, freshness: Freshness | None) -> dict:
    header = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": _iso_utc(datetime.now(UTC)),
        "scope": scope.describe(),
        "revision": current_revision(),
    }
    if freshness is not None:
        header["figures"] = {
            "computed_at": _iso_utc(freshness.computed_at) if freshness.computed_at else None,
            "updating": freshness.updating,
        }
    return header


def metrics_document(
    scope: Scope, metrics: NetworkMetrics, degree: Mapping[int, int], *,
    label: Callable[[int, str], str] = lambda _node, name: name,
    today: date | None = None, freshness: Freshness | None = None,
) -> dict:
    """Every figure of ``scope`` by name (``label`` may replace names), plus one row per
    stakeholder (id, name, kind, degree, betweenness, community) and the trend with its
    running quarter marked."""
    today = today or date.today()
    names = {x: label(x, name) for x, name in metrics.names.items()}
    data = dataclasses.replace(metrics, names=names).to_dict(names=True)
    labels = field_labels()
    for item, introduction in zip(
        data["recommended_introductions"], metrics.recommended_introductions, strict=True
    ):
        item["reason"] = format_introduction_reason(introduction, names, labels)
    community = {x: i for i, group in enumerate(metrics.communities) for x in group}
    data["stakeholders"] = [
        {"id": x, "name": names[x], "kind": metrics.kinds.get(x, ""),
         "degree": degree.get(x, 0), "betweenness": metrics.betweenness.get(x, 0.0),
         "community": community.get(x)}
        for x in metrics.names
    ]
    mark_complete_quarters(data["trend"], today)
    return {**_header(scope, freshness), **data}


def trend_document(
    scope: Scope, metrics: NetworkMetrics, *, today: date | None = None,
    freshness: Freshness | None = None,
) -> dict:
    """The quarters of the trend alone (the API's ``/trend``)."""
    quarters = metrics.to_dict(names=False)["trend"]
    mark_complete_quarters(quarters, today or date.today())
    return {**_header(scope, freshness), "quarters": quarters}


def mark_complete_quarters(quarters: list[dict], today: date) -> None:
    """A quarter still running today is ``complete: false``: its figures cover only part of
    it, so a drop there is no trend (charts draw it dashed)."""
    for quarter in quarters:
        quarter["complete"] = date.fromisoformat(quarter["end"]) < today
