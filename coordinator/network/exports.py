"""Exports of the graph of a scope: GEXF and GraphML (for Gephi) and CSV (nodes, ties).

XML is written by networkx (which escapes markup); characters XML cannot carry at all
(control characters) are replaced first. CSV cells that a spreadsheet would run as a formula
(starting with ``= + - @``, tab or carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import networkx as nx

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Everything outside the XML 1.0 character range (NUL, most control characters, surrogates).
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NODE_COLUMNS = ("Id", "Label", "Art", "Handlungsfelder", "Verbindungen")
TIE_COLUMNS = ("Source", "Target", "Weight", "Type", "Quelle", "Ziel", "Letzte_Aktivitaet")


def neutralise(cell: object) -> object:
    """Make a text cell inert in spreadsheets; numbers pass unchanged.

    Examples
    --------
    >>> neutralise("=HYPERLINK(1)"), neutralise("Jugendamt"), neutralise(3)
    ("'=HYPERLINK(1)", 'Jugendamt', 3)
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def xml_text(value: str) -> str:
    """Replace characters XML 1.0 cannot represent (escaping cannot help with those)."""
    return XML_INVALID.sub("\ufffd", value)


def _export_graph(G: nx.Graph) -> nx.Graph:
    """A copy with only XML-safe plain attributes (strings, ints)."""
    H = nx.Graph()
    for node, data in G.nodes(data=True):
        H.add_node(
            node,
            label=xml_text(str(data.get("name", node))),
            kind=xml_text(str(data.get("kind", ""))),
            fields=xml_text(";".join(data.get("fields", ()))),
        )
    for a, b, data in G.edges(data=True):
        last = data.get("last")
        H.add_edge(a, b, weight=int(data.get("weight", 1)),
                   last=last.isoformat() if isinstance(last, date) else "")
    return H


def to_gexf(G: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(_export_graph(G), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_graphml(G: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_export_graph(G), buffer, encoding="utf-8")
    return buffer.getvalue()


def _csv(rows, header) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def nodes_csv(G: nx.Graph) -> str:
    """One row per stakeholder: id, name, kind, fields (``;``-separated), number of ties."""
    return _csv(
        (
            (node, str(data.get("name", node)), data.get("kind", ""),
             ";".join(data.get("fields", ())), G.degree(node))
            for node, data in G.nodes(data=True)
        ),
        NODE_COLUMNS,
    )


def ties_csv(G: nx.Graph) -> str:
    """One row per tie: both ids, weight (joint activities), names, date of the last one."""
    names = G.nodes(data="name")
    return _csv(
        (
            (a, b, int(data.get("weight", 1)), "Undirected", str(names[a]), str(names[b]),
             data["last"].isoformat() if isinstance(data.get("last"), date) else "")
            for a, b, data in G.edges(data=True)
        ),
        TIE_COLUMNS,
    )


def csv_zip(G: nx.Graph) -> bytes:
    """A ZIP archive with ``nodes.csv`` and ``ties.csv`` (UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes_csv(G).encode("utf-8"))
        archive.writestr("ties.csv", ties_csv(G).encode("utf-8"))
    return buffer.getvalue()
