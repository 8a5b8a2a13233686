from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from .calculations import HIGHER, LOWER
from .models import DIRECTION_LABELS, GROUP_LABELS

NO_FIELD = 0


class IndicatorForm(FlaskForm):
    key = StringField(_l("Schlüssel"), validators=[DataRequired(), Length(max=40)],
                      description=_l("Kurz und fest, z. B. der Code des "
                                     "Integrationsmonitorings (E8); wird im Import verwendet."))
    name = StringField(_l("Bezeichnung"), validators=[DataRequired(), Length(max=200)])
    unit = StringField(_l("Einheit"), validators=[Optional(), Length(max=40)],
                       description=_l("z. B. %, je 1.000, Anzahl"))
    field_id = SelectField(_l("Handlungsfeld"), coerce=int, validators=[Optional()])
    direction = SelectField(_l("Richtung"), choices=[
        SelectChoice(HIGHER, DIRECTION_LABELS[HIGHER]),
        SelectChoice(LOWER, DIRECTION_LABELS[LOWER]),
    ])
    source = StringField(_l("Quelle"), validators=[Optional(), Length(max=200)])
    definition = TextAreaField(_l("Definition"), validators=[Optional(), Length(max=2000)],
                               description=_l("Was die Zahl zählt – Erhebungswege "
                                              "unterscheiden sich zwischen Kommunen."))
    targets = StringField(_l("Zielwerte je Jahr"), validators=[Optional(), Length(max=500)],
                          description=_l("„Jahr: Wert“, getrennt durch Semikolon, z. B. "
                                         "„2026: 12,5; 2027: 12“. Ein Zielwert gilt, bis ein "
                                         "neuer gesetzt ist."))

    def set_field_choices(self, fields) -> None:
        self.field_id.choices = [SelectChoice(NO_FIELD, _l("– keines –"))] + [
            SelectChoice(f.id, f.label) for f in fields
        ]


class IndicatorValueForm(FlaskForm):
    period = StringField(_l("Zeitraum"), validators=[DataRequired(), Length(max=10)],
                         description=_l("Jahr (2025) oder Quartal (2025-Q3)"))
    group = SelectField(_l("Gruppe"), choices=[SelectChoice(k, v)
                                               for k, v in GROUP_LABELS.items()])
    value = StringField(_l("Wert"), validators=[DataRequired(), Length(max=30)],
                        description=_l("Dezimalkomma erlaubt, z. B. 12,5"))
    source = StringField(_l("Quelle"), validators=[Optional(), Length(max=200)])
