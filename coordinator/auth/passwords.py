"""Password policy (ASVS V2.1): a minimum length, long passphrases allowed, no composition
rules, no truncation, and refusal of common or trivially guessable passwords."""

from __future__ import annotations

import itertools

from flask import current_app
from flask_babel import gettext as _

# Frequent entries of public password leak lists (international and German) that reach the
# minimum length; lower-cased, compared after folding case.
COMMON_PASSWORDS = frozenset(
    [
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456123456",
        "111111111111",
        "000000000000",
        "123123123123",
        "password1234",
        "passwort1234",
        "password12345",
        "passwort12345",
        "passwort123456",
        "qwertzuiop12",
        "qwertyuiop12",
        "qwertzuiopü",
        "qwertyuiop123",
        "qwertzuiop123",
        "asdfghjkl123",
        "iloveyou1234",
        "ichliebedich",
        "ichliebedich1",
        "hallo1234567",
        "hallohallo12",
        "sommer2024!!",
        "sommer123456",
        "winter123456",
        "fruehling123",
        "herbst123456",
        "fussball1234",
        "fußball1234",
        "schalke04schalke",
        "borussia1909",
        "bayernmuenchen",
        "bayernmünchen",
        "deutschland1",
        "deutschland12",
        "deutschland123",
        "willkommen12",
        "willkommen123",
        "geheim123456",
        "geheimgeheim",
        "passwortpasswort",
        "passwordpassword",
        "letmein12345",
        "welcome12345",
        "administrator",
        "administrator1",
        "admin1234567",
        "adminadmin12",
        "changeme1234",
        "trustno11234",
        "superman1234",
        "dragon123456",
        "monkey123456",
        "football1234",
        "baseball1234",
        "princess1234",
        "sunshine1234",
        "master123456",
        "starwars1234",
        "abcdefghijkl",
        "abcdef123456",
        "abc123abc123",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "q1w2e3r4t5z6",
        "q1w2e3r4t5y6",
        "azertyuiop12",
        "coordinator1",
        "coordinator123",
        "koordinator1",
        "koordinator123",
        "integration1",
        "integration123",
        "landkreis123",
        "jugendamt123",
        "jobcenter123",
        "verwaltung12",
        "verwaltung123",
        "rathaus12345",
        "startstart12",
        "test12345678",
        "testtest1234",
        "testpasswort",
        "benutzer1234",
        "kennwort1234",
        "kennwort12345",
        "sicherheit12",
        "sicheres_passwort",
        "sicherespasswort",
    ]
)


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Return German reasons why ``password`` is not acceptable (empty list when it is).

    >>> password_problems("kurz")  # doctest: +SKIP
    ['Das Passwort muss mindestens 12 Zeichen lang sein.']
    """
    config = current_app.config
    problems: list[str] = []
    if len(password) < config["PASSWORD_MIN_LENGTH"]:
        problems.append(
            _(
                "Das Passwort muss mindestens %(n)d Zeichen lang sein.",
                n=config["PASSWORD_MIN_LENGTH"],
            )
        )
    if len(password) > config["PASSWORD_MAX_LENGTH"]:
        problems.append(
            _(
                "Das Passwort darf höchstens %(n)d Zeichen lang sein.",
                n=config["PASSWORD_MAX_LENGTH"],
            )
        )
    folded = password.casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2 or _is_sequence(folded):
        problems.append(_("Dieses Passwort ist zu verbreitet oder zu leicht zu erraten."))
    if email:
        local_part = email.split("@", 1)[0].casefold()
        if len(local_part) >= 4 and local_part in folded:
            problems.append(_("Das Passwort darf die E-Mail-Adresse nicht enthalten."))
    return problems


def _is_sequence(text: str) -> bool:
    """Ascending or descending runs such as ``abcdefghijkl`` or ``987654321098``."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1, -9, 9}
