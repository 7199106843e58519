"""Transliteration keys: one key for every romanisation of a Russian or Ukrainian name.

Shared by extraction (a spelling of a known official is that official) and resolution (one
person however the corpus spells them).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .lexicon import LEXICON

# Romanisations of one Russian or Ukrainian sound, folded to one spelling, so that
# Anohin/Anokhin, Sergei/Sergey and Aksyonov/Aksionov/Aksenov share a key.
_FOLDS = [
    ("kh", "h"),
    ("zh", "j"),
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ks", "x"),
    ("yo", "e"),
    ("io", "e"),
    ("ye", "e"),
    ("ie", "e"),
    ("yu", "u"),
    ("iu", "u"),
    ("ya", "a"),
    ("ia", "a"),
    ("iy", "i"),
    ("ii", "i"),
    ("y", "i"),
    ("j", "i"),
    ("w", "v"),
    ("ph", "f"),
]


def skeleton(name: str) -> str:
    """A spelling-independent key for one name word: "Anokhin" and "Anohin" give "anohin"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z]", "", text)
    for old, new in _FOLDS:
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


def name_key(name: str) -> tuple[str, str]:
    """(first initial, surname skeleton) of a full name: "Sergey Aksenov" and "Sergei Aksyonov"
    share it; a single word gives ("", its skeleton)."""
    words = name.split()
    return (skeleton(words[0])[:1] if len(words) > 1 else "", skeleton(words[-1]))


def near(a: str, b: str) -> bool:
    """Whether two skeletons differ by at most one letter added, dropped or changed (a garbled
    "Anokhine" or "Bocarev"); short names must be equal, since one letter changes them."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def romanise(word: str) -> str:
    """WORD with its Cyrillic letters in Latin ("Шапша" gives "Shapsha"); other letters as
    they are."""
    table = _cyrillic()
    return "".join(_cased(table[c.lower()], c) if c.lower() in table else c for c in word)


@cache
def _cyrillic() -> dict[str, str]:
    return dict(LEXICON["cyrillic"])


def _cased(latin: str, original: str) -> str:
    return latin.capitalize() if original.isupper() else latin


def one_letter_off(key: str) -> set[str]:
    """KEY with any one letter dropped: the candidates for keys one letter from KEY. Two
    keys that share one of these may be two letters apart (a different letter dropped from
    each), so a candidate is confirmed with near()."""
    return {key[:i] + key[i + 1 :] for i in range(len(key))}
