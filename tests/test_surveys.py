"""Survey rounds: suppression, asymmetry and perceived-vs-logged on hand-made data; who may
open, answer and read; a department answers once and only for itself."""

from datetime import date

import pytest
from sqlalchemy import func, select

from conftest import make_activity, make_stakeholder, make_user
from coordinator.extensions import db
from coordinator.models import RelationalRating, Role, SelfAssessmentAnswer, SurveyItem
from coordinator.surveys.calculations import (
    Pair,
    asymmetries,
    compare_perceived_logged,
    pair_levels,
    positions,
    summarise_answers,
    withhold_below,
)
from coordinator.surveys.catalogue import seed_survey_catalogue


def test_summary_suppresses_below_three_answers():
    shown = summarise_answers([4, 5, None, 3, 4])
    assert shown.answers == 4 and shown.not_judged == 1
    assert shown.mean == pytest.approx(4.0)
    assert shown.distribution == {1: 0, 2: 0, 3: 1, 4: 2, 5: 1}
    hidden = summarise_answers([5, 1, None])
    assert hidden.suppressed and hidden.mean is None and hidden.distribution == {}
    assert not summarise_answers([None, None]).suppressed  # nothing to hide


def test_totals_of_too_few_departments_are_withheld():
    summary = summarise_answers([4, 5, 3, 4])
    assert withhold_below(summary, departments=3) is summary
    hidden = withhold_below(summary, departments=2)
    assert hidden.suppressed and hidden.withheld and hidden.mean is None
    assert hidden.answers == 4


def test_asymmetry_each_pair_once_largest_first():
    ratings = {(1, 2): 4, (2, 1): 1, (1, 3): 5, (3, 1): 0, (2, 3): 2, (3, 2): 3, (4, 1): 5}
    found = asymmetries(ratings)
    assert [(a.a, a.b, a.a_says, a.b_says) for a in found] == [(1, 3, 5, 0), (1, 2, 4, 1)]
    assert found[0].difference == 5


def test_pair_levels_average_both_directions():
    assert pair_levels({(1, 2): 4, (2, 1): 1, (1, 3): 2}) == pytest.approx(
        {Pair((1, 2)): 2.5, Pair((1, 3)): 2.0})


def test_perceived_versus_logged():
    ratings = {(1, 2): 4, (2, 1): 3, (1, 3): 1, (3, 1): 0, (2, 3): 2}
    logged = {Pair((1, 3)): 6, Pair((2, 3)): 1, Pair((1, 4)): 5}
    result = compare_perceived_logged(ratings, logged)
    assert [sorted(c.pair) for c in result.perceived_not_logged] == [[1, 2]]
    assert result.perceived_not_logged[0].perceived == pytest.approx(3.5)
    # (1, 3): six activities, rated 0.5; (1, 4): five activities, never rated
    assert [(sorted(c.pair), c.logged) for c in result.logged_not_perceived] == [
        ([1, 3], 6), ([1, 4], 5)]
    assert result.agreeing == 1


def test_positions_flag_isolated_department_that_sees_itself_connected():
    rows = positions([1, 2, 3], {1: 3.0, 3: 4.25}, {(1, 2): 3, (3, 1): 2, (3, 2): 0},
                     {Pair((1, 2)): 4})
    by_id = {row.department: row for row in rows}
    assert (by_id[3].partners_named, by_id[3].logged_partners, by_id[3].isolated) == (1, 0, True)
    assert by_id[3].sees_itself_connected_but_isolated
    assert (by_id[1].named_by, by_id[1].logged_partners) == (1, 1)
    assert not by_id[1].sees_itself_connected_but_isolated


@pytest.fixture
def survey_world(world):
    seed_survey_catalogue()
    sozialamt = make_stakeholder("Sozialamt")
    world["sozialamt"] = sozialamt
    world["jobcenter_staff"] = make_user("jobcenter@example.org", Role.STAFF,
                                         department=world["jobcenter"])
    world["abh_staff"] = make_user("abh@example.org", Role.STAFF,
                                   department=world["auslaenderbehoerde"])
    make_activity([world["jugendamt"], world["jobcenter"]], date(2026, 3, 2), "Runde 1")
    return world


def answer_everything(client, world, value: str, partner_levels: dict) -> int:
    items = db.session.scalars(select(SurveyItem)).all()
    data = {f"item-{item.id}": value for item in items}
    for partner, level in partner_levels.items():
        data[f"level-{world[partner].id}"] = str(level)
        if level >= 1:
            data[f"reliable-{world[partner].id}"] = "3"
    return client.post("/surveys/rounds/1/answer", data=data).status_code


def test_round_from_opening_to_comparison(client, auth, survey_world):
    w = survey_world
    auth.login_as(w, Role.COORDINATOR)
    opened = client.post("/surveys/rounds", data={
        "title": "Selbsteinschätzung 2026", "since": "2026-01-01", "until": "2026-12-31"})
    assert opened.status_code == 302
    second = client.post("/surveys/rounds", data={
        "title": "Noch eine", "since": "2026-01-01", "until": "2026-12-31"})
    assert second.status_code == 422
    assert "bereits eine Runde offen" in second.get_data(as_text=True)
    auth.logout()

    auth.login_as(w, Role.STAFF)  # Jugendamt
    assert "Fragebogen beantworten" in client.get("/surveys/").get_data(as_text=True)
    page = client.get("/surveys/rounds/1/answer").get_data(as_text=True)
    assert "Gemeinsames Verständnis von Integration in der Verwaltung" in page
    assert "kann ich nicht beurteilen" in page and "Jugendamt" in page
    assert answer_everything(client, w, "5", {"jobcenter": 4, "auslaenderbehoerde": 0}) == 302
    assert answer_everything(client, w, "4", {"jobcenter": 4}) == 302  # editable, replaced
    bad = client.post("/surveys/rounds/1/answer",
                      data={f"level-{w['jobcenter'].id}": "9"})
    assert bad.status_code == 422
    own = client.get("/surveys/rounds/1/results").get_data(as_text=True)
    assert "Jugendamt" in own
    assert "weniger als 3 Ressorts" in own  # totals of one department are withheld from staff
    auth.logout()

    auth.login(w["jobcenter_staff"].email)
    assert answer_everything(client, w, "2", {"jugendamt": 1}) == 302
    other = client.get("/surveys/rounds/1/results").get_data(as_text=True)
    assert "Jobcenter" in other and "<th scope=\"row\">Jugendamt</th>" not in other
    assert "weniger als 3 Ressorts" in other
    assert client.get("/surveys/rounds/1/cooperation").status_code == 403
    auth.logout()

    auth.login(w["abh_staff"].email)
    assert answer_everything(client, w, "na", {}) == 302
    auth.logout()
    auth.login(w["jobcenter_staff"].email)
    totals = client.get("/surveys/rounds/1/results").get_data(as_text=True)
    assert "weniger als 3 Ressorts" not in totals  # three departments now: totals are shown
    auth.logout()

    db.session.rollback()
    jugendamt_answers = db.session.scalars(select(SelfAssessmentAnswer.value).where(
        SelfAssessmentAnswer.department_id == w["jugendamt"].id)).all()
    assert set(jugendamt_answers) == {4}
    assert db.session.scalar(select(func.count()).select_from(RelationalRating)) == 2

    auth.login_as(w, Role.LEADERSHIP)
    results = client.get("/surveys/rounds/1/results").get_data(as_text=True)
    assert "3 Ressorts haben geantwortet" in results
    assert "<th scope=\"row\">Jugendamt</th>" in results
    view = client.get("/surveys/rounds/1/cooperation").get_data(as_text=True)
    assert ('<th scope="row">Jugendamt</th><td class="num">4</td><td>Jobcenter</td>'
            '<td class="num">1</td>') in view  # the asymmetric pair, a point for discussion
    assert 'class="tie-perceived"' in view and "Gezeichnete Verbindungen" in view
    assert client.post("/surveys/rounds/1/close").status_code == 403
    auth.logout()

    auth.login_as(w, Role.COORDINATOR)
    assert client.post("/surveys/rounds/1/close").status_code == 302
    auth.logout()
    auth.login_as(w, Role.STAFF)
    closed = client.get("/surveys/rounds/1/answer")
    assert closed.status_code == 409
    assert answer_everything(client, w, "1", {}) == 409


def test_catalogue_is_edited_by_admins(client, auth, survey_world):
    auth.login_as(survey_world, Role.ADMIN)
    item = db.session.scalars(select(SurveyItem)).first()
    response = client.post(f"/surveys/catalogue/items/{item.id}", data={
        f"item{item.id}-heading_id": str(item.heading_id),
        f"item{item.id}-text": "Neue Formulierung", f"item{item.id}-active": ""})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.text == "Neue Formulierung" and not item.active
    assert client.post("/surveys/catalogue/headings", data={"title": "Fairer Zugang"}
                       ).status_code == 302
    assert client.post("/surveys/catalogue/items", data={
        "heading_id": str(item.heading_id), "text": ""}).status_code == 422
    page = client.get("/surveys/catalogue").get_data(as_text=True)
    assert "Fairer Zugang" in page and "Neue Formulierung" in page


def test_tie_drawing_places_departments_and_keeps_only_meaningful_lines():
    from coordinator.surveys.tie_map import lines, place

    on_circle = place([1, 2, 3, 4], {1: (0.0, 0.0)})  # the map has not placed all of them
    assert len({(d.x, d.y) for d in on_circle.values()}) == 4
    dots = place([1, 2, 3], {1: (0.0, 0.0), 2: (4.0, 0.0), 3: (2.0, 2.0)})
    assert (dots[2].x, dots[3].y) == (580.0, 360.0)
    drawn = lines(dots, {Pair((1, 2)): 2.5, Pair((1, 3)): 0.0, Pair((1, 9)): 4.0},
                  {Pair((2, 3)): 4, Pair((1, 3)): 0})
    assert [(line.a.id, line.b.id, line.level, line.logged) for line in drawn] == [
        (1, 2, 2.5, 0), (2, 3, None, 4)]
