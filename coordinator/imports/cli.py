"""``flask import-csv stakeholders|activities FILE``: the same import as the web page, for large
files and scripts. Exit code 0 on success, 1 if the file has errors (nothing imported).
``flask export-data --format csv|xlsx -o DIR``: everything in the import format."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..database import write_intent
from .columns import IMPORT_KINDS, header_test
from .export_data import DATA_FORMATS, write_data_files
from .limits import ImportLimits
from .operations import ImportConflictError, run_import
from .reading import open_table
from .validation import RowError

EXIT_INVALID_FILE = 1


def describe(error: RowError) -> str:
    if error.line is None:
        return _("Datei: %(message)s", message=error.message)
    if error.column is None:
        return _("Zeile %(line)d: %(message)s", line=error.line, message=error.message)
    return _("Zeile %(line)d, Spalte „%(column)s“: %(message)s",
             line=error.line, column=error.column, message=error.message)


@click.command("import-csv")
@click.argument("kind", type=click.Choice(IMPORT_KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Nur prüfen und zählen, nichts speichern.")
@with_appcontext
def import_csv_command(kind: str, file: Path, dry_run: bool) -> None:
    """Akteure (stakeholders) oder Aktivitäten (activities) aus einer CSV- oder XLSX-Datei
    importieren: alles oder nichts, mehrfach ausführbar ohne Doppelte."""
    try:
        with write_intent():
            opener = partial(open_table, file, file.name, ImportLimits.for_cli(),
                             is_header=header_test(kind))
            report = run_import(kind, opener, dry_run=dry_run)
    except ImportConflictError as exc:
        raise click.ClickException(str(exc)) from exc
    if not report.ok:
        for error in report.errors:
            click.echo(describe(error), err=True)
        click.echo(_("%(count)d Fehler – es wurde nichts importiert.",
                     count=len(report.errors)), err=True)
        raise click.exceptions.Exit(EXIT_INVALID_FILE)
    if report.sheet:
        click.echo(_("Gelesen: Tabellenblatt „%(sheet)s“, Kopfzeile in Zeile %(line)d.",
                     sheet=report.sheet, line=report.header_line))
    if dry_run:
        click.echo(_("Probelauf, nichts gespeichert: %(summary)s", summary=report.summary()))
    else:
        click.echo(_("Import abgeschlossen: %(summary)s", summary=report.summary()))


@click.command("export-data")
@click.option("--format", "fmt", type=click.Choice(DATA_FORMATS), default="csv",
              show_default=True, help="csv (für das deutsche Excel) oder xlsx.")
@click.option("-o", "--output", "directory", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Verzeichnis; wird bei Bedarf angelegt.")
@with_appcontext
def export_data_command(fmt: str, directory: Path) -> None:
    """Alle Akteure und Aktivitäten im Importformat exportieren (stakeholders.* und
    activities.*): für den Umzug auf einen anderen Server (import-csv liest sie wieder ein)
    und für Auskünfte nach DSGVO Art. 20."""
    for path in write_data_files(directory, fmt):
        click.echo(_("Geschrieben: %(path)s", path=str(path)))
