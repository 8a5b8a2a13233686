"""German messages for free texts that look like personal data (see :mod:`.personal_data`),
as a form validator and as a check the operations repeat."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from ..activities.forms import local_today
from . import personal_data as pd

KIND_LABELS = {
    pd.BIRTH_DATE: _l("ein Datum, das ein Geburtsdatum sein könnte"),
    pd.PHONE: _l("eine Telefonnummer"),
    pd.EMAIL: _l("eine E-Mail-Adresse"),
    pd.IBAN: _l("eine Kontonummer (IBAN)"),
    pd.STREET_ADDRESS: _l("eine Anschrift mit Hausnummer"),
    pd.IDENTIFYING_WORD: _l("ein Hinweis auf Personendaten"),
}

# Shown next to every free-text field of a case.
HINT = _l("Bitte keine personenbezogenen Angaben: keine Namen, Geburtsdaten, Anschriften, "
          "Telefonnummern, E-Mail-Adressen, Kontonummern oder Aktenzeichen. Die Zuordnung "
          "zur Person bleibt in der Akte des federführenden Ressorts.")


def personal_data_message(text: str | None) -> str | None:
    """A German message naming what was found, or ``None`` when the text is fine."""
    findings = pd.find_personal_data(text or "", local_today().year)
    if not findings:
        return None
    parts = [f"{KIND_LABELS[f.kind]} („{f.text}“)" for f in findings[:3]]
    return str(_l(
        "Der Text enthält vermutlich personenbezogene Daten: %(found)s. Bitte formulieren Sie "
        "ihn ohne Angaben, die die Person erkennbar machen.", found="; ".join(parts)
    ))


class NoPersonalData:
    """Form validator: refuses text that looks like personal data; the text stays in the
    field so the user can fix it."""

    def __call__(self, form, field):
        message = personal_data_message(field.data)
        if message:
            raise ValidationError(message)
