"""Language choice: German by default, English on request (stored in the session)."""

from flask import current_app, has_request_context, session

LANGUAGE_KEY = "lang"
# The English catalogue is written in British English; format dates and numbers to match
# (gettext falls back from en_GB to the "en" catalogue).
FORMATTING_LOCALES = {"de": "de_DE", "en": "en_GB"}


def select_locale() -> str:
    choice = session.get(LANGUAGE_KEY) if has_request_context() else None
    if choice not in current_app.config["LANGUAGES"]:
        choice = current_app.config["BABEL_DEFAULT_LOCALE"]
    return FORMATTING_LOCALES.get(choice, choice)
