"""The English catalogue: complete for the current sources, compiled, placeholders intact, and
selectable in the app.

German is the source language (every msgid is German). When a test here fails after a new or
changed German text, run ``python3 scripts/translations.py update``, translate the entries it
lists in coordinator/translations/en/LC_MESSAGES/messages.po, then
``python3 scripts/translations.py compile`` and commit both files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from coordinator.models import Role

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIR = ROOT / "coordinator" / "translations" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "messages.po"
MO_FILE = CATALOGUE_DIR / "messages.mo"
# The same keywords as scripts/translations.py: Babel's defaults plus the lazy forms.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
HOW_TO_FIX = (
    "Run `python3 scripts/translations.py update`, translate the listed entries in "
    "coordinator/translations/en/LC_MESSAGES/messages.po (fill in msgstr, remove the fuzzy "
    "flag after checking), then `python3 scripts/translations.py compile` and commit both "
    "messages.po and messages.mo."
)
# %(name)s / %(n)d (Flask-Babel), %% and bare %s, and {name} (texts formatted with str.format).
PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%|%[sdr]|\{\w*\}"
)


def singular(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


def forms(string) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, tuple | list) else (string,)


@pytest.fixture(scope="module")
def catalogue():
    with PO_FILE.open("rb") as file:
        return read_po(file, locale="en")


def extracted_messages() -> dict[str, tuple[str, int]]:
    """msgid → first place it occurs, from the sources as they are now (method map of
    babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str, tuple[str, int]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(singular(message), (filename, lineno))
    return found


def test_every_source_text_has_an_english_translation(catalogue):
    extracted = extracted_messages()
    assert len(extracted) > 100, "extraction found almost nothing – is babel.cfg right?"
    problems = []
    for msgid, (filename, lineno) in sorted(extracted.items(), key=lambda item: item[1]):
        entry = catalogue.get(msgid)
        if entry is None:
            problems.append(f"{filename}:{lineno}: not in the catalogue: {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"{filename}:{lineno}: fuzzy (check it): {msgid!r}")
        elif not all(s.strip() for s in forms(entry.string)):
            problems.append(f"{filename}:{lineno}: no English text: {msgid!r}")
    assert not problems, HOW_TO_FIX + "\n" + "\n".join(problems)


def test_catalogue_itself_has_no_fuzzy_or_empty_entries(catalogue):
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy; pybabel would skip it"
    bad = [m.id for m in catalogue if m.id and (m.fuzzy or not all(forms(m.string)))]
    assert not bad, HOW_TO_FIX + "\n" + "\n".join(map(repr, bad))


def test_plural_entries_have_both_english_forms(catalogue):
    plurals = [m for m in catalogue if m.id and m.pluralizable]
    assert plurals, "the sources use ngettext; its entries should be here"
    for message in plurals:
        assert len(forms(message.string)) == 2, message.id


def test_compiled_catalogue_matches_the_po_file(catalogue):
    with MO_FILE.open("rb") as file:
        compiled = read_mo(file)
    in_po = {singular(m.id): forms(m.string) for m in catalogue if m.id}
    in_mo = {singular(m.id): forms(m.string) for m in compiled if m.id}
    assert in_mo == in_po, (
        "messages.mo is out of date: run `python3 scripts/translations.py compile` and commit it"
    )


def test_translations_keep_every_placeholder(catalogue):
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        originals = forms(message.id)
        for index, text in enumerate(forms(message.string)):
            # English has two forms: the first answers the singular msgid, the other the plural.
            original = originals[min(index, len(originals) - 1)]
            expected = sorted(set(PLACEHOLDER.findall(original)))
            actual = sorted(set(PLACEHOLDER.findall(text)))
            if expected != actual:
                problems.append(f"{original!r}: expected {expected}, translation has {actual}")
    assert not problems, "\n".join(problems)


def test_placeholder_pattern_sees_the_formats_in_use():
    text = "%(name)s hat %(n)d von %(total)5.1f, 100 %% – {count} · %s"
    assert PLACEHOLDER.findall(text) == ["%(name)s", "%(n)d", "%(total)5.1f", "%%", "{count}",
                                         "%s"]


def test_german_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page
    assert "Sign in" not in page


def test_english_after_choosing_it_and_german_again(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert "Email address" in page  # a lazy form label
    assert 'lang="de">Deutsch</button>' in page  # the way back, labelled in its own language

    client.post("/language", data={"language": "de"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page


def test_language_choice_survives_login_and_logout(client, auth, world):
    client.post("/language", data={"language": "en"})
    auth.login_as(world, Role.COORDINATOR)  # logging in starts a fresh session
    page = client.get("/stakeholders/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Stakeholders</h1>" in page
    auth.logout()
    assert "<h1>Sign in</h1>" in client.get("/login").get_data(as_text=True)


def test_unknown_language_keeps_german(client):
    client.post("/language", data={"language": "fr"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page


def test_english_plural_forms(app, catalogue):
    counted = [  # plural entries whose only placeholder is the count, with two English forms
        m for m in catalogue
        if m.id and m.pluralizable and len(set(m.string)) == 2
        and set(PLACEHOLDER.findall(" ".join(m.id))) == {"%(num)d"}
    ]
    assert counted
    message = counted[0]
    one, other = forms(message.string)
    with app.test_request_context(), force_locale("en"):
        assert ngettext(*message.id, 1) == one % {"num": 1}
        assert ngettext(*message.id, 3) == other % {"num": 3}


def test_english_dates_use_british_format(client, auth, world):
    from coordinator.models import Role

    client.post("/language", data={"language": "en"})
    auth.login_as(world, Role.ADMIN)
    page = client.get(f"/activities/{world['own_activity'].id}").get_data(as_text=True)
    assert "3 February 2026" in page
    client.post("/language", data={"language": "de"})
    page = client.get(f"/activities/{world['own_activity'].id}").get_data(as_text=True)
    assert "3. Februar 2026" in page
