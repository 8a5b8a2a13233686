"""Timestamps are stored as naive UTC on every database (SQLite has no time zones);
Flask-Babel converts them to Europe/Berlin for display."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
