"""Forms of the register: the list filter (GET), the stakeholder form and the field-of-work
form. Formats and lengths are checked here; the register's rules (unique name, parent, consent)
live in operations.py so that imports obey them too."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from .models import STAKEHOLDER_KIND_LABELS, FieldOfWork, Stakeholder, StakeholderKind
from .queries import NameOrder, StatusFilter

NO_PARENT = 0  # select value for "no parent" (SelectField with coerce=int needs an int)


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice rendered as checkboxes (see the ``checkbox_group`` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


INVALID_CHOICE = _l("Bitte wählen Sie einen der angebotenen Werte.")


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, STAKEHOLDER_KIND_LABELS[kind]) for kind in StakeholderKind]


def field_choices(fields: list[FieldOfWork]) -> list[SelectChoice]:
    return [SelectChoice(f.id, f.label) for f in fields]


def parent_choices(departments: list[Stakeholder]) -> list[SelectChoice]:
    return [SelectChoice(NO_PARENT, _l("– keine –"))] + [
        SelectChoice(d.id, d.name) for d in departments
    ]


class StakeholderFilterForm(FlaskForm):
    """The filter bar above the stakeholder list; read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Name enthält"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Art"), default="", invalid_choice_message=INVALID_CHOICE)
    field = SelectField(_l("Handlungsfeld"), default="", invalid_choice_message=INVALID_CHOICE)
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(StatusFilter.ACTIVE.value, _l("nur aktive")),
            SelectChoice(StatusFilter.INACTIVE.value, _l("nur inaktive")),
            SelectChoice(StatusFilter.ALL.value, _l("alle")),
        ],
        default=StatusFilter.ACTIVE.value,
        invalid_choice_message=INVALID_CHOICE,
    )
    sort = SelectField(
        _l("Sortierung"),
        choices=[
            SelectChoice(NameOrder.ASCENDING.value, _l("Name A–Z")),
            SelectChoice(NameOrder.DESCENDING.value, _l("Name Z–A")),
            SelectChoice(NameOrder.KIND.value, _l("Art, dann Name")),
            SelectChoice(NameOrder.PARTNERS.value, _l("meiste Partner zuerst")),
            SelectChoice(NameOrder.LAST_ACTIVITY.value, _l("letzte Aktivität, neueste zuerst")),
        ],
        default=NameOrder.ASCENDING.value,
        invalid_choice_message=INVALID_CHOICE,
    )

    def __init__(self, fields: list[FieldOfWork], **kwargs):
        super().__init__(**kwargs)
        self.kind.choices = [SelectChoice("", _l("alle Arten")), *kind_choices()]
        self.field.choices = [SelectChoice("", _l("alle Handlungsfelder"))] + [
            SelectChoice(f.key, f.label) for f in fields
        ]


class StakeholderForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Namen ein.")),
            Length(max=200, message=_l("Der Name darf höchstens 200 Zeichen lang sein.")),
        ],
        description=_l("Eindeutig; bei Einzelpersonen genügt ein Pseudonym."),
    )
    kind = SelectField(
        _l("Art"),
        choices=kind_choices,
        validators=[InputRequired(_l("Bitte wählen Sie die Art des Akteurs."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    # Checked in operations.py (department only, no cycle) with clearer messages than a
    # generic "invalid choice"; the choices only offer valid parents.
    parent_id = SelectField(
        _l("Übergeordnetes Ressort / übergeordnete Dienststelle"),
        coerce=int,
        validate_choice=False,
        default=NO_PARENT,
        invalid_value_message=INVALID_CHOICE,
        description=_l("Zum Beispiel das Dezernat oder der Fachbereich, zu dem eine "
                       "Dienststelle gehört."),
    )
    field_ids = MultiCheckboxField(
        _l("Handlungsfelder"),
        coerce=int,
        invalid_value_message=INVALID_CHOICE,
        invalid_choice_message=_l("Unbekanntes Handlungsfeld: %(value)s"),
    )
    description = TextAreaField(
        _l("Beschreibung"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Die Beschreibung darf höchstens 2000 Zeichen lang "
                                        "sein.")),
        ],
    )
    affiliation = StringField(
        _l("Rolle / Zugehörigkeit"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Die Angabe darf höchstens 200 Zeichen lang sein.")),
        ],
        description=_l("Zum Beispiel „Elternlotsin“ oder „Ehrenamt im Sportverein“."),
    )
    consent_date = DateField(
        _l("Datum der Einwilligung"),
        validators=[Optional()],
        description=_l("Pflicht für engagierte Einzelpersonen."),
    )
    name_public = BooleanField(
        _l("Name in Netzwerk-Auswertungen für alle Rollen zeigen"),
        description=_l("Nur für Einzelpersonen mit Einwilligung, z. B. eine benannte "
                       "Integrationsbeauftragte. Sonst sehen Leitung und Fachbereiche "
                       "„Einzelperson 17“ statt des Namens."),
    )
    active = BooleanField(
        _l("aktiv"),
        default=True,
        description=_l("Inaktive Akteure bleiben mit ihren Aktivitäten erhalten, werden aber "
                       "in der Liste standardmäßig ausgeblendet."),
    )


class EditStakeholderForm(StakeholderForm):
    # The version the form was loaded at: saving over a newer version answers 409.
    version = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired(_l("Die Versionsangabe des Formulars fehlt. Bitte laden "
                                     "Sie die Seite neu."))],
    )


class FieldOfWorkForm(FlaskForm):
    label = StringField(
        _l("Bezeichnung"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Bezeichnung ein.")),
            Length(max=80, message=_l("Die Bezeichnung darf höchstens 80 Zeichen lang sein.")),
        ],
    )
    position = IntegerField(
        _l("Position in Listen"),
        validators=[
            InputRequired(_l("Bitte geben Sie eine Position als ganze Zahl ein.")),
            NumberRange(min=0, max=9999,
                        message=_l("Die Position muss zwischen 0 und 9999 liegen.")),
        ],
        description=_l("Kleinere Zahlen stehen weiter oben."),
    )


class NewFieldOfWorkForm(FieldOfWorkForm):
    key = StringField(
        _l("Schlüssel"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Schlüssel ein.")),
            Length(max=40, message=_l("Der Schlüssel darf höchstens 40 Zeichen lang sein.")),
        ],
        description=_l("Nur Kleinbuchstaben a–z, Ziffern und Unterstriche. Wird in Importen "
                       "und Exporten verwendet und kann später nicht geändert werden."),
    )
