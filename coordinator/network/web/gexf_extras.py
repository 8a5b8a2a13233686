"""Gathers what the GEXF export carries beyond the graph (see :class:`.exports.GexfExtras`)."""

from __future__ import annotations

from flask_babel import force_locale

from ...register.models import STAKEHOLDER_KIND_LABELS
from ..analysis.compact import CompactGraph
from ..data.positions import positions_for
from ..data.scope import Scope
from ..data.tie_days import load_tie_days
from .explanations import field_labels
from .exports import GexfExtras
from .view_models import whole_network


def gexf_extras(scope: Scope, graph: CompactGraph) -> GexfExtras:
    """The map's positions for every node of ``graph`` (placed and stored if new), German
    labels (the attribute titles are German too, whatever the UI language), the days of
    joint activities per pair."""
    with force_locale("de"):
        kinds = {kind.value: str(label) for kind, label in STAKEHOLDER_KIND_LABELS.items()}
    return GexfExtras(
        positions=positions_for(graph, whole_network),
        kind_labels=kinds,
        field_labels=field_labels(),
        tie_days=load_tie_days(scope),
    )
