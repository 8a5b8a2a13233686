"""The stakeholder list as a table to download (CSV for German Excel, CSV for machines, XLSX),
with the list's current filters and sorting applied to every page, not just the one shown.

People get German column names and labels; the machine variant keys and ISO values, so that
scripts need no knowledge of the German UI.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from ..extensions import db
from ..tabular import Table
from .queries import StakeholderFilter, list_figures, stakeholder_list_query

BATCH = 500
MACHINE_HEADER = ["id", "name", "kind", "parent", "fields", "partners", "last_activity",
                  "active", "description"]


def register_table(criteria: StakeholderFilter, machine: bool = False) -> Table:
    header = MACHINE_HEADER if machine else [
        _("Nr."), _("Name"), _("Art"), _("Übergeordnet"), _("Handlungsfelder"), _("Partner"),
        _("Letzte Aktivität"), _("Status"), _("Beschreibung"),
    ]
    return Table(_("Akteure"), header, _rows(criteria, machine))


def _rows(criteria: StakeholderFilter, machine: bool) -> Iterator[list]:
    query = stakeholder_list_query(criteria).execution_options(yield_per=BATCH)
    batch = []
    for stakeholder in db.session.scalars(query):
        batch.append(stakeholder)
        if len(batch) == BATCH:
            yield from _batch_rows(batch, machine)
            batch = []
    yield from _batch_rows(batch, machine)


def _batch_rows(batch: list, machine: bool) -> Iterator[list]:
    figures = list_figures([s.id for s in batch])
    for s in batch:
        partners, last = figures[s.id]
        if machine:
            yield [s.id, s.name, s.kind.value, s.parent.name if s.parent else "",
                   "|".join(f.key for f in s.fields), partners, last, s.active, s.description]
        else:
            yield [s.id, s.name, str(s.kind_label), s.parent.name if s.parent else "",
                   ", ".join(f.label for f in s.fields), partners, last,
                   _("aktiv") if s.active else _("inaktiv"), s.description]
