"""Parts of a page rendered once per stored figures, not once per request.

The dashboard's figures (cards, trend charts, matrices, lists) depend only on the scope's
stored figures, the viewer's class (names or pseudonyms), the language and a few query
arguments; rendering them took 35–45 ms of every dashboard request at M. A page renders its
own per-request parts (navigation, CSRF tokens, freshness, case health) around a marked slot
and the memoised fragment goes into it.

The fragment is the output of an autoescaping template, never user text; the slot is an
HTML comment that escaped user text cannot contain (``<`` becomes ``&lt;``), and only the
first one, which the page's own template wrote, is filled.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import render_template
from flask_babel import get_locale

from .extensions import db
from .network.data.memo import LatestMemo

SLOT = "<!-- coordinator:fragment -->"
_rendered = LatestMemo(32)  # a few scopes × languages × viewer classes; ~150 KB each at M


def cached_fragment(key: tuple[Hashable, ...], version: Hashable, template: str,
                    context: Callable[[], dict]) -> str:
    """``template`` rendered with what ``context()`` returns, once per ``key`` and
    ``version`` in this process (``context`` is called only then); a new version replaces
    the old one.

    ``key`` must name everything the fragment depends on apart from the database, the
    language (added here) and ``version``: for stored figures their scope key, and their
    computation time as the version."""
    full_key = (str(db.engine.url), str(get_locale()), template, *key)
    html = _rendered.get(full_key, version)
    if html is None:
        html = render_template(template, **context())
        _rendered.put(full_key, version, html)
    return html


def page_with_fragment(template: str, fragment: str, **context) -> str:
    """``template`` rendered with ``context``, its :data:`SLOT` replaced by ``fragment``."""
    page = render_template(template, **context)
    head, found, tail = page.partition(SLOT)
    if not found:
        raise ValueError(f"{template} has no fragment slot")
    return head + fragment + tail
