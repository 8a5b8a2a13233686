"""Example files offered for download on the import page: CSV with German headers,
semicolons and a BOM, which is what German Excel opens without asking; and XLSX templates
whose second sheet explains each column and the values it allows. The activity example refers
to the stakeholders of the stakeholder example, so importing both in order works."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..activities.models import ACTIVITY_KIND_LABELS
from ..extensions import db
from ..register.models import STAKEHOLDER_KIND_LABELS, FieldOfWork
from ..tabular import Table, xlsx_bytes
from .columns import ACTIVITIES, COLUMNS, STAKEHOLDERS, parse_date
from .success_kinds import SUCCESS_EXAMPLE_FILENAMES, SUCCESS_EXAMPLE_ROWS

EXAMPLE_STEMS = {
    STAKEHOLDERS: "beispiel-akteure",
    ACTIVITIES: "beispiel-aktivitaeten",
}
EXAMPLE_FILENAMES = {kind: f"{stem}.csv" for kind, stem in EXAMPLE_STEMS.items()}
TEMPLATE_FILENAMES = {kind: f"{stem}.xlsx" for kind, stem in EXAMPLE_STEMS.items()}
DATE_COLUMNS = {"date", "consent_date"}

EXAMPLE_ROWS = {
    STAKEHOLDERS: [
        ["Dezernat Soziales", "Ressort/Dienststelle", "Soziales", "",
         "Dezernat für Soziales, Jugend und Gesundheit", "", "", "ja"],
        ["Jugendamt", "Ressort/Dienststelle", "Bildung|Soziales", "Dezernat Soziales",
         "Hilfen für Kinder, Jugendliche und Familien", "", "", "ja"],
        ["Sozialamt", "Ressort", "Soziales|Wohnen", "Dezernat Soziales", "", "", "", "ja"],
        ["Jobcenter", "Ressort", "Arbeit", "", "Vermittlung in Arbeit und Ausbildung", "", "",
         "ja"],
        ["Ausländerbehörde", "Ressort", "Aufenthalt & Recht", "", "", "", "", "ja"],
        ["Interkultureller Verein Sonnenfeld", "zivilgesellschaftliche Gruppe",
         "Sprache|Öffentliches Leben & Kultur", "", "Sprachcafé und Begegnungsabende", "", "",
         "ja"],
        ["A. Yilmaz", "engagierte Einzelperson", "Bildung", "",
         "Elternlotsin, begleitet Eltern zu Gesprächen in Kita und Schule", "15.01.2026",
         "Elternlotsin", "ja"],
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
def example_columns(kind: str) -> list:
    return [column for column in COLUMNS[kind] if column.in_examples]


def example_csv(kind: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.german for column in example_columns(kind)])
    writer.writerows(EXAMPLE_ROWS[kind])
    return buffer.getvalue().encode("utf-8-sig")


def _allowed_values(key: str, kind: str) -> str:
    """The values a column allows, listed for the explanation sheet."""
    if key == "kind":
        labels = STAKEHOLDER_KIND_LABELS if kind == STAKEHOLDERS else ACTIVITY_KIND_LABELS
        return " | ".join(f"{label} ({member.value})" for member, label in labels.items())
    if key == "fields":
        fields = db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position))
        return " | ".join(f"{f.label} ({f.key})" for f in fields)
    if key in DATE_COLUMNS:
        return _("TT.MM.JJJJ, TT.MM.JJ (00–69 = 2000–2069, 70–99 = 1970–1999), JJJJ-MM-TT "
                 "oder eine Datumszelle")
    if key in ("participants", "parent"):
        return _("Namen von Akteuren im Register oder in der Akteurs-Datei")
    return _("Freitext")


def _cell(key: str, value: str) -> str | date:
    """Dates as real date cells, as a spreadsheet user would enter them."""
    if key in DATE_COLUMNS and value:
        return parse_date(value) or value
    return value


def example_xlsx(kind: str) -> bytes:
    """The example as a workbook: sheet 1 the data (imported as it is), sheet 2 what each
    column means and which values it allows."""
    columns = example_columns(kind)
    data = Table(
        _("Akteure") if kind == STAKEHOLDERS else _("Aktivitäten"),
        [column.german for column in columns],
        [[_cell(c.key, v) for c, v in zip(columns, row, strict=True)]
         for row in EXAMPLE_ROWS[kind]],
    )
    explanation = Table(
        _("Erläuterungen"),
        [_("Spalte"), _("Englisch"), _("Pflicht"), _("Inhalt"), _("Erlaubte Werte")],
        [[c.german, c.key, _("ja") if c.required else _("nein"), str(c.explanation),
          _allowed_values(c.key, kind)] for c in columns],
    )
    return xlsx_bytes([data, explanation])
