from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from .models import ROLE_LABELS, Role
from .passwords import password_problems


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")),
                    Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordMixin:
    """A new password typed twice and checked against the password policy."""

    new_password = PasswordField(
        _l("Neues Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie ein neues Passwort ein."))],
        description=_l("Mindestens 12 Zeichen. Lange Sätze sind ausdrücklich erlaubt."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            DataRequired(_l("Bitte wiederholen Sie das neue Passwort.")),
            EqualTo("new_password", _l("Die beiden Passwörter stimmen nicht überein.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def password_email(self) -> str | None:
        return None

    def validate_new_password(self, field) -> None:
        problems = password_problems(field.data or "", self.password_email())
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Aktuelles Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr aktuelles Passwort ein."))],
        render_kw={"autocomplete": "current-password"},
    )


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, ROLE_LABELS[role]) for role in Role]


class UserForm(FlaskForm):
    """Admin form. Role and department are only ever set here, never from a user's own
    request (no mass assignment)."""

    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
            Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Rolle"), choices=role_choices)
    department_id = SelectField(
        _l("Ressort (nur für Mitarbeitende)"), coerce=int, validate_choice=True
    )
    active = BooleanField(_l("Konto aktiv"), default=True)

    def validate_department_id(self, field) -> None:
        if self.role.data == Role.STAFF.value and not field.data:
            raise ValidationError(_l("Mitarbeitende brauchen ein Ressort."))


class NewUserForm(NewPasswordMixin, UserForm):
    def password_email(self) -> str | None:
        return self.email.data


class LanguageForm(FlaskForm):
    language = StringField(validators=[DataRequired(), Length(max=5)])
