"""The stable JSON documents of the network figures: ``flask metrics --json`` and the API's
``/metrics`` and ``/trend`` share them, and ``coordinator/schemas/metrics.schema.json``
describes them (a test validates real output against it).

The figures come from the service layer that the dashboard reads (stored per data revision);
nothing here computes a network figure itself. Bump :data:`SCHEMA_VERSION` when a key changes
meaning or disappears; adding a key is compatible.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from ...access import name_rule
from ..analysis.metrics import NetworkMetrics
from ..data.scope import Scope
from ..data.stored_figures import current_revision, get_metrics, load_compact_cached
from .explanations import field_labels, format_introduction_reason

SCHEMA_VERSION = "1.0"


def _header(scope: Scope) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace(
            "+00:00", "Z"),
        "scope": scope.describe(),
        "revision": current_revision(),
    }


def metrics_document(
    scope: Scope, *, names_visible: bool = True, today: date | None = None,
    exact: bool = False,
) -> dict:
    """Every figure of ``scope`` by name, plus one row per stakeholder (id, name, kind,
    degree, betweenness, community) and the trend with its incomplete quarter marked."""
    today = today or date.today()
    metrics = stored_metrics(scope, today, exact)
    label = name_rule(names_visible)
    names = {x: label(x, name, metrics.kinds.get(x, "")) for x, name in metrics.names.items()}
    data = dataclasses.replace(metrics, names=names).to_dict(names=True)
    labels = field_labels()
    for item, introduction in zip(
        data["recommended_introductions"], metrics.recommended_introductions, strict=True
    ):
        item["reason"] = format_introduction_reason(introduction, names, labels)
    graph = load_compact_cached(scope)
    degree = dict(zip(graph.ids, graph.degree.tolist(), strict=True))
    community = {x: i for i, group in enumerate(metrics.communities) for x in group}
    data["stakeholders"] = [
        {"id": x, "name": names[x], "kind": metrics.kinds.get(x, ""),
         "degree": degree.get(x, 0), "betweenness": metrics.betweenness.get(x, 0.0),
         "community": community.get(x)}
        for x in metrics.names
    ]
    mark_complete_quarters(data["trend"], today)
    return {**_header(scope), **data}


def trend_document(scope: Scope, *, today: date | None = None) -> dict:
    """The quarters of the trend alone (the API's ``/trend``)."""
    today = today or date.today()
    quarters = stored_metrics(scope, today).to_dict(names=False)["trend"]
    mark_complete_quarters(quarters, today)
    return {**_header(scope), "quarters": quarters}


def stored_metrics(scope: Scope, today: date, exact: bool = False) -> NetworkMetrics:
    """The one place the documents read figures: the stored figures the dashboard reads."""
    return get_metrics(scope, today=today, exact=exact)


def mark_complete_quarters(quarters: list[dict], today: date) -> None:
    """A quarter still running today is ``complete: false``: its figures cover only part of
    it, so a drop there is no trend (charts draw it dashed)."""
    for quarter in quarters:
        quarter["complete"] = date.fromisoformat(quarter["end"]) < today
