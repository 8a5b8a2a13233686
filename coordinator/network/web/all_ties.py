"""Every tie of a scope for the downloads ("Verbindungen" as CSV/XLSX), in the tie lists'
order, named as the viewer may see them — without loading the graph.

Why stream the tie store rather than store the complete ranking: the job stores the first
``NETWORK_RANKED_TIES`` ties (what the tie table pages through) so that its write stays the
same size at any network size; storing every tie would make each recomputation write the
whole list again (about 4 million ties, hundreds of MB of JSON at L) for a download that is
rarely asked for. So when the stored ranking is complete (most scopes) the download reads
its pages; when it is cut short, one aggregate over the tie store's indexed rows is ranked
by the database and streamed row by row.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ...extensions import db
from ...register.models import Stakeholder
from ..data.figure_store import figure_key
from ..data.ranked_ties import all_stored_ties, read_ranked_page, stream_all_ties
from ..data.scope import Scope
from .pseudonyms import INDIVIDUAL, names_for_viewer, pseudonym_template, sees_names
from .tables import NodeRow, TieRow, alphabetical


class ViewerNames:
    """The names of the stored view's nodes as the viewer sees them (pseudonyms numbered as
    on the map); a stakeholder that joined after the view was stored gets its own name, or
    the next pseudonym. Needs no request context once made (a streamed download)."""

    def __init__(self, nodes: list[NodeRow]):
        self.names = {row.id: row.name for row in nodes}
        self.sees = sees_names()
        self.hidden = 0 if self.sees else len(
            names_for_viewer((row.id, row.kind) for row in nodes))
        self.template = pseudonym_template()

    def name(self, node: int, name: str, kind: str, public: bool) -> str:
        known = self.names.get(node)
        if known is not None:
            return known
        if kind == INDIVIDUAL and not public and not self.sees:
            self.hidden += 1
            name = self.template % {"number": self.hidden}
        self.names[node] = name
        return name


def all_ties_for_viewer(scope: Scope, nodes: list[NodeRow]) -> Iterator[TieRow]:
    """Every tie of ``scope``, strongest first; ``nodes``: the stored view's rows as the
    viewer sees them. What needs the request (the viewer, the stored pages) is read here;
    the iterator only reads its own database connection."""
    names = ViewerNames(nodes)
    key = figure_key(scope)
    first = read_ranked_page(key, 1)
    if first is None or first.cut_short:
        people, ties = stream_all_ties(scope)

        def named(node: int) -> str:
            person = people[node]
            return names.name(node, person.name, person.kind, person.public)

        return (alphabetical(TieRow(tie.a, named(tie.a), tie.b, named(tie.b), tie.weight,
                                    tie.last)) for tie in ties)
    ties = list(all_stored_ties(key))
    unknown = ({tie.a for tie in ties} | {tie.b for tie in ties}) - names.names.keys()
    if unknown:  # stored after the view was read (a new computation in between)
        s = Stakeholder.__table__
        for node, name, kind, public in db.session.execute(
                select(s.c.id, s.c.name, s.c.kind, s.c.name_public).where(s.c.id.in_(unknown))):
            names.name(node, name, getattr(kind, "value", kind), bool(public))
    return iter([alphabetical(TieRow(tie.a, names.names[tie.a], tie.b, names.names[tie.b],
                                     tie.weight, tie.last))
                 for tie in ties if tie.a in names.names and tie.b in names.names])
