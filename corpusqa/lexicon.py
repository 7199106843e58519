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
    """A regex alternation of WORDS, escaped, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
