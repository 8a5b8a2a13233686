"""The register's blueprint, apart from the view modules so that both can register on it, and
the little they share."""

from flask import Blueprint, flash

from ..extensions import db
from .operations import RegisterRuleError

bp = Blueprint("register", __name__)

INVALID_FORM = 422  # a submitted form with errors is shown again with this status


def show_rule_error(form, error: RegisterRuleError) -> None:
    """Attach a rule violation to its form field (or flash it), after undoing any change."""
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors.append(error.message)
    else:
        flash(error.message, "error")
