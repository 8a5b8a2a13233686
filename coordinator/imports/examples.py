"""Example files offered for download on the import page: German headers, semicolons and a
BOM, which is what German Excel opens without asking. The activity example refers to the
stakeholders of the stakeholder example, so importing both in order works."""

from __future__ import annotations

import csv
import io

from .columns import ACTIVITIES, COLUMNS, STAKEHOLDERS
from .success_kinds import SUCCESS_EXAMPLE_FILENAMES, SUCCESS_EXAMPLE_ROWS

EXAMPLE_FILENAMES = {
    STAKEHOLDERS: "beispiel-akteure.csv",
    ACTIVITIES: "beispiel-aktivitaeten.csv",
}

EXAMPLE_ROWS = {
    STAKEHOLDERS: [
        ["Dezernat Soziales", "Ressort/Dienststelle", "Soziales", "",
         "Dezernat für Soziales, Jugend und Gesundheit", ""],
        ["Jugendamt", "Ressort/Dienststelle", "Bildung|Soziales", "Dezernat Soziales",
         "Hilfen für Kinder, Jugendliche und Familien", ""],
        ["Sozialamt", "Ressort", "Soziales|Wohnen", "Dezernat Soziales", "", ""],
        ["Jobcenter", "Ressort", "Arbeit", "", "Vermittlung in Arbeit und Ausbildung", ""],
        ["Ausländerbehörde", "Ressort", "Aufenthalt & Recht", "", "", ""],
        ["Interkultureller Verein Sonnenfeld", "zivilgesellschaftliche Gruppe",
         "Sprache|Öffentliches Leben & Kultur", "", "Sprachcafé und Begegnungsabende", ""],
        ["A. Yilmaz", "engagierte Einzelperson", "Bildung", "",
         "Elternlotsin, begleitet Eltern zu Gesprächen in Kita und Schule", "15.01.2026"],
    ],
    ACTIVITIES: [
        ["03.02.2026", "Sprachcafé planen", "Besprechung", "Sprache",
         "Jugendamt|Interkultureller Verein Sonnenfeld", "Termine und Räume für das Frühjahr"],
        ["10.02.2026", "Fallkonferenz Arbeitserlaubnis", "Fallkonferenz",
         "Arbeit|Aufenthalt & Recht", "Jobcenter|Ausländerbehörde", ""],
        ["17.02.2026", "Arbeitskreis Wohnen", "Arbeitskreis", "Wohnen",
         "Sozialamt|Jobcenter|Interkultureller Verein Sonnenfeld", ""],
        ["2026-03-05", "Elternabend mit Sprachmittlung", "Veranstaltung", "Bildung|Sprache",
         "Jugendamt|A. Yilmaz", "Elternabend in der Grundschule Nord"],
    ],
}


EXAMPLE_FILENAMES.update(SUCCESS_EXAMPLE_FILENAMES)
EXAMPLE_ROWS.update(SUCCESS_EXAMPLE_ROWS)


def example_csv(kind: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.german for column in COLUMNS[kind]])
    writer.writerows(EXAMPLE_ROWS[kind])
    return buffer.getvalue().encode("utf-8-sig")
