"""Offers: reach shares and flags on hand-made counts, the rules, the pages and the imports."""

import io

import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Offer, OfferParticipation, Role
from coordinator.offers.reach import (
    BELOW_CAPACITY,
    MISSES_TARGET,
    ONE_GROUP,
    UNDER_REPRESENTED_GROUP,
    UNKNOWN_MOSTLY,
    assess_reach,
    group_shares,
    sum_counts,
)


def codes(reach):
    return [flag.code for flag in reach.flags]


def test_group_shares_leave_unknown_out():
    shares, known = group_shares({"newcomers": 3, "long_time": 9, "unknown": 8})
    assert known == 12
    assert shares == pytest.approx({"newcomers": 0.25, "long_time": 0.75})
    assert group_shares({"unknown": 4}) == ({}, 0)


def test_newcomer_offer_reaching_mostly_long_time_residents_is_flagged():
    reach = assess_reach({"newcomers": 6, "long_time": 30, "unknown": 4}, "newcomers",
                         {"newcomers": 0.08, "long_time": 0.92}, capacity=40)
    assert reach.total == 40
    assert reach.shares["newcomers"] == pytest.approx(6 / 36)
    assert reach.unknown_share == pytest.approx(0.1)
    assert reach.utilisation == pytest.approx(1.0)
    assert reach.representation["newcomers"] == pytest.approx((6 / 36) / 0.08)
    assert codes(reach) == [MISSES_TARGET]
    assert reach.flags[0].share == pytest.approx(1 / 6)


def test_offer_for_all_with_an_under_represented_group_and_one_sided_reach():
    reach = assess_reach({"newcomers": 1, "long_time": 49}, "all",
                         {"newcomers": 0.1, "long_time": 0.9})
    assert codes(reach) == [ONE_GROUP, UNDER_REPRESENTED_GROUP]
    assert reach.flags[0].group == "long_time"
    assert reach.flags[1].group == "newcomers"
    assert reach.flags[1].share == pytest.approx(0.02)
    assert reach.flags[1].reference == pytest.approx(0.1)


def test_few_participants_are_not_called_one_sided():
    assert codes(assess_reach({"long_time": 3}, "named")) == []
    assert codes(assess_reach({"long_time": 30}, "named")) == [ONE_GROUP]


def test_reaching_only_the_intended_group_is_no_flag():
    assert codes(assess_reach({"newcomers": 24, "unknown": 1}, "newcomers")) == []


def test_far_below_capacity_and_mostly_unknown():
    reach = assess_reach({"newcomers": 2, "long_time": 2, "unknown": 5}, "named", capacity=30)
    assert reach.utilisation == pytest.approx(0.3)
    assert codes(reach) == [UNKNOWN_MOSTLY, BELOW_CAPACITY]
    assert assess_reach({"newcomers": 8, "long_time": 7}, "named", capacity=30).flags == []


def test_sum_counts():
    assert sum_counts([{"newcomers": 2}, {"newcomers": 3, "unknown": 1}]) == {
        "newcomers": 5, "unknown": 1}


def test_offer_pages_flag_with_reason(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    created = client.post("/offers/new", data={
        "title": "Sprachcafé", "provider_ids": [str(world["verein"].id)], "field_id": "0",
        "target_group": "newcomers", "target_name": "", "period_from": "2025",
        "period_until": "", "capacity": "40"})
    assert created.status_code == 302
    offer = db.session.scalars(select(Offer)).one()
    assert client.post(f"/offers/{offer.id}/participation", data={
        "period": "2025", "newcomers": "5", "long_time": "30", "unknown": "5"}
    ).status_code == 302
    bad = client.post(f"/offers/{offer.id}/participation",
                      data={"period": "2025", "newcomers": "-1"})
    assert bad.status_code == 422
    empty = client.post(f"/offers/{offer.id}/participation", data={"period": "2026"})
    assert empty.status_code == 422
    assert client.post("/offers/population", data={
        "period": "2024", "newcomers": "8,5", "long_time": "91,5"}).status_code == 302
    assert client.post("/offers/population", data={
        "period": "2024", "newcomers": "60", "long_time": "60"}).status_code == 422
    named = client.post("/offers/new", data={"title": "Elternkurs", "field_id": "0",
                                             "target_group": "named", "target_name": ""})
    assert named.status_code == 422
    auth.logout()
    auth.login_as(world, Role.STAFF)
    page = client.get("/offers/").get_data(as_text=True)
    assert "Gedacht für Neuzugewanderte, erreicht aber vor allem andere" in page
    assert "Nach Träger" in page and "Interkultureller Verein Sonnenfeld" in page
    detail = client.get(f"/offers/{offer.id}").get_data(as_text=True)
    assert "<svg" in detail and "Werte als Tabelle" in detail and "8,5" not in detail
    assert "Anteil an der Bevölkerung" in detail
    assert client.get("/offers/?field=999999").status_code == 400
    assert client.post(f"/offers/{offer.id}/participation",
                       data={"period": "2025", "newcomers": "1"}).status_code == 403


OFFERS = ("Titel;Träger;Handlungsfeld;Zielgruppe;Beginn;Ende;Kapazität\n"
          "Sprachcafé;Interkultureller Verein Sonnenfeld;Sprache;Neuzugewanderte;2024;;40\n"
          "Elternkurs;Jugendamt|Jobcenter;Bildung;Eltern;2025;2025;24\n")
PARTICIPATION = ("Angebot;Zeitraum;Neuzugewanderte;Alteingesessene;unbekannt\n"
                 "Sprachcafé;2025;6;30;4\nelternkurs;2025-Q1;3;;\n")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_offer_and_participation_imports(runner, world, tmp_path):
    offers = write(tmp_path, "angebote.csv", OFFERS)
    result = runner.invoke(args=["import-csv", "offers", offers])
    assert result.exit_code == 0, result.output
    assert "2 neu, 0 aktualisiert, 0 bereits vorhanden" in result.stdout
    again = runner.invoke(args=["import-csv", "offers", offers])
    assert "0 neu, 0 aktualisiert, 2 bereits vorhanden" in again.stdout
    counts = write(tmp_path, "teilnahme.csv", PARTICIPATION)
    result = runner.invoke(args=["import-csv", "participation", counts])
    assert result.exit_code == 0, result.output
    assert "2 neu" in result.stdout
    db.session.rollback()
    kurs = db.session.scalars(select(Offer).where(Offer.title == "Elternkurs")).one()
    assert kurs.target_group == "named" and kurs.target_name == "Eltern"
    assert {p.name for p in kurs.providers} == {"Jugendamt", "Jobcenter"}
    assert db.session.scalar(select(func.count()).select_from(OfferParticipation)) == 4
    again = runner.invoke(args=["import-csv", "participation", counts])
    assert "0 neu, 0 aktualisiert, 2 bereits vorhanden" in again.stdout


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("offers", "Titel;Zielgruppe;Träger\nA;alle;Niemand\n", "Unbekannter Akteur „Niemand“"),
    ("offers", "Titel;Zielgruppe\nA;alle\na;alle\n", "bereits in Zeile 3"),
    ("offers", "Titel;Zielgruppe\nA;\n", "Pflichtangabe fehlt"),
    ("offers", "Titel;Zielgruppe;Handlungsfeld\nA;alle;Raumfahrt\n", "Unbekanntes Handlungsfeld"),
    ("offers", "Titel;Zielgruppe;Beginn;Ende\nA;alle;2026;2025\n", "Ende liegt vor dem Beginn"),
    ("offers", "Titel;Zielgruppe;Beginn\nA;alle;Frühjahr\n", "Ungültiger Zeitraum"),
    ("offers", "Titel;Zielgruppe;Kapazität\nA;alle;zehn\n", "keine Platzzahl"),
    ("participation", "Angebot;Zeitraum;Neuzugewanderte\nUnbekannt;2025;3\n",
     "Unbekanntes Angebot"),
    ("participation", "Angebot;Zeitraum;Neuzugewanderte\nSprachcafé;2025;-3\n", "keine Anzahl"),
    ("participation", "Angebot;Zeitraum;Neuzugewanderte\nSprachcafé;2025;\n", "keine Anzahl"),
    ("participation", "Angebot;Zeitraum;Neuzugewanderte\nSprachcafé;2025;1\nSprachcafé;2025;2\n",
     "bereits in Zeile 3"),
])
def test_bad_rows_change_nothing(runner, world, tmp_path, kind, text, message):
    runner.invoke(args=["import-csv", "offers", write(tmp_path, "a.csv", OFFERS)])
    db.session.rollback()
    before = (db.session.scalar(select(func.count()).select_from(Offer)),
              db.session.scalar(select(func.count()).select_from(OfferParticipation)))
    good = {"offers": "B;alle\n", "participation": "Elternkurs;2026;1\n"}[kind]
    head, rest = text.split("\n", 1)
    result = runner.invoke(args=["import-csv", kind,
                                 write(tmp_path, "b.csv", f"{head}\n{good}{rest}")])
    assert result.exit_code == 1
    assert message in result.stderr
    db.session.rollback()
    assert before == (db.session.scalar(select(func.count()).select_from(Offer)),
                      db.session.scalar(select(func.count()).select_from(OfferParticipation)))


def test_web_import_of_offers(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    upload = {"kind": "offers", "file": (io.BytesIO(OFFERS.encode()), "angebote.csv")}
    preview = client.post("/import/preview", data=upload, content_type="multipart/form-data")
    assert preview.status_code == 200
    assert "Angebote" in preview.get_data(as_text=True)
