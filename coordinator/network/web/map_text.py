"""The whole-network map as stored JSON text: written once by the queue's job, embedded by
the map page as it is stored.

Coordinators see the text unchanged. For viewers who see pseudonyms, the labels of the
individuals they may not see by name are spliced in: the job notes where each individual's
label lies in the text (:func:`map_text_with_label_spans`), and :func:`with_pseudonyms`
replaces exactly those characters, after checking that each still holds the name the stored
view names for it. Parsing and writing the whole text again took ~0.5 s per web worker and
revision at L (6 MB); splicing takes a few milliseconds. Which individuals are hidden is
decided per request, as everywhere (``pseudonyms.names_for_viewer``), so a name made
non-public is hidden at once, before the job has run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

SEPARATORS = (",", ":")
LABEL_KEY = '"label":'
INDIVIDUAL = "individual"


def json_text(payload: dict) -> str:
    """A map payload as compact JSON text, as the job stores it. ASCII with ``\\u`` escapes,
    as every stored figure: erasing a person searches the stored texts for the name written
    so (``figure_store.purge_figures_naming``)."""
    return json.dumps(payload, separators=SEPARATORS)


def map_text_with_label_spans(payload: dict) -> tuple[str, list[list[int]]]:
    """The payload's JSON text (as :func:`json_text`, its keys in the same order) and, for
    every individual on the map, ``[id, start, end]``: where its label's JSON string lies in
    the text.

    Examples
    --------
    >>> text, spans = map_text_with_label_spans(
    ...     {"nodes": [{"id": 7, "kind": "individual", "label": "Ana"}], "edges": []})
    >>> text
    '{"nodes":[{"id":7,"kind":"individual","label":"Ana"}],"edges":[]}'
    >>> [text[start:end] for _node, start, end in spans]
    ['"Ana"']
    """
    head = '{"nodes":['
    pieces, spans, offset = [head], [], len(head)
    for number, node in enumerate(payload["nodes"]):
        if number:
            pieces.append(",")
            offset += 1
        piece = json.dumps(node, separators=SEPARATORS)
        if node.get("kind") == INDIVIDUAL:
            label = json.dumps(node["label"])
            # A name cannot contain the key: its quotes would be escaped (\").
            start = offset + piece.index(LABEL_KEY + label) + len(LABEL_KEY)
            spans.append([node["id"], start, start + len(label)])
        pieces.append(piece)
        offset += len(piece)
    rest = json_text({key: value for key, value in payload.items() if key != "nodes"})
    pieces.append("]" + ("," + rest[1:] if rest != "{}" else "}"))
    return "".join(pieces), spans


def with_pseudonyms(text: str, spans: list[list[int]] | None, pseudonyms: Mapping[int, str],
                    names: Mapping[int, str]) -> str:
    """``text`` with the label of every individual in ``pseudonyms`` replaced by its
    pseudonym. ``spans``: what :func:`map_text_with_label_spans` noted (``None`` for a text
    stored before spans were); ``names``: the real name of each node, as the stored view
    has it. Where a span is missing or does not hold that name, nothing is guessed: the
    text is parsed and written again."""
    if spans is not None:
        by_node = {node: (start, end) for node, start, end in spans}
        hidden = sorted((by_node[node], node) for node in pseudonyms if node in by_node)
        if len(hidden) == len(pseudonyms) and all(
            text[start:end] == json.dumps(names.get(node)) for (start, end), node in hidden
        ):
            pieces, at = [], 0
            for (start, end), node in hidden:
                pieces += [text[at:start], json.dumps(pseudonyms[node])]
                at = end
            pieces.append(text[at:])
            return "".join(pieces)
    payload = json.loads(text)
    for node in payload["nodes"]:
        if node["id"] in pseudonyms:
            node["label"] = pseudonyms[node["id"]]
    return json_text(payload)


def embeddable_json(text: str) -> Markup:
    """JSON ``text`` made safe to embed in a ``<script type="application/json">`` element by
    Jinja's own ``htmlsafe_json_dumps`` (what ``tojson`` uses), handed the text as what it
    dumped: ``<``, ``>``, ``&`` and ``'`` can only occur inside JSON strings and become
    ``\\u`` escapes, so no name can end the element or open a tag. Applied at every reading,
    so a stored text is never trusted to be escaped already."""
    return htmlsafe_json_dumps(text, dumps=_as_dumped)


def _as_dumped(text: str, **_options) -> str:
    return text
