"""Template globals and filters shared by every page."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale

from .access import ACTIVITY_LOGGERS, ALL_ROLES, EDITORS, can_edit_activity, has_role
from .activities.models import ACTIVITY_KIND_LABELS, ActivityKind
from .auth.models import Role
from .register.models import STAKEHOLDER_KIND_LABELS, StakeholderKind


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (pagination, sorting)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def init_templating(app) -> None:
    app.jinja_env.globals.update(
        has_role=has_role,
        can_edit_activity=can_edit_activity,
        Role=Role,
        EDITORS=EDITORS,
        ACTIVITY_LOGGERS=ACTIVITY_LOGGERS,
        ALL_ROLES=ALL_ROLES,
        StakeholderKind=StakeholderKind,
        ActivityKind=ActivityKind,
        STAKEHOLDER_KIND_LABELS=STAKEHOLDER_KIND_LABELS,
        ACTIVITY_KIND_LABELS=ACTIVITY_KIND_LABELS,
        url_with=url_with,
        has_endpoint=has_endpoint,
        get_locale=get_locale,
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["decimal"] = lambda value, fmt="#,##0.0": format_decimal(value, fmt)
    app.jinja_env.filters["quarter"] = quarter_title_of


def quarter_title_of(quarter: int) -> str:
    """A quarter number (``trend.quarter_of``) as the pages write it: "Q1 2026"."""
    from .network.analysis.trend import quarter_label
    from .network.web.map_extras import quarter_title

    return quarter_title(quarter_label(quarter))


def _format_datetime(value, fmt: str = "medium") -> str:
    """``short`` is the date as everywhere else (four-digit year) with hours and minutes,
    not Babel's "30.11.26, 14:47" that stood beside "30.11.2026" on the same page."""
    if not value:
        return ""
    if fmt == "short":
        return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"
    return format_datetime(value, fmt)


def precompile_templates(app) -> int:
    """Compile every HTML template now, not in the first request that needs it: the
    production entry (``wsgi.py``) calls it, so that the first visitor after a worker
    (re)start does not wait for Jinja (the dashboard's templates: ~120 ms at S; all 77
    templates: ~0.7 s once per worker, or once in total with gunicorn's ``--preload``).
    Returns how many were compiled."""
    names = [name for name in app.jinja_env.list_templates() if name.endswith(".html")]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
