"""Password policy (ASVS V2.1): a minimum length, long passphrases allowed, no composition
rules, no truncation, and refusal of common or trivially guessable passwords."""

from __future__ import annotations

import itertools
import re
import string

from flask import current_app
from flask_babel import gettext as _

from .password_list import is_listed

# Characters people put in place of letters ("P@ssw0rd"), undone before the list look-up.
LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e",
                             "$": "s", "5": "s", "7": "t", "€": "e", "+": "t"})
# What people add around a common word: "Passwort123!", "Welcome2024!", "!!sommer2025".
DECORATION = string.digits + string.punctuation + string.whitespace
# The app's own names: a password made of them is the first thing anyone tries.
APP_NAMES = ("coordinator", "koordinator", "lindenau")
# Letters a password must keep once the app's names and the e-mail are taken out of it.
MIN_OWN_LETTERS = 6


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
    if is_common(folded):
        problems.append(_("Dieses Passwort ist zu verbreitet oder zu leicht zu erraten."))
    local_part = email.split("@", 1)[0].casefold() if email else ""
    if len(local_part) >= 4 and local_part in folded:
        problems.append(_("Das Passwort darf die E-Mail-Adresse nicht enthalten."))
    elif _mostly_context(folded, local_part):
        problems.append(_(
            "Das Passwort darf nicht im Wesentlichen aus dem Namen der Anwendung oder Ihrer "
            "E-Mail-Adresse bestehen."
        ))
    return problems


def is_common(folded: str) -> bool:
    """On the breach list as it is, without the decoration around it, or with look-alike
    characters undone; or trivially regular (one or two characters, a run, a repeated block)."""
    core = folded.strip(DECORATION)
    candidates = {folded, folded.translate(LOOK_ALIKES), core, core.translate(LOOK_ALIKES)}
    if any(len(word) >= 4 and is_listed(word) for word in candidates):
        return True
    return len(set(folded)) <= 2 or _is_sequence(folded) or _is_repeated_block(folded)


def _mostly_context(folded: str, local_part: str) -> bool:
    """Whether the password is little more than the app's name or parts of the e-mail
    address ("Coordinator2026!", "max.mustermann" → "Mustermann#2026")."""
    words = set(APP_NAMES) | {part for part in re.split(r"[._+-]", local_part) if len(part) >= 4}
    rest = folded.translate(LOOK_ALIKES)
    found = False
    for word in words:
        found = found or word in rest
        rest = rest.replace(word, "")
    letters = rest.strip(DECORATION)
    return found and len(letters) < MIN_OWN_LETTERS


def _is_repeated_block(text: str) -> bool:
    """``123412341234``, ``abcabcabcabc``: the text is one block written several times."""
    return len(text) > 1 and (text + text).find(text, 1) < len(text)


def _is_sequence(text: str) -> bool:
    """Ascending or descending runs such as ``abcdefghijkl`` or ``987654321098``."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1, -9, 9}
