"""Forms of case work. Every message is German; every free-text field refuses text that looks
like personal data (:class:`.text_rules.NoPersonalData`) and shows the same hint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from ..activities.forms import (
    INVALID_CHOICE,
    CheckboxListField,
    GermanDateField,
    NoControlCharacters,
    strip_text,
)
from .models import (
    CASE_STATUS_LABELS,
    GOAL_MAX,
    GOAL_STATUS_LABELS,
    LEGAL_BASIS_LABELS,
    NOTE_MAX,
    PARTY_ROLE_LABELS,
    PURPOSE_MAX,
    CaseStatus,
    LegalBasis,
    PartyRole,
)
from .referral_models import DECLINE_REASON_LABELS, MINUTES_MAX, RESEND_NOTE_MAX
from .text_rules import HINT, NoPersonalData

REQUIRED_DATE = _l("Bitte geben Sie ein Datum an.")


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _free_text(label, max_length: int, required: bool = True, area: bool = True):
    validators = [
        Length(max=max_length, message=_l("Höchstens %(max)d Zeichen.")),
        NoControlCharacters(allow="\n\r\t" if area else ""),
        NoPersonalData(),
    ]
    validators.insert(0, DataRequired(_l("Bitte füllen Sie dieses Feld aus.")) if required
                      else Optional())
    field_class = TextAreaField if area else StringField
    return field_class(label, filters=[strip_text], validators=validators,
                       description=HINT, render_kw={"maxlength": max_length})


def _choice(label, labels: dict, blank=None, required=True):
    choices = as_choices(([("", blank)] if blank else []) + [(k.value, v)
                                                            for k, v in labels.items()])
    validators = [AnyOf(["", *(k.value for k in labels)] if not required
                        else [k.value for k in labels], message=INVALID_CHOICE)]
    if required:
        validators.insert(0, InputRequired(_l("Bitte wählen Sie aus.")))
    return SelectField(label, choices=choices, default="", validate_choice=False,
                       validators=validators)


def _basis_field():
    return _choice(
        _l("Gesetzliche Grundlage"), LEGAL_BASIS_LABELS,
        blank=_l("– keine: eine Einwilligung deckt die Weitergabe –"), required=False)


def chosen_basis(form) -> LegalBasis | None:
    """The statutory basis picked in ``form.legal_basis``; ``None`` means consent."""
    return LegalBasis(form.legal_basis.data) if form.legal_basis.data else None


class OpenCaseForm(FlaskForm):
    opened_on = GermanDateField(_l("Eröffnet am"), validators=[InputRequired(REQUIRED_DATE)])
    lead = SelectField(_l("Federführendes Ressort"), coerce=int, validate_choice=True,
                       invalid_choice_message=INVALID_CHOICE)
    needs = CheckboxListField(_l("Bedarfe (Handlungsfelder)"))


class EditCaseForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=as_choices((s.value, CASE_STATUS_LABELS[s])
                           for s in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)),
        validate_choice=True, invalid_choice_message=INVALID_CHOICE)
    needs = CheckboxListField(_l("Bedarfe (Handlungsfelder)"))


class CloseCaseForm(FlaskForm):
    closed_on = GermanDateField(_l("Abgeschlossen am"), validators=[InputRequired(REQUIRED_DATE)])
    outcome = SelectField(_l("Ergebnis"), coerce=int, validate_choice=True,
                          invalid_choice_message=INVALID_CHOICE)


class PartyForm(FlaskForm):
    stakeholder = SelectField(_l("Ressort oder Gruppe"), coerce=int, validate_choice=True,
                              invalid_choice_message=INVALID_CHOICE)
    role = SelectField(
        _l("Rolle im Fall"),
        choices=as_choices((r.value, PARTY_ROLE_LABELS[r])
                           for r in (PartyRole.INVOLVED, PartyRole.CONSULTED)),
        validate_choice=True, invalid_choice_message=INVALID_CHOICE)
    joined_on = GermanDateField(_l("Beteiligt seit"), validators=[InputRequired(REQUIRED_DATE)])
    legal_basis = _basis_field()


class ConsentForm(FlaskForm):
    given_on = GermanDateField(_l("Erteilt am"), validators=[InputRequired(REQUIRED_DATE)])
    covers = CheckboxListField(
        _l("Von der Schweigepflicht entbundene Ressorts und Gruppen"),
        description=_l("Nur die Stellen, die die Einwilligung ausdrücklich nennt – eine "
                       "pauschale Einwilligung ist unwirksam."))
    purpose = _free_text(_l("Zweck und umfasste Daten"), PURPOSE_MAX, area=False)


class RevokeConsentForm(FlaskForm):
    revoked_on = GermanDateField(_l("Widerrufen am"), validators=[InputRequired(REQUIRED_DATE)])


class NoteForm(FlaskForm):
    text = _free_text(_l("Kurze Notiz"), NOTE_MAX)


class GoalForm(FlaskForm):
    text = _free_text(_l("Ziel"), GOAL_MAX, area=False)
    responsible = SelectField(_l("Verantwortlich"), coerce=int, validate_choice=True,
                              invalid_choice_message=INVALID_CHOICE)
    due_on = GermanDateField(_l("Fällig am"))


class GoalStatusForm(FlaskForm):
    status = _choice(_l("Status des Ziels"), GOAL_STATUS_LABELS)


class ReferralForm(FlaskForm):
    sent_on = GermanDateField(_l("Datum"), validators=[InputRequired(REQUIRED_DATE)])
    from_id = SelectField(_l("Von (vermittelndes Ressort)"), coerce=int, validate_choice=True,
                          invalid_choice_message=INVALID_CHOICE)
    to_id = SelectField(_l("An (empfangendes Ressort oder Gruppe)"), coerce=int,
                        validate_choice=True, invalid_choice_message=INVALID_CHOICE)
    field_id = SelectField(_l("Bedarf"), coerce=int, validate_choice=True,
                           invalid_choice_message=INVALID_CHOICE)
    legal_basis = _basis_field()


class ReferralStepForm(FlaskForm):
    """One form for every step; the view shows the fields the step needs."""

    reason = _choice(_l("Grund der Ablehnung"), DECLINE_REASON_LABELS,
                     blank=_l("– bitte wählen –"), required=False)
    on = GermanDateField(_l("Datum"))
    note = _free_text(_l("Was hat sich seit der Ablehnung geändert?"), RESEND_NOTE_MAX,
                      required=False)


class ConferenceForm(FlaskForm):
    held_on = GermanDateField(_l("Datum der Fallkonferenz"),
                              validators=[InputRequired(REQUIRED_DATE)])
    participants = CheckboxListField(
        _l("Teilnehmende Ressorts und Gruppen"),
        description=_l("Nur am Fall Beteiligte mit einer Grundlage können teilnehmen."))
    reviewed = CheckboxListField(_l("Besprochene Ziele"))
    minutes = _free_text(_l("Kurzprotokoll"), MINUTES_MAX, required=False)
    goal1_text = _free_text(_l("Neues Ziel 1"), GOAL_MAX, required=False, area=False)
    goal1_responsible = SelectField(_l("Verantwortlich für Ziel 1"), coerce=int,
                                    validate_choice=True, invalid_choice_message=INVALID_CHOICE)
    goal1_due = GermanDateField(_l("Ziel 1 fällig am"))
    goal2_text = _free_text(_l("Neues Ziel 2"), GOAL_MAX, required=False, area=False)
    goal2_responsible = SelectField(_l("Verantwortlich für Ziel 2"), coerce=int,
                                    validate_choice=True, invalid_choice_message=INVALID_CHOICE)
    goal2_due = GermanDateField(_l("Ziel 2 fällig am"))


class CaseFilterForm(Form):
    """The case list's filters, read from the query string."""

    status = _choice(_l("Status"), CASE_STATUS_LABELS, blank=_l("alle"), required=False)
    need = SelectField(_l("Bedarf"), default="", validate_choice=True,
                       invalid_choice_message=_l("Unbekanntes Handlungsfeld."))
    department = SelectField(_l("Beteiligtes Ressort"), default="", validate_choice=True,
                             invalid_choice_message=_l("Unbekanntes Ressort."))
    opened_from = GermanDateField(_l("Eröffnet ab"))
    opened_to = GermanDateField(_l("Eröffnet bis"))


class OutcomeForm(FlaskForm):
    label = StringField(_l("Bezeichnung"), filters=[strip_text], validators=[
        DataRequired(_l("Bitte geben Sie eine Bezeichnung an.")),
        Length(max=120, message=_l("Höchstens %(max)d Zeichen.")), NoControlCharacters()])
    active = SelectField(_l("Verwendbar"), choices=as_choices([("1", _l("ja")), ("0", _l("nein"))]),
                         default="1", validate_choice=True,
                         invalid_choice_message=INVALID_CHOICE)
