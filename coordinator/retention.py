"""Retention periods: every kind of data with a deletion period registers a purger here, and
``flask --app coordinator purge-expired [--dry-run]`` runs them all (e.g. nightly from cron or
a systemd timer).

A purger is ``func(now, dry_run) -> PurgeResult``; it deletes (or, with ``dry_run``, only
counts) what is older than its period. Each purger runs in a transaction of its own, so one
failing kind of data does not keep the others from being purged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import click

from .extensions import db
from .timeutil import utcnow

# Modules that register purgers when imported (append yours).
PURGER_MODULES = [
    "coordinator.audit.retention",
    "coordinator.cases.retention",
    "coordinator.network.data.export_store",
]
# How many items a dry run lists per purger before it only counts.
LISTED_ITEMS = 50


@dataclass
class PurgeResult:
    label: str  # German, e.g. "Protokolleinträge älter als 24 Monate"
    count: int
    items: list[str] = field(default_factory=list)  # short, content-free descriptions


Purger = Callable[[datetime, bool], PurgeResult]
_PURGERS: dict[str, Purger] = {}


def purger(func: Purger) -> Purger:
    """Register ``func(now, dry_run) -> PurgeResult`` (once, however often it is imported)."""
    _PURGERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def load_purgers() -> list[Purger]:
    for module in PURGER_MODULES:
        importlib.import_module(module)
    return list(_PURGERS.values())


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the last day of the month
    when that day does not exist, e.g. 31 March − 1 month = 28/29 February)."""
    import calendar

    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def run_purgers(now: datetime, dry_run: bool) -> list[PurgeResult]:
    """Run every registered purger in its own transaction: rolled back for a dry run,
    committed (with a ``purge`` audit entry when something was deleted) otherwise."""
    from .audit.models import Action
    from .audit.operations import record

    results = []
    for func in load_purgers():
        try:
            result = func(now, dry_run)
            if dry_run:
                db.session.rollback()
            else:
                if result.count:
                    record(Action.PURGE, "retention", label=result.label,
                           detail={"count": result.count})
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        results.append(result)
    return results


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Nur anzeigen, was gelöscht würde.")
def purge_expired_command(dry_run: bool) -> None:
    """Daten löschen, deren Aufbewahrungsfrist abgelaufen ist."""
    results = run_purgers(utcnow(), dry_run)
    verb = "würden gelöscht" if dry_run else "gelöscht"
    for result in results:
        click.echo(f"{result.label}: {result.count} {verb}")
        if dry_run:
            for item in result.items[:LISTED_ITEMS]:
                click.echo(f"  {item}")
            if result.count > LISTED_ITEMS:
                click.echo(f"  … und {result.count - LISTED_ITEMS} weitere")
    if not any(r.count for r in results):
        click.echo("Nichts zu löschen.")
    elif dry_run:
        click.echo("Probelauf: nichts wurde gelöscht.")
