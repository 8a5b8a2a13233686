"""Checks for the stakeholder format. Rows are checked one by one, then together: a parent may
be a department further down in the same file, and names must not repeat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..register.consent import consent_problem
from ..register.models import STAKEHOLDER_KIND_LABELS, Stakeholder, StakeholderKind, name_key
from .columns import (
    NO_WORDS,
    YES_WORDS,
    Header,
    clip,
    normalise,
    stakeholder_kind_lookup,
)
from .validation import DESCRIPTION_MAX, NAME_MAX, RowChecker, RowError

AFFILIATION_MAX = Stakeholder.__table__.c.affiliation.type.length


@dataclass(slots=True)
class StakeholderRecord:
    line: int
    name: str
    key: str
    kind: StakeholderKind
    field_ids: tuple[int, ...]
    parent_key: str | None
    description: str
    consent_date: date | None
    affiliation: str = ""
    active: bool | None = None  # None: the file has no "active" column


@dataclass(frozen=True, slots=True)
class KnownStakeholder:
    id: int
    kind: StakeholderKind
    parent_id: int | None
    consent_date: date | None


class StakeholderChecker(RowChecker):
    def __init__(self, header: Header):
        super().__init__(header)
        self.kinds = stakeholder_kind_lookup()
        rows = db.session.execute(
            select(Stakeholder.name_key, Stakeholder.id, Stakeholder.kind, Stakeholder.parent_id,
                   Stakeholder.consent_date)
        )
        self.known = {key: KnownStakeholder(*values) for key, *values in rows}
        # Every name of the file (also from rows with errors) → (line, kind or None).
        self.seen: dict[str, tuple[int, StakeholderKind | None]] = {}

    def check(self, line: int, cells: list[str]) -> StakeholderRecord | list[RowError]:
        errors: list[RowError] = []
        cells = self.padded(line, cells, errors)
        name = self.text(line, cells, "name", errors, required=True, limit=NAME_MAX)
        kind = self.choice(line, cells, "kind", self.kinds, STAKEHOLDER_KIND_LABELS, errors)
        key = name_key(name)
        if key:
            self._check_identity(line, key, kind, errors)
        field_ids = self.field_ids(line, cells, errors)
        parent = self.text(line, cells, "parent", errors, required=False, limit=NAME_MAX)
        parent_key = name_key(parent) or None
        if parent_key is not None and parent_key == key:
            errors.append(self.error(line, "parent", _(
                "Ein Akteur kann nicht sich selbst übergeordnet sein."
            )))
        description = self.text(line, cells, "description", errors, required=False,
                                limit=DESCRIPTION_MAX, fold=False)
        consent = self._consent_date(line, cells, key, kind, errors)
        affiliation = self.text(line, cells, "affiliation", errors, required=False,
                                limit=AFFILIATION_MAX)
        if affiliation and kind is not None and kind is not StakeholderKind.INDIVIDUAL:
            errors.append(self.error(line, "affiliation", _(
                "Eine Zugehörigkeit wird nur bei engagierten Einzelpersonen gespeichert; "
                "bitte lassen Sie die Zelle leer."
            )))
        active = self._active(line, cells, errors)
        if errors:
            return errors
        return StakeholderRecord(
            line, name, key, kind, field_ids, parent_key, description, consent, affiliation,
            active,
        )

    def _active(self, line, cells, errors) -> bool | None:
        if not self.header.has("active"):
            return None
        raw = normalise(cells[self.position["active"]])
        if not raw or raw in YES_WORDS:
            return True
        if raw in NO_WORDS:
            return False
        errors.append(self.error(line, "active", _(
            "Unbekannter Wert „%(value)s“. Erlaubt sind „ja“ und „nein“.", value=clip(raw)
        )))
        return None

    def _check_identity(self, line, key, kind, errors) -> None:
        if key in self.seen:
            errors.append(self.error(line, "name", _(
                "Dieser Name kommt in der Datei bereits in Zeile %(line)d vor.",
                line=self.seen[key][0],
            )))
            return
        self.seen[key] = (line, kind)
        known = self.known.get(key)
        if known is not None and kind is not None and known.kind is not kind:
            errors.append(self.error(line, "kind", _(
                "Dieser Akteur ist bereits als „%(kind)s“ erfasst; die Art lässt sich per "
                "Import nicht ändern.", kind=STAKEHOLDER_KIND_LABELS[known.kind],
            )))

    def _consent_date(self, line, cells, key, kind, errors) -> date | None:
        """The consent rule of the register form (:func:`consent_problem`), applied to the
        cell or, when it is empty, to the date already stored for this individual. Other
        kinds must leave the cell empty (data minimisation)."""
        raw = cells[self.position["consent_date"]]
        value = None
        if raw:
            if kind is not None and kind is not StakeholderKind.INDIVIDUAL:
                errors.append(self.error(line, "consent_date", _(
                    "Ein Datum der Einwilligung wird nur bei engagierten Einzelpersonen "
                    "gespeichert; bitte lassen Sie die Zelle leer."
                )))
                return None
            value = self.date_value(line, "consent_date", raw, errors)
            if value is None:
                return None
        known = self.known.get(key)
        effective = value if value is not None else (known.consent_date if known else None)
        if problem := consent_problem(kind, effective):
            errors.append(self.error(line, "consent_date", problem))
        return value

    def check_parents(self, records: list[StakeholderRecord]) -> list[RowError]:
        """Parents exist (in the register or in the file), are departments, and no chain of
        parents comes back to where it started."""
        if not self.header.has("parent"):
            return []
        parent_of = self._known_parents()
        parent_of.update({record.key: record.parent_key for record in records})
        errors = []
        for record in records:
            if record.parent_key is None:
                continue
            if record.parent_key in self.seen:
                kind = self.seen[record.parent_key][1]
            elif record.parent_key in self.known:
                kind = self.known[record.parent_key].kind
            else:
                errors.append(self.error(record.line, "parent", _(
                    "Das übergeordnete Ressort ist weder im Register erfasst noch in dieser "
                    "Datei enthalten."
                )))
                continue
            if kind is not None and kind is not StakeholderKind.DEPARTMENT:
                errors.append(self.error(record.line, "parent", _(
                    "Übergeordnet kann nur ein Ressort bzw. eine Dienststelle sein."
                )))
            elif _leads_back(record.key, parent_of):
                errors.append(self.error(record.line, "parent", _(
                    "Diese Zuordnung ergäbe einen Zirkelbezug: Das übergeordnete Ressort ist "
                    "selbst diesem Akteur untergeordnet."
                )))
        return errors

    def _known_parents(self) -> dict[str, str | None]:
        key_of = {known.id: key for key, known in self.known.items()}
        return {key: key_of.get(known.parent_id) for key, known in self.known.items()}


def _leads_back(start: str, parent_of: dict[str, str | None]) -> bool:
    visited = set()
    current = parent_of.get(start)
    while current is not None and current not in visited:
        if current == start:
            return True
        visited.add(current)
        current = parent_of.get(current)
    return False
