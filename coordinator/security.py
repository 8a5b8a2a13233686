"""Response headers for every response, and a safe ``next`` target."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from .errors import render_error

# No inline script anywhere: every script is a static file of the app. vis-network sets
# element styles from JavaScript (CSSOM), which style-src 'self' allows.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def refuse_too_many_form_fields():
    """``before_request``: an urlencoded body with more fields than ``MAX_FORM_FIELDS`` is
    refused by counting separators in the raw bytes, before Werkzeug parses it (parsing
    hundreds of thousands of fields costs seconds of CPU). Multipart bodies are capped by
    Werkzeug itself (``MAX_FORM_PARTS``)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or request.mimetype != (
        "application/x-www-form-urlencoded"
    ):
        return None
    body = request.get_data(cache=True)  # at most MAX_CONTENT_LENGTH; parsed from the cache
    if body.count(b"&") >= current_app.config["MAX_FORM_FIELDS"]:
        return render_error(413, _("Das Formular enthält zu viele Felder."))
    return None


def reject_nul_bytes():
    """``before_request``: no legitimate text contains NUL, and PostgreSQL refuses it in any
    text column or comparison — answer 400 here rather than fail deep in a query."""
    values = list(request.args.values())
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values += request.form.values()
    if any("\x00" in value for value in values):
        return render_error(400, _("Die Eingabe enthält unzulässige Steuerzeichen."))
    return None


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.mimetype == "text/html" and "charset" not in (response.content_type or ""):
        response.content_type = "text/html; charset=utf-8"
    # Pages behind the login must not linger in shared office browsers' caches.
    if request.endpoint != "static" and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` only when it is a path inside this app (no scheme, no host, no
    protocol-relative ``//evil``, no backslash tricks); otherwise ``None``."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
