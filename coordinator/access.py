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
from .logging_config import SECURITY, log_event

security_log = logging.getLogger(SECURITY)

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
        log_event(security_log, "forbidden", logging.WARNING, role=current_user.role.value,
                  endpoint=request.endpoint, method=request.method)
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
        log_event(security_log, "api_unauthorised", endpoint=request.endpoint,
                  token="present" if text else "absent")
        response = problem(401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="coordinator-api"'
        return response
    g._login_user = user
    if user.role not in allowed:
        log_event(security_log, "forbidden", logging.WARNING, role=user.role.value,
                  endpoint=request.endpoint, api=True)
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
        log_event(security_log, "forbidden", logging.WARNING, activity=activity.id,
                  endpoint=request.endpoint)
        abort(403)


def own_department_id(user) -> int:
    """The department a staff account answers surveys for: its own, never another (403 for
    staff without a department)."""
    if user.role is not Role.STAFF or user.department_id is None:
        log_event(security_log, "forbidden", logging.WARNING, reason="survey_without_department",
                  endpoint=request.endpoint)
        abort(403)
    return user.department_id


def sees_every_department(user) -> bool:
    """Self-assessment results per department: coordination, admins and leadership see every
    department; staff only their own (besides the totals)."""
    return user.role is not Role.STAFF
# --- cases: need to know ---------------------------------------------------------------------
# Coordinators see every case; staff only cases in which their department or group takes part;
# leadership (aggregates only) and admins (separation of duties) see none. Whoever may not see
# a case gets 404 for its URLs, never 403, so that case numbers cannot be probed.
CASE_WORKERS = frozenset({Role.COORDINATOR, Role.STAFF})
CASE_FIGURE_READERS = frozenset({Role.COORDINATOR, Role.LEADERSHIP})


def can_read_case(user, case) -> bool:
    if user.role is Role.COORDINATOR:
        return True
    if user.role is Role.STAFF and user.department_id is not None:
        return case.party_for(user.department_id) is not None
    return False


def require_case_access(user, case) -> None:
    if case is None or not can_read_case(user, case):
        # No case reference here: the log must not tell which cases exist.
        security_log.warning("case not shown user=%s endpoint=%s", user.id, request.endpoint)
        abort(404)


def can_answer_referral(user, referral) -> bool:
    """The receiving department answers a referral (coordinators may act for it)."""
    if referral.case_id is None:
        return False
    if user.role is Role.COORDINATOR:
        return True
    return user.role is Role.STAFF and user.department_id == referral.to_id


def can_send_for(user, department_id: int) -> bool:
    """Staff refer only on behalf of their own department; coordinators for any."""
    if user.role is Role.COORDINATOR:
        return True
    return user.role is Role.STAFF and user.department_id == department_id
