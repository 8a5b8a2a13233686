"""The export job: write one network export file (GEXF, GraphML, CSV) for a scope, format,
viewer class and data revision, and store it gzip-compressed (``data/export_store.py``).

The page that asked for it shows "Export wird erstellt …" and reloads itself until the
file is there. A failure is logged and noted on the row; the page shows it in German and
still offers the previous file. The row is the lock: only the worker that claimed it writes
the file (a lost worker's claim runs out after ``export_store.LEASE``).
"""

from __future__ import annotations

import gzip
import logging
import time

from ..data.export_store import ExportKey, claim_export, fail_export, finish_export

log = logging.getLogger("coordinator.network.jobs")
COMPRESSION_LEVEL = 6  # zlib's default: most of level 9's gain at a third of its time


def run_export(scope_key: str, fmt: str, viewer: str, revision: int) -> bool:
    """Make the file if nobody else is making it; whether this call made it."""
    from ..web.export_files import render_export

    key = ExportKey(scope_key, fmt, viewer, revision)
    scope = claim_export(key)
    if scope is None:
        return False
    started = time.perf_counter()
    try:
        content = render_export(scope, fmt, viewer)
        compressed = gzip.compress(content, COMPRESSION_LEVEL)
        finish_export(key, compressed, len(content))
    except Exception as exc:
        log.exception("network export failed: scope=%s format=%s", scope_key, fmt)
        try:
            fail_export(key, f"{exc.__class__.__name__}: {exc}")
        except Exception:
            log.exception("network export state not saved: scope=%s format=%s", scope_key, fmt)
        return False
    log.info("network export written: scope=%s format=%s viewer=%s revision=%s bytes=%s "
             "compressed=%s duration_ms=%s", scope_key, fmt, viewer, revision, len(content),
             len(compressed), int((time.perf_counter() - started) * 1000))
    return True
