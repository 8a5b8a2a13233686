"""The network export downloads (``/network/export/<fmt>``), made by the queue.

A request never loads the graph: it looks up the file of its scope, format, viewer class and
data revision (``data/export_store.py``). A file that is ready is sent (gzip-compressed as
stored when the browser accepts that, else unpacked as it streams out); otherwise the job is
enqueued and the page says "Export wird erstellt …" and reloads itself (a meta refresh, no
script), so the download starts once the file is there. With the immediate queue (tests)
the first request finds the file ready.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from datetime import date, timedelta

from flask import Response, render_template, request
from flask_babel import force_locale, get_locale

from ...extensions import db
from ...timeutil import utcnow
from ..analysis.compact import CompactGraph
from ..data.export_store import (
    FAILED,
    LEASE,
    PENDING,
    READY,
    RUNNING,
    ExportKey,
    ExportState,
    export_content,
    export_state,
    previous_export,
    request_export,
)
from ..data.figure_store import figure_key
from ..data.graph_loading import load_compact
from ..data.newcomers import counted
from ..data.revision import current_revision
from ..data.scope import Scope
from . import exports
from .pseudonyms import pseudonymised, sees_names

# format in the URL → (media type, file name without the date)
EXPORT_FILES = {
    "gexf": ("application/gexf+xml", "netzwerk.gexf"),
    "graphml": ("application/graphml+xml", "netzwerk.graphml"),
    "nodes.csv": ("text/csv", "netzwerk-akteure.csv"),
    "ties.csv": ("text/csv", "netzwerk-verbindungen.csv"),
}
NAMES = "names"
REFRESH_SECONDS = 3
ASK_AGAIN_AFTER = timedelta(minutes=2)  # a pending file whose message may have been lost
CHUNK = 256 * 1024


def viewer_class() -> str:
    """Whose names the file may carry: ``names`` (coordinators, admins), else pseudonyms in
    the viewer's language ("Einzelperson 3" / "Individual 3")."""
    if sees_names():
        return NAMES
    locale = get_locale()
    return f"pseudonyms:{locale.language if locale else 'de'}"


def render_export(scope: Scope, fmt: str, viewer: str) -> bytes:
    """The file's bytes, exactly as the download had them when the request made them (the
    job's work)."""
    graph: CompactGraph = counted(scope, load_compact(scope)).graph
    if viewer != NAMES:
        with force_locale(viewer.partition(":")[2] or "de"):
            graph = pseudonymised(graph)
    if fmt == "gexf":
        from .gexf_extras import gexf_extras

        return exports.to_gexf(graph, gexf_extras(scope, graph))
    if fmt == "graphml":
        return exports.to_graphml(graph)
    if fmt == "nodes.csv":
        return exports.nodes_csv(graph).encode("utf-8")
    if fmt == "ties.csv":
        return exports.ties_csv(graph).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def export_response(scope: Scope, fmt: str):
    """The file, or the page that waits for it."""
    from ..jobs.queue import network_queue

    key = ExportKey(figure_key(scope), fmt, viewer_class(), current_revision())
    state = export_state(key)
    if request.args.get("previous") == "1" and (state is None or state.status != READY):
        previous = previous_export(key)
        if previous is not None:
            return _file(previous.key)
    retry = request.args.get("retry") == "1" and state is not None and state.status == FAILED
    lost = state is not None and _lost(state)
    if state is None or retry or lost:
        request_export(key, scope, again=retry or lost)
        network_queue().enqueue_export(*key.args())
        db.session.rollback()  # a fresh snapshot: the row as just written (or made, when immediate)
        state = export_state(key)
    if state is not None and state.status == READY:
        return _file(key)
    return render_template(
        "network/export_status.html", fmt=fmt, scope=scope, state=state,
        failed=state is not None and state.status == FAILED,
        previous=previous_export(key), refresh_seconds=(
            None if state is not None and state.status == FAILED else REFRESH_SECONDS),
    ), 200 if state is not None and state.status == FAILED else 202


def _lost(state: ExportState) -> bool:
    """Queued so long ago that the message may be lost, or claimed by a worker that died."""
    now = utcnow()
    if state.status == PENDING:
        return now - state.created_at > ASK_AGAIN_AFTER
    return state.status == RUNNING and state.started_at is not None and \
        now - state.started_at > LEASE


def _file(key: ExportKey) -> Response:
    media_type, name = EXPORT_FILES[key.fmt]
    stem, extension = name.split(".", 1)
    compressed = export_content(key) or gzip.compress(b"")
    headers = {"Content-Disposition": f'attachment; filename="{stem}-{date.today()}.{extension}"',
               "Vary": "Accept-Encoding"}
    if "gzip" in request.accept_encodings:
        headers["Content-Encoding"] = "gzip"
        return Response(compressed, mimetype=media_type, headers=headers)
    state: ExportState | None = export_state(key)
    if state is not None and state.size is not None:
        headers["Content-Length"] = str(state.size)
    # Needs no request context while it streams: the compressed file is already read.
    return Response(_unpacked(compressed), mimetype=media_type, headers=headers)


def _unpacked(compressed: bytes) -> Iterator[bytes]:
    with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk
