"""Organisation mentions, by the canonical names and variants in the gazetteer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..gazetteer import organizations
from ..lexicon import Anchored, alternation, first_word_start_matches


@dataclass(frozen=True)
class OrganizationMention:
    """An organisation named in the text; `name` is its canonical name. One named in the
    headline (`in_headline`) has its offsets in the headline, not in the body."""

    name: str
    surface: str
    start: int
    end: int
    in_headline: bool = False


@cache
def _index() -> tuple[tuple[re.Pattern[str], re.Pattern[str], Anchored], dict[str, str]]:
    lookup: dict[str, str] = {}
    for org in organizations():
        for variant in (org.name, *org.variants):
            lookup.setdefault(variant, org.name)
    after = r"(?:['’]s)?(?![\w-])"
    names = rf"(?P<n>{alternation(lookup)}){after}"
    # A name with "the" before it, else the name: patterns each begun with what the regex
    # engine can scan for, scanned with first_word_start_matches, which checks the start of
    # the word. The few names in lower case ("defence ministry") are looked for where they
    # are, as lower-case letters stand everywhere; they never start where a capitalised one
    # does, so the two are the halves of one pattern of names.
    lower = [variant for variant in lookup if not variant[:1].isupper()]
    upper = [variant for variant in lookup if variant[:1].isupper()]
    return (
        re.compile(rf"the\s+{names}"),
        re.compile(rf"(?P<n>{alternation(upper)}){after}"),
        Anchored(re.compile(rf"(?P<n>{alternation(lower)}){after}"), lower),
    ), lookup


# Ukraine's bodies of each region, too many to list, are named by a pattern: "the Mykolaiv
# Regional Military Administration", "the Sumy Regional Air Defense Command".
_REGIONAL = re.compile(
    r"(?P<n>[A-Z][a-z]+(?:-[A-Z][a-z]+)?[ \t]+(?:Oblast|Regional|Region|City)[ \t]+"
    r"(?:Military[ \t]+Administration|State[ \t]+Administration"
    r"|Air[ \t]+Defen[cs]e[ \t]+(?:Command|Forces)))(?:['’]s)?(?![\w-])"
)


def find_organizations(body: str) -> list[OrganizationMention]:
    """Every organisation mention in BODY, in text order, longest variant first; a region's
    body that the gazetteer does not list by the words it is named with."""
    patterns, lookup = _index()
    found = [
        OrganizationMention(lookup[m.group("n")], m.group("n"), *m.span("n"))
        for m in first_word_start_matches(patterns, body)
    ]
    if "Administration" not in body and "Air Defen" not in body:
        return found
    taken = [(m.start, m.end) for m in found]
    regional = [
        OrganizationMention(m.group("n"), m.group("n"), *m.span("n"))
        for m in _REGIONAL.finditer(body)
        if not any(start < m.end("n") and m.start("n") < end for start, end in taken)
    ]
    return sorted(found + regional, key=lambda m: m.start) if regional else found
