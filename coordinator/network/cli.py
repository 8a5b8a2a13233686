"""``flask metrics`` and ``flask export``: the network figures and the graph of a scope."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import click
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from .data.scope import Scope
from .jobs.cli import job_commands

network_commands: list[click.Command] = []
EXPORT_FORMATS = ("gexf", "graphml", "csv")
GERMAN_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")


def scope_options(command):
    """The scope options shared by both commands (validated by ``Scope.from_args``)."""
    for option in reversed((
        click.option("--since", metavar="TT.MM.JJJJ",
                     help="Beginn des Zeitraums (einschließlich), TT.MM.JJJJ oder JJJJ-MM-TT; "
                          "ohne: ab dem ersten Eintrag."),
        click.option("--until", metavar="TT.MM.JJJJ",
                     help="Ende des Zeitraums (einschließlich), TT.MM.JJJJ oder JJJJ-MM-TT; "
                          "ohne: bis heute."),
        click.option("--field", metavar="SCHLÜSSEL",
                     help="Nur Aktivitäten dieses Handlungsfelds, z. B. wohnen."),
        click.option("--kinds", metavar="ARTEN",
                     help="Nur diese Arten von Akteuren, kommagetrennt: "
                          "department,group,individual."),
    )):
        command = option(command)
    return command


def iso_from_german(value: str | None, label: str, errors: list[str]) -> str | None:
    """``TT.MM.JJJJ`` (as German users write dates) becomes ``JJJJ-MM-TT``; other values
    pass through for :class:`Scope` to check.

    Examples
    --------
    >>> iso_from_german("05.02.2026", "von", [])
    '2026-02-05'
    """
    if value is None or not GERMAN_DATE.fullmatch(value.strip()):
        return value
    try:
        return datetime.strptime(value.strip(), "%d.%m.%Y").date().isoformat()
    except ValueError:
        errors.append(_("%(label)s: „%(value)s“ ist kein gültiges Datum (erwartet TT.MM.JJJJ "
                        "oder JJJJ-MM-TT).", label=label, value=value[:20]))
        return None


def _scope_or_exit(since, until, field, kinds) -> Scope:
    errors: list[str] = []
    since = iso_from_german(since, _("Zeitraum von"), errors)
    until = iso_from_german(until, _("Zeitraum bis"), errors)
    scope, scope_errors = Scope.from_args(
        {"since": since, "until": until, "field": field, "kinds": kinds}
    )
    errors += scope_errors
    if errors:
        for message in errors:
            click.echo(message, err=True)
        raise SystemExit(2)
    return scope


@click.command("metrics")
@click.option("--json", "as_json", is_flag=True,
              help="Ein JSON-Objekt ausgeben statt der Zusammenfassung; sein Aufbau ist in "
                   "coordinator/schemas/metrics.schema.json beschrieben (schema_version).")
@click.option("--exact", is_flag=True,
              help="Betweenness immer exakt berechnen, auch wenn es bei großen Netzwerken "
                   "lange dauert (sonst ab etwa 1.000 verbundenen Akteuren geschätzt).")
@scope_options
def metrics_command(as_json, exact, since, until, field, kinds) -> None:
    """Kennzahlen des Netzwerks (Dichte, isolierte Ressorts, Vermittler, Silos …).

    Die Werte werden je Datenstand zwischengespeichert; nach jeder Änderung an Akteuren oder
    Aktivitäten werden sie neu berechnet.
    """
    from .web.metrics_document import metrics_document

    data = metrics_document(_scope_or_exit(since, until, field, kinds), exact=exact)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(data)))


@click.command("export")
@click.option("--format", "fmt", required=True, metavar="|".join(EXPORT_FORMATS),
              help="gexf oder graphml (für Gephi) oder csv.")
@click.option("-o", "--output", "path", required=True, type=click.Path(path_type=Path),
              help="Zieldatei; bei csv ein Verzeichnis (wird angelegt) für nodes.csv und "
                   "ties.csv, oder eine Datei auf .zip mit beiden.")
@scope_options
def export_command(fmt, path, since, until, field, kinds) -> None:
    """Das Netzwerk des gewählten Ausschnitts exportieren.

    gexf/graphml: eine Datei für Gephi. csv: PATH ist ein Verzeichnis, in das nodes.csv
    (Id, Label, Art, Handlungsfelder, Verbindungen) und ties.csv (Source, Target, Weight …)
    geschrieben werden; endet PATH auf .zip, entsteht stattdessen ein ZIP-Archiv mit beiden
    Dateien. Zellen, die eine Tabellenkalkulation als Formel ausführen würde, beginnen mit
    einem Apostroph.
    """
    from .data.graph_loading import load_compact
    from .web.exports import csv_zip, gexf_lines, graphml_lines, nodes_csv, ties_csv
    from .web.gexf_extras import gexf_extras

    if fmt not in EXPORT_FORMATS:
        click.echo(_("Unbekanntes Format „%(format)s“ (erlaubt: gexf, graphml, csv).",
                     format=fmt[:20]), err=True)
        raise SystemExit(2)
    scope = _scope_or_exit(since, until, field, kinds)
    graph = load_compact(scope)
    try:
        if fmt == "csv" and path.suffix.lower() != ".zip":
            path.mkdir(parents=True, exist_ok=True)
            (path / "nodes.csv").write_text(nodes_csv(graph), encoding="utf-8", newline="")
            (path / "ties.csv").write_text(ties_csv(graph), encoding="utf-8", newline="")
        elif fmt == "csv":
            path.write_bytes(csv_zip(graph))
        else:
            lines = (gexf_lines(graph, gexf_extras(scope, graph)) if fmt == "gexf"
                     else graphml_lines(graph))
            with path.open("w", encoding="utf-8") as out:
                out.writelines(lines)
    except OSError as exc:
        click.echo(_("Die Ausgabe konnte nicht geschrieben werden: %(reason)s",
                     reason=exc.strerror or exc.__class__.__name__), err=True)
        raise SystemExit(1) from None
    click.echo(_("%(nodes)s Akteure und %(ties)s Verbindungen nach %(path)s exportiert.",
                 nodes=graph.n, ties=graph.m, path=str(path)))


def _number(value, pattern: str = "#,##0.###") -> str:
    return "–" if value is None else format_decimal(value, format=pattern)


def _share(value) -> str:
    return "–" if value is None else format_percent(value, format="#,##0.# %")


def summary_lines(data: dict) -> list[str]:
    """The readable German summary of the metrics document."""
    scope = data["scope"]
    period = _("%(since)s bis %(until)s", since=scope["since"] or _("Beginn"),
               until=scope["until"] or _("heute"))
    lines = [
        _("Netzwerk: Zeitraum %(period)s; Handlungsfeld: %(field)s",
          period=period, field=scope["field"] or _("alle")),
        _("Akteure: %(nodes)s · Verbindungen: %(edges)s · gemeinsame Aktivitäten: %(acts)s",
          nodes=_number(data["nodes"]), edges=_number(data["edges"]),
          acts=_number(data["activities"])),
        _("Dichte: %(density)s · Dichte unter Ressorts: %(dept)s",
          density=_number(data["density"]), dept=_number(data["department_density"])),
        _("Teilnetze: %(components)s · Akteure ohne Verbindung: %(isolates)s",
          components=_number(data["components"]), isolates=_number(data["isolate_count"])),
        _("Isolierte Ressorts (ohne Verbindung zu einem anderen Ressort): %(names)s",
          names=", ".join(data["isolated_departments"]) or _("keine")),
        _("Anteil der Verbindungen zwischen Verwaltung und Zivilgesellschaft: %(share)s",
          share=_share(data["cross_sector_share"])),
        _("Silos: %(count)s Gruppen (Louvain), Modularität %(modularity)s",
          count=len(data["communities"]), modularity=_number(data["modularity"])),
    ]
    if data["betweenness_approximate"]:
        lines.append(_("Wichtigste Vermittler (Betweenness, geschätzt aus %(k)s "
                       "Ausgangspunkten):", k=data["betweenness_sources"]))
    else:
        lines.append(_("Wichtigste Vermittler (Betweenness):"))
    lines += [f"  {b['name']}: {_number(b['betweenness'], '0.#####')}" for b in data["brokers"]]
    lines.append(_("Schlüsselakteure (ohne sie zerfiele das Netzwerk): %(count)s",
                   count=len(data["key_persons"])))
    lines += [
        "  " + _("%(name)s – %(count)s andere abgeschnitten", name=k["name"],
                 count=k["cut_off"])
        for k in data["key_persons"][:10]
    ]
    lines.append(_("Empfohlene Kontakte:") if data["recommended_introductions"]
                 else _("Empfohlene Kontakte: keine"))
    lines += [f"  {i['department']} → {i['partner']}: {i['reason']}"
              for i in data["recommended_introductions"]]
    if data["trend"]:
        lines.append(_("Entwicklung je Quartal:"))
        lines += [
            "  " + _("%(quarter)s: %(acts)s Aktivitäten, Dichte %(density)s, isolierte "
                     "Ressorts %(isolated)s, Teilnetze %(components)s",
                     quarter=q["label"], acts=_number(q["activities"]),
                     density=_number(q["density"]), isolated=q["isolated_departments"],
                     components=q["components"])
            + ("" if q.get("complete", True) else " " + _("(laufendes Quartal, unvollständig)"))
            for q in data["trend"]
        ]
    return lines


network_commands.extend((metrics_command, export_command, *job_commands))
