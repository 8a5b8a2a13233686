"""Individuals' names only for the roles that need them (DSGVO).

Coordinators and admins see every name. Leadership and staff see an engaged individual as
"Einzelperson 17" unless a coordinator marked the person as public (``name_public``, e.g. a
named Integrationsbeauftragte who consented). The numbers follow the ids of the individuals in
the graph at hand, so they are stable within one export or page and between the map and its
tables of the same scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...auth.models import Role
from ...extensions import db
from ...register.models import Stakeholder, StakeholderKind
from ..analysis.compact import CompactGraph
from ..analysis.metrics import NetworkMetrics

NAME_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
INDIVIDUAL = StakeholderKind.INDIVIDUAL.value


def sees_names() -> bool:
    return current_user.is_authenticated and current_user.role in NAME_ROLES


def pseudonyms(kinds: Iterable[tuple[int, str]]) -> dict[int, str]:
    """``{id: "Einzelperson N"}`` for the hidden individuals among ``(id, kind)`` pairs."""
    individuals = sorted(node for node, kind in kinds if kind == INDIVIDUAL)
    if not individuals:
        return {}
    # The few public names, not the many individuals in an IN list (L: 10,000 ids, 0.14 s
    # to send); the text translated once, not per person (0.2 s at L).
    public = set(db.session.scalars(select(Stakeholder.id).where(
        Stakeholder.name_public.is_(True))))
    hidden = [node for node in individuals if node not in public]
    text = pseudonym_template()
    return {node: text % {"number": k} for k, node in enumerate(hidden, 1)}


def pseudonym_template() -> str:
    """The translated text of a pseudonym, to fill in with ``%`` (once per page or file,
    not per person, and outside a request)."""
    return _("Einzelperson %(number)d")


def pseudonymised(graph: CompactGraph) -> CompactGraph:
    """``graph`` with pseudonyms for every individual not marked public (the export job,
    which has no user, makes the file of a viewer class)."""
    names = pseudonyms(zip(graph.ids, graph.kinds, strict=True))
    if not names:
        return graph
    return replace(graph, names=[names.get(node, name)
                                 for node, name in zip(graph.ids, graph.names, strict=True)])


def metrics_for_viewer(metrics: NetworkMetrics) -> NetworkMetrics:
    if sees_names():
        return metrics
    names = pseudonyms(metrics.kinds.items())
    if not names:
        return metrics
    return replace(metrics, names={node: names.get(node, name)
                                   for node, name in metrics.names.items()})


def names_for_viewer(nodes: Iterable[tuple[int, str]]) -> dict[int, str]:
    """The pseudonyms a page must use for ``(id, kind)`` pairs ({} for coordinators)."""
    return {} if sees_names() else pseudonyms(nodes)
