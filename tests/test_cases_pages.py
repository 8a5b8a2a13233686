"""The case list (filters, pagination, bad input), the coordination-health page and the
dashboard section as users see them."""

from __future__ import annotations

from datetime import date

from case_builders import case_world, make_case, make_referral

from conftest import field
from coordinator.cases.models import CaseStatus
from coordinator.cases.referral_models import DeclineReason, ReferralStatus
from coordinator.extensions import db
from coordinator.models import Role


def test_case_list_filters_and_pages(app, client, auth, world):
    case_world(world)
    for n in range(3, 30):
        make_case(f"K-2025-{n:04d}", world["jobcenter"], opened_on=date(2025, 1, n % 28 + 1),
                  status=CaseStatus.CLOSED if n % 2 else CaseStatus.OPEN,
                  needs=("wohnen",) if n % 3 == 0 else ("arbeit",))
    db.session.commit()
    auth.login_as(world, Role.COORDINATOR)
    first = client.get("/cases/").get_data(as_text=True)
    assert "Seite 1 von 2 (29 Einträge)" in first
    assert "K-2026-0001" in first  # newest first
    second = client.get("/cases/?page=2").get_data(as_text=True)
    assert "K-2025-0004" in second or "K-2025-0003" in second
    closed = client.get("/cases/?status=closed").get_data(as_text=True)
    assert "K-2025-0003" in closed and "K-2025-0004" not in closed
    wohnen = client.get(f"/cases/?need={field('wohnen').id}").get_data(as_text=True)
    assert "K-2025-0003" in wohnen and "K-2025-0004" not in wohnen
    by_department = client.get(f"/cases/?department={world['auslaenderbehoerde'].id}")
    assert "K-2026-0002" in by_department.get_data(as_text=True)
    assert "K-2026-0001" not in by_department.get_data(as_text=True)
    period = client.get("/cases/?opened_from=2026-01-01").get_data(as_text=True)
    assert "K-2025-" not in period and "K-2026-0001" in period


def test_bad_filters_are_a_german_400(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = client.get("/cases/?opened_from=gestern&status=kaputt&need=999")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "gültiges Datum" in body and "Unbekanntes Handlungsfeld" in body


def test_health_page_suppresses_small_cells(client, auth, world):
    case_world(world)
    case = world["foreign_case"]
    for n in range(6):
        referral = make_referral(case, world["jobcenter"], world["auslaenderbehoerde"],
                                 sent_on=date(2026, 3, 1 + n))
        referral.status = ReferralStatus.DECLINED
        referral.decline_reason = DeclineReason.NO_CAPACITY
    db.session.commit()
    auth.login_as(world, Role.LEADERSHIP)
    body = client.get("/cases/coordination?period=all").get_data(as_text=True)
    assert "Kennzahlen der Zusammenarbeit in Fällen" in body
    assert "keine Kapazität" in body and "&lt; 5" in body
    assert '<td class="num">6</td>' in body  # six declines: shown
    dashboard = client.get("/").get_data(as_text=True)
    assert "Zusammenarbeit in Fällen (letzte 12 Monate)" in dashboard
    client.post("/logout")
    auth.login_as(world, Role.STAFF)
    assert "Zusammenarbeit in Fällen (letzte 12" not in client.get("/").get_data(as_text=True)
    assert client.get("/cases/coordination").status_code == 403


def test_english_case_page(client, auth, world):
    case_world(world)
    auth.login_as(world, Role.COORDINATOR)
    client.post("/language", data={"language": "en"})
    body = client.get(f"/cases/{world['own_case'].id}").get_data(as_text=True)
    assert "Parties and basis" in body and "Referrals" in body
