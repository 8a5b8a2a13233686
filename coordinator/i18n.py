"""Language choice: German by default, English on request (stored in the session)."""

from flask import current_app, session

LANGUAGE_KEY = "lang"


def select_locale() -> str:
    choice = session.get(LANGUAGE_KEY)
    if choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]
