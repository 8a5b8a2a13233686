"""Row helpers shared by the success-measurement imports (indicators, offers, participation):
a period cell, a number cell, the check loop and the per-record tally of the report."""

from __future__ import annotations

from flask_babel import gettext as _

from ..decimal_input import parse_decimal
from ..periods import parse_period
from .columns import clip
from .operations import _header_or_errors
from .validation import RowChecker, RowError


def number_cell(checker: RowChecker, line: int, cells: list[str], key: str,
                errors: list[RowError]) -> float | None:
    raw = cells[checker.position[key]]
    value = parse_decimal(raw)
    if value is None:
        errors.append(checker.error(line, key, _(
            "„%(value)s“ ist keine Zahl. Erlaubt sind z. B. 12,5 oder 12.5.", value=clip(raw)
        ) if raw else _("Pflichtangabe fehlt.")))
    return value


def period_cell(checker: RowChecker, line: int, cells: list[str], errors: list[RowError],
                key: str = "period", required: bool = True) -> str | None:
    """The period of column ``key`` as stored text (``2025``, ``2025-Q3``) or ``None``."""
    raw = cells[checker.position[key]]
    if not raw and not required:
        return None
    period = parse_period(raw)
    if period is None:
        errors.append(checker.error(line, key, _(
            "Ungültiger Zeitraum „%(value)s“. Erwartet wird ein Jahr (2025) oder ein Quartal "
            "(2025-Q3).", value=clip(raw)) if raw else _("Pflichtangabe fehlt.")))
        return None
    return str(period)


def checked_records(table, report, kind: str, checker_class) -> list | None:
    """The header checked against the columns of ``kind`` and every row checked with
    ``checker_class``; the good records, or ``None`` when anything was wrong (the errors are
    in ``report``)."""
    header = _header_or_errors(table, kind, report)
    if header is None:
        return None
    records = check_rows(table, report, checker_class(header))
    return None if report.errors else records


def check_rows(table, report, checker) -> list:
    """Check every row; returns the good records, the errors go to ``report``."""
    records = []
    for line, cells in table.rows:
        report.rows += 1
        result = checker.check(line, cells)
        if isinstance(result, list):
            report.errors.extend(result)
        else:
            records.append(result)
    return records


def tally(report, status: str, line: int, label: str, detail: str) -> None:
    setattr(report, status, getattr(report, status) + 1)
    report.add_sample(line, label, detail, status)
