"""The import kinds of the success measurement (Erfolgskontrolle): indicator values, offers
and participation counts. Their columns and example rows live here; the row checks and writes
live beside their models (``indicators/importing.py``, ``offers/importing.py``) and are
looked up lazily, so that this module only needs :class:`Column`.

``columns.py``, ``operations.py``, ``forms.py`` and ``examples.py`` register these kinds
beside stakeholders and activities; everything else (reading CSV/XLSX, preview, confirmation,
all-or-nothing, the row-by-row report, the CLI) is the same machinery.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .columns import Column

INDICATORS = "indicators"
OFFERS = "offers"
PARTICIPATION = "participation"

SUCCESS_COLUMNS = {
    INDICATORS: (
        Column("indicator", "Indikator", True, _l("Schlüssel (z. B. E8) oder Bezeichnung "
                                                  "eines erfassten Indikators."), "E8"),
        Column("period", "Zeitraum", True, _l("Jahr (2025) oder Quartal (2025-Q3)."), "2025",
               aliases=("Jahr", "Periode")),
        Column("group", "Gruppe", False, _l("gesamt (wenn leer), mit_migrationsgeschichte, "
                                            "ohne_migrationsgeschichte, deutsch oder "
                                            "auslaendisch – Schlüssel oder Bezeichnung."),
               "gesamt"),
        Column("value", "Wert", True, _l("Zahl, Dezimalkomma erlaubt (12,5)."), "7,9"),
        Column("source", "Quelle", False, _l("Woher die Zahl stammt (höchstens 200 Zeichen)."),
               "Bundesagentur für Arbeit"),
    ),
    OFFERS: (
        Column("title", "Titel", True, _l("Titel des Angebots; ein vorhandenes Angebot mit "
                                          "gleichem Titel wird aktualisiert."),
               "Sprachcafé Altenbrück", aliases=("Angebot",)),
        Column("providers", "Träger", False, _l("Anbietende Akteure aus dem Register, mehrere "
                                                "durch | getrennt."),
               "Kreisvolkshochschule", aliases=("Traeger", "Anbieter")),
        Column("field", "Handlungsfeld", False, _l("Ein Handlungsfeld (Schlüssel oder "
                                                   "Bezeichnung)."), "Sprache"),
        Column("target_group", "Zielgruppe", True, _l("alle Bewohner:innen, Neuzugewanderte, "
                                                      "Alteingesessene oder eine benannte "
                                                      "Gruppe wie Eltern, Jugendliche, Ältere."),
               "Neuzugewanderte"),
        Column("period_from", "Beginn", False, _l("Erster Zeitraum: Jahr oder Quartal."),
               "2024", aliases=("von",)),
        Column("period_until", "Ende", False, _l("Letzter Zeitraum: Jahr oder Quartal; leer, "
                                                 "wenn das Angebot weiterläuft."), "",
               aliases=("bis",)),
        Column("capacity", "Kapazität", False, _l("Plätze je Zeitraum (ganze Zahl)."), "40",
               aliases=("Kapazitaet", "Plätze")),
    ),
    PARTICIPATION: (
        Column("offer", "Angebot", True, _l("Titel eines erfassten Angebots."),
               "Sprachcafé Altenbrück"),
        Column("period", "Zeitraum", True, _l("Jahr (2025) oder Quartal (2025-Q3)."), "2025"),
        Column("newcomers", "Neuzugewanderte", False, _l("Anzahl Teilnehmende, die neu "
                                                         "zugewandert sind."), "31"),
        Column("long_time", "Alteingesessene", False, _l("Anzahl Teilnehmende, die schon "
                                                         "lange hier leben."), "6"),
        Column("unknown", "unbekannt", False, _l("Anzahl Teilnehmende ohne Angabe."), "3",
               aliases=("ohne Angabe",)),
    ),
}

SUCCESS_KIND_LABELS = {
    INDICATORS: _l("Indikatorwerte (Erfolgskontrolle)"),
    OFFERS: _l("Angebote"),
    PARTICIPATION: _l("Teilnahme an Angeboten (Anzahlen je Gruppe)"),
}

SUCCESS_EXAMPLE_FILENAMES = {
    INDICATORS: "beispiel-indikatoren.csv",
    OFFERS: "beispiel-angebote.csv",
    PARTICIPATION: "beispiel-teilnahme.csv",
}

SUCCESS_EXAMPLE_ROWS = {
    INDICATORS: [
        ["E8", "2024", "gesamt", "8,4", "Bundesagentur für Arbeit"],
        ["E8", "2025", "gesamt", "7,9", "Bundesagentur für Arbeit"],
        ["D3", "2025", "deutsch", "4,8", "Regionaldatenbank 21111-02-06-4"],
        ["D3", "2025", "auslaendisch", "11,2", "Regionaldatenbank 21111-02-06-4"],
    ],
    OFFERS: [
        ["Sprachcafé Altenbrück", "Kreisvolkshochschule", "Sprache", "Neuzugewanderte",
         "2024", "", "40"],
        ["Elternkurs Starke Eltern", "Jugendamt|Familienzentrum Wiesental", "Bildung",
         "Eltern", "2025", "2025", "24"],
    ],
    PARTICIPATION: [
        ["Sprachcafé Altenbrück", "2025", "31", "6", "3"],
        ["Elternkurs Starke Eltern", "2025", "9", "11", "0"],
    ],
}


def success_importer(kind: str):
    """The import function of a success kind: ``(table, report, user_id) -> None``."""
    if kind == INDICATORS:
        from ..indicators.importing import import_indicator_values

        return import_indicator_values
    from ..offers.importing import import_offers, import_participation

    return {OFFERS: import_offers, PARTICIPATION: import_participation}[kind]
