"""The activity log as a table to download, with the list's filters and order applied to
every page. People get German column names, labels and a "geplant" mark for activities still
to come; the machine variant keys, ISO dates and a boolean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select

from ..extensions import db
from ..tabular import Table

BATCH = 1000
MACHINE_HEADER = ["id", "date", "title", "kind", "fields", "participants", "planned",
                  "description"]


def activity_log_table(query: Select, today: date, machine: bool = False) -> Table:
    header = MACHINE_HEADER if machine else [
        _("Nr."), _("Datum"), _("Titel"), _("Art"), _("Handlungsfelder"), _("Beteiligte"),
        _("Status"), _("Beschreibung"),
    ]
    return Table(_("Aktivitäten"), header, _rows(query, today, machine))


def _rows(query: Select, today: date, machine: bool) -> Iterator[list]:
    for a in db.session.scalars(query.execution_options(yield_per=BATCH)):
        planned = a.date > today
        if machine:
            yield [a.id, a.date, a.title, a.kind.value, "|".join(f.key for f in a.fields),
                   "|".join(p.name for p in a.participants), planned, a.description]
        else:
            yield [a.id, a.date, a.title, str(a.kind_label),
                   ", ".join(f.label for f in a.fields),
                   ", ".join(p.name for p in a.participants),
                   _("geplant") if planned else _("stattgefunden"), a.description]
