"""Reading the API's query arguments strictly: a bad value is a 400 with every German
message, never a guess (the web pages fall back to page 1; a script should learn of its
mistake)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import request, url_for
from flask_babel import gettext as _

from ..pagination import MAX_PAGE

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


class BadRequest(Exception):
    """Raised with the German messages of every bad argument (answered as a 400 problem)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def integer(name: str, default: int | None, low: int, high: int, errors: list[str]) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors.append(_("%(name)s: „%(value)s“ ist keine ganze Zahl von %(low)d bis %(high)d.",
                        name=name, value=raw[:20], low=low, high=high))
        return default
    return value


def choice(name: str, allowed: tuple[str, ...], errors: list[str]) -> str | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in allowed:
        errors.append(_("%(name)s: „%(value)s“ ist nicht erlaubt (erlaubt: %(allowed)s).",
                        name=name, value=raw[:20], allowed=", ".join(allowed)))
        return None
    return raw


def iso_date(name: str, errors: list[str]) -> date | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("%(name)s: „%(value)s“ ist kein gültiges Datum (erwartet JJJJ-MM-TT).",
                        name=name, value=raw[:20]))
        return None


def text(name: str, max_length: int, errors: list[str]) -> str | None:
    raw = (request.args.get(name) or "").strip()
    if len(raw) > max_length:
        errors.append(_("%(name)s: höchstens %(n)d Zeichen.", name=name, n=max_length))
        return None
    return raw or None


def not_empty(names: tuple[str, ...], errors: list[str]) -> None:
    """An argument given without a value is a mistake, not "no filter" (the API is strict
    where the web forms are lenient)."""
    for name in names:
        if request.args.get(name) == "":
            errors.append(_("%(name)s: Der Wert fehlt.", name=name))


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_request(errors: list[str]) -> PageRequest:
    page = integer("page", 1, 1, MAX_PAGE, errors)
    per_page = integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors)
    return PageRequest(page or 1, per_page or DEFAULT_PER_PAGE)


def page_body(items: list, total: int, paging: PageRequest) -> dict:
    """A page of a list with its counts and the links to the neighbouring pages."""
    pages = max(1, -(-total // paging.per_page))

    def link(page: int) -> str:
        args = request.args.to_dict()
        args.update(page=str(page), per_page=str(paging.per_page))
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    return {
        "items": items,
        "page": paging.page,
        "per_page": paging.per_page,
        "total": total,
        "pages": pages,
        "links": {
            "self": link(paging.page),
            "next": link(paging.page + 1) if paging.page < pages else None,
            "prev": link(min(paging.page - 1, pages)) if paging.page > 1 else None,
        },
    }
