"""``import-csv offers`` and ``import-csv participation``: all or nothing, importing again
changes nothing. Offers are matched by title (case and spacing ignored); providers must be in
the register; participation rows name an offer that exists (or is in an earlier offers file)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..decimal_input import whole_number
from ..extensions import db
from ..imports.activity_writer import CREATED, UNCHANGED, UPDATED
from ..imports.columns import clip, normalise, split_list
from ..imports.success_kinds import OFFERS, PARTICIPATION
from ..imports.success_rows import checked_records, period_cell, tally
from ..imports.validation import RowChecker, RowError
from ..periods import parse_period
from ..register.models import Stakeholder, name_key
from .models import TARGET_GROUP_LABELS, Offer, OfferParticipation
from .operations import MAX_COUNT
from .reach import KNOWN_GROUPS, NAMED, UNKNOWN

TITLE_MAX = Offer.__table__.c.title.type.length
NAME_MAX = Offer.__table__.c.target_name.type.length
COUNT_COLUMNS = (*KNOWN_GROUPS, UNKNOWN)


def target_lookup() -> dict[str, str]:
    lookup = {normalise(key): key for key in TARGET_GROUP_LABELS if key != NAMED}
    lookup.update({"alle": "all", "neuzugewanderte": "newcomers", "zugewanderte": "newcomers",
                   "alteingesessene": "long_time"})
    for locale in ("en", "de"):
        with force_locale(locale):
            lookup.update({normalise(str(label)): key
                           for key, label in TARGET_GROUP_LABELS.items() if key != NAMED})
    return lookup


# --- offers ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferRecord:
    line: int
    title: str
    provider_ids: tuple[int, ...]
    field_id: int | None
    target_group: str
    target_name: str
    period_from: str | None
    period_until: str | None
    capacity: int | None


class OfferChecker(RowChecker):
    def __init__(self, header):
        super().__init__(header)
        self.stakeholders = dict(db.session.execute(
            select(Stakeholder.name_key, Stakeholder.id)).all())
        self.targets = target_lookup()
        self.seen: dict[str, int] = {}

    def check(self, line: int, cells: list[str]) -> OfferRecord | list[RowError]:
        errors: list[RowError] = []
        cells = self.padded(line, cells, errors)
        title = self.text(line, cells, "title", errors, required=True, limit=TITLE_MAX)
        if title and name_key(title) in self.seen:
            errors.append(self.error(line, "title", _(
                "Dieses Angebot steht bereits in Zeile %(line)d.",
                line=self.seen[name_key(title)])))
        elif title:
            self.seen[name_key(title)] = line
        providers = []
        for name in split_list(cells[self.position["providers"]]):
            stakeholder_id = self.stakeholders.get(name_key(name))
            if stakeholder_id is None:
                errors.append(self.error(line, "providers", _(
                    "Unbekannter Akteur „%(name)s“. Bitte legen Sie ihn zuerst im Register an.",
                    name=clip(name))))
            else:
                providers.append(stakeholder_id)
        field_id = self._field(line, cells, errors)
        raw_target = self.text(line, cells, "target_group", errors, required=True,
                               limit=NAME_MAX)
        target = self.targets.get(normalise(raw_target), NAMED) if raw_target else None
        start = period_cell(self, line, cells, errors, "period_from", required=False)
        end = period_cell(self, line, cells, errors, "period_until", required=False)
        if start and end and parse_period(start).sort_key() > parse_period(end).sort_key():
            errors.append(self.error(line, "period_until", _("Das Ende liegt vor dem Beginn.")))
        capacity = self._capacity(line, cells, errors)
        if errors:
            return errors
        return OfferRecord(line, title, tuple(dict.fromkeys(providers)), field_id, target,
                           raw_target if target == NAMED else "", start, end, capacity)

    def _field(self, line, cells, errors) -> int | None:
        raw = cells[self.position["field"]]
        if not raw:
            return None
        field_id = self.fields.get(normalise(raw))
        if field_id is None:
            errors.append(self.error(line, "field", _(
                "Unbekanntes Handlungsfeld „%(value)s“. Bekannt sind: %(known)s.",
                value=clip(raw), known=", ".join(self.field_labels))))
        return field_id

    def _capacity(self, line, cells, errors) -> int | None:
        raw = cells[self.position["capacity"]]
        if not raw:
            return None
        capacity = whole_number(raw)
        if capacity is None or not 0 < capacity <= MAX_COUNT:
            errors.append(self.error(line, "capacity", _(
                "„%(value)s“ ist keine Platzzahl (ganze Zahl größer als 0).", value=clip(raw))))
            return None
        return capacity


def import_offers(table, report, _user_id: int | None) -> None:
    records = checked_records(table, report, OFFERS, OfferChecker)
    if records is None:
        return
    existing = {o.title_key: o for o in db.session.scalars(
        select(Offer).options(selectinload(Offer.providers)))}
    stakeholders = {s.id: s for s in db.session.scalars(select(Stakeholder).where(
        Stakeholder.id.in_({i for r in records for i in r.provider_ids})))}
    for record in records:
        offer = existing.get(name_key(record.title))
        values = {
            "field_id": record.field_id, "target_group": record.target_group,
            "target_name": record.target_name, "period_from": record.period_from,
            "period_until": record.period_until, "capacity": record.capacity,
        }
        providers = [stakeholders[i] for i in record.provider_ids]
        if offer is None:
            offer = Offer(title=record.title, **values)
            offer.providers = providers
            db.session.add(offer)
            status = CREATED
        else:
            changed = any(getattr(offer, k) != v for k, v in values.items())
            changed |= {p.id for p in offer.providers} != set(record.provider_ids)
            for key, value in values.items():
                setattr(offer, key, value)
            offer.providers = providers
            status = UPDATED if changed else UNCHANGED
        tally(report, status, record.line, record.title, offer.target_label)
    db.session.flush()


# --- participation ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountRecord:
    line: int
    offer_key: str
    period: str
    counts: dict[str, int]


class ParticipationChecker(RowChecker):
    def __init__(self, header):
        super().__init__(header)
        self.offers = set(db.session.scalars(select(Offer.title_key)))
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, line: int, cells: list[str]) -> CountRecord | list[RowError]:
        errors: list[RowError] = []
        cells = self.padded(line, cells, errors)
        title = self.text(line, cells, "offer", errors, required=True, limit=TITLE_MAX)
        if title and name_key(title) not in self.offers:
            errors.append(self.error(line, "offer", _(
                "Unbekanntes Angebot „%(value)s“. Bitte legen Sie es zuerst an oder "
                "importieren Sie es mit dem Angebots-Import.", value=clip(title))))
        period = period_cell(self, line, cells, errors)
        counts = {}
        for group in COUNT_COLUMNS:
            raw = cells[self.position[group]]
            if not raw:
                continue
            count = whole_number(raw)
            if count is None or count > MAX_COUNT:
                errors.append(self.error(line, group, _(
                    "„%(value)s“ ist keine Anzahl (ganze Zahl ab 0).", value=clip(raw))))
            else:
                counts[group] = count
        if not counts and not errors:
            errors.append(self.error(line, None, _(
                "Die Zeile enthält keine Anzahl (Neuzugewanderte, Alteingesessene oder "
                "unbekannt).")))
        if errors:
            return errors
        key = (name_key(title), period)
        if key in self.seen:
            return [self.error(line, None, _(
                "Dasselbe Angebot und derselbe Zeitraum stehen bereits in Zeile %(line)d.",
                line=self.seen[key]))]
        self.seen[key] = line
        return CountRecord(line, name_key(title), period, counts)


def import_participation(table, report, _user_id: int | None) -> None:
    records = checked_records(table, report, PARTICIPATION, ParticipationChecker)
    if records is None:
        return
    offers = {o.title_key: o for o in db.session.scalars(
        select(Offer).options(selectinload(Offer.participation)))}
    for record in records:
        offer = offers[record.offer_key]
        stored = {p.group_key: p for p in offer.participation if p.period == record.period}
        status = UNCHANGED
        for group, count in record.counts.items():
            row = stored.get(group)
            if row is None:
                offer.participation.append(OfferParticipation(
                    period=record.period, group_key=group, count=count))
                status = CREATED if status != UPDATED else status
            elif row.count != count:
                row.count = count
                status = UPDATED
        detail = ", ".join(f"{group}: {count}" for group, count in record.counts.items())
        tally(report, status, record.line, f"{offer.title} {record.period}", detail)
    db.session.flush()
