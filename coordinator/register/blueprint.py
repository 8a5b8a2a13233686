"""The register's blueprint, apart from the view modules so that both can register on it."""

from flask import Blueprint

bp = Blueprint("register", __name__)
