from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

LIKERT_LABELS = {
    1: _l("trifft nicht zu"),
    2: _l("trifft eher nicht zu"),
    3: _l("teils, teils"),
    4: _l("trifft eher zu"),
    5: _l("trifft voll zu"),
}
NOT_JUDGED = "na"
NOT_JUDGED_LABEL = _l("kann ich nicht beurteilen")
LEVEL_LABELS = {
    0: _l("0 – keine Zusammenarbeit"),
    1: _l("1 – Vernetzung (voneinander wissen, Informationen austauschen)"),
    2: _l("2 – Kooperation (gegenseitige Unterstützung bei Einzelaufgaben)"),
    3: _l("3 – Koordination (Aktivitäten abstimmen, gemeinsame Vorhaben)"),
    4: _l("4 – Koalition (gemeinsame Ressourcen und Entscheidungen)"),
    5: _l("5 – Kollaboration (eine gemeinsame Aufgabe, eng verzahnt)"),
}
TRUST_LABELS = {
    "reliable": _l("verlässlich"),
    "open_to_discussion": _l("offen für Gespräche"),
    "shared_mission": _l("gemeinsames Anliegen"),
}
TRUST_SCALE = {1: _l("gar nicht"), 2: _l("wenig"), 3: _l("ziemlich"), 4: _l("sehr")}


class RoundForm(FlaskForm):
    title = StringField(_l("Titel der Runde"), validators=[DataRequired(), Length(max=200)],
                        description=_l("z. B. Selbsteinschätzung 2026"))
    since = DateField(_l("Zeitraum von"), validators=[DataRequired()],
                      description=_l("Auf diesen Zeitraum beziehen sich die Antworten; mit "
                                     "den in ihm erfassten Aktivitäten wird verglichen."))
    until = DateField(_l("Zeitraum bis"), validators=[DataRequired()])


class PlainForm(FlaskForm):
    """Only the CSRF token: for the questionnaire (fields built from the catalogue) and for
    buttons such as "Runde schließen"."""


class ItemForm(FlaskForm):
    heading_id = SelectField(_l("Überschrift"), coerce=int)
    text = StringField(_l("Aussage"), validators=[DataRequired(), Length(max=300)])
    active = BooleanField(_l("wird gefragt"), default=True)


class HeadingForm(FlaskForm):
    title = StringField(_l("Neue Überschrift"), validators=[DataRequired(), Length(max=200)])
