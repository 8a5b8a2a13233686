"""The leadership report on the demo Landkreis: every section with its reading, the XLSX
export with one sheet per table, a bad year, and the demo's built-in findings."""

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from coordinator.demo.success import BELOW_CAPACITY_OFFER, NEWCOMER_OFFER
from coordinator.extensions import db
from coordinator.models import Role, SurveyRound, User

YEAR = date.today().year


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "schulamt@lindenau.example" in result.output
    return app


def login(client, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302


def test_report_and_export_on_the_demo(client, demo):
    login(client, "leitung@lindenau.example", "Lindenau-Demo-Ueberblick-2026")
    page = client.get(f"/success/report?year={YEAR}").get_data(as_text=True)
    for title in ("Netzwerk", "Fallkoordination", "Indikatoren gegenüber Zielwerten",
                  "Angebote und ihre Reichweite", "Selbsteinschätzung der Verwaltung",
                  "Wahrgenommene und erfasste Zusammenarbeit"):
        assert title in page
    assert page.count('class="reading"') == 6
    assert "Bauamt, Wirtschaftsförderung" in page
    assert "verschlechtert: Hilfen zur Erziehung je 1.000 Minderjährige" in page
    assert NEWCOMER_OFFER in page and BELOW_CAPACITY_OFFER in page
    assert "Gedacht für Neuzugewanderte, erreicht aber vor allem andere" in page
    assert "sieht sich gut vernetzt, ist laut Log isoliert: Bauamt" in page
    assert 'status status--red' in page  # traffic light with its symbol class

    export = client.get(f"/success/report.xlsx?year={YEAR}")
    assert export.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(export.data))
    assert workbook.sheetnames == [
        "Netzwerk", "Fallkoordination", "Indikatoren gegenüber Zielwerte",
        "Angebote und ihre Reichweite", "Selbsteinschätzung der Verwaltu",
        "Wahrgenommene und erfasste Zusa"]
    indicators = list(workbook["Indikatoren gegenüber Zielwerte"].values)
    assert indicators[0][:5] == ("Indikator", "Zeitraum", "Wert", "Zielwert", "Status")
    hze = next(row for row in indicators if row[0].startswith("Hilfen zur Erziehung"))
    assert hze[2] == pytest.approx(25.1) and hze[4] == "Ziel verfehlt"


def test_bad_year_is_a_clear_400(client, demo):
    login(client, "leitung@lindenau.example", "Lindenau-Demo-Ueberblick-2026")
    for bad in ("abc", "20266", "-1"):
        response = client.get(f"/success/report?year={bad}")
        assert response.status_code == 400
        assert "Bitte geben Sie ein Jahr" in response.get_data(as_text=True)
    assert client.get("/success/report.xlsx?year=x").status_code == 400


def test_demo_round_is_closed_and_extra_staff_answer_a_new_round(client, demo):
    survey_round = db.session.scalars(select(SurveyRound)).one()
    assert not survey_round.is_open
    login(client, "koordination@lindenau.example", "Lindenau-Demo-Netzwerkarbeit-2026")
    assert client.post("/surveys/rounds", data={
        "title": "Nachbefragung", "since": f"{YEAR}-01-01", "until": f"{YEAR}-12-31",
    }).status_code == 302
    client.post("/logout")
    staff = db.session.scalars(select(User).where(User.role == Role.STAFF)).all()
    assert len(staff) == 5  # Jugendamt, Jobcenter, Ausländerbehörde, Schulamt, Sozialamt
    login(client, "schulamt@lindenau.example", "Lindenau-Demo-Schulentwicklung-2026")
    new_round = db.session.scalars(select(SurveyRound).where(
        SurveyRound.title == "Nachbefragung")).one()
    page = client.get(f"/surveys/rounds/{new_round.id}/answer").get_data(as_text=True)
    assert "Sie antworten für: Schulamt" in page
