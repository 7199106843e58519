"""Organisation mentions, by the canonical names and variants in the gazetteer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..gazetteer import organizations
from ..lexicon import alternation


@dataclass(frozen=True)
class OrganizationMention:
    """An organisation named in the text; `name` is its canonical name."""

    name: str
    surface: str
    start: int
    end: int


@cache
def _index() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for org in organizations():
        for variant in (org.name, *org.variants):
            lookup.setdefault(variant, org.name)
    names = alternation(lookup)
    pattern = re.compile(rf"(?<![\w-])(?:the\s+)?(?P<n>{names})(?:['’]s)?(?![\w-])")
    return pattern, lookup


def find_organizations(body: str) -> list[OrganizationMention]:
    """Every organisation mention in BODY, in text order, longest variant first."""
    pattern, lookup = _index()
    return [
        OrganizationMention(lookup[m.group("n")], m.group("n"), *m.span("n"))
        for m in pattern.finditer(body)
    ]
