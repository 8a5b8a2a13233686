"""Display names of audit actions and object types; others (added by later packages) are
shown as stored."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import Action

ACTION_LABELS = {
    Action.CREATE: _l("angelegt"),
    Action.UPDATE: _l("geändert"),
    Action.DELETE: _l("gelöscht"),
    Action.IMPORT: _l("importiert"),
    Action.ANONYMISE: _l("anonymisiert"),
    Action.LOGIN: _l("angemeldet"),
    Action.LOGOUT: _l("abgemeldet"),
    Action.LOGIN_FAILED: _l("Anmeldung fehlgeschlagen"),
    Action.PASSWORD_CHANGE: _l("Passwort geändert"),
    Action.ROLE_CHANGE: _l("Rolle geändert"),
    Action.DEACTIVATE: _l("deaktiviert"),
    Action.VIEW: _l("angesehen"),
    Action.EXPORT: _l("exportiert"),
    Action.PURGE: _l("nach Frist gelöscht"),
}

OBJECT_TYPE_LABELS = {
    "stakeholder": _l("Akteur"),
    "field_of_work": _l("Handlungsfeld"),
    "activity": _l("Aktivität"),
    "import": _l("Import"),
    "user": _l("Benutzerkonto"),
    "retention": _l("Aufbewahrungsfrist"),
    "audit_log": _l("Änderungsprotokoll"),
    "api_token": _l("API-Token"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_label(object_type: str) -> str:
    return str(OBJECT_TYPE_LABELS.get(object_type, object_type))
