"""German error pages for every HTTP error and for unexpected exceptions: no request ends in a
traceback page, and nothing reveals versions or internals."""

from __future__ import annotations

import logging

from flask import current_app, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

log = logging.getLogger("coordinator")

MESSAGES = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    401: (_l("Anmeldung erforderlich"), _l("Bitte melden Sie sich an.")),
    403: (
        _l("Keine Berechtigung"),
        _l("Ihre Rolle erlaubt diese Seite oder Aktion nicht. Wenden Sie sich bei Bedarf an "
           "die Administration."),
    ),
    404: (_l("Seite nicht gefunden"), _l("Diese Seite gibt es nicht (mehr).")),
    405: (_l("Methode nicht erlaubt"), _l("Diese Aktion ist auf diesem Weg nicht möglich.")),
    409: (
        _l("Bearbeitungskonflikt"),
        _l("Der Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie ihn "
           "neu und übernehmen Sie Ihre Änderungen erneut."),
    ),
    413: (_l("Datei zu groß"), _l("Die hochgeladene Datei ist zu groß (höchstens 5 MB).")),
    429: (
        _l("Zu viele Versuche"),
        _l("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie einige Minuten."),
    ),
    500: (
        _l("Interner Fehler"),
        _l("Etwas ist schiefgegangen. Es wurde nichts gespeichert. Bitte versuchen Sie es "
           "erneut."),
    ),
}


def render_error(code: int, message: str | None = None):
    from .api.errors import is_api_request, problem

    if is_api_request():
        return problem(code, message)
    title, default_text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default_text
    ), code


def _handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    response = make_response(render_error(error.code, _specific_message(error.code)))
    # Keep the headers the exception carries: a 405 must say which methods are allowed
    # (RFC 9110 §15.5.6), a 401 its challenge.
    for key, value in error.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def _specific_message(code: int) -> str | None:
    """A 413 for a request within the size limit was refused for its form fields (too many
    parts, or one text field too large), not for the size of a file."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if code == 413 and limit and (request.content_length or 0) <= limit:
        return str(_l("Das Formular enthält zu viele oder zu große Felder."))
    return None


def _handle_csrf(_error: CSRFError):
    log.info("csrf failure endpoint=%s", request.endpoint)
    return render_error(
        400,
        str(_l("Das Formular ist abgelaufen oder ungültig (Sicherheitsprüfung). Bitte laden Sie "
               "die Seite neu und senden Sie es erneut.")),
    )


def _handle_stale(_error: StaleDataError):
    db.session.rollback()
    return render_error(409)


def _handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _handle_http(error)
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def register_error_handlers(app) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(StaleDataError, _handle_stale)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)
