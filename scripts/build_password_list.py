"""Build ``coordinator/auth/data/common-passwords.txt.gz``, the list of breached and common
passwords that new passwords are checked against (see coordinator/auth/password_list.py).

Source: the RockYou breach list (14 M passwords, ordered by frequency) as shipped in the PyPI
package ``password-strength-checker-pro`` (``password_strength_checker/data/rockyou.txt.gz``,
MIT licence). The most frequent entries are kept, lower-cased, 4 to 64 characters, plus the
German and municipal entries of GERMAN_EXTRAS below. RockYou holds many German passwords
(passwort, hallo123, schatz, ichliebedich, schalke04 …) among its most frequent ones.

    pip download --no-deps password-strength-checker-pro -d /tmp/pw
    python3 scripts/build_password_list.py /tmp/pw/password_strength_checker_pro-*.whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import zipfile
from pathlib import Path

MEMBER = "password_strength_checker/data/rockyou.txt.gz"
TARGET = Path(__file__).resolve().parent.parent / "coordinator/auth/data/common-passwords.txt.gz"
MOST_FREQUENT = 300_000
GERMAN_EXTRAS = """
passwort kennwort geheim geheimnis hallo hallihallo willkommen sommer winter herbst fruehling
frühling fussball fußball deutschland schatz schatzi mausi hase hasi engel sonnenschein
blume blumen liebe ichliebedich qwertz qwertzu qwertzui qwertzuiop asdfgh yxcvbnm ypsilon
bayern borussia schalke schalke04 werder hansa eintracht muenchen münchen berlin hamburg
koeln köln sicherheit sicher benutzer anmeldung zugang verwaltung rathaus landkreis
jugendamt jobcenter integration koordinator coordinator lindenau gemeinde kreisverwaltung
""".split()  # noqa: SIM905  (a word list reads better as text)


def read_rockyou(wheel: Path) -> list[str]:
    with (zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as member,
          gzip.open(io.BufferedReader(member)) as lines):
        kept: dict[str, None] = {}
        for raw in lines:
            try:
                word = raw.rstrip(b"\r\n").decode("utf-8").casefold()
            except UnicodeDecodeError:
                continue
            if 4 <= len(word) <= 64 and word.isprintable():
                kept[word] = None
            if len(kept) >= MOST_FREQUENT:
                break
    return list(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    args = parser.parse_args()
    words = sorted(set(read_rockyou(args.wheel)) | set(GERMAN_EXTRAS))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(TARGET, "wb", compresslevel=9, mtime=0) as out:
        out.write("\n".join(words).encode() + b"\n")
    print(f"{len(words)} entries, {TARGET.stat().st_size / 1024:.0f} KiB → {TARGET}")


if __name__ == "__main__":
    main()
