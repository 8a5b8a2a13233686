"""The full data export in the import format: ``flask export-data`` and the button for
coordinators write ``stakeholders`` and ``activities`` files that the import reads back into
an empty database with identical network metrics (moving servers, DSGVO Art. 20)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from conftest import make_activity, make_stakeholder
from coordinator.extensions import db
from coordinator.models import JointActivity, Role, Stakeholder, StakeholderKind
from coordinator.network.data.scope import Scope
from coordinator.network.data.stored_figures import compute_for

TODAY = date(2026, 11, 30)


def canonical(value):
    """The figures without what depends on row ids: floats to 9 places (sums in another
    order differ in the last bit), pairs as (smaller, larger) name, and lists of records
    (matrix cells, brokers with equal scores …) in a fixed order. Lists of plain values (a
    quarter's series, names already sorted) keep their order."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        value = {key: canonical(item) for key, item in value.items()}
        if {"a", "b"} <= value.keys() and str(value["a"]) > str(value["b"]):
            value["a"], value["b"] = value["b"], value["a"]
        return value
    if isinstance(value, list | tuple):
        items = [canonical(item) for item in value]
        if any(isinstance(item, dict | list) for item in items):
            items.sort(key=lambda item: json.dumps(item, sort_keys=True, default=str))
        return items
    return value


def comparable_metrics() -> dict:
    """Every figure of the whole network, by stakeholder name (ids differ after a move)."""
    data = compute_for(Scope(), TODAY, exact=True).to_dict(names=True)
    # Louvain (fixed seed) visits nodes in id order, which a new database numbers differently:
    # the communities it finds on the same graph may differ, so they are left out. Every
    # other figure must be the same.
    data.pop("communities")
    data.pop("modularity")
    return canonical(data)


def register_snapshot() -> list[tuple]:
    rows = db.session.scalars(select(Stakeholder).order_by(Stakeholder.name_key))
    return [(s.name, s.kind, sorted(f.key for f in s.fields), s.parent.name if s.parent else None,
             s.description, s.affiliation, s.consent_date, s.active) for s in rows]


def empty_database() -> None:
    """Everything gone but the seeded catalogue of fields of work, as after ``init-db``."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "field_of_work":
            db.session.execute(delete(table))
    db.session.commit()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_imports_into_an_empty_database_with_identical_metrics(
    app, runner, tmp_path, fmt
):
    assert runner.invoke(args=["demo"]).exit_code == 0
    # Hostile and formula-like names must survive the trip through a spreadsheet file.
    odd = make_stakeholder("=Verein; -Gruppe", StakeholderKind.GROUP, fields=("sprache",),
                           description="+49 Nummer\nzweite Zeile")
    jugendamt = db.session.scalars(
        select(Stakeholder).where(Stakeholder.name == "Jugendamt")).one()
    make_activity([odd, jugendamt], date(2026, 5, 4), title="@Treffen", fields=("sprache",))
    # Inactive stakeholders are no nodes of the network: the flag must travel too.
    closed = make_stakeholder("Aufgelöster Verein", StakeholderKind.GROUP, active=False)
    make_activity([closed, jugendamt], date(2025, 5, 4), title="Abschied")
    before_metrics, before_register = comparable_metrics(), register_snapshot()
    activities_before = count(JointActivity)

    result = runner.invoke(args=["export-data", "--format", fmt, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"activities.{fmt}", f"stakeholders.{fmt}"]

    empty_database()
    assert count(Stakeholder) == count(JointActivity) == 0
    for kind in ("stakeholders", "activities"):
        result = runner.invoke(args=["import-csv", kind, str(tmp_path / "out" / f"{kind}.{fmt}")])
        assert result.exit_code == 0, result.output

    assert count(JointActivity) == activities_before
    assert register_snapshot() == before_register
    after_metrics = comparable_metrics()
    for key in before_metrics:
        assert after_metrics[key] == before_metrics[key], key


def test_export_files_are_what_german_excel_opens(app, runner, world, tmp_path):
    result = runner.invoke(args=["export-data", "-o", str(tmp_path)])
    assert result.exit_code == 0
    stakeholders = (tmp_path / "stakeholders.csv").read_bytes()
    assert stakeholders.startswith(b"\xef\xbb\xbf\"Name\";\"Art\";\"Handlungsfelder\"")
    text = stakeholders.decode("utf-8-sig")
    assert '"A. Yilmaz";"engagierte Einzelperson";"";"";"";"15.01.2026";"Elternlotsin";"ja"' in text
    activities = (tmp_path / "activities.csv").read_text(encoding="utf-8-sig")
    assert ('"03.02.2026";"Sprachcafé planen";"Besprechung";"Sprache";'
            '"Interkultureller Verein Sonnenfeld|Jugendamt";""') in activities


def test_coordinators_download_everything_as_a_zip(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/import/export-data.zip?format={fmt}")
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
        assert sorted(names) == [f"activities.{fmt}", f"stakeholders.{fmt}"]
    assert client.get("/import/export-data.zip?format=pdf").status_code == 404
    page = client.get("/import/").get_data(as_text=True)
    assert 'href="/import/export-data.zip?format=csv"' in page
