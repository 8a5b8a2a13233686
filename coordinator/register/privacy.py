"""Erasure for engaged individuals (DSGVO Art. 17) that keeps the network intact.

Deleting an individual would also delete the history of joint activities it took part in
(and with it the measured network). Anonymising removes everything that identifies the person
— name, role/affiliation, description, date of consent — and keeps the node and its ties
under a neutral label, so past collaboration still counts.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..extensions import db
from ..network.data.figure_store import purge_figures_naming
from .models import Stakeholder, StakeholderKind
from .operations import RegisterRuleError

ANONYMISED_PREFIX = "Anonymisierte Person"


def anonymised_name(stakeholder_id: int) -> str:
    """A neutral, unique label (the id is unique, so the name stays unique)."""
    return f"{ANONYMISED_PREFIX} #{stakeholder_id}"


def anonymise_individual(stakeholder_id: int) -> bool | None:
    """Remove the personal data of an engaged individual; the caller commits.

    Returns ``None`` when the stakeholder does not exist, ``False`` when it was anonymised
    already, ``True`` when it has been anonymised now. Refuses departments and groups.
    """
    stakeholder = db.session.get(Stakeholder, stakeholder_id, with_for_update=True)
    if stakeholder is None:
        return None
    if stakeholder.kind is not StakeholderKind.INDIVIDUAL:
        raise RegisterRuleError(
            _("Nur engagierte Einzelpersonen können anonymisiert werden. Ressorts und Gruppen "
              "lassen sich bearbeiten oder deaktivieren.")
        )
    if is_anonymised(stakeholder):
        return False
    # Stored network figures carry the name: gone in the same transaction (recomputed).
    purge_figures_naming(stakeholder.name)
    stakeholder.name = anonymised_name(stakeholder.id)
    stakeholder.affiliation = ""
    stakeholder.description = ""
    stakeholder.consent_date = None
    stakeholder.name_public = False
    db.session.flush()
    return True


def is_anonymised(stakeholder: Stakeholder) -> bool:
    return (
        stakeholder.kind is StakeholderKind.INDIVIDUAL
        and stakeholder.name == anonymised_name(stakeholder.id)
    )
