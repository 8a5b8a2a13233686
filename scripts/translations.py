#!/usr/bin/env python3
"""Keep the English catalogue in step with the German source texts.

    python3 scripts/translations.py update    extract all messages, merge them into
                                              coordinator/translations/en/LC_MESSAGES/messages.po
                                              and list what still needs an English translation
    python3 scripts/translations.py compile   compile messages.po to messages.mo (the app reads
                                              the .mo; commit both)

Runs with the project's ``.venv`` (re-started there when called with a Python without Babel).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "coordinator" / "translations"
LANGUAGES = ("en",)
# The same keywords the tests use: Babel's defaults (_, gettext, ngettext …) plus lazy_gettext,
# imported as _l in forms and models.
EXTRA_KEYWORDS = ("_l", "lazy_gettext")


def _reexec_in_venv() -> None:
    try:
        import babel  # noqa: F401
    except ImportError:
        python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        if not python.exists():
            sys.exit("Babel fehlt: zuerst `python3 dev.py test` ausführen (legt .venv an).")
        os.execv(str(python), [str(python), *sys.argv])  # noqa: S606  (same script, venv Python)


def pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    status = CommandLineInterface().run(["pybabel", *args])
    if status:
        sys.exit(status)


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def update() -> None:
    keywords = [arg for keyword in EXTRA_KEYWORDS for arg in ("-k", keyword)]
    # File names without line numbers: translators see where a text is used, and moving code
    # around does not rewrite the whole catalogue.
    layout = ["--add-location=file", "--sort-by-file", "--no-wrap"]
    with tempfile.TemporaryDirectory() as tmp:
        template = str(Path(tmp) / "messages.pot")
        pybabel("--quiet", "extract", "-F", str(ROOT / "babel.cfg"), *keywords, *layout,
                "--project=Coordinator", "-o", template, ".")
        for language in LANGUAGES:
            if po_path(language).exists():
                pybabel("--quiet", "update", "-i", template, "-d", str(TRANSLATIONS),
                        "-l", language, "--previous", "--ignore-obsolete", "--no-wrap",
                        "--ignore-pot-creation-date")
            else:
                pybabel("--quiet", "init", "-i", template, "-d", str(TRANSLATIONS), "-l", language,
                        "--no-wrap")
                _clear_header_fuzzy(po_path(language))
    for language in LANGUAGES:
        report_missing(language)


def _clear_header_fuzzy(path: Path) -> None:
    """A new catalogue's header is marked fuzzy, and pybabel compile skips fuzzy catalogues."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as file:
        catalog = read_po(file)
    catalog.fuzzy = False
    with path.open("wb") as file:
        write_po(file, catalog, width=None)


def report_missing(language: str) -> None:
    from babel.messages.pofile import read_po

    path = po_path(language)
    with path.open("rb") as file:
        catalog = read_po(file)
    missing = [m for m in catalog if m.id and (m.fuzzy or not _translated(m))]
    if not missing:
        print(f"{path.relative_to(ROOT)}: alle {len(catalog)} Texte übersetzt.")
        return
    print(f"{path.relative_to(ROOT)}: {len(missing)} Texte brauchen eine Übersetzung "
          "(leeres msgstr ausfüllen; bei „fuzzy“ prüfen und die Markierung entfernen), "
          "danach `python3 scripts/translations.py compile`:")
    for message in missing:
        marker = " (fuzzy)" if message.fuzzy else ""
        print(f"  - {message.id[0] if isinstance(message.id, tuple) else message.id}{marker}")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return all(strings)


def compile_catalogues() -> None:
    pybabel("compile", "--statistics", "-d", str(TRANSLATIONS))


def main(argv: list[str]) -> None:
    commands = {"update": update, "compile": compile_catalogues}
    if len(argv) != 1 or argv[0] not in commands:
        sys.exit(__doc__)
    _reexec_in_venv()
    os.chdir(ROOT)  # locations in the catalogue are relative to the project root
    commands[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
