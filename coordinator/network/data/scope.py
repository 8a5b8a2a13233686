"""What part of the log a network view or export covers: period, field of work, kinds.

``Scope.from_args`` reads query-string or CLI values and returns German error messages instead
of raising, so views answer 400 and the CLI exits non-zero with the same wording.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

KINDS = ("department", "group", "individual")
# Bump when the meaning or shape of cached metrics changes, so old cache rows are not reused.
ANALYSIS_VERSION = 2
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Scope:
    """Period (``since``/``until`` inclusive, ``None`` = open), one field-of-work key or
    ``None`` (all activities), and the kinds of stakeholders shown (``None`` = all)."""

    since: date | None = None
    until: date | None = None
    field: str | None = None
    kinds: frozenset[str] | None = None

    @classmethod
    def from_args(
        cls, args: Mapping, *, known_fields: Collection[str] | None = None
    ) -> tuple[Scope, list[str]]:
        """Parse ``since``, ``until``, ``field`` and ``kinds`` (comma-separated or repeated).

        Returns the scope (invalid parts left open) and a list of German error messages.
        ``known_fields`` defaults to the field keys in the database.
        """
        errors: list[str] = []
        since = _parse_date(_first(args, "since"), _("Zeitraum von"), errors)
        until = _parse_date(_first(args, "until"), _("Zeitraum bis"), errors)
        if since and until and since > until:
            errors.append(_("Der Beginn des Zeitraums liegt nach seinem Ende."))
            since = until = None
        field = (_first(args, "field") or "").strip() or None
        if field is not None:
            if known_fields is None:
                known_fields = _field_keys_in_database()
            if field not in known_fields:
                errors.append(_("Unbekanntes Handlungsfeld: %(key)s", key=field[:40]))
                field = None
        kinds = _parse_kinds(args, errors)
        return cls(since=since, until=until, field=field, kinds=kinds), errors

    def to_args(self) -> dict[str, str]:
        """Query-string arguments for ``url_for`` (only the parts that are set)."""
        args = {}
        if self.since:
            args["since"] = self.since.isoformat()
        if self.until:
            args["until"] = self.until.isoformat()
        if self.field:
            args["field"] = self.field
        if self.kinds is not None:
            args["kinds"] = ",".join(k for k in KINDS if k in self.kinds)
        return args

    def cache_key(self) -> str:
        """A stable text key for the metrics cache (includes the analysis version)."""
        kinds = ",".join(k for k in KINDS if k in self.kinds) if self.kinds is not None else "*"
        return "|".join((
            f"v{ANALYSIS_VERSION}",
            self.since.isoformat() if self.since else "*",
            self.until.isoformat() if self.until else "*",
            self.field or "*",
            kinds,
        ))

    def snapped_to_quarters(self) -> Scope:
        """The period widened to whole quarters: the pages offer only those, so the number
        of scopes anyone can make the server compute stays small, and the stored ties
        (kept per quarter) answer them exactly."""
        from ..analysis.trend import quarter_bounds, quarter_of

        since = quarter_bounds(quarter_of(self.since))[0] if self.since else None
        until = quarter_bounds(quarter_of(self.until))[1] if self.until else None
        return Scope(since=since, until=until, field=self.field, kinds=self.kinds)

    def shows(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds

    def describe(self) -> dict[str, object]:
        """The scope as JSON-ready data (for the ``metrics`` output)."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "field": self.field,
            "kinds": [k for k in KINDS if self.shows(k)],
        }


def _first(args: Mapping, name: str) -> str | None:
    value = args.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value


def _parse_date(raw: str | None, label: str, errors: list[str]) -> date | None:
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if not raw:
        return None
    if isinstance(raw, date):
        return raw
    try:
        if not ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(
            _("%(label)s: „%(value)s“ ist kein gültiges Datum (erwartet JJJJ-MM-TT).",
              label=label, value=raw[:20])
        )
        return None


def _parse_kinds(args: Mapping, errors: list[str]) -> frozenset[str] | None:
    if hasattr(args, "getlist"):
        raw_values = args.getlist("kinds")
    else:
        value = args.get("kinds")
        raw_values = list(value) if isinstance(value, list | tuple) else [value or ""]
    parts = [p.strip() for raw in raw_values for p in (raw or "").split(",") if p.strip()]
    if not parts:
        return None
    unknown = [p for p in parts if p not in KINDS]
    if unknown:
        errors.append(
            _("Unbekannte Art von Akteuren: %(kinds)s (erlaubt: department, group, individual).",
              kinds=", ".join(u[:20] for u in unknown[:3]))
        )
        return None
    kinds = frozenset(parts)
    return None if kinds == frozenset(KINDS) else kinds


def _field_keys_in_database() -> set[str]:
    from sqlalchemy import select

    from ...extensions import db
    from ...register.models import FieldOfWork

    return set(db.session.scalars(select(FieldOfWork.key)))
