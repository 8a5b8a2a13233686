"""``flask network-worker``, ``flask network-status`` and ``flask rebuild-ties``."""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import gettext as _

from ...database import refresh_planner_statistics, write_intent
from ...extensions import db
from .status import queue_status, status_line


@click.command("network-worker")
@click.option("--workers", "-w", default=1, show_default=True,
              help="Threads, die Aufgaben gleichzeitig abarbeiten.")
def network_worker_command(workers: int) -> None:
    """Warteschlangen-Worker für die Netzwerk-Kennzahlen starten (läuft bis Strg+C).

    Für den Betrieb mit Redis (REDIS_URL): beliebig viele Worker auf beliebigen Rechnern,
    die Redis und die Datenbank erreichen. Ohne Redis rechnet die App selbst im Hintergrund.
    """
    from ...freed_memory import return_freed_arrays
    from .queue import lower_priority, network_queue

    queue = network_queue()
    if queue.mode == "immediate":
        raise click.UsageError("NETWORK_QUEUE=immediate has no worker")
    lower_priority(int(current_app.config["NETWORK_WORKER_NICE"]))  # before its threads start
    return_freed_arrays()
    from .refresh import release_orphaned_leases

    release_orphaned_leases()  # a worker killed here before: its scopes are free at once
    consumer = queue.huey.create_consumer(workers=workers, worker_type="thread",
                                          periodic=True, check_worker_health=True)
    click.echo(_("Netzwerk-Worker gestartet (%(mode)s, %(workers)d Threads).",
                 mode=type(queue.huey).__name__, workers=workers))
    consumer.run()


@click.command("network-status")
def network_status_command() -> None:
    """Zustand der Kennzahlen-Berechnung: Warteschlange, letzte Berechnung, Dauer."""
    click.echo(status_line(queue_status()))


@click.command("rebuild-ties")
def rebuild_ties_command() -> None:
    """Die gespeicherten Verbindungen (Paare je Quartal und Handlungsfeld) neu aufbauen."""
    from ..data.revision import bump_revision
    from ..data.tie_store import rebuild

    with write_intent():
        rows = rebuild()
        bump_revision()
        db.session.commit()
        refresh_planner_statistics(db.session)
    click.echo(_("%(rows)d gespeicherte Verbindungszeilen neu aufgebaut.", rows=rows))
    current_app.logger.info("tie store rebuilt: %s rows", rows)


job_commands = [network_worker_command, network_status_command, rebuild_ties_command]
