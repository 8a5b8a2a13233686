"""The two import formats: their columns, the header names accepted for them, and the small
parsers for cell values (choices given as key or German label, dates, ``|``-separated lists).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..activities.models import ACTIVITY_KIND_LABELS, ActivityKind
from ..register.models import STAKEHOLDER_KIND_LABELS, StakeholderKind

LIST_SEPARATOR = "|"
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
# Two-digit years (TT.MM.JJ, German LibreOffice's default) follow a fixed rule that does not
# depend on today's date, so a file means the same thing next year: 00–69 → 2000–2069,
# 70–99 → 1970–1999 (the POSIX/Python ``%y`` pivot).
TWO_DIGIT_YEAR_PIVOT = 70

STAKEHOLDERS = "stakeholders"
ACTIVITIES = "activities"
IMPORT_KINDS = (STAKEHOLDERS, ACTIVITIES)


@dataclass(frozen=True)
class Column:
    key: str  # the English header, also the name used in code
    german: str  # the German header; both are accepted, in any case
    required: bool
    explanation: str  # lazy German text for the format table on the import page
    example: str
    aliases: tuple[str, ...] = ()
    in_examples: bool = True  # False: written by the full data export only

    def accepts(self) -> set[str]:
        return {normalise(name) for name in (self.key, self.german, *self.aliases)}


STAKEHOLDER_COLUMNS = (
    Column("name", "Name", True, _l("Name der Stelle, Gruppe oder Person (höchstens 200 "
                                    "Zeichen). Groß-/Kleinschreibung zählt beim Abgleich nicht."),
           "Jobcenter"),
    Column("kind", "Art", True, _l("Ressort/Dienststelle, zivilgesellschaftliche Gruppe oder "
                                   "engagierte Einzelperson (auch kurz: Ressort, Gruppe, "
                                   "Einzelperson; oder department, group, individual)."),
           "Ressort/Dienststelle"),
    Column("fields", "Handlungsfelder", False, _l("Handlungsfelder, mehrere durch | getrennt, "
                                                  "z. B. Arbeit|Bildung."),
           "Arbeit|Sprache", aliases=("Handlungsfeld",)),
    Column("parent", "Übergeordnet", False, _l("Name des übergeordneten Ressorts (muss ein "
                                               "Ressort sein, bereits erfasst oder in derselben "
                                               "Datei)."),
           "Dezernat Soziales", aliases=("Uebergeordnet",)),
    Column("description", "Beschreibung", False, _l("Freitext (höchstens 5000 Zeichen)."),
           "Vermittlung in Arbeit und Ausbildung"),
    Column("consent_date", "Einwilligung", False, _l("Nur bei engagierten Einzelpersonen, "
                                                     "dort Pflicht (wie im Formular): Datum "
                                                     "der Einwilligung (TT.MM.JJJJ). Leer "
                                                     "lassen darf man es nur, wenn die Person "
                                                     "schon mit Einwilligung erfasst ist. "
                                                     "Bei anderen Arten leer lassen."),
           "", aliases=("Einwilligung am", "Datum der Einwilligung")),
    Column("affiliation", "Zugehörigkeit", False, _l("Optional, nur bei engagierten "
                                                     "Einzelpersonen: Rolle oder Zugehörigkeit "
                                                     "(höchstens 200 Zeichen)."),
           "", aliases=("Rolle", "Zugehoerigkeit")),
    Column("active", "Aktiv", False, _l("Optional: ja oder nein. Inaktive Akteure zählen "
                                        "nicht im Netzwerk. Fehlt die Spalte, sind neue "
                                        "Akteure aktiv und vorhandene bleiben, wie sie sind."),
           "ja"),
)
YES_WORDS = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
NO_WORDS = {"nein", "n", "no", "false", "falsch", "0"}

ACTIVITY_COLUMNS = (
    Column("date", "Datum", True, _l("Datum im Format TT.MM.JJJJ, TT.MM.JJ oder JJJJ-MM-TT. "
                                      "Zweistellige Jahre: 00–69 bedeutet 2000–2069, "
                                      "70–99 bedeutet 1970–1999."),
           "03.02.2026"),
    Column("title", "Titel", True, _l("Kurzer Titel (höchstens 200 Zeichen)."),
           "Sprachcafé planen"),
    Column("kind", "Art", True, _l("Besprechung, gemeinsames Projekt, Fallkonferenz, "
                                   "Vermittlung/Überweisung, Veranstaltung oder Arbeitskreis."),
           "Besprechung"),
    Column("fields", "Handlungsfelder", False, _l("Handlungsfelder, mehrere durch | getrennt."),
           "Sprache", aliases=("Handlungsfeld",)),
    Column("participants", "Beteiligte", True, _l("Mindestens zwei bereits erfasste Akteure, "
                                                  "durch | getrennt, mit ihrem Namen."),
           "Jugendamt|Interkultureller Verein"),
    Column("description", "Beschreibung", False, _l("Freitext (höchstens 5000 Zeichen)."), ""),
    Column("ref", "Nr.", False, _l("Optional, vom Datenexport geschrieben: Nummer der "
                                   "Aktivität. Zeilen mit verschiedenen Nummern bleiben "
                                   "getrennte Aktivitäten, auch wenn Datum, Titel, Art und "
                                   "Beteiligte gleich sind."),
           "", aliases=("Nr", "Nummer"), in_examples=False),
)

COLUMNS = {STAKEHOLDERS: STAKEHOLDER_COLUMNS, ACTIVITIES: ACTIVITY_COLUMNS}

# Short forms people actually type, beside the keys and the full German labels.
STAKEHOLDER_KIND_SHORT = {
    "Ressort": StakeholderKind.DEPARTMENT,
    "Dienststelle": StakeholderKind.DEPARTMENT,
    "Gruppe": StakeholderKind.GROUP,
    "Einzelperson": StakeholderKind.INDIVIDUAL,
}
ACTIVITY_KIND_SHORT = {
    "Projekt": ActivityKind.PROJECT,
    "Vermittlung": ActivityKind.REFERRAL,
    "Überweisung": ActivityKind.REFERRAL,
}


def normalise(text: str) -> str:
    """How header names, kinds and fields are compared: trimmed, white space folded, no case."""
    return " ".join(text.split()).casefold()


def split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def choice_lookup(members: Iterable[Enum], labels: Mapping, short_forms: Mapping) -> dict:
    """normalised text → enum member, for the key, the German (and English) label and the
    short forms. Labels are lazy strings, so they are rendered in a fixed locale: a file's
    meaning must not depend on the language the importing user chose."""
    lookup = {normalise(text): member for text, member in short_forms.items()}
    for locale in ("en", "de"):  # German last: it wins if a translation collides
        with force_locale(locale):
            lookup.update({normalise(str(label)): member for member, label in labels.items()})
    lookup.update({normalise(member.value): member for member in members})
    return lookup


def stakeholder_kind_lookup() -> dict[str, StakeholderKind]:
    return choice_lookup(StakeholderKind, STAKEHOLDER_KIND_LABELS, STAKEHOLDER_KIND_SHORT)


def activity_kind_lookup() -> dict[str, ActivityKind]:
    return choice_lookup(ActivityKind, ACTIVITY_KIND_LABELS, ACTIVITY_KIND_SHORT)


def full_year(digits: str) -> int:
    """The year of a date cell: four digits as written; two digits by the fixed century rule
    (``TWO_DIGIT_YEAR_PIVOT``).

    Examples
    --------
    >>> full_year("26"), full_year("69"), full_year("70"), full_year("2026")
    (2026, 2069, 1970, 2026)
    """
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900
    return year


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD``, ``DD.MM.YYYY`` or ``DD.MM.YY`` (day and month may have one digit);
    None if neither or not a real, plausible date."""
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := GERMAN_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        value = date(full_year(year), int(month), int(day))
    except ValueError:
        return None
    return value if EARLIEST_YEAR <= value.year <= LATEST_YEAR else None


@dataclass
class Header:
    """Where each known column sits in the file, and what the file calls it."""

    positions: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    width: int = 0
    problems: list[tuple[str | None, str]] = field(default_factory=list)  # (column, message)

    def has(self, key: str) -> bool:
        return key in self.positions


def header_test(kind: str):
    """A test telling the header row of ``kind`` from title rows above it: the row names
    every required column (in German or English)."""
    required = [column.accepts() for column in COLUMNS[kind] if column.required]

    def is_header(cells: list[str]) -> bool:
        names = {normalise(cell) for cell in cells}
        return all(names & accepted for accepted in required)

    return is_header


def resolve_header(cells: list[str], columns: tuple[Column, ...]) -> Header:
    by_name = {name: column for column in columns for name in column.accepts()}
    header = Header(width=len(cells))
    for position, raw in enumerate(cells):
        name = normalise(raw)
        if not name:
            continue  # Excel often adds empty columns at the right; their cells are ignored
        column = by_name.get(name)
        if column is None:
            header.problems.append((raw, _(
                "Unbekannte Spalte „%(name)s“. Erlaubt sind: %(allowed)s.",
                name=clip(raw), allowed=", ".join(f"{c.german} ({c.key})" for c in columns),
            )))
        elif column.key in header.positions:
            header.problems.append((raw, _(
                "Die Spalte „%(name)s“ kommt mehrfach vor.", name=clip(raw)
            )))
        else:
            header.positions[column.key] = position
            header.names[column.key] = raw
    for column in columns:
        header.names.setdefault(column.key, column.german)  # for messages about absent columns
        if column.required and column.key not in header.positions:
            header.problems.append((column.german, _(
                "Die Pflichtspalte „%(german)s“ (oder „%(key)s“) fehlt in der Kopfzeile.",
                german=column.german, key=column.key,
            )))
    return header


def clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The success measurement's kinds (indicators, offers, participation); they need Column above.
from .success_kinds import SUCCESS_COLUMNS  # noqa: E402

COLUMNS.update(SUCCESS_COLUMNS)
IMPORT_KINDS = (*IMPORT_KINDS, *SUCCESS_COLUMNS)

