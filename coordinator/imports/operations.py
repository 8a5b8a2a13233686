"""Running an import: check every row, write in one transaction, all or nothing.

* Any bad row → every error is reported and the transaction is rolled back.
* Importing the same file again changes nothing: stakeholders are matched by ``name_key``
  (created / updated / unchanged), activities by ``import_fingerprint`` (created / already
  there).
* A dry run (the preview in the web UI) does all the work and rolls back, so its counts are
  exactly what the real run will report.

Callers outside a request wrap the call in ``write_intent()`` so SQLite begins with
``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.models import Action
from ..audit.operations import record as audit_record
from ..database import BULK_WRITE_ROWS, refresh_planner_statistics
from ..extensions import db
from ..logging_config import log_event
from ..network.data.revision import bump_revision
from ..register.audit_trail import record_stakeholder, stakeholder_snapshot
from ..register.models import STAKEHOLDER_KIND_LABELS, FieldOfWork, Stakeholder
from ..tabular import restore
from ..timeutil import utcnow
from .activity_writer import CREATED, SAMPLE_SIZE, UNCHANGED, UPDATED, ActivityWriter
from .columns import ACTIVITIES, COLUMNS, STAKEHOLDERS, Header, resolve_header
from .lost_characters import lost_character_problem
from .reading import ImportFileError, Row, Table
from .stakeholder_validation import StakeholderChecker, StakeholderRecord
from .success_kinds import success_importer
from .validation import ActivityChecker, RowError

log = logging.getLogger("coordinator.imports")

MAX_ATTEMPTS = 3
# Serialization failure and deadlock (PostgreSQL): the import as a whole may simply run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Change:
    """One changed column of an existing record: its German name, the old and new value."""

    column: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Sample:
    line: int
    label: str
    detail: str
    status: str  # CREATED, UPDATED or UNCHANGED
    record_id: int | None = None  # for links on the result page
    changes: tuple[Change, ...] = ()


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    sheet: str | None = None  # the workbook sheet that was read
    header_line: int = 1

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.kind == ACTIVITIES:
            return _("%(created)d neu, %(unchanged)d bereits vorhanden",
                     created=self.created, unchanged=self.unchanged)
        return _("%(created)d neu, %(updated)d aktualisiert, %(unchanged)d bereits vorhanden",
                 created=self.created, updated=self.updated, unchanged=self.unchanged)

    def add_sample(self, line: int, label: str, detail: str, status: str,
                   record_id: int | None = None, changes: tuple[Change, ...] = ()) -> None:
        if len(self.samples) < SAMPLE_SIZE:
            self.samples.append(Sample(line, label, detail, status, record_id, changes))


class ImportConflictError(Exception):
    """Concurrent changes kept the import from finishing; nothing was stored."""


TableOpener = Callable[[], AbstractContextManager[Table]]


def run_import(
    kind: str, open_table: TableOpener, *, user_id: int | None = None, dry_run: bool = False
) -> ImportReport:
    """Import ``kind`` (``"stakeholders"`` or ``"activities"``) from the table that
    ``open_table()`` yields; it is called again if the import has to be repeated."""
    importer = {STAKEHOLDERS: _import_stakeholders, ACTIVITIES: _import_activities}.get(kind)
    importer = importer or success_importer(kind)
    conflict = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = ImportReport(kind=kind, dry_run=dry_run)
        try:
            _attempt(importer, open_table, report, user_id)
        except DBAPIError as exc:
            db.session.rollback()
            if not _worth_repeating(exc):
                raise
            log_event(log, "import_repeated", kind=kind, attempt=attempt,
                      error=exc.__class__.__name__)
            conflict = exc
            continue
        except BaseException:
            db.session.rollback()
            raise
        log_event(log, "import", kind=kind, dry_run=dry_run, rows=report.rows,
                  created=report.created, updated=report.updated, unchanged=report.unchanged,
                  errors=len(report.errors))
        return report
    raise ImportConflictError(_(
        "Der Import konnte wegen gleichzeitiger Änderungen nicht abgeschlossen werden; es "
        "wurde nichts gespeichert. Bitte starten Sie ihn erneut."
    )) from conflict


def _attempt(importer, open_table: TableOpener, report: ImportReport, user_id) -> None:
    """One pass over the file, ending in COMMIT, or in ROLLBACK after errors or a dry run."""
    try:
        with open_table() as table:
            report.sheet, report.header_line = table.sheet, table.header_line
            importer(table, report, user_id)
    except ImportFileError as exc:
        report.errors.append(RowError(None, None, str(exc)))
    if report.rows == 0 and not report.errors:
        report.errors.append(RowError(None, None, _(
            "Die Datei enthält keine Datenzeilen, nur die Kopfzeile."
        )))
    if report.errors:
        db.session.rollback()
        # Batches written before the first bad row are gone again: report none of them.
        report.created = report.updated = report.unchanged = 0
        report.samples.clear()
    elif report.dry_run:
        db.session.rollback()
    else:
        if report.created or report.updated:
            # The activity writer bypasses the session's change tracking, so cached network
            # metrics go stale only through this bump (last statement before COMMIT).
            bump_revision()
        audit_record(Action.IMPORT, "import", label=report.kind, detail={
            "kind": report.kind, "rows": report.rows, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged,
        })
        db.session.commit()
        if report.created + report.updated >= BULK_WRITE_ROWS:
            refresh_planner_statistics(db.session)


def _worth_repeating(exc: DBAPIError) -> bool:
    """A unique violation means another import stored the same record meanwhile: the next
    attempt finds it and counts it as existing."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return isinstance(exc, IntegrityError) or sqlstate in RETRYABLE_SQLSTATES


def _checked_rows(table: Table, report: ImportReport) -> Iterator[Row]:
    """The table's rows, counted, each after the check for characters lost on the way; an
    apostrophe that protected a formula-like cell in an export is dropped again."""
    for line, raw_cells in table.rows:
        cells = [restore(cell) for cell in raw_cells]
        report.rows += 1
        if problem := lost_character_problem(cells, table.encoding):
            report.errors.append(RowError(line, None, problem))
        yield line, cells


def _header_or_errors(table: Table, kind: str, report: ImportReport) -> Header | None:
    header = resolve_header(table.header, COLUMNS[kind])
    if header.problems:
        report.errors.extend(RowError(1, column, message) for column, message in header.problems)
        return None
    return header


# --- activities ----------------------------------------------------------------------------


def _import_activities(table: Table, report: ImportReport, user_id: int | None) -> None:
    header = _header_or_errors(table, ACTIVITIES, report)
    if header is None:
        return
    checker = ActivityChecker(header)
    writer = ActivityWriter(report, user_id)
    for line, cells in _checked_rows(table, report):
        result = checker.check(line, cells)
        if isinstance(result, list):
            report.errors.extend(result)
        elif not report.errors:  # after the first error: keep checking, stop writing
            writer.add(result)
    if not report.errors:
        writer.finish()


# --- stakeholders --------------------------------------------------------------------------


def _import_stakeholders(table: Table, report: ImportReport, _user_id: int | None) -> None:
    header = _header_or_errors(table, STAKEHOLDERS, report)
    if header is None:
        return
    checker = StakeholderChecker(header)
    records: list[StakeholderRecord] = []
    for line, cells in _checked_rows(table, report):
        result = checker.check(line, cells)
        if isinstance(result, list):
            report.errors.extend(result)
        else:
            records.append(result)
    report.errors.extend(checker.check_parents(records))
    if not report.errors:
        _apply_stakeholders(records, header, report)


def _apply_stakeholders(
    records: list[StakeholderRecord], header: Header, report: ImportReport
) -> None:
    keys = {r.key for r in records} | {r.parent_key for r in records if r.parent_key}
    by_key = _stakeholders_by_key(keys)
    fields = {f.id: f for f in db.session.scalars(select(FieldOfWork))}
    status: dict[str, str] = {}
    before = {key: stakeholder_snapshot(s) for key, s in by_key.items()}
    changes: dict[str, list[Change]] = {}
    for record in records:
        stakeholder = by_key.get(record.key)
        if stakeholder is None:
            stakeholder = Stakeholder(
                name=record.name, kind=record.kind, description=record.description,
                consent_date=record.consent_date, affiliation=record.affiliation,
                active=record.active is not False,
            )
            stakeholder.fields = [fields[i] for i in record.field_ids]
            db.session.add(stakeholder)
            by_key[record.key] = stakeholder
            status[record.key] = CREATED
        else:
            changes[record.key] = _update_existing(stakeholder, record, header, fields)
    # Parents second: a parent may stand further down in the file than its children.
    if header.has("parent"):
        for record in records:
            stakeholder = by_key[record.key]
            parent = by_key[record.parent_key] if record.parent_key else None
            parent_id = parent.id if parent is not None else None
            if stakeholder.parent_id != parent_id or (parent is not None and parent_id is None):
                if record.key in changes:
                    old = stakeholder.parent.name if stakeholder.parent else ""
                    changes[record.key].append(
                        Change(_("Übergeordnet"), old, parent.name if parent else ""))
                stakeholder.parent = parent
    now = utcnow()
    for key, changed in changes.items():
        status[key] = UPDATED if changed else UNCHANGED
        if changed:
            # Also when only fields changed: the row UPDATE bumps the version, so an edit form
            # opened before the import answers 409 instead of overwriting it.
            by_key[key].updated_at = now
    db.session.flush()
    _record_stakeholder_changes(records, by_key, before, status)
    for record in records:
        report.add_sample(record.line, record.name, str(STAKEHOLDER_KIND_LABELS[record.kind]),
                          status[record.key], by_key[record.key].id,
                          tuple(changes.get(record.key, ())))
    report.created += sum(1 for s in status.values() if s == CREATED)
    report.updated += sum(1 for s in status.values() if s == UPDATED)
    report.unchanged += sum(1 for s in status.values() if s == UNCHANGED)


def _record_stakeholder_changes(records: list[StakeholderRecord],
                                by_key: dict[str, Stakeholder], before: dict[str, dict],
                                status: dict[str, str]) -> None:
    """One audit entry per created or changed stakeholder, as for the edit form."""
    for record in records:
        if status[record.key] in (CREATED, UPDATED):
            action = Action.CREATE if status[record.key] == CREATED else Action.UPDATE
            record_stakeholder(action, by_key[record.key], before.get(record.key, {}),
                               detail={"via": "import"})


def _update_existing(stakeholder: Stakeholder, record: StakeholderRecord, header: Header,
                     fields: dict[int, FieldOfWork]) -> list[Change]:
    """Apply the columns the file has; absent columns leave the stored values alone. Returns
    what changed, old → new."""
    changes = []
    if header.has("fields") and {f.id for f in stakeholder.fields} != set(record.field_ids):
        old = ", ".join(sorted(f.label for f in stakeholder.fields))
        stakeholder.fields = [fields[i] for i in record.field_ids]
        new = ", ".join(sorted(f.label for f in stakeholder.fields))
        changes.append(Change(_("Handlungsfelder"), old, new))
    if header.has("description") and stakeholder.description != record.description:
        changes.append(Change(_("Beschreibung"), stakeholder.description, record.description))
        stakeholder.description = record.description
    if record.consent_date is not None and stakeholder.consent_date != record.consent_date:
        old = format_date(stakeholder.consent_date) if stakeholder.consent_date else ""
        changes.append(Change(_("Einwilligung"), old, format_date(record.consent_date)))
        stakeholder.consent_date = record.consent_date
    if header.has("affiliation") and stakeholder.affiliation != record.affiliation:
        changes.append(Change(_("Zugehörigkeit"), stakeholder.affiliation, record.affiliation))
        stakeholder.affiliation = record.affiliation
    if record.active is not None and stakeholder.active != record.active:
        changes.append(Change(_("Aktiv"), _("ja") if stakeholder.active else _("nein"),
                              _("ja") if record.active else _("nein")))
        stakeholder.active = record.active
    return changes


def _stakeholders_by_key(keys: set[str]) -> dict[str, Stakeholder]:
    found: dict[str, Stakeholder] = {}
    wanted = sorted(keys)
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start:start + IN_CHUNK]
        query = (
            select(Stakeholder)
            .where(Stakeholder.name_key.in_(chunk))
            .options(selectinload(Stakeholder.fields))
        )
        found.update((s.name_key, s) for s in db.session.scalars(query))
    return found
