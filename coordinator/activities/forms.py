"""Forms for logging joint activities and for filtering the activity list.

Every message is German and set explicitly: WTForms' built-in messages are English source
strings, and a user must never see those.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    HiddenField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..database import MAX_ID
from ..decimal_input import whole_number
from ..extensions import db
from ..register.models import Stakeholder
from .models import ACTIVITY_KIND_LABELS, ActivityKind

EARLIEST_ACTIVITY_DATE = date(2000, 1, 1)
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
MIN_PARTICIPANTS = 2

INVALID_CHOICE = _l("Diese Auswahl ist nicht (mehr) möglich. Bitte laden Sie die Seite neu.")


def local_today() -> date:
    """Today in the municipality's time zone (the server may run on UTC)."""
    return datetime.now(get_timezone()).date()


def latest_activity_date(today: date) -> date:
    """One year after ``today``; 29 February becomes 28 February."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Rejects control characters (PostgreSQL refuses NUL outright, and none of them belongs
    in a title); ``allow`` lets line breaks and tabs through in longer texts."""

    def __init__(self, allow: str = ""):
        self.allow = set(allow)

    def __call__(self, form, field):
        text = field.data or ""
        if any((ord(c) < 32 and c not in self.allow) or ord(c) == 127 for c in text):
            raise ValidationError(_l("Der Text enthält unzulässige Steuerzeichen."))


def kind_choices(blank_label=None) -> list[SelectChoice]:
    choices = [SelectChoice(kind.value, ACTIVITY_KIND_LABELS[kind]) for kind in ActivityKind]
    return ([SelectChoice("", blank_label)] if blank_label else []) + choices


class GermanDateField(DateField):
    """A date input (``<input type="date">``) that treats an empty value as "no date" and
    reports unparseable input in German."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault(
            "invalid_value_message",
            _l("Bitte geben Sie ein gültiges Datum im Format JJJJ-MM-TT an."),
        )
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata([v.strip() for v in valuelist])


class CheckboxListField(SelectMultipleField):
    """Many checkboxes for one multi-valued field, rendered with the ``checkbox_group`` macro."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("invalid_value_message", INVALID_CHOICE)
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, **kwargs)


class AtLeastTwoDistinct:
    """At least two different stakeholders: a joint activity needs a second party."""

    def __call__(self, form, field):
        if field.process_errors:
            return
        if len(set(field.data or ())) < MIN_PARTICIPANTS:
            raise ValidationError(
                _l("Bitte wählen Sie mindestens zwei verschiedene Beteiligte aus – eine "
                   "gemeinsame Aktivität hat mindestens zwei Beteiligte.")
            )


class VersionField(HiddenField):
    """The row version the form was built from (optimistic locking). A missing or garbled
    value is a tampered or broken form; the view answers 400."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = int(valuelist[0])
            except ValueError:
                raise ValueError(_l("Das Formular ist unvollständig.")) from None

    def pre_validate(self, form):
        if self.data is None and not self.process_errors:
            raise ValidationError(_l("Das Formular ist unvollständig."))


class ActivityForm(FlaskForm):
    date = GermanDateField(
        _l("Datum"),
        validators=[InputRequired(_l("Bitte geben Sie das Datum der Aktivität an."))],
    )
    title = StringField(
        _l("Titel"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel an.")),
            Length(max=TITLE_MAX, message=_l("Der Titel darf höchstens %(max)d Zeichen lang "
                                              "sein.")),
            NoControlCharacters(),
        ],
        description=_l("Zum Beispiel „Sprachcafé planen“ oder „Fallkonferenz Ausbildung“."),
    )
    kind = SelectField(
        _l("Art der Aktivität"),
        choices=kind_choices(_l("– bitte wählen –")),
        default="",
        validate_choice=False,  # AnyOf below says it in German
        validators=[
            InputRequired(_l("Bitte wählen Sie die Art der Aktivität.")),
            AnyOf([kind.value for kind in ActivityKind], message=INVALID_CHOICE),
        ],
    )
    fields = CheckboxListField(
        _l("Handlungsfelder"),
        description=_l("Optional: die Handlungsfelder, um die es ging."),
    )
    participants = CheckboxListField(
        _l("Beteiligte"),
        validators=[AtLeastTwoDistinct()],
        description=_l("Mindestens zwei verschiedene Beteiligte. Namen eingeben und mit der "
                       "Eingabetaste übernehmen."),
    )
    # The picker's search box (not saved): without JavaScript, "Suchen" sends the form back
    # with matching stakeholders to tick; with JavaScript it is the type-ahead.
    participant_search = SearchField(
        _l("Beteiligte suchen"),
        filters=[strip_text],
        validators=[Length(max=200, message=_l("Höchstens %(max)d Zeichen."))],
    )
    description = TextAreaField(
        _l("Beschreibung"),
        filters=[strip_text],
        validators=[
            Length(max=DESCRIPTION_MAX, message=_l("Die Beschreibung darf höchstens %(max)d "
                                                    "Zeichen lang sein.")),
            NoControlCharacters(allow="\n\r\t"),
        ],
        description=_l("Optional. Bitte keine personenbezogenen Angaben zu Ratsuchenden."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Pflichtfeld" in the legend, but not ``required`` on every single checkbox (the
        # options inherit the validators' flags, and ticking all is not what is asked).
        self.participants.flags.required = True

    def validate_date(self, field) -> None:
        if field.data is None:
            return  # InputRequired or the parser has already said what is wrong
        if field.data < EARLIEST_ACTIVITY_DATE:
            raise ValidationError(_l("Das Datum darf nicht vor dem 1. 1. 2000 liegen."))
        if field.data > latest_activity_date(local_today()):
            raise ValidationError(
                _l("Das Datum darf höchstens ein Jahr in der Zukunft liegen.")
            )

    def participant_ids(self) -> list[int]:
        """The chosen participants, each once, in the order given."""
        return list(dict.fromkeys(self.participants.data or ()))

    def field_ids(self) -> list[int]:
        return list(dict.fromkeys(self.fields.data or ()))


class EditActivityForm(ActivityForm):
    version = VersionField()


class DeleteActivityForm(FlaskForm):
    version = VersionField()


class ActivityOrder(enum.StrEnum):
    """How the activity list is sorted (the values are the ``sort`` query argument)."""

    NEWEST = "-date"
    OLDEST = "date"
    TITLE = "title"
    KIND = "kind"


ORDER_LABELS = {
    ActivityOrder.NEWEST: _l("Datum, neueste zuerst"),
    ActivityOrder.OLDEST: _l("Datum, älteste zuerst"),
    ActivityOrder.TITLE: _l("Titel A–Z"),
    ActivityOrder.KIND: _l("Art, dann Datum"),
}


class ActivityFilterForm(Form):
    """The list's filters, read from the query string (GET, so no CSRF token).

    The participant is an id (from a link, or chosen in the type-ahead of
    ``static/js/picker.js``); without JavaScript the name field searches by name instead, so
    the filter needs no list of all stakeholders in the page."""

    q = SearchField(
        _l("Titel oder Beschreibung enthält"),
        filters=[strip_text],
        validators=[Length(max=200, message=_l("Höchstens %(max)d Zeichen."))],
    )
    date_from = GermanDateField(_l("Von"))
    date_to = GermanDateField(_l("Bis"))
    kind = SelectField(
        _l("Art"),
        choices=kind_choices(_l("alle Arten")),
        default="",
        validate_choice=False,
        validators=[AnyOf(["", *(kind.value for kind in ActivityKind)],
                          message=_l("Unbekannte Art der Aktivität."))],
    )
    field = SelectField(
        _l("Handlungsfeld"),
        default="",
        validate_choice=True,
        invalid_choice_message=_l("Unbekanntes Handlungsfeld."),
    )
    participant = HiddenField()
    participant_name = SearchField(
        _l("Beteiligte/r"),
        filters=[strip_text],
        validators=[Length(max=200, message=_l("Höchstens %(max)d Zeichen."))],
        description=_l("Name oder Teil des Namens."),
    )
    sort = SelectField(
        _l("Sortierung"),
        choices=[SelectChoice(order.value, label) for order, label in ORDER_LABELS.items()],
        default=ActivityOrder.NEWEST.value,
        validate_choice=False,
        validators=[AnyOf(["", *(order.value for order in ActivityOrder)],
                          message=_l("Unbekannte Sortierung."))],
    )

    def validate_participant(self, field) -> None:
        raw = (field.data or "").strip()
        if not raw:
            return
        number = whole_number(raw)
        if number is None or number > MAX_ID or not stakeholder_exists(number):
            raise ValidationError(_l("Unbekannte/r Beteiligte/r."))

    @property
    def order(self) -> ActivityOrder:
        return ActivityOrder(self.sort.data) if self.sort.data else ActivityOrder.NEWEST

    # A second participant (links from the dashboard's matrix: the activities two
    # departments had together); kept as a hidden field while the other filters change.
    partner = HiddenField(
        validators=[Regexp(r"^\d{0,9}$", message=_l("Unbekannte/r zweite/r Beteiligte/r."))]
    )

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Das Enddatum liegt vor dem Anfangsdatum."))

    @property
    def kind_value(self) -> ActivityKind | None:
        return ActivityKind(self.kind.data) if self.kind.data else None

    @property
    def participant_id(self) -> int | None:
        raw = (self.participant.data or "").strip()
        return whole_number(raw) if not self.participant.errors else None

    @property
    def partner_id(self) -> int | None:
        return int(self.partner.data) if self.partner.data else None


def stakeholder_exists(stakeholder_id: int) -> bool:
    return db.session.get(Stakeholder, stakeholder_id) is not None
