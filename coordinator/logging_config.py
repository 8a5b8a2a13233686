"""Logging that works in production: one line per event on stderr, under ``flask run`` and
gunicorn alike, e.g.::

    ts=2026-11-30T16:11:04.123Z level=WARNING logger=coordinator.security user=-
    address=10.0.0.7 event=login_failed account=12     (one line, wrapped here)

Every line carries the timestamp (UTC), level, event, acting user id and client address.
E-mail addresses, passwords, tokens and search terms are never logged: the app's own events
log ids only, any e-mail address that still slips into a line (an exception text, a library's
message) is replaced by ``[email]``, and the development server's request lines lose their
query string (where search terms would be). How to ship the log: README, "Protokollierung".
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from flask import g, has_request_context, request

SECURITY = "coordinator.security"
# Loggers whose records go to the app's stderr handler.
APP_LOGGERS = ("coordinator", "flask-limiter")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
QUERY_STRING = re.compile(r"\?[^\s\"]*")
_BARE = re.compile(r"[\w.:/@+>-]+")
_HANDLER_MARK = "_coordinator_stderr"


def quoted(value) -> str:
    text = "-" if value is None else str(value)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def event_message(event: str, **fields) -> str:
    return " ".join([f"event={quoted(event)}",
                     *(f"{key}={quoted(value)}" for key, value in fields.items())])


def log_event(logger: logging.Logger | str, event: str, level: int = logging.INFO, *,
              actor: int | None = None, **fields) -> None:
    """Log one structured event: ``log_event(SECURITY, "login_ok", role="admin")``. The
    acting user and the client address are added by the handler; pass ids, never e-mail
    addresses, passwords, tokens or search terms."""
    if isinstance(logger, str):
        logger = logging.getLogger(logger)
    extra = {"structured": True}
    if actor is not None:  # e.g. after logout, when the request no longer knows the user
        extra["context"] = (str(actor), _request_context()[1])
    logger.log(level, "%s", event_message(event, **fields), extra=extra)


def redact_emails(text: str) -> str:
    return EMAIL.sub("[email]", text)


def _request_context() -> tuple[str, str]:
    """The acting user's id (only if Flask-Login already loaded it: logging must not query
    the database) and the client address, or "-" and "cli" outside a request."""
    if not has_request_context():
        return "-", "cli"
    user = g.get("_login_user")
    user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    return ("-" if user_id is None else str(user_id)), (request.remote_addr or "-")


class EventFormatter(logging.Formatter):
    """``ts=… level=… logger=… user=… address=… event=… key=value …`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        user_id, address = getattr(record, "context", None) or _request_context()
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        parts = [f"ts={stamp.replace('+00:00', 'Z')}", f"level={record.levelname}",
                 f"logger={record.name}", f"user={user_id}", f"address={quoted(address)}"]
        message = record.getMessage()
        if getattr(record, "structured", False):
            parts.append(message)
        else:
            parts.append(f"event=message msg={quoted(message)}")
        if record.exc_info:
            parts.append(f"exc={quoted(self.formatException(record.exc_info))}")
        return redact_emails(" ".join(parts))


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (gunicorn and test runners replace
    it after start-up)."""

    def __init__(self):
        super().__init__()
        setattr(self, _HANDLER_MARK, True)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def outside_requests_only_warnings(record: logging.LogRecord) -> bool:
    """CLI commands print their own German summary; their INFO records (e.g. the import
    counts) would only interleave with it. Security events and warnings always pass."""
    return (record.levelno >= logging.WARNING or record.name == SECURITY
            or has_request_context())


def strip_query_strings(record: logging.LogRecord) -> bool:
    """Filter for the development server's request log: no query string (search terms)."""
    if record.args and isinstance(record.args, tuple):
        record.args = tuple(QUERY_STRING.sub("?…", a) if isinstance(a, str) else a
                            for a in record.args)
    return True


def configure_logging(app) -> None:
    """Attach one stderr handler (idempotent: apps created again reuse it) at ``LOG_LEVEL``
    (default INFO, so security events are always written)."""
    from flask.logging import default_handler

    level = logging.getLevelName(str(app.config.get("LOG_LEVEL", "INFO")).upper())
    if not isinstance(level, int):
        raise RuntimeError(f"LOG_LEVEL ungültig: {app.config.get('LOG_LEVEL')!r}")
    for name in APP_LOGGERS:
        logger = logging.getLogger(name)
        logger.removeHandler(default_handler)
        for handler in [h for h in logger.handlers if getattr(h, _HANDLER_MARK, False)]:
            logger.removeHandler(handler)
        handler = StderrHandler()
        handler.setFormatter(EventFormatter())
        handler.addFilter(outside_requests_only_warnings)
        logger.addHandler(handler)
        logger.setLevel(level)
    werkzeug = logging.getLogger("werkzeug")
    if strip_query_strings not in werkzeug.filters:
        werkzeug.addFilter(strip_query_strings)
