"""The personal-data detector (pure) and how case forms use it."""

from __future__ import annotations

import pytest

from coordinator.cases import personal_data as pd

YEAR = 2026


def kinds(text: str) -> list[str]:
    return [f.kind for f in pd.find_personal_data(text, YEAR)]


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("Klient ist am 12.03.1985 eingereist", pd.BIRTH_DATE, "12.03.1985"),
    ("Geburtstag 3.7.79", pd.BIRTH_DATE, "3.7.79"),
    ("Datum 1990-04-17 laut Unterlagen", pd.BIRTH_DATE, "1990-04-17"),
    ("seit dem 4. März 1992 hier", pd.BIRTH_DATE, "4. März 1992"),
    ("erreichbar unter 0171 2345678", pd.PHONE, "0171 2345678"),
    ("Tel. +49 5551 123456 abends", pd.PHONE, "+49 5551 123456"),
    ("Rückruf (05551) 98765", pd.PHONE, "(05551) 98765"),
    ("Mail an familie.k@example.org senden", pd.EMAIL, "familie.k@example.org"),
    ("Überweisung auf DE89 3704 0044 0532 0130 00", pd.IBAN, "DE89 3704 0044 0532 0130 00"),
    ("IBAN DE89370400440532013000", pd.IBAN, "DE89370400440532013000"),
    ("wohnt Hauptstraße 12", pd.STREET_ADDRESS, "Hauptstraße 12"),
    ("neue Wohnung Bahnhofstr. 4a", pd.STREET_ADDRESS, "Bahnhofstr. 4a"),
    ("Umzug in den Lindenweg 7", pd.STREET_ADDRESS, "Lindenweg 7"),
    ("Lange Straße 33, 2. OG", pd.STREET_ADDRESS, "Lange Straße 33"),
    ("Frau K., geb. Müller", pd.IDENTIFYING_WORD, "geb."),
    ("geboren in Aleppo", pd.IDENTIFYING_WORD, "geboren"),
    ("Aktenzeichen liegt beim Jobcenter", pd.IDENTIFYING_WORD, "Aktenzeichen"),
])
def test_each_pattern_is_caught(text, kind, found):
    findings = pd.find_personal_data(text, YEAR)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]


@pytest.mark.parametrize("text", [
    "Sprachkurs B1 beginnt im Frühjahr, Anmeldung über die VHS.",
    "Termin beim Jobcenter am 12.03.2026 vereinbart.",
    "Frist bis 30.06.2025 verlängert.",
    "Gespräch in KW 12, danach Rückmeldung an die Ausländerbehörde.",
    "Kita-Platz für zwei Kinder gesucht, Wohngeldantrag ist gestellt.",
    "Ziel: 3 Bewerbungen pro Monat, Unterstützung durch den Jugendmigrationsdienst.",
    "Auf dem Weg 3 Termine vereinbart; Beratung in Raum 204.",
    "Integrationskurs mit 600 Stunden, Kosten 2.500 Euro übernimmt das BAMF.",
    "Die Familie ist gut angekommen und braucht Hilfe bei Behördengängen.",
])
def test_ordinary_german_sentences_are_allowed(text):
    assert kinds(text) == []


def test_several_findings_in_order_and_an_iban_is_not_also_a_phone_number():
    text = "Ruf 0171 2345678, IBAN DE89 3704 0044 0532 0130 00, geb. 01.01.1980"
    assert kinds(text) == [pd.PHONE, pd.IBAN, pd.IDENTIFYING_WORD, pd.BIRTH_DATE]


def test_two_digit_years_count_back_from_the_current_year():
    assert kinds("am 5.6.99") == [pd.BIRTH_DATE]   # 1999
    assert kinds("am 5.6.26") == []                # 2026: an appointment


def test_message_names_what_was_found(app):
    from coordinator.cases.text_rules import personal_data_message

    message = personal_data_message("geb. 12.03.1985")
    assert "Geburtsdatum" in message and "12.03.1985" in message and "geb." in message
    assert personal_data_message("Sprachkurs beginnt bald") is None
