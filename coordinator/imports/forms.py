from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from .columns import ACTIVITIES, STAKEHOLDERS
from .success_kinds import SUCCESS_KIND_LABELS

KIND_CHOICES = [
    SelectChoice(STAKEHOLDERS, _l("Akteure (Ressorts, Gruppen, Einzelpersonen)")),
    SelectChoice(ACTIVITIES, _l("Gemeinsame Aktivitäten")),
    *(SelectChoice(kind, label) for kind, label in SUCCESS_KIND_LABELS.items()),
]


class UploadForm(FlaskForm):
    kind = SelectField(_l("Was enthält die Datei?"), choices=KIND_CHOICES,
                       validators=[DataRequired(_l("Bitte wählen Sie aus, was importiert "
                                                   "werden soll."))])
    # The extension and content are checked when the file is read (reading.py), which gives
    # more precise messages (e.g. for .xls) than FileAllowed would.
    file = FileField(
        _l("Datei"),
        validators=[FileRequired(_l("Bitte wählen Sie eine Datei aus."))],
        description=_l("CSV (Komma oder Semikolon, UTF-8 oder Windows-1252), Excel-Arbeitsmappe "
                       ".xlsx oder LibreOffice-Tabelle .ods, höchstens 5 MB."),
        render_kw={"accept": ".csv,.xlsx,.ods,text/csv,application/vnd.openxmlformats-"
                             "officedocument.spreadsheetml.sheet,"
                             "application/vnd.oasis.opendocument.spreadsheet"},
    )


class ConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
