"""Configuration: defaults here, then ``instance/config.py``, then the environment.

Environment variables with the ``FLASK_`` prefix override any key (``FLASK_SECRET_KEY``,
``FLASK_SESSION_COOKIE_SECURE=true`` …); ``DATABASE_URL`` and ``REDIS_URL`` are read as well
because that is what hosting platforms and operators usually set. Every setting is parsed to
the type of its default here (see :mod:`coordinator.config_types`).
"""

import os
from datetime import timedelta
from pathlib import Path

from .config_types import ConfigError, apply_types

# A key that is only acceptable in debug/testing; production refuses to start with it.
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105


class DefaultConfig:
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from the instance path
    # A threaded server (and the embedded queue worker) may hold more connections than
    # SQLAlchemy's default pool of 5 + 10 lends: waiting 30 s for one ends in an error.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "pool_size": 10,
                                       "max_overflow": 30}
    SQLITE_BUSY_TIMEOUT_MS = 30_000

    # Passwords: PBKDF2-SHA256 with the OWASP 2023 iteration count, set explicitly
    # (Werkzeug's default scrypt parameters are below the OWASP recommendation).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:600000"  # noqa: S105  (a method, not a secret)
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_MAX_LENGTH = 128

    # Sessions: cookie flags, idle timeout and absolute lifetime (checked server-side).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set FLASK_SESSION_COOKIE_SECURE=true behind HTTPS
    SESSION_COOKIE_NAME = "coordinator_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=10)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)

    # Login throttling: attempts per account and client address (cleared by a successful
    # login), and per account across all addresses (slower and longer; see auth/throttle.py).
    LOGIN_RATE_LIMIT = "10 per 15 minutes"
    LOGIN_ACCOUNT_RATE_LIMIT = "30 per hour"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    REDIS_URL: str | None = None
    # JSON API: requests per token (or per address without one), and per address in all.
    API_RATE_LIMIT = "120 per minute"
    API_ADDRESS_RATE_LIMIT = "600 per minute"

    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # uploads (CSV/XLSX) larger than 5 MB → 413
    # Imports stop with a German message past this many data rows (the CLI may read more).
    IMPORT_MAX_ROWS = 200_000
    IMPORT_MAX_ROWS_CLI = 2_000_000
    # Form fields per request, multipart (Werkzeug's MAX_FORM_PARTS) and urlencoded (checked in
    # coordinator.security): a POST with hundreds of thousands of fields is refused unparsed.
    MAX_FORM_PARTS = 1_000
    MAX_FORM_FIELDS = 1_000
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; forms stay usable all day
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")
    PER_PAGE = 25
    LOG_LEVEL = "INFO"  # security events are INFO/WARNING: keep at least INFO in production
    AUDIT_RETENTION_MONTHS = 24  # audit log entries older than this go at purge-expired

    # Threads of each native pool (BLAS, OpenMP) per process, i.e. per gunicorn or queue
    # worker (see network/jobs/queue.py: limit_native_threads).
    BLAS_THREADS = 1
    # How much lower (Unix nice, 0–19) the network computation runs than the pages: on a
    # busy machine the pages are answered first and the figures use the time in between
    # (M under 20 requests/s on 2 cores: see benchmarks/README.md). 0: same priority.
    NETWORK_WORKER_NICE = 10

    # Network figures: a stakeholder registered within this many days before the end of the
    # period (or today) and without a joint activity is "new", not isolated (0: off); a tie
    # that worked regularly and has been quiet this many months is "fading".
    NEWCOMER_DAYS = 91
    FADING_TIE_MONTHS = 6
    HSTS = False  # set FLASK_HSTS=true when served over HTTPS only
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted.
    # 0: the app is reached directly and those headers are ignored.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 1


def load_config(app, test_config: dict | None) -> None:
    """Fill ``app.config`` in the documented order of precedence."""
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FLASK")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("REDIS_URL"):
            app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        app.config.from_mapping(test_config)
    apply_types(app.config, DefaultConfig, environ=os.environ if test_config is None else {})

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "coordinator.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    _refuse_weak_secret(app)


def _refuse_weak_secret(app) -> None:
    if app.debug or app.testing:
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "SECRET_KEY fehlt oder ist zu kurz (mindestens 32 Zeichen). Setzen Sie "
            "FLASK_SECRET_KEY oder SECRET_KEY in instance/config.py, z. B. mit: "
            'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
