"""Response times of the main pages through the real app (Flask test client, logged in as
the coordinator, production configuration), cold and warm, and the bytes a browser loads for
the map page.

"Nothing cached" (cold) means, before each single request, every per-process memo is emptied
(parsed stored figures, metrics and graph memos: ``network.data.memo.clear_process_memos``).
The stored figures are read as in production: pages never compute (issue 8), the queue's job
keeps them in the database — data, not a cache — and the benchmark computes them in the
foreground before measuring (``refresh_scopes``). Jinja's compiled templates and the
connection pool are kept (a worker that has answered one request has them). A second pass
(size S), "new app", starts each request from a new app object as ``wsgi.py`` builds it for
gunicorn (templates compiled at start-up, no pooled connections; the first request of each
page in that app, after the login).
"""

from __future__ import annotations

import gzip
import math
import re
import statistics
import time

from flask import Flask
from sqlalchemy import func, select

from benchmarks.bench_app import logged_in_client, make_app
from coordinator.activities.models import JointActivity, participation
from coordinator.extensions import db
from coordinator.templating import precompile_templates

DEFINITION = (
    "cold = nothing cached in the process: before each request every per-process memo "
    "emptied (parsed stored figures, metrics and graph memos); the stored figures the queue's "
    "job keeps are read as in production (computed before measuring); compiled templates and "
    "pooled DB connections kept. new app: as cold, in a new app object as wsgi.py builds "
    "it (templates compiled at start-up, no pooled connections), first request of each "
    "page after the login."
)
ASSET = re.compile(
    r'<(?:script[^>]*\ssrc|link[^>]*\srel="(?:stylesheet|icon)"[^>]*\shref)="([^"]+)"'
)


def main_pages(app: Flask) -> dict[str, str]:
    """Name → URL of every main page; the stakeholder pages show the best-connected
    stakeholder (the largest ego network and partner list), the activity page its latest."""
    with app.app_context():
        hub = db.session.execute(
            select(participation.c.stakeholder_id, func.count().label("n"))
            .group_by(participation.c.stakeholder_id).order_by(func.count().desc()).limit(1)
        ).first()[0]
        activity = db.session.scalar(select(func.max(JointActivity.id)))
        db.session.rollback()
    return {
        "dashboard": "/",
        "map": "/network/",
        "ego view": f"/network/ego/{hub}",
        "node table": "/network/table",
        "tie table": "/network/ties",
        "stakeholder list": "/stakeholders/",
        "stakeholder detail": f"/stakeholders/{hub}",
        "activity list": "/activities/",
        "activity detail": f"/activities/{activity}",
        "report": "/report",
    }


def empty_caches(app: Flask) -> None:
    """Forget what this process memoised; compute the stored figures of every scope whose
    figures are stale (in the foreground, not timed)."""
    from coordinator.network.data.memo import clear_process_memos
    from coordinator.network.jobs.refresh import refresh_scopes

    with app.app_context():
        refresh_scopes(None)
        db.session.rollback()
    clear_process_memos()


def timed_get(client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    body = response.get_data()
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered HTTP {response.status_code}")
    return elapsed, len(body)


def time_pages_cold(app: Flask, client, pages: dict[str, str], runs: int,
                    every_mode: bool) -> dict:
    """Each page ``runs`` times with nothing cached in the process; with ``every_mode`` also
    as the first request in a new app object. Median and slowest of each."""
    modes = ("cold", "new_process") if every_mode else ("cold",)
    times = {name: {mode: [] for mode in modes} for name in pages}
    sizes = {}
    for _ in range(runs):
        fresh_app = make_app(app.config["SQLALCHEMY_DATABASE_URI"]) if every_mode else None
        if fresh_app is not None:
            precompile_templates(fresh_app)  # as wsgi.py does for gunicorn
        fresh_client = logged_in_client(fresh_app) if every_mode else None
        for name, url in pages.items():
            for mode in modes:
                empty_caches(app)
                seconds, sizes[name] = timed_get(
                    fresh_client if mode == "new_process" else client, url)
                times[name][mode].append(seconds)
        if fresh_app is not None:
            with fresh_app.app_context():
                db.engine.dispose()
    result = {}
    for name, url in pages.items():
        result[name] = {"url": url, "bytes": sizes[name], "runs": runs}
        for mode, values in times[name].items():
            result[name][f"{mode}_s"] = statistics.median(values)
            result[name][f"{mode}_max_s"] = max(values)
    return result


def time_pages_warm(client, pages: dict[str, str], repeat: int) -> dict:
    """Median and 95th percentile of ``repeat`` requests per page, after one unmeasured
    request that fills the caches."""
    result = {}
    for name, url in pages.items():
        timed_get(client, url)
        times = [timed_get(client, url)[0] for _ in range(repeat)]
        result[name] = {"url": url, "warm_median_s": statistics.median(times),
                        "warm_p95_s": percentile(times, 95), "warm_max_s": max(times),
                        "runs": repeat}
    return result


def map_page_bytes(client, url: str = "/network/") -> dict:
    """The map page's HTML plus every script, stylesheet and icon it references (as served
    by the app), raw and gzip-compressed (level 6, what a typical proxy sends)."""
    html = client.get(url).get_data()
    assets = {}
    for href in dict.fromkeys(ASSET.findall(html.decode())):
        response = client.get(href.replace("&amp;", "&"))
        assets[href] = response.get_data()
        response.close()
    every = [html, *assets.values()]
    return {
        "html_bytes": len(html),
        "asset_bytes": sum(len(b) for b in assets.values()),
        "total_bytes": sum(len(b) for b in every),
        "total_gzip_bytes": sum(len(gzip.compress(b, 6)) for b in every),
        "assets": {href: len(body) for href, body in assets.items()},
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
