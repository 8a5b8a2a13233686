"""Exports of the graph of a scope: GEXF and GraphML (for Gephi) and CSV (nodes, ties).

The XML is written as a stream, element by element, in the layout networkx writes (and
reads back): building networkx's element tree took 18 s and 800 MB for 300,000 ties. Every
text goes through ``escape``/``quoteattr`` of the standard library, after characters XML
cannot carry at all (control characters) are replaced. CSV cells that a spreadsheet would run
as a formula (starting with ``= + - @``, tab or carriage return) get a leading apostrophe.

Every function accepts the networkx graph of the contract or its CompactGraph.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import numpy as np

from ...tabular import neutralise
from ..analysis.compact import CompactGraph, as_compact
from ..analysis.layout import Position
from .map_data import KIND_COLOURS

# Everything outside the XML 1.0 character range (NUL, most control characters, surrogates).
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NODE_COLUMNS = ("Id", "Label", "Art", "Handlungsfelder", "Verbindungen")
TIE_COLUMNS = ("Source", "Target", "Weight", "Type", "Quelle", "Ziel", "Letzte_Aktivitaet")
XML_HEADER = "<?xml version='1.0' encoding='utf-8'?>\n"
GEXF_MIN_SIZE, GEXF_MAX_SIZE = 8.0, 36.0  # the map's node scaling (map_data)
DEFAULT_COLOUR = "#5a5a5a"


def xml_text(value: str) -> str:
    """Replace characters XML 1.0 cannot represent (escaping cannot help with those).

    Examples
    --------
    >>> xml_text("A\\x01B")
    'A�B'
    """
    return XML_INVALID.sub("\ufffd", value)


def _attr(value: object) -> str:
    return quoteattr(xml_text(str(value)))


def _text(value: object) -> str:
    return escape(xml_text(str(value)))


def _days(cg: CompactGraph) -> list[str]:
    return [date.fromordinal(t).isoformat() if t > 0 else "" for t in cg.last.tolist()]


@dataclass
class GexfExtras:
    """What the GEXF carries beyond the graph: map positions (the stored ones, so Gephi
    opens with the app's layout), German labels of kinds and fields of work, and the days of
    each pair's joint activities (spells for Gephi's timeline). All optional."""

    positions: Mapping[int, Position] = field(default_factory=dict)
    kind_labels: Mapping[str, str] = field(default_factory=dict)
    field_labels: Mapping[str, str] = field(default_factory=dict)
    tie_days: Mapping[tuple[int, int], Sequence[date]] = field(default_factory=dict)


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f'r="{red}" g="{green}" b="{blue}"'


def _node_size(degree: int, max_degree: int) -> float:
    """8 to 36 by number of partners, as the map scales its nodes."""
    return round(GEXF_MIN_SIZE + (GEXF_MAX_SIZE - GEXF_MIN_SIZE) * degree / max(max_degree, 1), 2)


def _spell(day: date | None, until: date | None = None) -> str:
    end = f' end="{until.isoformat()}"' if until else ""
    return f'<spell start="{day.isoformat()}"{end} />' if day else ""


def gexf_lines(G: nx.Graph | CompactGraph, extras: GexfExtras | None = None) -> Iterator[str]:
    """GEXF 1.2 (Gephi) that validates against the official schema (``tests/data/gexf-
    1.2draft``): a dynamic graph with dates, German attribute titles and values (Art,
    Handlungsfelder), colour, size and position per node, and per tie one spell for each
    day with a joint activity (a node exists from its first one), so Gephi's timeline shows
    the network grow.

    The official 1.2draft schema declares ``color``, ``position`` and ``size`` in the GEXF
    namespace (with the viz module's types), and Gephi reads them by local name, so they are
    written there; map y grows downwards, Gephi's upwards.
    """
    extras = extras or GexfExtras()
    cg = as_compact(G)
    ids = np.array(cg.ids, dtype=object)
    pairs = list(zip(ids[cg.u].tolist(), ids[cg.v].tolist(), cg.w.tolist(), _days(cg),
                     strict=True))
    first_day: dict[int, date] = {}
    for a, b, _w, _last in pairs:
        days = extras.tie_days.get((min(a, b), max(a, b)), ())
        if days:
            for node in (a, b):
                if node not in first_day or days[0] < first_day[node]:
                    first_day[node] = days[0]
    dynamic = bool(extras.tie_days)
    yield XML_HEADER
    yield ('<gexf xmlns="http://www.gexf.net/1.2draft" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft '
           'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n')
    yield ('  <meta>\n    <creator>Coordinator</creator>\n'
           '    <description>Netzwerk der kommunalen Integrationsarbeit</description>\n'
           '  </meta>\n')
    mode = 'mode="dynamic" timeformat="date"' if dynamic else 'mode="static"'
    yield f'  <graph defaultedgetype="undirected" {mode}>\n'
    yield ('    <attributes class="node" mode="static">\n'
           '      <attribute id="0" title="Art" type="string" />\n'
           '      <attribute id="1" title="Handlungsfelder" type="string" />\n'
           '      <attribute id="3" title="Art (Schlüssel)" type="string" />\n'
           '    </attributes>\n')
    yield ('    <attributes class="edge" mode="static">\n'
           '      <attribute id="2" title="Letzte gemeinsame Aktivität" type="string" />\n'
           '      <attribute id="4" title="Gemeinsame Aktivitäten" type="integer" />\n'
           '    </attributes>\n')
    yield f'    <nodes count="{cg.n}">\n'
    degree = cg.degree.tolist()
    max_degree = max(degree, default=0)
    for i, (node, name, kind, fields) in enumerate(
        zip(cg.ids, cg.names, cg.kinds, cg.fields, strict=True)
    ):
        field_text = "; ".join(extras.field_labels.get(f, f) for f in fields)
        spell = _spell(first_day.get(node)) if dynamic else ""
        x, y = extras.positions.get(node, (0.0, 0.0))
        yield (f'      <node id={_attr(node)} label={_attr(name)}>'
               f'<attvalues><attvalue for="0" value={_attr(extras.kind_labels.get(kind, kind))} />'
               f'<attvalue for="1" value={_attr(field_text)} />'
               f'<attvalue for="3" value={_attr(kind)} /></attvalues>'
               + (f"<spells>{spell}</spells>" if spell else "")
               + f"<color {_rgb(KIND_COLOURS.get(kind, DEFAULT_COLOUR))} />"
               f'<size value="{_node_size(degree[i], max_degree)}" />'
               f'<position x="{round(x, 2)}" y="{round(-y, 2)}" z="0.0" />'
               "</node>\n")
    yield f'    </nodes>\n    <edges count="{cg.m}">\n'
    for number, (a, b, w, day) in enumerate(pairs):
        days = extras.tie_days.get((min(a, b), max(a, b)), ())
        spells = "".join(_spell(d, d) for d in days)
        yield (f'      <edge id="{number}" source={_attr(a)} target={_attr(b)} weight="{w}">'
               f'<attvalues><attvalue for="2" value="{day}" />'
               f'<attvalue for="4" value="{w}" /></attvalues>'
               + (f"<spells>{spells}</spells>" if spells else "")
               + "</edge>\n")
    yield "    </edges>\n  </graph>\n</gexf>\n"


def graphml_lines(G: nx.Graph | CompactGraph) -> Iterator[str]:
    """GraphML with node ``label``, ``kind``, ``fields`` and edge ``weight``, ``last``."""
    cg = as_compact(G)
    yield XML_HEADER
    yield ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    yield ('  <key id="d4" for="edge" attr.name="last" attr.type="string" />\n'
           '  <key id="d3" for="edge" attr.name="weight" attr.type="long" />\n'
           '  <key id="d2" for="node" attr.name="fields" attr.type="string" />\n'
           '  <key id="d1" for="node" attr.name="kind" attr.type="string" />\n'
           '  <key id="d0" for="node" attr.name="label" attr.type="string" />\n')
    yield '  <graph edgedefault="undirected">\n'
    for node, name, kind, fields in zip(cg.ids, cg.names, cg.kinds, cg.fields, strict=True):
        yield (f'    <node id={_attr(node)}><data key="d0">{_text(name)}</data>'
               f'<data key="d1">{_text(kind)}</data>'
               f'<data key="d2">{_text(";".join(fields))}</data></node>\n')
    ids = np.array(cg.ids, dtype=object)
    for a, b, w, day in zip(
        ids[cg.u].tolist(), ids[cg.v].tolist(), cg.w.tolist(), _days(cg), strict=True,
    ):
        yield (f'    <edge source={_attr(a)} target={_attr(b)}><data key="d3">{w}</data>'
               f'<data key="d4">{day}</data></edge>\n')
    yield "  </graph>\n</graphml>\n"


def to_gexf(G: nx.Graph | CompactGraph, extras: GexfExtras | None = None) -> bytes:
    return "".join(gexf_lines(G, extras)).encode("utf-8")


def to_graphml(G: nx.Graph | CompactGraph) -> bytes:
    return "".join(graphml_lines(G)).encode("utf-8")


def _csv(rows, header) -> str:
    buffer = io.StringIO()
    # Every text cell quoted, so a reader splitting on ";" cannot cut a cell open either.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def nodes_csv(G: nx.Graph | CompactGraph) -> str:
    """One row per stakeholder: id, name, kind, fields (``;``-separated), number of ties."""
    cg = as_compact(G)
    return _csv(
        zip(cg.ids, cg.names, cg.kinds, (";".join(f) for f in cg.fields),
            cg.degree.tolist(), strict=True),
        NODE_COLUMNS,
    )


def ties_csv(G: nx.Graph | CompactGraph) -> str:
    """One row per tie: both ids, weight (joint activities), names, date of the last one."""
    cg = as_compact(G)
    ids = np.array(cg.ids, dtype=object)
    names = np.array(cg.names, dtype=object)
    return _csv(
        (
            (a, b, w, "Undirected", name_a, name_b, day)
            for a, b, w, name_a, name_b, day in zip(
                ids[cg.u].tolist(), ids[cg.v].tolist(), cg.w.tolist(),
                names[cg.u].tolist(), names[cg.v].tolist(), _days(cg), strict=True,
            )
        ),
        TIE_COLUMNS,
    )


def csv_zip(G: nx.Graph | CompactGraph) -> bytes:
    """A ZIP archive with ``nodes.csv`` and ``ties.csv`` (UTF-8)."""
    cg = as_compact(G)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes_csv(cg).encode("utf-8"))
        archive.writestr("ties.csv", ties_csv(cg).encode("utf-8"))
    return buffer.getvalue()
