"""The admin page of the audit log: filters, pagination, CSV/XLSX export (admins only)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEntry
from coordinator.audit.operations import record
from coordinator.extensions import db
from coordinator.models import Role


def text_of(response) -> str:
    return response.get_data(as_text=True)


def add(action: str, object_type: str, object_id, at: datetime, user=None, **extra):
    entry = record(action, object_type, object_id, user=user, **extra)
    entry.at = at
    return entry


@pytest.fixture
def trail(app, world):
    """Entries by two accounts over three months, before the admin logs in."""
    admin, coordinator = world["users"][Role.ADMIN], world["users"][Role.COORDINATOR]
    add("update", "stakeholder", world["jobcenter"].id, datetime(2026, 1, 10, 9), coordinator,
        label="Jobcenter", changes={"name": ["Jobcenter", "Jobcenter Nord"]})
    add("delete", "activity", 99, datetime(2026, 2, 10, 9), coordinator, label="Sprachcafé")
    add("role_change", "user", world["users"][Role.STAFF].id, datetime(2026, 3, 10, 9), admin,
        changes={"role": ["staff", "coordinator"]})
    add("consent_revoke", "case", 5, datetime(2026, 3, 11, 9), coordinator,
        case_ref="F-2026-0005")
    db.session.commit()
    return world


@pytest.fixture
def as_admin(client, auth, trail):
    auth.login_as(trail, Role.ADMIN)
    return trail


def test_page_lists_entries_with_old_and_new_values(client, as_admin):
    html = text_of(client.get("/admin/audit/"))
    assert "Änderungsprotokoll" in html
    assert "<code>name</code>: Jobcenter → Jobcenter Nord" in html
    assert "koordination@example.org" in html
    assert "Rolle geändert" in html and "consent_revoke" in html  # unknown actions as stored
    assert html.index("consent_revoke") < html.index("Jobcenter Nord")  # newest first


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("action=role_change", "staff → coordinator", "Jobcenter Nord"),
    ("object_type=activity", "Sprachcafé", "Jobcenter Nord"),
    ("object_type=stakeholder&object_id={jobcenter}", "Jobcenter Nord", "Sprachcafé"),
    ("case_ref=F-2026-0005", "F-2026-0005", "Jobcenter Nord"),
    ("since=2026-02-01&until=2026-02-28", "Sprachcafé", "Jobcenter Nord"),
    ("user={admin}", "staff → coordinator", "Sprachcafé"),
])
def test_filters(client, as_admin, query, present, absent):
    query = query.format(jobcenter=as_admin["jobcenter"].id,
                         admin=as_admin["users"][Role.ADMIN].id)
    response = client.get(f"/admin/audit/?{query}")
    assert response.status_code == 200
    assert present in text_of(response) and absent not in text_of(response)


def test_period_is_in_local_days(client, as_admin):
    # 2026-01-10 23:30 UTC is already 11 January in Berlin
    add("update", "stakeholder", 1, datetime(2026, 1, 10, 23, 30), label="Spät")
    db.session.commit()
    assert "Spät" in text_of(client.get("/admin/audit/?since=2026-01-11&until=2026-01-11"))
    assert "Spät" not in text_of(client.get("/admin/audit/?until=2026-01-10"))


@pytest.mark.parametrize("query", ["since=gestern", "user=abc", "action=<x>",
                                   "since=2026-03-01&until=2026-01-01", "object_id=" + "9" * 70])
def test_bad_filter_is_a_clear_400_and_ignored(client, as_admin, query):
    response = client.get(f"/admin/audit/?{query}")
    assert response.status_code == 400
    assert "Filterangaben waren ungültig" in text_of(response)
    assert "Rolle geändert" in text_of(response)  # the bad value is left out, not the list


def test_pagination_keeps_the_filter(app, client, as_admin):
    app.config["PER_PAGE"] = 2
    for n in range(5):
        add("update", "stakeholder", 1, datetime(2026, 4, 1, 9, n), label=f"Eintrag {n}")
    db.session.commit()
    first = text_of(client.get("/admin/audit/?object_id=1"))
    assert "Seite 1 von 3" in first and "Eintrag 4" in first and "Eintrag 2" not in first
    assert "object_id=1" in first.split("Nächste Seite")[0].rsplit("href=", 1)[1]
    third = text_of(client.get("/admin/audit/?object_id=1&page=3"))
    assert "Eintrag 0" in third and "Eintrag 4" not in third


def test_csv_export_of_the_filtered_entries_is_recorded(client, as_admin):
    response = client.get("/admin/audit/export.csv?object_type=stakeholder")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('aenderungsprotokoll.csv"')
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Zeitpunkt", "Nr.", "Benutzerkonto", "Adresse", "Aktion"]
    assert len(rows) == 2
    assert rows[1][4] == "geändert" and rows[1][9] == "name: Jobcenter → Jobcenter Nord"
    assert rows[1][2] == "koordination@example.org"
    export = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert export.object_type == "audit_log" and export.user_id == as_admin["users"]["admin"].id
    assert export.detail == {"format": "csv", "rows": 1,
                             "filter": {"object_type": "stakeholder"}}


def test_xlsx_export(client, as_admin):
    response = client.get("/admin/audit/export.xlsx?action=role_change")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][4] == "Rolle geändert"
    assert values[1][9] == "role: staff → coordinator"


def test_unknown_export_format_is_404(client, as_admin):
    assert client.get("/admin/audit/export.pdf").status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.STAFF, Role.LEADERSHIP])
def test_only_admins_see_the_log_and_its_menu_entry(client, auth, trail, role):
    auth.login_as(trail, role)
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403
    assert 'href="/admin/audit/"' not in text_of(client.get("/"))


def test_admin_menu_links_the_log(client, as_admin):
    assert 'href="/admin/audit/"' in text_of(client.get("/"))
