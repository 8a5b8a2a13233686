"""From rows of text to clean records, or to :class:`RowError` s that say in German which line
and column is wrong and why.

Everything a row is checked against (kinds, fields of work, stakeholder names) is loaded once
into dicts, so checking a row costs a few dict look-ups and no query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..activities.models import ACTIVITY_KIND_LABELS, ActivityKind, JointActivity
from ..extensions import db
from ..names import clean_name, invisible_characters_message
from ..register.models import (
    FieldOfWork,
    Stakeholder,
    name_key,
)
from .columns import (
    LIST_SEPARATOR,
    Header,
    activity_kind_lookup,
    clip,
    normalise,
    parse_date,
    split_list,
)

NAME_MAX = Stakeholder.__table__.c.name.type.length
TITLE_MAX = JointActivity.__table__.c.title.type.length
DESCRIPTION_MAX = 5000  # the same limit as the edit forms
MIN_PARTICIPANTS = 2
REF_MAX = 40
MEMORY_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class RowError:
    line: int | None  # None: about the file as a whole
    column: str | None  # the column's header as written in the file
    message: str


def activity_fingerprint(
    on: date, title: str, kind: ActivityKind, keys: Iterable[str], ref: str = ""
) -> str:
    """What makes two imported activities the same: day, title (case and spacing ignored),
    kind and the set of participants (by ``name_key``); and the number a data export gave
    the activity, if the file has one (two equal meetings on one day stay two)."""
    parts = [on.isoformat(), normalise(title), kind.value, *sorted(set(keys))]
    if ref:
        parts.append(f"ref={ref}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def remember(memory: dict, key, value, limit: int = MEMORY_LIMIT):
    """Store ``value`` under ``key`` unless the memory is full (a file of unique values must
    not grow it without bound); returns ``value``."""
    if len(memory) < limit:
        memory[key] = value
    return value


def load_field_lookup() -> tuple[dict[str, int], list[str]]:
    """normalised key or label → field id; and the labels, for error messages."""
    lookup: dict[str, int] = {}
    labels = []
    rows = db.session.execute(
        select(FieldOfWork.id, FieldOfWork.key, FieldOfWork.label).order_by(FieldOfWork.position)
    )
    for field_id, key, label in rows:
        lookup[normalise(key)] = field_id
        lookup[normalise(label)] = field_id
        labels.append(label)
    return lookup, labels


def separator_hint(item: str) -> str:
    """For an unknown list item that holds ``;`` or ``,``: a German sentence (with a leading
    space) saying that lists are separated by ``|``; else an empty string. Names may contain
    commas ("Müller, Anna"), so this is said only once the item matched nothing."""
    for separator in (";", ","):
        if separator in item:
            parts = [part.strip() for part in item.split(separator) if part.strip()]
            return " " + _(
                "„%(value)s“ enthält „%(separator)s“: Mehrere Werte in einer Zelle trennen Sie "
                "mit einem senkrechten Strich |, also „%(fixed)s“.",
                value=clip(item), separator=separator, fixed=clip(LIST_SEPARATOR.join(parts)),
            )
    return ""


class RowChecker:
    """What both formats share: cell access by column, required values, lengths, fields.

    Cells that repeat (kinds, fields, participant names) are looked up once and remembered:
    a large file names the same few hundred stakeholders again and again.
    """

    def __init__(self, header: Header):
        self.header = header
        self.fields, self.field_labels = load_field_lookup()
        # A column absent from the file reads from one extra, always empty cell at the end.
        self.position = {key: header.positions.get(key, header.width) for key in header.names}
        self.remembered_fields: dict[str, tuple[tuple[int, ...], list[str]]] = {}

    def padded(self, line: int, cells: list[str], errors: list[RowError]) -> list[str]:
        """The row's cells, exactly one per header column plus the empty one (a new list:
        rows of an uploaded table are checked twice, for the preview and on confirmation)."""
        width = self.header.width
        if len(cells) > width:
            if any(cells[width:]):
                errors.append(RowError(line, None, _(
                    "Die Zeile hat mehr Werte als die Kopfzeile Spalten. Enthält ein Wert das "
                    "Trennzeichen? Dann setzen Sie den Wert in Anführungszeichen. Mehrere Werte "
                    "in einer Zelle (Beteiligte, Handlungsfelder) trennen Sie mit |, nicht mit "
                    "„;“ oder „,“."
                )))
            return [*cells[:width], ""]
        return cells + [""] * (width + 1 - len(cells))

    def column(self, key: str) -> str:
        return self.header.names.get(key, key)

    def error(self, line: int, key: str | None, message: str) -> RowError:
        return RowError(line, self.column(key) if key else None, message)

    def text(self, line, cells, key, errors, *, required: bool, limit: int, fold=True) -> str:
        value = cells[self.position[key]]
        if fold:
            if problem := invisible_characters_message(value):
                errors.append(self.error(line, key, problem))
                return ""
            value = clean_name(value)
        if required and not value:
            errors.append(self.error(line, key, _("Pflichtangabe fehlt.")))
        elif len(value) > limit:
            errors.append(self.error(line, key, _(
                "Der Wert ist zu lang (%(length)d Zeichen, höchstens %(limit)d).",
                length=len(value), limit=limit,
            )))
        return value

    def date_value(self, line: int, key: str, raw: str, errors: list[RowError]) -> date | None:
        """A date cell's value; an error naming the accepted formats if it is none."""
        value = parse_date(raw)
        if value is None:
            errors.append(self.error(line, key, _(
                "Ungültiges Datum „%(value)s“. Erwartet wird TT.MM.JJJJ, TT.MM.JJ oder "
                "JJJJ-MM-TT (Jahr 1900 bis 2100).", value=clip(raw),
            )))
        return value

    def field_ids(self, line: int, cells: list[str], errors: list[RowError]) -> tuple[int, ...]:
        raw = cells[self.position["fields"]]
        known = self.remembered_fields.get(raw)
        if known is None:
            ids: dict[int, None] = {}
            unknown = []
            for item in split_list(raw):
                field_id = self.fields.get(normalise(item))
                if field_id is None:
                    unknown.append(item)
                else:
                    ids[field_id] = None
            known = remember(self.remembered_fields, raw, (tuple(ids), unknown))
        for item in known[1]:
            errors.append(self.error(line, "fields", _(
                "Unbekanntes Handlungsfeld „%(value)s“. Bekannt sind: %(known)s.",
                value=clip(item), known=", ".join(self.field_labels),
            ) + separator_hint(item)))
        return known[0]

    def choice(self, line, cells, key, lookup, labels, errors):
        raw = cells[self.position[key]]
        if not raw:
            errors.append(self.error(line, key, _("Pflichtangabe fehlt.")))
            return None
        member = lookup.get(raw) or lookup.get(normalise(raw))
        if member is None:
            errors.append(self.error(line, key, _(
                "Unbekannte Art „%(value)s“. Möglich sind: %(known)s.",
                value=clip(raw), known=", ".join(str(label) for label in labels.values()),
            )))
        return member


# --- activities ----------------------------------------------------------------------------


@dataclass(slots=True)
class ActivityRecord:
    line: int
    date: date
    title: str
    kind: ActivityKind
    description: str
    field_ids: tuple[int, ...]
    participant_ids: tuple[int, ...]
    fingerprint: str


class ActivityChecker(RowChecker):
    def __init__(self, header: Header):
        super().__init__(header)
        self.kinds = activity_kind_lookup()
        self.stakeholder_ids: dict[str, int] = dict(
            db.session.execute(select(Stakeholder.name_key, Stakeholder.id)).all()
        )
        self.keys: dict[str, str] = {}  # name as written → name_key

    def check(self, line: int, cells: list[str]) -> ActivityRecord | list[RowError]:
        errors: list[RowError] = []
        cells = self.padded(line, cells, errors)
        on = self._date(line, cells, errors)
        title = self.text(line, cells, "title", errors, required=True, limit=TITLE_MAX)
        kind = self.choice(line, cells, "kind", self.kinds, ACTIVITY_KIND_LABELS, errors)
        field_ids = self.field_ids(line, cells, errors)
        participants = self._participants(line, cells, errors)
        description = self.text(line, cells, "description", errors, required=False,
                                limit=DESCRIPTION_MAX, fold=False)
        ref = self.text(line, cells, "ref", errors, required=False, limit=REF_MAX)
        if errors:
            return errors
        return ActivityRecord(
            line, on, title, kind, description, field_ids, tuple(participants.values()),
            activity_fingerprint(on, title, kind, participants, ref),
        )

    def _date(self, line, cells, errors) -> date | None:
        raw = cells[self.position["date"]]
        if not raw:
            errors.append(self.error(line, "date", _("Pflichtangabe fehlt.")))
            return None
        return self.date_value(line, "date", raw, errors)

    def _participants(self, line, cells, errors) -> dict[str, int]:
        """name_key → stakeholder id, without repetitions."""
        names = split_list(cells[self.position["participants"]])
        if not names:
            errors.append(self.error(line, "participants", _("Pflichtangabe fehlt.")))
            return {}
        found: dict[str, int] = {}
        unknown = False
        for name in names:
            key = self.keys.get(name) or remember(self.keys, name, name_key(name))
            stakeholder_id = self.stakeholder_ids.get(key)
            if stakeholder_id is None:
                unknown = True
                errors.append(self.error(line, "participants", separator_hint(name).strip() or _(
                    "Unbekannter Akteur „%(name)s“. Bitte legen Sie ihn zuerst im Register an "
                    "oder importieren Sie ihn mit dem Akteurs-Import.", name=clip(name),
                )))
            else:
                found[key] = stakeholder_id
        if not unknown and len(found) < MIN_PARTICIPANTS:
            errors.append(self.error(line, "participants", _(
                "Eine gemeinsame Aktivität braucht mindestens zwei verschiedene Beteiligte."
            )))
        return found
