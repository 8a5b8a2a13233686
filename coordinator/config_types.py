"""Settings from the environment (and ``instance/config.py``) parsed to the type of their
default: a bad value stops the start with a message naming the setting, instead of a 500 on
the first request that uses it (``FLASK_SESSION_IDLE_TIMEOUT=900`` once made every login fail).

The type of each setting is the type of its default in :class:`coordinator.config.DefaultConfig`,
so a setting added there is parsed without further work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import timedelta

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "ja", "wahr"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "nein", "falsch"})
DURATION_UNITS = {
    "": 1, "s": 1, "sec": 1, "sek": 1, "second": 1, "seconds": 1, "sekunde": 1, "sekunden": 1,
    "m": 60, "min": 60, "minute": 60, "minutes": 60, "minuten": 60,
    "h": 3600, "std": 3600, "hour": 3600, "hours": 3600, "stunde": 3600, "stunden": 3600,
    "d": 86400, "day": 86400, "days": 86400, "tag": 86400, "tage": 86400,
}
DURATION_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")
# Settings whose default is None: read as text when given.
OPTIONAL_TEXT = ("SQLALCHEMY_DATABASE_URI", "REDIS_URL")
# Settings read from the environment without the FLASK_ prefix (what hosting platforms set).
PLAIN_ENVIRONMENT = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "REDIS_URL": "REDIS_URL"}


class ConfigError(RuntimeError):
    """A setting has a value of the wrong kind. The message names the setting."""


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ValueError("ein Wahrheitswert: true oder false")


def parse_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError("eine ganze Zahl")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d[\d_]*\s*", value):
        return int(value.replace("_", ""))
    raise ValueError("eine ganze Zahl")


def parse_duration(value) -> timedelta:
    """A ``timedelta``; a number is seconds, text may carry a unit (``900``, ``15m``,
    ``30 minutes``, ``10h``, ``1d``)."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (match := DURATION_PATTERN.match(value.lower())):
        number, unit = match.groups()
        if unit not in DURATION_UNITS:
            raise ValueError("eine Dauer in Sekunden (z. B. 900) oder mit Einheit (15m, 10h)")
        seconds = float(number) * DURATION_UNITS[unit]
    else:
        raise ValueError("eine Dauer in Sekunden (z. B. 900) oder mit Einheit (15m, 10h)")
    if seconds <= 0:
        raise ValueError("eine Dauer größer als null")
    return timedelta(seconds=seconds)


def parse_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # FLASK_X=123 arrives JSON-decoded as a number
    raise ValueError("ein Text")


def parser_for(default) -> Callable | None:
    if isinstance(default, bool):
        return parse_bool
    if isinstance(default, int):
        return parse_int
    if isinstance(default, timedelta):
        return parse_duration
    if isinstance(default, str):
        return parse_text
    return None


def _check_samesite(value: str) -> str:
    if value not in ("Lax", "Strict", "None"):
        raise ValueError("Lax, Strict oder None")
    return value


def _check_rate_limit(value: str) -> str:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ValueError("eine Grenze wie „10 per 15 minutes“") from None
    return value


def _check_database_url(value: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(value)
    except ArgumentError:
        raise ValueError(
            "eine Datenbank-URL wie postgresql+psycopg://user@host/db oder sqlite:///pfad.db"
        ) from None
    return value


def _check_redis_url(value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("eine Redis-URL wie redis://127.0.0.1:6379/0")
    return value


def _check_non_negative(value: int) -> int:
    if value < 0:
        raise ValueError("eine ganze Zahl ab 0")
    return value


def _check_positive(value: int) -> int:
    if value <= 0:
        raise ValueError("eine ganze Zahl größer als 0")
    return value


# Checks beyond the type, for settings where a well-typed value can still be wrong.
EXTRA_CHECKS: dict[str, Callable] = {
    "SESSION_COOKIE_SAMESITE": _check_samesite,
    "REMEMBER_COOKIE_SAMESITE": _check_samesite,
    "LOGIN_RATE_LIMIT": _check_rate_limit,
    "LOGIN_ACCOUNT_RATE_LIMIT": _check_rate_limit,
    "SQLALCHEMY_DATABASE_URI": _check_database_url,
    "REDIS_URL": _check_redis_url,
    "PROXY_FIX_X_FOR": _check_non_negative,
    "PROXY_FIX_X_PROTO": _check_non_negative,
    "PER_PAGE": _check_positive,
    "PASSWORD_MIN_LENGTH": _check_positive,
    "PASSWORD_MAX_LENGTH": _check_positive,
    "MAX_CONTENT_LENGTH": _check_positive,
}


def typed_settings(defaults: type) -> dict[str, Callable]:
    """Setting name → parser, from the defaults' types."""
    parsers = {}
    for name in dir(defaults):
        if name.isupper() and (parser := parser_for(getattr(defaults, name))) is not None:
            parsers[name] = parser
    for name in OPTIONAL_TEXT:
        parsers[name] = parse_text
    return parsers


def apply_types(config: dict, defaults: type, environ: Mapping[str, str] | None = None) -> None:
    """Parse every typed setting in ``config`` in place.

    A value given in the environment is parsed from its raw text (``FLASK_SECRET_KEY=1234…``
    stays text, although Flask's JSON decoding would make a number of it); any other value
    (defaults, ``instance/config.py``) is checked and converted the same way.
    """
    environ = os.environ if environ is None else environ
    raw_names = {f"FLASK_{name}": name for name in typed_settings(defaults)}
    raw_names.update(PLAIN_ENVIRONMENT)
    sources = {key: env for env, key in raw_names.items() if environ.get(env)}
    for key, parse in typed_settings(defaults).items():
        if key in sources:
            value, origin = environ[sources[key]], sources[key]
        elif config.get(key) is not None:
            value, origin = config[key], key
        else:
            continue
        try:
            parsed = parse(value)
            if key in EXTRA_CHECKS:
                parsed = EXTRA_CHECKS[key](parsed)
        except ValueError as exc:
            raise ConfigError(
                f"Einstellung {origin}: Der Wert {value!r} ist ungültig, erwartet wird {exc}."
            ) from None
        config[key] = parsed
