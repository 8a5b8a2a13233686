from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..activities.forms import NoControlCharacters
from .tokens import DEFAULT_LIFETIME_DAYS, LIFETIME_DAYS


class TokenForm(FlaskForm):
    name = StringField(
        _l("Bezeichnung"),
        validators=[DataRequired(_l("Bitte geben Sie eine Bezeichnung an.")),
                    Length(max=80, message=_l("Höchstens 80 Zeichen.")), NoControlCharacters()],
        description=_l("Wofür das Token dient, z. B. „Quartalsbericht Excel“."),
        render_kw={"autocomplete": "off", "maxlength": 80},
    )
    lifetime = SelectField(
        _l("Gültig für"),
        choices=[SelectChoice(str(days), _l("%(days)d Tage", days=days))
                 for days in LIFETIME_DAYS],
        default=str(DEFAULT_LIFETIME_DAYS),
        validators=[DataRequired()],
    )
