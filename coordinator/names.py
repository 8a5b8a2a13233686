"""One normalisation for names (stakeholders, field-of-work labels, text cells of imports), so
that look-alike names cannot sit side by side: ``Jugendamt\u200b`` or ``Jugend\u202eamt`` must
not become a second Jugendamt.

* :func:`clean_name` is what is stored: NFC, every kind of white space (no-break, thin,
  ideographic space, tabs, line breaks) as one ordinary space, trimmed.
* :func:`invisible_characters` lists what is refused: code points that are not shown or that
  change how text around them is shown — bidirectional overrides and marks, zero-width
  characters, soft hyphen, control, private-use and unassigned code points, fillers.
* :func:`name_key` is what uniqueness is checked on: the clean name in NFKC, case-folded, with
  any invisible code point dropped (a defence for names that did not pass a form).
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

# Categories of code points that show nothing or steer display: format (Cf: bidi controls,
# zero-width space/joiners, soft hyphen, BOM …), control (Cc), private use (Co), surrogates
# (Cs), unassigned (Cn).
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs", "Cn"})
# Letters and marks that render as blank space although their category says otherwise.
BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def _is_invisible(char: str) -> bool:
    if char.isspace():
        return False  # folded into a plain space by clean_name
    return unicodedata.category(char) in INVISIBLE_CATEGORIES or char in BLANK_LOOKING


def clean_name(text: str) -> str:
    """NFC, white space of any kind collapsed to single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def invisible_characters(text: str) -> list[str]:
    """The invisible code points in ``text`` as ``U+200B`` (each once, in order)."""
    found = dict.fromkeys(f"U+{ord(char):04X}" for char in text if _is_invisible(char))
    return list(found)


def name_key(text: str) -> str:
    """The form names are compared in: case and width (NFKC) folded, invisibles dropped.

    >>> name_key(" Jugend\u200bamt ") == name_key("JUGENDAMT")
    True
    """
    visible = "".join(char for char in text if not _is_invisible(char))
    return unicodedata.normalize("NFKC", clean_name(visible).casefold())


def invisible_characters_message(text: str) -> str | None:
    """A German message naming the invisible code points of ``text``, or None."""
    found = invisible_characters(text)
    if not found:
        return None
    return _(
        "Der Text enthält unsichtbare oder steuernde Zeichen (%(characters)s), z. B. aus "
        "kopiertem Text. Bitte geben Sie ihn ohne diese Zeichen ein.",
        characters=", ".join(found),
    )
