from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..register.forms import MultiCheckboxField
from .models import TARGET_GROUP_LABELS
from .operations import MAX_COUNT

NO_CHOICE = 0
COUNT = [Optional(), NumberRange(min=0, max=MAX_COUNT, message=_l("Anzahlen sind ganze "
                                                                   "Zahlen ab 0."))]


class OfferForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    provider_ids = MultiCheckboxField(_l("Träger"), coerce=int, validate_choice=False)
    field_id = SelectField(_l("Handlungsfeld"), coerce=int)
    target_group = SelectField(_l("Zielgruppe"), choices=[
        SelectChoice(k, v) for k, v in TARGET_GROUP_LABELS.items()])
    target_name = StringField(_l("Benannte Gruppe"), validators=[Optional(), Length(max=120)],
                              description=_l("Nur bei „benannte Gruppe“: z. B. Eltern, "
                                             "Jugendliche, Ältere."))
    period_from = StringField(_l("Beginn"), validators=[Optional(), Length(max=10)],
                              description=_l("Jahr (2025) oder Quartal (2025-Q3)"))
    period_until = StringField(_l("Ende"), validators=[Optional(), Length(max=10)],
                               description=_l("leer lassen, wenn das Angebot weiterläuft"))
    capacity = IntegerField(_l("Kapazität (Plätze je Zeitraum)"),
                            validators=[Optional(), NumberRange(min=1, max=MAX_COUNT)])

    def set_choices(self, fields, stakeholders) -> None:
        self.field_id.choices = [SelectChoice(NO_CHOICE, _l("– keines –"))] + [
            SelectChoice(f.id, f.label) for f in fields]
        self.provider_ids.choices = [SelectChoice(s.id, s.name) for s in stakeholders]


class ParticipationForm(FlaskForm):
    period = StringField(_l("Zeitraum"), validators=[DataRequired(), Length(max=10)],
                         description=_l("Jahr (2025) oder Quartal (2025-Q3)"))
    newcomers = IntegerField(_l("Neuzugewanderte"), validators=COUNT)
    long_time = IntegerField(_l("Alteingesessene"), validators=COUNT)
    unknown = IntegerField(_l("unbekannt"), validators=COUNT)


class PopulationForm(FlaskForm):
    period = StringField(_l("Zeitraum"), validators=[DataRequired(), Length(max=10)])
    newcomers = StringField(_l("Anteil Neuzugewanderte an der Bevölkerung (Prozent)"),
                            validators=[InputRequired(), Length(max=10)])
    long_time = StringField(_l("Anteil Alteingesessene an der Bevölkerung (Prozent)"),
                            validators=[InputRequired(), Length(max=10)])


class OfferFilterForm(FlaskForm):
    class Meta:
        csrf = False

    field = SelectField(_l("Handlungsfeld"), coerce=int, validators=[Optional()])
    provider = SelectField(_l("Träger"), coerce=int, validators=[Optional()])
