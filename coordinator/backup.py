"""``flask backup -o PATH`` and ``flask restore PATH``: consistent copies while the app writes.

SQLite: the online backup API copies a snapshot inside one read transaction, WAL included (a
plain ``cp`` of the file misses what is still in ``-wal``), to a temporary file that is
checked (``PRAGMA integrity_check``) and then renamed into place. Restoring copies the backup
into the live database with the same API, under SQLite's own locking.

PostgreSQL: ``pg_dump --format=custom`` (one MVCC snapshot) and ``pg_restore --clean
--single-transaction`` (all or nothing). The password goes to the tools in ``PGPASSWORD``,
never on a command line that ``ps`` shows.

A restore refuses to overwrite a database that holds data unless ``--force`` is given.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from .extensions import db

# Tables whose rows make a database "hold data" (init-db alone fills only the catalogue).
DATA_TABLES = ("user", "stakeholder", "joint_activity")
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(click.ClickException):
    """A German message for the operator; exit code 1."""


def database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def holds_data() -> bool:
    names = set(inspect(db.engine).get_table_names())
    return any(
        db.session.scalar(select(func.count()).select_from(table(name))) > 0
        for name in DATA_TABLES if name in names
    )


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("Eine SQLite-Datenbank im Arbeitsspeicher kann nicht gesichert werden.")
    return Path(url.database)


def _check_sqlite_file(path: Path) -> None:
    with open(path, "rb") as file:
        if file.read(16) != SQLITE_MAGIC:
            raise BackupError(f"{path} ist keine SQLite-Sicherung.")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"Die Sicherung {path} ist beschädigt: {result}")
    if "alembic_version" not in tables:
        raise BackupError(f"{path} ist keine Sicherung einer Coordinator-Datenbank.")


def backup_sqlite(url: URL, target: Path) -> None:
    source = sqlite3.connect(_sqlite_path(url), timeout=current_app.config[
        "SQLITE_BUSY_TIMEOUT_MS"] / 1000)
    descriptor, temporary = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(descriptor)
    try:
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            copy.close()
        _check_sqlite_file(Path(temporary))
        os.replace(temporary, target)
    finally:
        source.close()
        if os.path.exists(temporary):
            os.unlink(temporary)


def restore_sqlite(url: URL, source: Path) -> None:
    _check_sqlite_file(source)
    db.session.remove()
    db.engine.dispose()
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = sqlite3.connect(_sqlite_path(url), timeout=current_app.config[
        "SQLITE_BUSY_TIMEOUT_MS"] / 1000)
    try:
        backup.backup(live)
    finally:
        backup.close()
        live.close()


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} wurde nicht gefunden. Bitte installieren Sie die "
                          "PostgreSQL-Client-Programme (z. B. Paket postgresql-client).")
    return path


def _pg_environment(url: URL) -> dict[str, str]:
    environment = dict(os.environ)
    for variable, value in (("PGHOST", url.host), ("PGPORT", url.port),
                            ("PGUSER", url.username), ("PGPASSWORD", url.password),
                            ("PGDATABASE", url.database)):
        if value is not None:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], url: URL) -> None:
    # A list of arguments, no shell; the tools are found with shutil.which.
    result = subprocess.run(command, env=_pg_environment(url), capture_output=True, text=True,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} ist fehlgeschlagen: {result.stderr.strip()}")


def backup_postgresql(url: URL, target: Path) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(descriptor)
    try:
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={temporary}"], url)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def restore_postgresql(url: URL, source: Path) -> None:
    with open(source, "rb") as file:
        if file.read(5) != PG_DUMP_MAGIC:
            raise BackupError(f"{source} ist keine Sicherung von pg_dump im Format custom.")
    db.session.remove()
    db.engine.dispose()
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
          "--single-transaction", "--exit-on-error", f"--dbname={url.database}", str(source)],
         url)


# --- commands -----------------------------------------------------------------------------------


def _is_postgresql(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


@click.command("backup")
@click.option("-o", "--output", "path", required=True, type=click.Path(path_type=Path),
              help="Zieldatei der Sicherung (wird ersetzt, wenn sie existiert).")
def backup_command(path: Path) -> None:
    """Die Datenbank im laufenden Betrieb sichern (SQLite: Online-Backup; PostgreSQL:
    pg_dump im Format custom)."""
    url = database_url()
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"Das Verzeichnis {path.parent} gibt es nicht.")
    (backup_postgresql if _is_postgresql(url) else backup_sqlite)(url, path)
    click.echo(f"Sicherung geschrieben: {path} ({path.stat().st_size:,} Bytes)".replace(",", "."))


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Auch eine Datenbank überschreiben, die bereits Daten enthält.")
def restore_command(path: Path, force: bool) -> None:
    """Eine Sicherung von ``flask backup`` zurückspielen. Eine Datenbank mit Daten wird nur
    mit --force überschrieben."""
    url = database_url()
    if holds_data() and not force:
        raise BackupError(
            "Die Datenbank enthält bereits Daten. Sie wird nur mit --force überschrieben; "
            "sichern Sie sie vorher mit „flask --app coordinator backup -o DATEI“."
        )
    (restore_postgresql if _is_postgresql(url) else restore_sqlite)(url, path.resolve())
    click.echo(f"Sicherung {path} zurückgespielt. Falls sie älter als diese Version ist: "
               "flask --app coordinator init-db")
