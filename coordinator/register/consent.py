"""The one consent rule for engaged individuals, shared by the register form and the import.

An engaged individual may only be stored with the date on which they consented (DSGVO Art. 6
(1) a); a consent date in the future is a typing error. Other kinds carry no consent date
(data minimisation): the form drops it, the import refuses a filled cell.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import get_timezone
from flask_babel import gettext as _

from .models import StakeholderKind


def local_today() -> date:
    """Today in the municipality's time zone (the server may run on UTC)."""
    return datetime.now(get_timezone()).date()


def consent_problem(kind: StakeholderKind | None, consent_date: date | None) -> str | None:
    """The German reason why ``consent_date`` is not acceptable for a stakeholder of ``kind``,
    or None if it is. Only individuals are checked; the caller decides what a consent date on
    another kind means."""
    if kind is not StakeholderKind.INDIVIDUAL:
        return None
    if consent_date is None:
        return _("Für engagierte Einzelpersonen ist das Datum der Einwilligung Pflicht: "
                 "ohne Einwilligung dürfen keine Daten gespeichert werden.")
    if consent_date > local_today():
        return _("Das Datum der Einwilligung darf nicht in der Zukunft liegen.")
    return None
