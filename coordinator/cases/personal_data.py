"""Recognise text that looks like personal data of a resident.

Case notes, goals, minutes and consent purposes must not turn Coordinator into a second case
file: the lead department keeps names, birth dates and addresses in its own system. This
module is pure (no Flask, no database) so it can be tested on its own and used by forms and
operations alike. It errs on the side of refusing: the user can always rephrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What kind of personal data a finding is; the forms turn these into German messages.
BIRTH_DATE = "birth_date"
PHONE = "phone"
EMAIL = "email"
IBAN = "iban"
STREET_ADDRESS = "street_address"
IDENTIFYING_WORD = "identifying_word"

MONTHS = (
    "januar|jan|februar|feb|märz|maerz|mär|april|apr|mai|juni|jun|juli|jul|august|aug|"
    "september|sept|sep|oktober|okt|november|nov|dezember|dez"
)

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_WORDED_DATE = re.compile(rf"\b(\d{{1,2}})\.?\s*(?:{MONTHS})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b",
                   re.IGNORECASE)
# A phone number starts with + / 00 (country code) or 0 (area code) and has at least seven
# digits, grouped by spaces, slashes, hyphens or brackets.
_PHONE = re.compile(r"(?<![\w.])(?:\+|00|\(?0)\d[\d\s/()-]{5,}\d")
_STREET_SUFFIX = (
    r"(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|pfad|steig|"
    r"markt|berg|hof|stieg|promenade|anger)"
)
_STREET = re.compile(
    rf"\b[A-ZÄÖÜ][\wäöüß-]*{_STREET_SUFFIX}\s*\d{{1,4}}\s?[a-z]?\b"
    rf"|\b[A-ZÄÖÜ][\wäöüß-]+\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm)"
    rf"\s*\d{{1,4}}\s?[a-z]?\b"
)
_WORDS = re.compile(
    r"(?<!\w)(?:geb\.|geboren|geburtsdatum|geburtsort|geb\.-datum|aktenzeichen|az\.|"
    r"kundennummer|bg-nummer|bg-nr\.|versicherungsnummer|steuer-id|staatsangehörigkeit|"
    r"reisepass|passnummer)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One piece of text that looks like personal data: its kind and the text itself."""

    kind: str
    text: str


def find_personal_data(text: str, current_year: int) -> list[Finding]:
    """All passages of ``text`` that look like personal data, in order of appearance.

    Parameters
    ----------
    text : str
        A note, goal, minutes or purpose as typed.
    current_year : int
        The year today; a complete date more than a year before it could be a birth date,
        while recent and future dates (appointments, deadlines) are allowed.

    Returns
    -------
    list of Finding
        Empty when the text looks harmless.
    """
    found: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match) -> None:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return  # one passage is reported once (an IBAN is not also a phone number)
        taken.append((start, end))
        found.append((start, Finding(kind, match.group(0).strip())))

    for match in _EMAIL.finditer(text):
        add(EMAIL, match)
    for match in _IBAN.finditer(text):
        if sum(c.isdigit() for c in match.group(0)) >= 12:
            add(IBAN, match)
    for match in _NUMERIC_DATE.finditer(text):
        if _could_be_birth_date(int(match.group(1)), int(match.group(2)),
                                _full_year(match.group(3), current_year), current_year):
            add(BIRTH_DATE, match)
    for match in _ISO_DATE.finditer(text):
        if _could_be_birth_date(int(match.group(3)), int(match.group(2)), int(match.group(1)),
                                current_year):
            add(BIRTH_DATE, match)
    for match in _WORDED_DATE.finditer(text):
        if _could_be_birth_date(int(match.group(1)), 1, int(match.group(2)), current_year):
            add(BIRTH_DATE, match)
    for match in _PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group(0)) >= 7:
            add(PHONE, match)
    for match in _STREET.finditer(text):
        add(STREET_ADDRESS, match)
    for match in _WORDS.finditer(text):
        add(IDENTIFYING_WORD, match)
    return [finding for _start, finding in sorted(found, key=lambda item: item[0])]


def _full_year(digits: str, current_year: int) -> int:
    """Two-digit years: the most recent past year with those digits (``85`` → 1985)."""
    if len(digits) == 4:
        return int(digits)
    year = current_year - current_year % 100 + int(digits)
    return year if year <= current_year else year - 100


def _could_be_birth_date(day: int, month: int, year: int, current_year: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year < current_year - 1
