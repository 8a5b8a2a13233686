"""The stakeholder register: list, detail with partners, create, edit, delete."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from conftest import PASSWORD, field, make_activity, make_stakeholder, make_user
from coordinator.extensions import db
from coordinator.models import JointActivity, Role, Stakeholder, StakeholderKind
from coordinator.register.queries import activity_count_of, partners_of, recent_activities_of

HOSTILE = "<script>alert(1)</script>"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def row_names(response) -> list[str]:
    """Names in the first column of the stakeholder list, in page order."""
    return re.findall(r'<th scope="row"><a href="/stakeholders/\d+">([^<]*)</a>', text_of(response))


def count_stakeholders() -> int:
    return db.session.scalar(select(func.count()).select_from(Stakeholder))


@pytest.fixture
def coordinator(auth, world):
    auth.login_as(world, Role.COORDINATOR)
    return world


def stakeholder_form(**overrides) -> dict:
    data = {
        "name": "Gesundheitsamt",
        "kind": "department",
        "parent_id": "0",
        "description": "",
        "affiliation": "",
        "consent_date": "",
        "active": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_form(stakeholder: Stakeholder, **overrides) -> dict:
    data = stakeholder_form(
        name=stakeholder.name,
        kind=stakeholder.kind.value,
        parent_id=str(stakeholder.parent_id or 0),
        description=stakeholder.description,
        affiliation=stakeholder.affiliation,
        consent_date=stakeholder.consent_date.isoformat() if stakeholder.consent_date else "",
        active="y" if stakeholder.active else None,
        version=str(stakeholder.version),
    )
    data["field_ids"] = [str(f.id) for f in stakeholder.fields]
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- list ------------------------------------------------------------------------------------


def test_list_shows_active_stakeholders_sorted_by_name_with_badges_and_tags(client, coordinator):
    make_stakeholder("Altes Bürgerbüro", active=False)
    response = client.get("/stakeholders/")
    assert response.status_code == 200
    assert row_names(response) == [
        "A. Yilmaz", "Ausländerbehörde", "Interkultureller Verein Sonnenfeld", "Jobcenter",
        "Jugendamt",
    ]
    html = text_of(response)
    assert 'class="badge badge--group"' in html
    assert "zivilgesellschaftliche Gruppe" in html
    assert '<span class="tag">Sprache</span>' in html
    assert '<label for="q">Name enthält</label>' in html


def test_list_status_filter(client, coordinator):
    make_stakeholder("Altes Bürgerbüro", active=False)
    assert row_names(client.get("/stakeholders/?status=inactive")) == ["Altes Bürgerbüro"]
    assert len(row_names(client.get("/stakeholders/?status=all"))) == 6


def test_list_search_is_case_insensitive_substring(client, coordinator):
    assert row_names(client.get("/stakeholders/?q=JUGEND")) == ["Jugendamt"]
    assert row_names(client.get("/stakeholders/?q=ausLÄNDER")) == ["Ausländerbehörde"]
    assert row_names(client.get("/stakeholders/?q=center")) == ["Jobcenter"]


def test_list_search_treats_wildcards_literally(client, coordinator):
    make_stakeholder("100% Engagement", StakeholderKind.GROUP)
    assert row_names(client.get("/stakeholders/?q=%25")) == ["100% Engagement"]
    assert row_names(client.get("/stakeholders/?q=_")) == []


def test_list_filters_by_kind_and_field(client, coordinator):
    assert row_names(client.get("/stakeholders/?kind=group")) == [
        "Interkultureller Verein Sonnenfeld"
    ]
    assert row_names(client.get("/stakeholders/?field=arbeit")) == ["Jobcenter"]
    assert row_names(client.get("/stakeholders/?kind=department&field=sprache")) == []


def test_list_sorts_descending_on_request(client, coordinator):
    names = row_names(client.get("/stakeholders/?sort=-name"))
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert names[0] == "Jugendamt"


def test_list_invalid_filter_gives_400_with_message_and_ignores_it(client, coordinator):
    response = client.get("/stakeholders/?kind=alien&q=amt")
    assert response.status_code == 400
    html = text_of(response)
    assert "Bitte wählen Sie einen der angebotenen Werte." in html
    assert row_names(response) == ["Jugendamt"]


def test_list_paginates(client, coordinator, app):
    for number in range(25):
        make_stakeholder(f"Zentrum {number:02d}", StakeholderKind.GROUP)
    first = client.get("/stakeholders/")
    assert len(row_names(first)) == app.config["PER_PAGE"] == 25
    assert "Seite 1 von 2 (30 Einträge)" in text_of(first)
    second = client.get("/stakeholders/?page=2")
    assert row_names(second) == [f"Zentrum {n:02d}" for n in range(20, 25)]
    past_the_end = client.get("/stakeholders/?page=9")
    assert past_the_end.status_code == 200
    assert row_names(past_the_end) == []


def test_list_keeps_filters_in_pagination_links(client, coordinator):
    for number in range(26):
        make_stakeholder(f"Zentrum {number:02d}", StakeholderKind.GROUP)
    html = text_of(client.get("/stakeholders/?kind=group"))
    assert "kind=group" in re.search(r'<a href="([^"]*)" rel="next"', html).group(1)


# --- detail ----------------------------------------------------------------------------------


def test_detail_shows_details_parent_and_children(client, coordinator):
    dezernat = make_stakeholder("Dezernat III – Soziales")
    amt = make_stakeholder("Sozialamt", parent_id=dezernat.id, fields=("soziales",),
                           description="Erste Zeile\nZweite Zeile")
    html = text_of(client.get(f"/stakeholders/{amt.id}"))
    assert f'<a href="/stakeholders/{dezernat.id}">Dezernat III – Soziales</a>' in html
    assert '<span class="tag">Soziales</span>' in html
    assert "Erste Zeile<br>Zweite Zeile" in html
    assert "Datum der Einwilligung" not in html
    parent_html = text_of(client.get(f"/stakeholders/{dezernat.id}"))
    assert f'<a href="/stakeholders/{amt.id}">Sozialamt</a>' in parent_html


def test_detail_of_individual_shows_affiliation_and_consent(client, coordinator):
    html = text_of(client.get(f"/stakeholders/{coordinator['person'].id}"))
    assert "Elternlotsin" in html
    assert "15.01.2026" in html
    assert "engagierte Einzelperson" in html


def test_detail_unknown_stakeholder_is_404(client, coordinator):
    assert client.get("/stakeholders/999999").status_code == 404


def _partner_network(world):
    """Jugendamt and Verein share two activities (own_activity of 3 Feb, and 1 Apr); Jugendamt
    and Jobcenter one (5 Jan, with the Verein too)."""
    jugendamt, verein, jobcenter = world["jugendamt"], world["verein"], world["jobcenter"]
    make_activity([jugendamt, verein], date(2026, 4, 1), "Sprachcafé eröffnen")
    make_activity([jugendamt, jobcenter, verein], date(2026, 1, 5), "Runder Tisch")
    return jugendamt, verein, jobcenter


def test_partners_of_counts_joint_activities_and_last_contact(app, world):
    jugendamt, _verein, jobcenter = _partner_network(world)
    partners = partners_of(jugendamt.id)
    assert [(p.stakeholder.name, p.count, p.last_date) for p in partners] == [
        ("Interkultureller Verein Sonnenfeld", 3, date(2026, 4, 1)),
        ("Jobcenter", 1, date(2026, 1, 5)),
    ]
    # the Jobcenter's partners include the Ausländerbehörde from the world's own activity
    assert {(p.stakeholder.name, p.count) for p in partners_of(jobcenter.id)} == {
        ("Ausländerbehörde", 1), ("Jugendamt", 1), ("Interkultureller Verein Sonnenfeld", 1),
    }
    assert partners_of(world["person"].id).items == []


def test_partners_are_paginated(app, world):
    jugendamt, _verein, _jobcenter = _partner_network(world)
    first = partners_of(jugendamt.id, page=1, per_page=1)
    second = partners_of(jugendamt.id, page=2, per_page=1)
    assert (first.total, first.pages) == (2, 2)
    assert [p.stakeholder.name for p in first.items + second.items] == [
        "Interkultureller Verein Sonnenfeld", "Jobcenter"]


def test_partners_are_read_from_the_tie_store(app, world):
    jugendamt, _verein, _jobcenter = _partner_network(world)
    jugendamt_id = jugendamt.id
    db.session.expire_all()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        partners = partners_of(jugendamt_id)
        names = [p.stakeholder.name for p in partners]  # loaded by the page's query
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert names == ["Interkultureller Verein Sonnenfeld", "Jobcenter"]
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # whether any activity is planned (one row by the date index), then one page that
    # counts all partners itself (count(*) OVER ()), not a second pass for the total
    planned_check, *pages = selects
    assert "joint_activity.date >" in planned_check and "participation" not in planned_check
    assert len(pages) == 1 and "OVER ()" in pages[0]
    assert all("network_tie" in s and "participation" not in s for s in pages)
    assert partners.total == 2 and partners.pages == 1


def test_partner_page_past_the_end_shows_the_last_page(app, world):
    jugendamt, _verein, _jobcenter = _partner_network(world)
    partners = partners_of(jugendamt.id, page=7, per_page=1)
    assert (partners.page, partners.pages, partners.total) == (2, 2, 2)
    assert [p.stakeholder.name for p in partners] == ["Jobcenter"]


def test_detail_shows_partners_and_recent_activities(client, coordinator):
    jugendamt, verein, _jobcenter = _partner_network(coordinator)
    html = text_of(client.get(f"/stakeholders/{jugendamt.id}"))
    partner_rows = re.findall(
        r'<th scope="row"><a href="/stakeholders/(\d+)">[^<]*</a></th>\s*<td>.*?</td>\s*'
        r'<td class="num">(\d+)</td>\s*<td>([^<]*)</td>', html, re.S)
    assert partner_rows[0] == (str(verein.id), "3", "01.04.2026")
    assert partner_rows[1][1:] == ("1", "05.01.2026")
    assert "Angezeigt werden die neuesten" not in html  # all three fit
    assert html.index("Sprachcafé eröffnen") < html.index("Runder Tisch")
    assert f"/activities/?participant={jugendamt.id}" in html


def test_detail_lists_only_the_latest_activities(client, coordinator):
    jugendamt, jobcenter = coordinator["jugendamt"], coordinator["jobcenter"]
    for day in range(1, 13):
        make_activity([jugendamt, jobcenter], date(2026, 5, day), f"Treffen {day:02d}")
    html = text_of(client.get(f"/stakeholders/{jugendamt.id}"))
    assert "Angezeigt werden die neuesten 10 von insgesamt 13 Aktivitäten." in html
    assert "Treffen 12" in html and "Treffen 03" in html
    assert "Treffen 02" not in html and "Sprachcafé planen" not in html


def test_detail_without_partners_says_so(client, coordinator):
    html = text_of(client.get(f"/stakeholders/{coordinator['person'].id}"))
    assert "Noch keine gemeinsamen Aktivitäten mit anderen Akteuren." in html
    assert "Noch keine Aktivitäten erfasst." in html


# --- create ----------------------------------------------------------------------------------


def test_create_stakeholder(client, coordinator):
    dezernat = coordinator["jugendamt"]
    form = stakeholder_form(name="  Gesundheitsamt  ", parent_id=str(dezernat.id),
                            description="Öffentlicher Gesundheitsdienst")
    form["field_ids"] = [str(field("gesundheit").id), str(field("soziales").id)]
    response = client.post("/stakeholders/new", data=form)
    assert response.status_code == 302
    created = db.session.scalars(
        select(Stakeholder).where(Stakeholder.name == "Gesundheitsamt")).one()
    assert response.headers["Location"].endswith(f"/stakeholders/{created.id}")
    assert created.kind is StakeholderKind.DEPARTMENT
    assert created.parent_id == dezernat.id
    assert {f.key for f in created.fields} == {"gesundheit", "soziales"}
    assert created.active is True
    page = client.get(response.headers["Location"])
    assert "Der Akteur „Gesundheitsamt“ wurde angelegt." in text_of(page)


def test_create_form_shows_data_minimisation_note_and_labels(client, coordinator):
    html = text_of(client.get("/stakeholders/new"))
    assert ("Nur Name oder Pseudonym, Rolle/Zugehörigkeit und Datum der Einwilligung – "
            "keine Adresse, kein Geburtsdatum.") in html
    for field_id in ("name", "kind", "parent_id", "description", "affiliation", "consent_date"):
        assert f'<label for="{field_id}">' in html
    assert "<legend>Handlungsfelder" in html
    assert 'type="checkbox"' in html


def test_create_individual_requires_consent_date(client, coordinator):
    response = client.post("/stakeholders/new", data=stakeholder_form(
        name="B. Schulz", kind="individual", affiliation="Sprachmittlerin"))
    assert response.status_code == 422
    assert "Datum der Einwilligung Pflicht" in text_of(response)
    assert count_stakeholders() == 5


def test_create_individual_with_consent(client, coordinator):
    response = client.post("/stakeholders/new", data=stakeholder_form(
        name="B. Schulz", kind="individual", affiliation=" Sprachmittlerin ",
        consent_date="2026-02-01"))
    assert response.status_code == 302
    person = db.session.scalars(select(Stakeholder).where(Stakeholder.name == "B. Schulz")).one()
    assert person.affiliation == "Sprachmittlerin"
    assert person.consent_date == date(2026, 2, 1)


def test_consent_date_in_future_is_rejected(client, coordinator):
    # two days ahead: the server's date and the Berlin date may differ by one around midnight
    future = (date.today() + timedelta(days=2)).isoformat()
    response = client.post("/stakeholders/new", data=stakeholder_form(
        name="B. Schulz", kind="individual", consent_date=future))
    assert response.status_code == 422
    assert "nicht in der Zukunft" in text_of(response)


def test_affiliation_and_consent_are_cleared_for_other_kinds(client, coordinator):
    response = client.post("/stakeholders/new", data=stakeholder_form(
        name="Nachbarschaftshilfe", kind="group", affiliation="Vorsitz",
        consent_date="2026-01-01"))
    assert response.status_code == 302
    group = db.session.scalars(
        select(Stakeholder).where(Stakeholder.name == "Nachbarschaftshilfe")).one()
    assert group.affiliation == ""
    assert group.consent_date is None


@pytest.mark.parametrize("name", ["jugendamt", "  JUGENDAMT ", "JugendAmt"])
def test_duplicate_name_is_rejected_case_insensitively(client, coordinator, name):
    response = client.post("/stakeholders/new", data=stakeholder_form(name=name))
    assert response.status_code == 422
    assert "Es gibt bereits einen Akteur namens" in text_of(response)
    assert count_stakeholders() == 5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Bitte geben Sie einen Namen ein."),
        ({"name": "   "}, "Bitte geben Sie einen Namen ein."),
        ({"name": "x" * 201}, "höchstens 200 Zeichen"),
        ({"kind": "alien"}, "Bitte wählen Sie einen der angebotenen Werte."),
        ({"kind": None}, "Bitte wählen Sie die Art des Akteurs."),
        ({"parent_id": "abc"}, "Bitte wählen Sie einen der angebotenen Werte."),
        ({"parent_id": "999999"}, "Die gewählte übergeordnete Einheit gibt es nicht."),
        ({"description": "x" * 2001}, "höchstens 2000 Zeichen"),
        ({"affiliation": "x" * 201}, "höchstens 200 Zeichen"),
        ({"consent_date": "31.02.2026", "kind": "individual"}, "Fehler:"),
        ({"field_ids": "999999"}, "Unbekanntes Handlungsfeld: 999999"),
        ({"field_ids": "abc"}, "Bitte wählen Sie einen der angebotenen Werte."),
    ],
)
def test_create_validation_errors(client, coordinator, overrides, message):
    response = client.post("/stakeholders/new", data=stakeholder_form(**overrides))
    assert response.status_code == 422
    html = text_of(response)
    assert message in html
    assert "Der Akteur wurde nicht gespeichert." in html
    assert count_stakeholders() == 5


def test_parent_must_be_a_department(client, coordinator):
    response = client.post("/stakeholders/new", data=stakeholder_form(
        parent_id=str(coordinator["verein"].id)))
    assert response.status_code == 422
    assert "nur ein Ressort bzw. eine Dienststelle" in text_of(response)
    assert count_stakeholders() == 5


def test_empty_post_is_rejected_without_error_page(client, coordinator):
    assert client.post("/stakeholders/new", data={}).status_code == 422
    jugendamt = coordinator["jugendamt"]
    response = client.post(f"/stakeholders/{jugendamt.id}/edit", data={})
    assert response.status_code == 422
    assert "Versionsangabe" in text_of(response)
    assert db.session.get(Stakeholder, jugendamt.id).version == jugendamt.version


# --- edit ------------------------------------------------------------------------------------


def test_edit_stakeholder(client, coordinator):
    jobcenter = coordinator["jobcenter"]
    old_version = jobcenter.version
    form = edit_form(jobcenter, name="Jobcenter Stadt", active=None,
                     description="Grundsicherung für Arbeitsuchende")
    form["field_ids"] = [str(field("arbeit").id), str(field("bildung").id)]
    response = client.post(f"/stakeholders/{jobcenter.id}/edit", data=form)
    assert response.status_code == 302
    changed = db.session.get(Stakeholder, jobcenter.id)
    assert changed.name == "Jobcenter Stadt"
    assert changed.active is False
    assert {f.key for f in changed.fields} == {"arbeit", "bildung"}
    assert changed.version == old_version + 1
    assert "wurde gespeichert" in text_of(client.get(response.headers["Location"]))


def test_edit_form_carries_version_and_current_values(client, coordinator):
    person = coordinator["person"]
    html = text_of(client.get(f"/stakeholders/{person.id}/edit"))
    assert f'name="version" type="hidden" value="{person.version}"' in html
    assert 'value="A. Yilmaz"' in html
    assert 'value="2026-01-15"' in html


def test_keeping_own_name_in_other_case_is_allowed(client, coordinator):
    jobcenter = coordinator["jobcenter"]
    response = client.post(f"/stakeholders/{jobcenter.id}/edit",
                           data=edit_form(jobcenter, name="JOBCENTER"))
    assert response.status_code == 302
    assert db.session.get(Stakeholder, jobcenter.id).name == "JOBCENTER"


def test_stale_edit_gives_409_and_changes_nothing(client, coordinator):
    jobcenter = coordinator["jobcenter"]
    stale = edit_form(jobcenter, name="Jobcenter (alt)")
    first = client.post(f"/stakeholders/{jobcenter.id}/edit",
                        data=edit_form(jobcenter, name="Jobcenter (neu)"))
    assert first.status_code == 302
    second = client.post(f"/stakeholders/{jobcenter.id}/edit", data=stale)
    assert second.status_code == 409
    assert "Bearbeitungskonflikt" in text_of(second)
    assert db.session.get(Stakeholder, jobcenter.id).name == "Jobcenter (neu)"


def test_rename_to_existing_name_is_rejected(client, coordinator):
    jobcenter = coordinator["jobcenter"]
    response = client.post(f"/stakeholders/{jobcenter.id}/edit",
                           data=edit_form(jobcenter, name="jugendAMT"))
    assert response.status_code == 422
    assert "Es gibt bereits einen Akteur namens" in text_of(response)
    assert db.session.get(Stakeholder, jobcenter.id).name == "Jobcenter"


def test_parent_cycle_is_rejected(client, coordinator):
    dezernat = make_stakeholder("Dezernat II")
    amt = make_stakeholder("Amt für Integration", parent_id=dezernat.id)
    abteilung = make_stakeholder("Abteilung Beratung", parent_id=amt.id)
    for new_parent in (abteilung, amt, dezernat):
        response = client.post(f"/stakeholders/{dezernat.id}/edit",
                               data=edit_form(dezernat, parent_id=str(new_parent.id)))
        assert response.status_code == 422
        assert "Zirkelbezug" in text_of(response)
    assert db.session.get(Stakeholder, dezernat.id).parent_id is None


def test_parent_choices_exclude_self_and_descendants(client, coordinator):
    dezernat = make_stakeholder("Dezernat II")
    amt = make_stakeholder("Amt für Integration", parent_id=dezernat.id)
    html = text_of(client.get(f"/stakeholders/{dezernat.id}/edit"))
    options = re.search(r'<select[^>]*id="parent_id"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert "Jugendamt" in options
    assert "Amt für Integration" not in options
    assert "Dezernat II" not in options
    assert "Interkultureller Verein" not in options  # groups cannot be parents
    assert str(amt.id) not in re.findall(r'value="(\d+)"', options)


def test_department_with_children_must_stay_department(client, coordinator):
    dezernat = make_stakeholder("Dezernat II")
    make_stakeholder("Amt für Integration", parent_id=dezernat.id)
    response = client.post(f"/stakeholders/{dezernat.id}/edit",
                           data=edit_form(dezernat, kind="group"))
    assert response.status_code == 422
    assert "untergeordnete Einheiten" in text_of(response)
    assert db.session.get(Stakeholder, dezernat.id).kind is StakeholderKind.DEPARTMENT


def test_changing_to_group_clears_individual_data(client, coordinator):
    person = coordinator["person"]
    response = client.post(f"/stakeholders/{person.id}/edit",
                           data=edit_form(person, kind="group", name="Elternnetzwerk"))
    assert response.status_code == 302
    changed = db.session.get(Stakeholder, person.id)
    assert (changed.affiliation, changed.consent_date) == ("", None)


def test_edit_unknown_stakeholder_is_404(client, coordinator):
    assert client.get("/stakeholders/999999/edit").status_code == 404


# --- delete ----------------------------------------------------------------------------------


def test_delete_stakeholder_without_activities(client, coordinator):
    person_id = coordinator["person"].id
    response = client.post(f"/stakeholders/{person_id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/stakeholders/")
    assert db.session.get(Stakeholder, person_id) is None
    assert "Der Akteur „A. Yilmaz“ wurde gelöscht." in text_of(
        client.get(response.headers["Location"]))


def test_delete_sets_childrens_parent_to_null(client, coordinator):
    dezernat = make_stakeholder("Dezernat II", fields=("arbeit",))
    amt = make_stakeholder("Amt für Integration", parent_id=dezernat.id)
    assert client.post(f"/stakeholders/{dezernat.id}/delete").status_code == 302
    assert db.session.get(Stakeholder, amt.id).parent_id is None


def test_delete_refused_when_stakeholder_has_activities(client, coordinator):
    jobcenter = coordinator["jobcenter"]
    response = client.post(f"/stakeholders/{jobcenter.id}/delete")
    assert response.status_code == 409
    html = text_of(response)
    assert "kann nicht gelöscht werden, weil Aktivitäten" in html
    assert "Deaktivieren Sie den Akteur stattdessen" in html
    assert db.session.get(Stakeholder, jobcenter.id) is not None


def test_delete_refused_when_user_accounts_belong_to_it(client, coordinator):
    amt = make_stakeholder("Sozialamt")
    make_user("sozialamt@example.org", Role.STAFF, department=amt)
    response = client.post(f"/stakeholders/{amt.id}/delete")
    assert response.status_code == 409
    assert "Benutzerkonten" in text_of(response)
    assert db.session.get(Stakeholder, amt.id) is not None


def test_delete_unknown_stakeholder_is_404(client, coordinator):
    assert client.post("/stakeholders/999999/delete").status_code == 404


def test_delete_needs_csrf_token(app, app_factory):
    """(``app`` is requested so that the PostgreSQL database is emptied afterwards.)"""
    csrf_app = app_factory(WTF_CSRF_ENABLED=True)
    with csrf_app.app_context():
        person = make_stakeholder("C. Demir", StakeholderKind.INDIVIDUAL,
                                  consent_date=date(2026, 1, 1))
        make_user("koordination@example.org", Role.COORDINATOR)
        person_id = person.id
    client = csrf_app.test_client()
    login_page = text_of(client.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": "koordination@example.org", "password": PASSWORD,
                                "csrf_token": token})
    detail = text_of(client.get(f"/stakeholders/{person_id}"))
    assert re.search(r'action="/stakeholders/\d+/delete"[^>]*>\s*<input type="hidden" '
                     r'name="csrf_token"', detail)
    assert client.post(f"/stakeholders/{person_id}/delete").status_code == 400
    with csrf_app.app_context():
        assert db.session.get(Stakeholder, person_id) is not None


# --- roles and escaping ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADERSHIP])
def test_readers_cannot_change_the_register(client, auth, world, role):
    auth.login_as(world, role)
    jugendamt, person = world["jugendamt"], world["person"]
    assert client.get("/stakeholders/").status_code == 200
    assert client.get(f"/stakeholders/{jugendamt.id}").status_code == 200
    html = text_of(client.get(f"/stakeholders/{jugendamt.id}"))
    assert f"/stakeholders/{jugendamt.id}/edit" not in html
    assert "/stakeholders/new" not in text_of(client.get("/stakeholders/"))
    assert client.post("/stakeholders/new",
                       data=stakeholder_form(name="Neu")).status_code == 403
    assert client.post(f"/stakeholders/{jugendamt.id}/edit",
                       data=edit_form(jugendamt, name="Umbenannt")).status_code == 403
    assert client.post(f"/stakeholders/{person.id}/delete").status_code == 403
    assert count_stakeholders() == 5
    assert db.session.get(Stakeholder, jugendamt.id).name == "Jugendamt"


def test_hostile_name_is_escaped_on_list_and_detail(client, coordinator):
    response = client.post("/stakeholders/new", data=stakeholder_form(
        name=HOSTILE, kind="group", description=HOSTILE))
    assert response.status_code == 302
    created = db.session.scalars(select(Stakeholder).where(Stakeholder.name == HOSTILE)).one()
    for page in (client.get("/stakeholders/"), client.get(f"/stakeholders/{created.id}"),
                 client.get(f"/stakeholders/{created.id}/edit")):
        html = text_of(page)
        assert HOSTILE not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_recent_activities_are_the_same_whichever_plan_finds_them(app, world):
    jugendamt, _verein, _jobcenter = _partner_network(world)
    count = activity_count_of(jugendamt.id)
    by_sort = recent_activities_of(jugendamt.id, limit=2)
    by_date_walk = recent_activities_of(jugendamt.id, limit=2, activity_count=count)
    newest = db.session.scalar(select(func.max(JointActivity.id)))
    assert count ** 2 > 2 * newest  # so the second call walked the date index
    assert count >= 2 and [a.id for a in by_sort] == [a.id for a in by_date_walk]
    assert [a.date for a in by_sort] == sorted((a.date for a in by_sort), reverse=True)
