"""Coordinator: the collaboration network of municipal integration work, visible and measurable.

``create_app`` reads like a table of contents; each ``register_*`` step lives beside what it
registers.
"""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .config import load_config
from .database import MAX_ID
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .logging_config import configure_logging

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    configure_logging(app)
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_url_converters(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from .database import configure_engine
    from .i18n import select_locale

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"
    from .auth import sessions  # noqa: F401  (registers the user loader)
    from .network.data.revision import track_revisions
    from .network.jobs.queue import init_queue

    track_revisions(db.session)  # every write to the network's data bumps its revision
    init_queue(app)  # the network figures' task queue (Huey)

    if app.config.get("PROXY_FIX_X_FOR"):
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=int(app.config["PROXY_FIX_X_FOR"]),
            x_proto=int(app.config.get("PROXY_FIX_X_PROTO", 1)),
        )


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` limited to the database's INTEGER range: a larger id is a 404, not a
    database error (PostgreSQL refuses to compare INTEGER with a value beyond 2**31-1)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter


def register_request_hooks(app: Flask) -> None:
    from .access import enforce_roles
    from .security import refuse_too_many_form_fields, reject_nul_bytes, set_security_headers

    # First of all hooks: CSRFProtect's hook (registered with the extensions) parses the form.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_too_many_form_fields)
    app.before_request(reject_nul_bytes)
    app.before_request(enforce_roles)
    app.after_request(set_security_headers)


def register_blueprints(app: Flask) -> None:
    from .activities.views import bp as activities_bp
    from .api.docs_views import bp as api_docs_bp
    from .api.token_views import bp as api_tokens_bp
    from .api.views import bp as api_bp
    from .audit.views import bp as audit_bp
    from .auth.admin_views import bp as users_bp
    from .auth.views import bp as auth_bp
    from .cases.views import bp as cases_bp
    from .dashboard.views import bp as dashboard_bp
    from .imports.views import bp as imports_bp
    from .network.web.views import bp as network_bp
    from .register.views import bp as register_bp

    for blueprint in (
        auth_bp, users_bp, dashboard_bp, register_bp, activities_bp, imports_bp, network_bp,
        api_bp, api_docs_bp, api_tokens_bp,
        audit_bp,
        cases_bp,
    ):
        app.register_blueprint(blueprint)
    register_success_blueprints(app)


def register_success_blueprints(app: Flask) -> None:
    """Erfolgskontrolle: indicators, offers, survey rounds and the leadership report."""
    from .indicators.views import bp as indicators_bp
    from .offers.views import bp as offers_bp
    from .success_report.views import bp as success_report_bp
    from .surveys import catalogue_views, views  # noqa: F401  (routes on the blueprint)
    from .surveys.blueprint import bp as surveys_bp

    for blueprint in (indicators_bp, offers_bp, surveys_bp, success_report_bp):
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    from .errors import register_error_handlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from .auth.cli import create_user_command
    from .backup import backup_command, restore_command
    from .database_cli import init_db_command
    from .demo.cli import demo_command
    from .imports.cli import export_data_command, import_csv_command
    from .network.cli import network_commands
    from .retention import purge_expired_command

    for command in (
        init_db_command, create_user_command, import_csv_command, demo_command,
        *network_commands, backup_command, restore_command, purge_expired_command,
        export_data_command,
    ):
        app.cli.add_command(command)


def register_template_helpers(app: Flask) -> None:
    from .templating import init_templating

    init_templating(app)
