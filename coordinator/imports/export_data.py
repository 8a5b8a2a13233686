"""The full data export, in the import format: a ``stakeholders`` and an ``activities`` file
that ``flask import-csv`` (or the import page) reads back into an empty database with the same
network. For moving to another server and for DSGVO Art. 20 requests.

The files carry German headers and labels (what a person opens in Excel); the import accepts
them as they are. Formula-like cells are neutralised by :mod:`coordinator.tabular`, and the
import drops that apostrophe again, so names round-trip unchanged.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..activities.models import ACTIVITY_KIND_LABELS, JointActivity
from ..extensions import db
from ..register.models import STAKEHOLDER_KIND_LABELS, Stakeholder
from ..tabular import Table, csv_bytes, xlsx_bytes
from .columns import ACTIVITIES, COLUMNS, LIST_SEPARATOR, STAKEHOLDERS

DATA_FORMATS = ("csv", "xlsx")
BATCH = 2000


def _header(kind: str) -> list[str]:
    return [column.german for column in COLUMNS[kind]]


def _streamed(model, relations, order):
    """Every row of ``model`` with its ``relations`` loaded, in batches, in ``order``."""
    query = (select(model).options(*(selectinload(r) for r in relations)).order_by(*order)
             .execution_options(yield_per=BATCH))
    return db.session.scalars(query)


def _stakeholder_rows() -> Iterator[list]:
    rows = _streamed(Stakeholder, (Stakeholder.fields, Stakeholder.parent),
                     (Stakeholder.kind, Stakeholder.name_key))
    for s in rows:
        yield [
            s.name,
            str(STAKEHOLDER_KIND_LABELS[s.kind]),
            LIST_SEPARATOR.join(f.label for f in s.fields),
            s.parent.name if s.parent else "",
            s.description,
            s.consent_date,
            s.affiliation,
            "ja" if s.active else "nein",
        ]


def _activity_rows() -> Iterator[list]:
    rows = _streamed(JointActivity, (JointActivity.participants, JointActivity.fields),
                     (JointActivity.date, JointActivity.id))
    for a in rows:
        yield [
            a.date,
            a.title,
            str(ACTIVITY_KIND_LABELS[a.kind]),
            LIST_SEPARATOR.join(f.label for f in a.fields),
            LIST_SEPARATOR.join(sorted(p.name for p in a.participants)),
            a.description,
            a.id,
        ]


def data_tables() -> dict[str, Table]:
    """kind → the table of that import kind, with every record."""
    return {
        STAKEHOLDERS: Table("Akteure", _header(STAKEHOLDERS), _stakeholder_rows()),
        ACTIVITIES: Table("Aktivitäten", _header(ACTIVITIES), _activity_rows()),
    }


def data_files(fmt: str) -> dict[str, bytes]:
    """File name → content: ``stakeholders.csv`` and ``activities.csv`` (German Excel CSV),
    or the same as ``.xlsx``."""
    if fmt not in DATA_FORMATS:
        raise ValueError(f"unknown data format {fmt!r}")
    return {
        f"{kind}.{fmt}": csv_bytes(table) if fmt == "csv" else xlsx_bytes([table])
        for kind, table in data_tables().items()
    }


def write_data_files(directory: Path, fmt: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in data_files(fmt).items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def data_zip(fmt: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in data_files(fmt).items():
            archive.writestr(name, content)
    return buffer.getvalue()
