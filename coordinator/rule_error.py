"""A write that a domain's rules forbid, with a German message for the form field it concerns.

Used by the success-measurement packages (indicators, offers, surveys); views show it with
:func:`show_rule_error` after undoing what the failed write had changed.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import flash
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .extensions import db

INVALID_FORM = 422  # a submitted form with errors is shown again with this status


class RuleError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def show_rule_error(form, error: RuleError) -> None:
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors.append(error.message)
    else:
        flash(error.message, "error")



@contextmanager
def committed():
    """Run the writes in the ``with`` block and commit them. A unique constraint hit by a
    concurrent request (on flush or on commit) becomes a :class:`RuleError`: nothing stored,
    the form says so, no server error."""
    try:
        yield
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise RuleError(_("Gleichzeitig wurde derselbe Eintrag gespeichert. Es wurde nichts "
                          "geändert; bitte prüfen Sie die Angaben und senden Sie erneut."),
                        None) from exc
