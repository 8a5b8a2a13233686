"""Logging, changing and deleting activities: roles, staff record rules, validation, conflicts."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from conftest import PASSWORD, field, make_activity, make_stakeholder
from coordinator.extensions import db
from coordinator.models import ActivityKind, JointActivity, Role, Stakeholder, StakeholderKind

RECENT = date.today() - timedelta(days=7)


def activity_count() -> int:
    return db.session.scalar(select(func.count()).select_from(JointActivity))


def form_data(people, **overrides) -> dict:
    data = {
        "date": RECENT.isoformat(),
        "title": "Abstimmung Sprachkurse",
        "kind": "meeting",
        "participants": [p.id for p in people],
        "fields": [field("sprache").id],
        "description": "Termine für das Frühjahr.",
    }
    data.update(overrides)
    return data


def edit_data(activity, people=None, **overrides) -> dict:
    data = form_data(people or activity.participants, title=activity.title,
                     kind=activity.kind.value, version=activity.version)
    data.update(overrides)
    return data


def error_text(response) -> str:
    return " ".join(re.findall(r'<p class="error"[^>]*>(.*?)</p>', response.get_data(as_text=True),
                               flags=re.S))


# --- create ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_editors_log_any_activity(client, auth, world, role):
    auth.login_as(world, role)
    before = activity_count()
    response = client.post("/activities/new", data=form_data(
        [world["jobcenter"], world["person"], world["jobcenter"]]))
    assert response.status_code == 302
    activity = db.session.scalars(
        select(JointActivity).where(JointActivity.title == "Abstimmung Sprachkurse")
    ).one()
    assert response.headers["Location"] == f"/activities/{activity.id}"
    assert activity_count() == before + 1
    assert activity.date == RECENT
    assert activity.kind is ActivityKind.MEETING
    assert {p.id for p in activity.participants} == {world["jobcenter"].id, world["person"].id}
    assert [f.key for f in activity.fields] == ["sprache"]
    assert activity.description == "Termine für das Frühjahr."
    assert activity.created_by_id == world["users"][role].id
    assert activity.version == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Aktivität „Abstimmung Sprachkurse“ wurde gespeichert." in page
    assert world["users"][role].email in page


def test_staff_form_preselects_own_department(client, auth, world):
    auth.login_as(world, Role.STAFF)
    html = client.get("/activities/new").get_data(as_text=True)
    own = world["jugendamt"].id
    assert re.search(rf'<input checked id="participants-\d+" name="participants" '
                     rf'type="checkbox" value="{own}">', html)
    assert html.count("<input checked") == 1
    chosen = re.search(r"data-picker-chosen>(.*?)</ul>", html, re.S).group(1)
    assert "Jugendamt" in chosen and "badge--department" in chosen


def test_staff_log_activity_of_own_department(client, auth, world):
    auth.login_as(world, Role.STAFF)
    response = client.post("/activities/new",
                           data=form_data([world["jugendamt"], world["jobcenter"]]))
    assert response.status_code == 302
    activity = db.session.get(JointActivity, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert activity.created_by_id == world["users"][Role.STAFF].id
    assert world["jugendamt"] in activity.participants


def test_staff_cannot_log_activity_without_own_department(client, auth, world):
    auth.login_as(world, Role.STAFF)
    before = activity_count()
    response = client.post("/activities/new",
                           data=form_data([world["jobcenter"], world["auslaenderbehoerde"]]))
    assert response.status_code == 400
    assert "Ihr eigenes Ressort (Jugendamt) muss zu den Beteiligten gehören" in error_text(response)
    assert activity_count() == before


def test_leadership_cannot_log(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    before = activity_count()
    response = client.post("/activities/new",
                           data=form_data([world["jugendamt"], world["jobcenter"]]))
    assert response.status_code == 403
    assert client.get("/activities/new").status_code == 403
    assert activity_count() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"participants": "one"}, "mindestens zwei verschiedene Beteiligte"),
        ({"participants": "duplicate"}, "mindestens zwei verschiedene Beteiligte"),
        ({"participants": []}, "mindestens zwei verschiedene Beteiligte"),
        ({"participants": ["999999", "x"]}, "Diese Auswahl ist nicht (mehr) möglich."),
        ({"participants": "inactive"}, "Diese Auswahl ist nicht (mehr) möglich."),
        ({"date": "2026-02-30"}, "Bitte geben Sie ein gültiges Datum im Format JJJJ-MM-TT an."),
        ({"date": "morgen"}, "Bitte geben Sie ein gültiges Datum im Format JJJJ-MM-TT an."),
        ({"date": ""}, "Bitte geben Sie das Datum der Aktivität an."),
        ({"date": (date.today() + timedelta(days=400)).isoformat()},
         "Das Datum darf höchstens ein Jahr in der Zukunft liegen."),
        ({"date": "1999-12-31"}, "Das Datum darf nicht vor dem 1. 1. 2000 liegen."),
        ({"title": "x" * 201}, "Der Titel darf höchstens 200 Zeichen lang sein."),
        ({"title": "   "}, "Bitte geben Sie einen Titel an."),
        ({"kind": ""}, "Bitte wählen Sie die Art der Aktivität."),
        ({"kind": "party"}, "Diese Auswahl ist nicht (mehr) möglich."),
        ({"fields": ["999999"]}, "Diese Auswahl ist nicht (mehr) möglich."),
        ({"description": "x" * 5001}, "Die Beschreibung darf höchstens 5000 Zeichen lang sein."),
        ({"title": "Treffen\nam Abend"}, "Der Text enthält unzulässige Steuerzeichen."),
    ],
)
def test_invalid_input_is_rejected_in_german(client, auth, world, overrides, message):
    special = {
        "one": lambda: [world["jugendamt"].id],
        "duplicate": lambda: [world["jugendamt"].id, world["jugendamt"].id],
        "inactive": lambda: [world["jugendamt"].id, make_stakeholder(
            "Aufgelöster Verein", StakeholderKind.GROUP, active=False).id],
    }
    participants = overrides.get("participants")
    if isinstance(participants, str):
        overrides = {**overrides, "participants": special[participants]()}
    auth.login_as(world, Role.COORDINATOR)
    before = activity_count()
    response = client.post(
        "/activities/new", data=form_data([world["jugendamt"], world["verein"]], **overrides)
    )
    assert response.status_code == 400
    assert message in error_text(response)
    assert "Die Aktivität wurde nicht gespeichert." in response.get_data(as_text=True)
    assert activity_count() == before


@pytest.mark.parametrize("overrides", [{"title": "Treffen\x00"}, {"description": "a\x00b"}])
def test_nul_bytes_are_refused_before_the_form(client, auth, world, overrides):
    """NUL never reaches the database (PostgreSQL refuses it): a German 400 for any form."""
    auth.login_as(world, Role.COORDINATOR)
    before = activity_count()
    response = client.post(
        "/activities/new", data=form_data([world["jugendamt"], world["verein"]], **overrides)
    )
    assert response.status_code == 400
    assert "unzulässige Steuerzeichen" in response.get_data(as_text=True)
    assert activity_count() == before


def test_boundary_dates_are_accepted(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    for day in (date(2000, 1, 1), date.today() + timedelta(days=365)):
        response = client.post("/activities/new", data=form_data(
            [world["jugendamt"], world["verein"]], date=day.isoformat(), title=f"Am {day}"))
        assert response.status_code == 302, error_text(response)


def test_description_keeps_line_breaks(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = client.post("/activities/new", data=form_data(
        [world["jugendamt"], world["verein"]], description="Erstens\r\n\tZweitens"))
    assert response.status_code == 302
    activity = db.session.scalars(
        select(JointActivity).where(JointActivity.title == "Abstimmung Sprachkurse")
    ).one()
    assert activity.description == "Erstens\r\n\tZweitens"


def test_title_of_200_characters_is_accepted(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = client.post("/activities/new", data=form_data(
        [world["jugendamt"], world["verein"]], title="x" * 200))
    assert response.status_code == 302


def test_submitted_form_keeps_the_input(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = client.post("/activities/new", data=form_data(
        [world["jugendamt"]], title="Mein Titel", date="2026-02-30"))
    html = response.get_data(as_text=True)
    assert 'value="Mein Titel"' in html
    assert 'value="2026-02-30"' in html
    assert 'aria-invalid="true"' in html


def test_csrf_token_is_required(app_factory, world):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)[1]
        client.post("/login", data={"email": "koordination@example.org",
                                    "password": PASSWORD,
                                    "csrf_token": token})
        before = activity_count()
        data = form_data([world["jugendamt"], world["verein"]])
        response = client.post("/activities/new", data=data)
        assert response.status_code == 400
        assert activity_count() == before
        page = client.get("/activities/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        response = client.post("/activities/new", data={**data, "csrf_token": token})
        assert response.status_code == 302
        assert activity_count() == before + 1


# --- edit -----------------------------------------------------------------------------------


def test_edit_form_shows_current_values(client, auth, world):
    activity = world["own_activity"]
    auth.login_as(world, Role.STAFF)
    html = client.get(f"/activities/{activity.id}/edit").get_data(as_text=True)
    assert 'value="Sprachcafé planen"' in html
    assert 'value="2026-02-03"' in html
    assert '<option selected value="meeting">' in html
    assert f'name="version" type="hidden" value="{activity.version}"' in html
    assert html.count("<input checked") == 3  # two participants, one field of work


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.STAFF])
def test_edit_own_activity(client, auth, world, role):
    activity = world["own_activity"]
    auth.login_as(world, role)
    response = client.post(f"/activities/{activity.id}/edit", data=edit_data(
        activity, [world["jugendamt"], world["verein"], world["person"]],
        title="Sprachcafé eröffnen", kind="event"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/activities/{activity.id}"
    db.session.refresh(activity)
    assert activity.title == "Sprachcafé eröffnen"
    assert activity.kind is ActivityKind.EVENT
    assert len(activity.participants) == 3
    assert activity.version == 2
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Änderungen an „Sprachcafé eröffnen“ wurden gespeichert." in html


def test_participant_change_alone_moves_the_version(client, auth, world):
    activity = world["own_activity"]
    auth.login_as(world, Role.COORDINATOR)
    response = client.post(f"/activities/{activity.id}/edit", data=edit_data(
        activity, [world["jugendamt"], world["person"]], fields=[field("sprache").id],
        description=""))
    assert response.status_code == 302
    db.session.refresh(activity)
    assert {p.name for p in activity.participants} == {"Jugendamt", "A. Yilmaz"}
    assert activity.version == 2


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_editors_edit_foreign_activity(client, auth, world, role):
    activity = world["foreign_activity"]
    auth.login_as(world, role)
    response = client.post(f"/activities/{activity.id}/edit",
                           data=edit_data(activity, title="Fallkonferenz Ausbildung"))
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.title == "Fallkonferenz Ausbildung"


def test_staff_cannot_touch_foreign_activity(client, auth, world):
    """IDOR: staff know the id of an activity without their department; they may read it
    but every way of changing it answers 403 and changes nothing."""
    activity = world["foreign_activity"]
    auth.login_as(world, Role.STAFF)
    assert client.get(f"/activities/{activity.id}").status_code == 200
    assert client.get(f"/activities/{activity.id}/edit").status_code == 403
    assert client.get(f"/activities/{activity.id}/delete").status_code == 403
    response = client.post(f"/activities/{activity.id}/edit", data=edit_data(
        activity, [world["jugendamt"], world["jobcenter"]], title="Übernommen"))
    assert response.status_code == 403
    response = client.post(f"/activities/{activity.id}/delete",
                           data={"version": activity.version})
    assert response.status_code == 403
    db.session.refresh(activity)
    assert activity.title == "Fallkonferenz Arbeitserlaubnis"
    assert {p.name for p in activity.participants} == {"Jobcenter", "Ausländerbehörde"}
    assert activity.version == 1


def test_staff_cannot_remove_own_department(client, auth, world):
    activity = world["own_activity"]
    auth.login_as(world, Role.STAFF)
    response = client.post(f"/activities/{activity.id}/edit", data=edit_data(
        activity, [world["verein"], world["jobcenter"]]))
    assert response.status_code == 400
    assert "Ihr eigenes Ressort (Jugendamt) muss zu den Beteiligten gehören" in error_text(response)
    db.session.refresh(activity)
    assert {p.name for p in activity.participants} == {
        "Jugendamt", "Interkultureller Verein Sonnenfeld"}


def test_leadership_cannot_edit(client, auth, world):
    activity = world["own_activity"]
    auth.login_as(world, Role.LEADERSHIP)
    response = client.post(f"/activities/{activity.id}/edit",
                           data=edit_data(activity, title="Geändert"))
    assert response.status_code == 403
    db.session.refresh(activity)
    assert activity.title == "Sprachcafé planen"


def test_stale_edit_answers_409(client, auth, world):
    activity = world["own_activity"]
    auth.login_as(world, Role.COORDINATOR)
    stale = edit_data(activity, title="Von Person A")
    newer = edit_data(activity, title="Von Person B")
    assert client.post(f"/activities/{activity.id}/edit", data=newer).status_code == 302
    response = client.post(f"/activities/{activity.id}/edit", data=stale)
    assert response.status_code == 409
    assert "Bearbeitungskonflikt" in response.get_data(as_text=True)
    db.session.refresh(activity)
    assert activity.title == "Von Person B"
    assert activity.version == 2


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_edit_without_usable_version_is_400(client, auth, world, version):
    activity = world["own_activity"]
    auth.login_as(world, Role.COORDINATOR)
    data = edit_data(activity, title="Ohne Version")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = client.post(f"/activities/{activity.id}/edit", data=data)
    assert response.status_code == 400
    db.session.refresh(activity)
    assert activity.title == "Sprachcafé planen"


def test_inactive_participant_stays_on_edit(client, auth, world):
    activity = world["own_activity"]
    world["verein"].active = False
    auth.login_as(world, Role.COORDINATOR)
    html = client.get(f"/activities/{activity.id}/edit").get_data(as_text=True)
    chosen = re.search(r"data-picker-chosen>(.*?)</ul>", html, re.S).group(1)
    assert re.search(r'Interkultureller Verein Sonnenfeld\s+<span class="badge badge--group">',
                     chosen)
    assert '<span class="muted">(inaktiv)</span>' in chosen
    response = client.post(f"/activities/{activity.id}/edit",
                           data=edit_data(activity, title="Weiter mit dem Verein"))
    assert response.status_code == 302
    db.session.refresh(activity)
    assert world["verein"] in activity.participants


def test_inactive_stakeholder_is_not_offered_for_new_activities(client, auth, world):
    world["verein"].active = False
    auth.login_as(world, Role.COORDINATOR)
    html = client.get("/activities/new").get_data(as_text=True)
    assert "Interkultureller Verein Sonnenfeld" not in html
    html = client.get(f"/activities/{world['foreign_activity'].id}/edit").get_data(as_text=True)
    assert "Interkultureller Verein Sonnenfeld" not in html


def test_edit_unknown_activity_is_404(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    assert client.get("/activities/999999/edit").status_code == 404
    assert client.get(f"/activities/{10**20}").status_code == 404
    assert client.get(f"/activities/{10**20}/edit").status_code == 404
    assert client.post("/activities/999999/delete", data={"version": 1}).status_code == 404


# --- delete ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "which"),
    [(Role.ADMIN, "foreign_activity"), (Role.COORDINATOR, "foreign_activity"),
     (Role.STAFF, "own_activity")],
)
def test_delete_after_confirmation(client, auth, world, role, which):
    activity = world[which]
    activity_id, title = activity.id, activity.title
    auth.login_as(world, role)
    page = client.get(f"/activities/{activity_id}/delete")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Möchten Sie die Aktivität „{title}“" in html
    assert db.session.get(JointActivity, activity_id) is not None  # GET changes nothing
    response = client.post(f"/activities/{activity_id}/delete", data={"version": 1})
    assert response.status_code == 302
    assert response.headers["Location"] == "/activities/"
    db.session.expunge_all()
    assert db.session.get(JointActivity, activity_id) is None
    assert f"Die Aktivität „{title}“ wurde gelöscht." in client.get("/activities/").get_data(
        as_text=True)


def test_delete_needs_the_version(client, auth, world):
    activity_id = world["own_activity"].id
    auth.login_as(world, Role.COORDINATOR)
    assert client.post(f"/activities/{activity_id}/delete").status_code == 400
    response = client.post(f"/activities/{activity_id}/delete", data={"version": 7})
    assert response.status_code == 409
    db.session.expunge_all()
    assert db.session.get(JointActivity, activity_id) is not None


def test_stale_delete_answers_409(client, auth, world):
    activity = world["own_activity"]
    auth.login_as(world, Role.COORDINATOR)
    shown_version = activity.version
    assert client.post(f"/activities/{activity.id}/edit",
                       data=edit_data(activity, title="Inzwischen geändert")).status_code == 302
    response = client.post(f"/activities/{activity.id}/delete", data={"version": shown_version})
    assert response.status_code == 409
    db.session.refresh(activity)
    assert activity.title == "Inzwischen geändert"


def test_leadership_cannot_delete(client, auth, world):
    activity_id = world["own_activity"].id
    auth.login_as(world, Role.LEADERSHIP)
    response = client.post(f"/activities/{activity_id}/delete", data={"version": 1})
    assert response.status_code == 403
    db.session.expunge_all()
    assert db.session.get(JointActivity, activity_id) is not None


def test_deleting_keeps_the_stakeholders(client, auth, world):
    activity = make_activity([world["jugendamt"], world["person"]], title="Einmalig")
    activity_id, person_id = activity.id, world["person"].id
    auth.login_as(world, Role.STAFF)
    assert client.post(f"/activities/{activity_id}/delete",
                       data={"version": activity.version}).status_code == 302
    db.session.expunge_all()
    assert db.session.get(JointActivity, activity_id) is None
    assert db.session.get(Stakeholder, person_id) is not None
