"""The extractors' word lists, loaded once from data/lexicon.yml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"

LEXICON: dict[str, Any] = yaml.safe_load((DATA / "lexicon.yml").read_text(encoding="utf-8"))


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of WORDS, longest first, as a trie ("Kursk|Kursk Oblast" becomes
    "Kursk(?: Oblast)?"): with hundreds of place names a flat alternation makes the regex
    engine try every name at every position, a trie only the names that share a prefix."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body
