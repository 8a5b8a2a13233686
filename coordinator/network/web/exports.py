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
from collections.abc import Iterator
from datetime import date
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import numpy as np

from ...tabular import neutralise
from ..analysis.compact import CompactGraph, as_compact

# Everything outside the XML 1.0 character range (NUL, most control characters, surrogates).
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NODE_COLUMNS = ("Id", "Label", "Art", "Handlungsfelder", "Verbindungen")
TIE_COLUMNS = ("Source", "Target", "Weight", "Type", "Quelle", "Ziel", "Letzte_Aktivitaet")
XML_HEADER = "<?xml version='1.0' encoding='utf-8'?>\n"


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


def gexf_lines(G: nx.Graph | CompactGraph) -> Iterator[str]:
    """GEXF 1.2 (Gephi), as networkx writes it: node labels, ``kind`` and ``fields`` as node
    attributes, ``weight`` on the edge element and ``last`` as an edge attribute."""
    cg = as_compact(G)
    yield XML_HEADER
    yield ('<gexf xmlns="http://www.gexf.net/1.2draft" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft '
           'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n')
    yield '  <meta>\n    <creator>Coordinator</creator>\n  </meta>\n'
    yield '  <graph defaultedgetype="undirected" mode="static" name="">\n'
    yield ('    <attributes mode="static" class="edge">\n'
           '      <attribute id="2" title="last" type="string" />\n    </attributes>\n')
    yield ('    <attributes mode="static" class="node">\n'
           '      <attribute id="0" title="kind" type="string" />\n'
           '      <attribute id="1" title="fields" type="string" />\n    </attributes>\n')
    yield "    <nodes>\n"
    for node, name, kind, fields in zip(cg.ids, cg.names, cg.kinds, cg.fields, strict=True):
        yield (f'      <node id={_attr(node)} label={_attr(name)}><attvalues>'
               f'<attvalue for="0" value={_attr(kind)} />'
               f'<attvalue for="1" value={_attr(";".join(fields))} />'
               "</attvalues></node>\n")
    yield "    </nodes>\n    <edges>\n"
    ids = np.array(cg.ids, dtype=object)
    for number, (a, b, w, day) in enumerate(zip(
        ids[cg.u].tolist(), ids[cg.v].tolist(), cg.w.tolist(), _days(cg), strict=True,
    )):
        yield (f'      <edge source={_attr(a)} target={_attr(b)} id="{number}" weight="{w}">'
               f'<attvalues><attvalue for="2" value="{day}" /></attvalues></edge>\n')
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


def to_gexf(G: nx.Graph | CompactGraph) -> bytes:
    return "".join(gexf_lines(G)).encode("utf-8")


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
