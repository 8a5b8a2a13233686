"""The filter bar of the audit log page (read from the query string)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from .labels import action_label, object_type_label

INVALID_CHOICE = _l("Bitte wählen Sie einen der angebotenen Werte.")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    user = SelectField(_l("Benutzerkonto"), default="", invalid_choice_message=INVALID_CHOICE)
    action = SelectField(_l("Aktion"), default="", invalid_choice_message=INVALID_CHOICE)
    object_type = SelectField(_l("Objektart"), default="",
                              invalid_choice_message=INVALID_CHOICE)
    object_id = StringField(_l("Objekt-Nr."), validators=[Optional(), Length(max=64)])
    case_ref = StringField(_l("Aktenzeichen"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("von (Datum)"), validators=[Optional()])
    until = DateField(_l("bis (Datum)"), validators=[Optional()])

    def __init__(self, users: list[tuple[int, str]], actions: list[str],
                 object_types: list[str], **kwargs):
        super().__init__(**kwargs)
        self.user.choices = [SelectChoice("", _l("alle")),
                             *(SelectChoice(str(uid), email) for uid, email in users)]
        self.action.choices = [SelectChoice("", _l("alle")),
                               *(SelectChoice(a, action_label(a)) for a in actions)]
        self.object_type.choices = [
            SelectChoice("", _l("alle")),
            *(SelectChoice(t, object_type_label(t)) for t in object_types),
        ]

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("Das Ende des Zeitraums liegt vor seinem Anfang."))
