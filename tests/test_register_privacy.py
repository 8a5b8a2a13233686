"""Anonymising an engaged individual (DSGVO Art. 17) keeps its activities and ties."""

import logging

from sqlalchemy import func, select

from conftest import make_activity
from coordinator.extensions import db
from coordinator.models import Role, Stakeholder, participation


def test_coordinator_anonymises_individual_and_keeps_ties(client, auth, world, caplog):
    caplog.set_level(logging.INFO, logger="coordinator.security")
    person = world["person"]
    person.description = "Sprachpatin, erreichbar über den Verein"
    db.session.commit()
    make_activity([person, world["verein"]], title="Lesepatenschaft")
    auth.login_as(world, Role.COORDINATOR)

    response = client.post(f"/stakeholders/{person.id}/anonymise")
    assert response.status_code == 302
    stored = db.session.get(Stakeholder, person.id)
    assert stored.name == f"Anonymisierte Person #{person.id}"
    assert stored.affiliation == stored.description == ""
    assert stored.consent_date is None
    ties = db.session.scalar(
        select(func.count()).select_from(participation)
        .where(participation.c.stakeholder_id == person.id)
    )
    assert ties == 1
    page = client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert "A. Yilmaz" not in page and "Elternlotsin" not in page
    assert "anonymisiert" in page
    assert "Anonymisieren (Widerruf" not in page  # nothing left to erase
    # The log says who erased which id, never the erased data.
    # (the acting user's id is added to the stderr line by the log handler)
    assert f"event=stakeholder_anonymised stakeholder={person.id}" in caplog.text
    assert "Yilmaz" not in caplog.text


def test_anonymising_twice_is_harmless(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    client.post(f"/stakeholders/{world['person'].id}/anonymise")
    again = client.post(f"/stakeholders/{world['person'].id}/anonymise", follow_redirects=True)
    assert "bereits anonymisiert" in again.get_data(as_text=True)


def test_departments_and_groups_cannot_be_anonymised(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    for key in ("jugendamt", "verein"):
        response = client.post(f"/stakeholders/{world[key].id}/anonymise")
        assert response.status_code == 409
        assert "Nur engagierte Einzelpersonen" in response.get_data(as_text=True)
        assert db.session.get(Stakeholder, world[key].id).name == world[key].name


def test_staff_and_leadership_cannot_anonymise(client, auth, world):
    for role in (Role.STAFF, Role.LEADERSHIP):
        auth.login_as(world, role)
        assert client.post(f"/stakeholders/{world['person'].id}/anonymise").status_code == 403
        client.post("/logout")
    assert db.session.get(Stakeholder, world["person"].id).name == "A. Yilmaz"


def test_unknown_stakeholder_is_404(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    assert client.post("/stakeholders/999999/anonymise").status_code == 404
