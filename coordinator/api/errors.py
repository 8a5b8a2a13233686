"""Errors of the JSON API as ``application/problem+json`` (RFC 9457), in the user's language."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

API_PREFIX = "/api/v1/"
DOCS_PATH = "/api/v1/"  # the browsable page is HTML

API_MESSAGES = {
    401: _l("Für die API ist ein gültiges persönliches Zugriffstoken nötig: Kopfzeile "
            "„Authorization: Bearer <Token>“. Tokens legen Sie unter „API-Tokens“ an."),
    403: _l("Ihre Rolle erlaubt diese Abfrage nicht."),
    404: _l("Diesen Eintrag oder Pfad gibt es nicht."),
    429: _l("Zu viele Anfragen in kurzer Zeit. Bitte warten Sie eine Minute."),
}


def is_api_request() -> bool:
    """Requests to the API's routes, and to unknown paths under it (no endpoint matched)."""
    if request.blueprint == "api":
        return True
    return request.endpoint is None and request.path.startswith(API_PREFIX) \
        and request.path != DOCS_PATH


def problem(status: int, detail: str | None = None, errors: list[str] | None = None):
    """A problem response; ``errors`` lists every German message of a bad request."""
    from ..errors import MESSAGES

    title, default_detail = MESSAGES.get(status, MESSAGES[500] if status >= 500
                                         else MESSAGES[400])
    body = {
        "type": "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail or API_MESSAGES.get(status) or default_detail),
    }
    if errors:
        body["errors"] = [str(e) for e in errors]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response
