"""One way to read the ``page`` argument and paginate a query, for every list page."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from .extensions import db

# Far beyond any real list; keeps OFFSET inside the database's integer range.
MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    """The ``page`` query argument; anything that is not a number from 1 to MAX_PAGE means the
    nearest valid page (garbage means page 1)."""
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def paginate(query: Select) -> Pagination:
    """Paginate ``query`` with the configured page size; a page past the end is empty, not 404."""
    per_page = current_app.config["PER_PAGE"]
    return db.paginate(
        query,
        page=page_number(request.args.get("page")),
        per_page=per_page,
        max_per_page=per_page,
        error_out=False,
    )
