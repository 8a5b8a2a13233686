"""The one job: bring the stored figures of a scope up to the current data revision.

The ``network_job`` row of a scope is its lock. A worker claims it with one conditional
``UPDATE`` (free, or the lease of a killed worker ran out), computes, stores the figures and
releases it in one transaction. Whoever finds the row claimed does nothing: the holder
checks the revision again after releasing and computes once more if writes came in
meanwhile. So a burst of 100 writes costs at most two computations per scope, and at most
one computation per scope runs at any time across all processes and hosts.

A failure is logged, noted on the row (``last_error``, ``attempts``) and re-raised so that
Huey retries the task; the previous figures stay stored and visible.
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ...database import write_intent
from ...decimal_input import whole_number
from ...extensions import db
from ...freed_memory import trim_freed_memory
from ...timeutil import utcnow
from ..data.fading_ties import load_pair_histories
from ..data.figure_store import (
    FADING,
    MAP,
    MEMBERS,
    METRICS,
    VIEW,
    WHAT_IF,
    is_fresh,
    scope_from_job,
    store_figures,
    stored_row,
)
from ..data.models import NetworkJob
from ..data.revision import current_revision
from ..data.stored_figures import compute_scope

log = logging.getLogger("coordinator.network.jobs")
# Renewed every third of its length while a job computes (_kept_alive), so a computation
# may take longer than this (L: 3 minutes cold); a killed worker's scope is free again
# after one lease at most, or at once when a worker on the same host starts.
DEFAULT_LEASE = timedelta(minutes=1)
MAX_ROUNDS = 3  # a scope recomputed more often in one call is written to without pause


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:6]}"


def lease_length() -> timedelta:
    return timedelta(seconds=current_app.config.get(
        "NETWORK_JOB_LEASE_SECONDS", DEFAULT_LEASE.total_seconds()))


def release_orphaned_leases() -> int:
    """Free the scopes claimed by workers of this host whose process is gone (killed, the
    machine restarted): a new worker need not wait for their leases to run out. Returns how
    many were freed. Only on POSIX, where ``kill(pid, 0)`` asks without sending anything."""
    if os.name != "posix":
        return 0
    prefix = f"{socket.gethostname()}:"
    freed = 0
    with write_intent():
        held = db.session.execute(select(NetworkJob.key, NetworkJob.lease_owner).where(
            NetworkJob.lease_owner.like(f"{prefix}%"))).all()
        for key, owner in held:
            pid = whole_number(owner[len(prefix):].split(":", 1)[0])
            if pid is not None and not _process_alive(pid):
                freed += db.session.execute(
                    update(NetworkJob).where(NetworkJob.key == key,
                                             NetworkJob.lease_owner == owner)
                    .values(lease_owner=None, lease_until=None)).rowcount
        db.session.commit()
    if freed:
        log.warning("network jobs of ended workers released: %s", freed)
    return freed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Fewer passes of the cyclic garbage collector while a job computes. A computation
    makes millions of small objects (rows, the map's node and edge dicts) that live until it
    ends and form no cycles worth chasing; the collector's repeated passes over them took
    about a tenth of a computation at M (2.5 → 2.25 s on PostgreSQL). The thresholds are the
    process's, so they are restored at once."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 100_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@contextmanager
def _kept_alive(key: str, owner: str) -> Iterator[None]:
    """Renew the claim on ``key`` every third of the lease while the block runs."""
    app = current_app._get_current_object()
    lease = lease_length()
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease.total_seconds() / 3):
            try:
                with app.app_context(), write_intent(), db.engine.begin() as connection:
                    connection.execute(
                        update(NetworkJob.__table__)
                        .where(NetworkJob.key == key, NetworkJob.lease_owner == owner)
                        .values(lease_until=utcnow() + lease))
            except Exception:  # the next renewal tries again; the job itself goes on
                log.warning("network job lease not renewed: scope=%s", key, exc_info=True)

    thread = threading.Thread(target=renew, name=f"lease-{key}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def refresh_scopes(keys: list[str] | None) -> int:
    """Refresh the given scopes (``None``: every stored scope that is stale); returns the
    number of computations run by this call."""
    if keys is None:
        keys = stale_keys()
    return sum(refresh_scope(key) for key in keys)


def stale_keys() -> list[str]:
    """Scopes whose figures are older than the data, or whose lease ran out."""
    revision = current_revision()
    today = date.today()
    keys = []
    for job in db.session.scalars(select(NetworkJob).order_by(NetworkJob.last_read_at.desc())):
        if not is_fresh(stored_row(METRICS, job.key), revision, today, scope_from_job(job)):
            keys.append(job.key)
    db.session.rollback()  # end the read transaction: each job claims in its own
    return keys


def refresh_scope(key: str, owner: str | None = None) -> int:
    owner = owner or worker_name()
    done = 0
    for _round in range(MAX_ROUNDS):
        job = _claim(key, owner)
        if job is None:
            return done  # another worker holds it (or the scope was evicted)
        scope = scope_from_job(job)
        revision = current_revision()
        today = date.today()
        if is_fresh(stored_row(METRICS, key), revision, today, scope):
            _release(key, owner)
            return done
        started = time.perf_counter()
        try:
            from ..web.tables import ranked_ties_for_table
            from ..web.view_models import build_network_view, stored_view_and_map
            from ..web.what_if import what_if_figures

            with _kept_alive(key, owner), _rare_collections():
                computed = compute_scope(scope, today)
                metrics = computed.metrics
                what_if = what_if_figures(scope, computed)
                computed.graph.drop_csr()  # the rest works on the tie arrays (L: −64 MB)
                network_view = build_network_view(scope, computed)
                view, map_text = stored_view_and_map(network_view)
                del network_view
                ranked_ties = ranked_ties_for_table(computed.graph)
                fading = load_pair_histories(scope, today, computed.ties)
                members = computed.members_payload()
                del computed  # the graph and tie rows, before the figures are written
            trim_freed_memory()
            duration_ms = int((time.perf_counter() - started) * 1000)
            db.session.rollback()  # end the read snapshot; SQLite writes from a fresh one
            with write_intent():
                store_figures(key, revision, {METRICS: metrics.to_dict(names=False),
                                              VIEW: view, FADING: fading,
                                              WHAT_IF: what_if,
                                              MEMBERS: members, MAP: map_text},
                             ranked_ties)
                db.session.execute(
                    update(NetworkJob)
                    .where(NetworkJob.key == key, NetworkJob.lease_owner == owner)
                    .values(lease_owner=None, lease_until=None, attempts=0, last_error=None,
                            finished_at=utcnow(), duration_ms=duration_ms,
                            computed_revision=revision)
                )
                db.session.commit()
            done += 1
            log.info("network figures computed: scope=%s revision=%s duration_ms=%s",
                     key, revision, duration_ms)
        except Exception as exc:
            db.session.rollback()
            _fail(key, owner, exc)
            raise
        # Writes that came in while computing: their tasks found the row claimed and left,
        # so look once more now that the lease is released.
        if current_revision() == revision:
            db.session.rollback()
            return done
        db.session.rollback()
    return done


def _claim(key: str, owner: str) -> NetworkJob | None:
    now = utcnow()
    lease = lease_length()
    db.session.rollback()
    with write_intent():
        claimed = db.session.execute(
            update(NetworkJob)
            .where(NetworkJob.key == key,
                   or_(NetworkJob.lease_until.is_(None), NetworkJob.lease_until < now))
            .values(lease_owner=owner, lease_until=now + lease, started_at=now)
        ).rowcount
        db.session.commit()
    if claimed != 1:
        return None
    return db.session.get(NetworkJob, key)


def _release(key: str, owner: str) -> None:
    db.session.rollback()
    with write_intent():
        db.session.execute(
            update(NetworkJob).where(NetworkJob.key == key, NetworkJob.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )
        db.session.commit()


def _fail(key: str, owner: str, exc: Exception) -> None:
    log.exception("network figures failed: scope=%s", key)
    try:
        with write_intent():
            db.session.execute(
                update(NetworkJob)
                .where(NetworkJob.key == key, NetworkJob.lease_owner == owner)
                .values(lease_owner=None, lease_until=None,
                        attempts=NetworkJob.attempts + 1,
                        last_error=f"{exc.__class__.__name__}: {exc}"[:300])
            )
            db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("network job state not saved: scope=%s", key)

