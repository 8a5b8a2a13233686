"""The one place where roles are checked.

Every view declares who may use it with :func:`roles` (or :func:`public`); a ``before_request``
hook enforces it for all blueprints. A view without a declaration is denied to everybody
(deny by default), so forgetting the decorator cannot open a route. Record-level rules (which
activities staff may change) live here too, so views and templates ask the same functions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import abort, current_app, g, request
from flask_login import current_user

from .auth.models import Role

security_log = logging.getLogger("coordinator.security")

ALL_ROLES = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})
ACTIVITY_LOGGERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF})
API_BLUEPRINT = "api"
_PUBLIC = object()
ALLOWED_ROLES_ATTR = "allowed_roles"


def roles(*allowed: Role | frozenset[Role]) -> Callable:
    """Declare which roles may call a view: ``@roles(Role.ADMIN)`` or ``@roles(EDITORS)``."""
    flat: set[Role] = set()
    for item in allowed:
        flat.update(item if isinstance(item, frozenset | set) else {item})

    def decorate(view: Callable) -> Callable:
        setattr(view, ALLOWED_ROLES_ATTR, frozenset(flat))
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view usable without logging in (login page, language switch)."""
    setattr(view, ALLOWED_ROLES_ATTR, _PUBLIC)
    return view


def allowed_roles_for(endpoint: str) -> frozenset[Role] | None:
    """The roles an endpoint admits; ``None`` for public endpoints."""
    view = current_app.view_functions[endpoint]
    allowed = getattr(view, ALLOWED_ROLES_ATTR, frozenset())
    return None if allowed is _PUBLIC else allowed


def enforce_roles():
    """``before_request`` hook: 401 → login page for anonymous users, 403 for the wrong role."""
    if request.endpoint is None or request.endpoint == "static":
        return None  # 404/405 are handled by Flask; static files are public
    allowed = allowed_roles_for(request.endpoint)
    if request.blueprint == API_BLUEPRINT:
        return _enforce_api_roles(allowed)
    if allowed is None:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in allowed:
        security_log.warning(
            "forbidden user=%s role=%s endpoint=%s method=%s",
            current_user.id, current_user.role.value, request.endpoint, request.method,
        )
        abort(403)
    return None


def _enforce_api_roles(allowed: frozenset[Role] | None):
    """The JSON API authenticates by ``Authorization: Bearer <token>`` only: a login cookie
    sent along is ignored (so a page in the browser cannot be made to read the API with the
    user's session), and failures answer JSON, not a redirect to the login page."""
    from flask_login import AnonymousUserMixin

    from .api.errors import problem
    from .api.tokens import bearer_text, user_for_token

    g._login_user = AnonymousUserMixin()  # what flask_login's current_user reads
    if allowed is None:
        return None
    text = bearer_text()
    user = user_for_token(text) if text else None
    if user is None:
        security_log.info("api unauthorised endpoint=%s token=%s", request.endpoint,
                          "present" if text else "absent")
        response = problem(401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="coordinator-api"'
        return response
    g._login_user = user
    if user.role not in allowed:
        security_log.warning("forbidden user=%s role=%s endpoint=%s (api)",
                             user.id, user.role.value, request.endpoint)
        return problem(403)
    return None


def has_role(*allowed: Role | frozenset[Role]) -> bool:
    """For templates: show a link or button only to roles that may use it."""
    if not current_user.is_authenticated:
        return False
    flat: set[Role] = set()
    for item in allowed:
        flat.update(item if isinstance(item, frozenset | set) else {item})
    return current_user.role in flat


def can_edit_activity(user, activity) -> bool:
    """Coordinators and admins edit every activity; staff only those in which their own
    department takes part; leadership none."""
    if user.role in EDITORS:
        return True
    if user.role is Role.STAFF and user.department_id is not None:
        return any(p.id == user.department_id for p in activity.participants)
    return False


def require_activity_edit(user, activity) -> None:
    if not can_edit_activity(user, activity):
        security_log.warning(
            "forbidden user=%s activity=%s endpoint=%s", user.id, activity.id, request.endpoint
        )
        abort(403)


def sees_individual_names(user) -> bool:
    """Engaged individuals appear by name only to the roles that work with them
    (coordination, administration); everybody else sees "Einzelperson <id>" (issue 6, item 6:
    the same rule for the web pages, exports and the API)."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in EDITORS


def withheld_name(stakeholder_id: int) -> str:
    """What roles without access to individuals' names see instead (stable per person)."""
    from flask_babel import gettext as _

    return _("Einzelperson %(id)d", id=stakeholder_id)


def name_rule(names_visible: bool) -> Callable[[int, str, str], str]:
    """``label(id, name, kind)``: the name, or the placeholder for an individual."""
    def label(stakeholder_id: int, name: str, kind: str) -> str:
        if kind == "individual" and not names_visible:
            return withheld_name(stakeholder_id)
        return name
    return label
