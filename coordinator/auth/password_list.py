"""The list of breached and common passwords shipped with the app (300,000 entries, built by
scripts/build_password_list.py from the RockYou breach list plus German and municipal words).

It is held in memory as a sorted array of the entries' 64-bit string hashes (2.4 MB instead of
~25 MB for a set of the strings), built on first use; ``hash()`` of a string differs between
processes but not within one, which is all a look-up needs.
"""

from __future__ import annotations

import bisect
import gzip
from array import array
from functools import cache
from pathlib import Path

LIST_PATH = Path(__file__).parent / "data" / "common-passwords.txt.gz"


def _key(word: str) -> int:
    return hash(word) & 0xFFFF_FFFF_FFFF_FFFF


@cache
def _hashes() -> array:
    with gzip.open(LIST_PATH, "rb") as compressed:
        words = compressed.read().decode("utf-8").split("\n")
    return array("Q", sorted({_key(word) for word in words if word}))


def list_size() -> int:
    return len(_hashes())


def is_listed(word: str) -> bool:
    """Whether the lower-cased ``word`` is on the list."""
    hashes = _hashes()
    key = _key(word)
    at = bisect.bisect_left(hashes, key)
    return at < len(hashes) and hashes[at] == key
