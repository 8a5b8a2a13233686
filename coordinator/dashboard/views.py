from flask import Blueprint, render_template

from ..access import ALL_ROLES, roles

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@roles(ALL_ROLES)
def index():
    return render_template("dashboard/index.html")
