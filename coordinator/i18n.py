"""Language choice: German by default, English on request (stored in the session)."""

from flask import current_app, has_request_context, session

LANGUAGE_KEY = "lang"


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    choice = session.get(LANGUAGE_KEY)
    if choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]
