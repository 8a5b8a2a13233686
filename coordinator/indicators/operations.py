"""Writes to the indicator catalogue and its values, with the rules imports obey too."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..decimal_input import parse_decimal
from ..extensions import db
from ..periods import parse_period
from ..rule_error import RuleError
from .calculations import HIGHER, LOWER
from .models import GROUP_LABELS, Indicator, IndicatorTarget, IndicatorValue

TARGET_ITEM = re.compile(r"^\s*(\d{4})\s*[:=]\s*(.+?)\s*$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def parse_targets(text: str) -> dict[int, float]:
    """``"2025: 12,5; 2026: 12"`` → ``{2025: 12.5, 2026: 12.0}``; a :class:`RuleError` for
    the ``targets`` field otherwise. Items are separated by ``;`` or line breaks."""
    targets: dict[int, float] = {}
    for item in re.split(r"[;\n]", text or ""):
        if not item.strip():
            continue
        match = TARGET_ITEM.match(item)
        value = parse_decimal(match.group(2)) if match else None
        if match is None or value is None or parse_period(match.group(1)) is None:
            raise RuleError(_(
                "„%(item)s“ ist kein Zielwert. Schreiben Sie je Jahr „Jahr: Wert“, getrennt "
                "durch Semikolon, z. B. „2026: 12,5; 2027: 12“.", item=item.strip()[:40],
            ), "targets")
        targets[int(match.group(1))] = value
    return targets


def format_targets(indicator: Indicator) -> str:
    return "; ".join(f"{t.year}: {t.value:g}".replace(".", ",") for t in indicator.targets)


def save_indicator(indicator: Indicator | None, *, key: str, name: str, unit: str,
                   field_id: int | None, direction: str, source: str, definition: str,
                   targets_text: str) -> Indicator:
    """Create (``indicator`` is ``None``) or change an indicator; flushed, not committed."""
    key, name = key.strip(), " ".join(name.split())
    if not KEY_PATTERN.match(key):
        raise RuleError(_("Der Schlüssel besteht aus höchstens 40 Buchstaben, Ziffern, "
                          "Punkt, Binde- oder Unterstrich (z. B. „E8“)."), "key")
    if direction not in (HIGHER, LOWER):
        raise RuleError(_("Bitte wählen Sie, ob höhere oder niedrigere Werte besser sind."),
                        "direction")
    targets = parse_targets(targets_text)
    own_id = indicator.id if indicator else None
    for column, value, message, form_field in (
        (Indicator.key, key, _("Ein Indikator mit diesem Schlüssel ist bereits erfasst."),
         "key"),
        (Indicator.name, name, _("Ein Indikator mit diesem Namen ist bereits erfasst."),
         "name"),
    ):
        clash = db.session.scalar(select(Indicator.id).where(
            func.lower(column) == value.lower(), Indicator.id != (own_id or 0)))
        if clash:
            raise RuleError(message, form_field)
    if indicator is None:
        highest = db.session.scalar(select(func.max(Indicator.position)))
        indicator = Indicator(position=(highest or 0) + 1)
        db.session.add(indicator)
    indicator.key, indicator.name, indicator.unit = key, name, unit.strip()
    indicator.field_id, indicator.direction = field_id, direction
    indicator.source, indicator.definition = source.strip(), definition.strip()
    indicator.targets = [IndicatorTarget(year=y, value=v) for y, v in sorted(targets.items())]
    db.session.flush()
    return indicator


def check_value(period: str, group: str, value_text: str) -> tuple[str, str, float]:
    """The normalised period, group and value, or a :class:`RuleError` naming the field."""
    parsed = parse_period(period)
    if parsed is None:
        raise RuleError(_("Der Zeitraum ist ein Jahr (2025) oder ein Quartal (2025-Q3)."),
                        "period")
    if group not in GROUP_LABELS:
        raise RuleError(_("Unbekannte Gruppe."), "group")
    value = parse_decimal(value_text)
    if value is None:
        raise RuleError(_("Bitte geben Sie eine Zahl ein, z. B. 12,5."), "value")
    return str(parsed), group, value


def set_value(indicator: Indicator, period: str, group: str, value: float,
              source: str = "") -> tuple[IndicatorValue, bool]:
    """Store the value of ``indicator`` in ``period`` for ``group``, replacing an earlier one;
    returns the row and whether it changed anything."""
    row = db.session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == period,
        IndicatorValue.group_key == group))
    if row is None:
        row = IndicatorValue(indicator_id=indicator.id, period=period, group_key=group,
                             value=value, source=source)
        db.session.add(row)
        db.session.flush()
        return row, True
    changed = row.value != value or (source and row.source != source)
    row.value = value
    if source:
        row.source = source
    return row, bool(changed)


def delete_value(indicator: Indicator, value_id: int) -> bool:
    row = db.session.get(IndicatorValue, value_id)
    if row is None or row.indicator_id != indicator.id:
        return False
    db.session.delete(row)
    return True
