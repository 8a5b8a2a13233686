"""Signs that characters were lost before the file reached us.

German Excel's plain "CSV" is Windows-1252: a name such as „Başak“ or „Łukasz“, which that
code page cannot hold, is silently saved as „Ba?ak“ or „?ukasz“. Files that went through a
wrong conversion carry U+FFFD (�) or UTF-8 read as Windows-1252 („MÃ¼ller“). The file decodes
without error in every case, so the rows are checked one by one and the import refuses them
with a hint to save as "CSV UTF-8".
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .columns import clip

CP1252 = "cp1252"
# "?" followed by a letter or digit: "Ba?ak", "?ukasz", "Gr??e". A question mark at the end
# of a word ("Wer hilft?") is punctuation (a lost last letter, "Kova?", cannot be told apart).
LOST_IN_CP1252 = re.compile(r"\?\w")
# UTF-8 bytes of ä, ö, ü, ß, é … read as Windows-1252: "Ã" or "Â" followed by a second byte.
DOUBLE_ENCODED = re.compile("[ÃÂ][\u0080-\u00bf\u2018-\u201e\u2020-\u2122\u0152\u0153\u0160"
                            "\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]")
REPLACEMENT = "\ufffd"


def lost_character_problem(cells: list[str], encoding: str | None) -> str | None:
    """A German message naming the first suspicious cell of a row, or None."""
    for cell in cells:
        if REPLACEMENT in cell or DOUBLE_ENCODED.search(cell):
            return _(
                "„%(value)s“ enthält verfälschte Zeichen (z. B. „Ã¼“ statt „ü“ oder „�“): Die "
                "Datei wurde vorher mit einer falschen Kodierung gespeichert. Bitte "
                "korrigieren Sie die Zeichen und speichern Sie die Datei als „CSV UTF-8“.",
                value=clip(cell),
            )
        if encoding == CP1252 and LOST_IN_CP1252.search(cell):
            return _(
                "„%(value)s“ enthält ein Fragezeichen mitten im Wort. Die Datei ist als "
                "Windows-1252 gespeichert, das Zeichen wie ş, ł, ć oder arabische und "
                "kyrillische Buchstaben nicht kennt – Excel ersetzt sie beim Speichern durch "
                "„?“. Bitte speichern Sie die Datei in Excel als „CSV UTF-8 (durch "
                "Trennzeichen getrennt)“ und prüfen Sie die Namen.",
                value=clip(cell),
            )
    return None
