"""The page on which every user creates and revokes personal access tokens for the API.
Cookie-authenticated and CSRF-protected like every other form; a new token is shown exactly
once, in the response to the POST that created it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import ALL_ROLES, roles
from ..extensions import db
from ..timeutil import utcnow
from . import tokens
from .forms import TokenForm

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _render(form: TokenForm, new_token: str | None = None, status: int = 200):
    return render_template(
        "api/tokens.html", form=form, tokens=tokens.tokens_of(current_user),
        new_token=new_token, now=utcnow(),
    ), status


@bp.route("/", methods=["GET", "POST"])
@roles(ALL_ROLES)
def index():
    form = TokenForm()
    if not form.validate_on_submit():
        return _render(form, status=400 if form.is_submitted() else 200)
    try:
        _token, text = tokens.create_token(current_user, form.name.data, int(form.lifetime.data))
    except (tokens.TokenRuleError, ValueError) as error:
        db.session.rollback()
        form.name.errors.append(getattr(error, "message", _("Ungültige Gültigkeitsdauer.")))
        return _render(form, status=400)
    db.session.commit()
    # Shown in this response only; it is neither stored nor put into the session.
    return _render(TokenForm(formdata=None), new_token=text)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@roles(ALL_ROLES)
def revoke(token_id: int):
    token = tokens.revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    flash(_("Das Token „%(name)s“ wurde widerrufen.", name=token.name), "success")
    return redirect(url_for(".index"))
