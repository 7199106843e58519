"""Organisation mentions, by the canonical names and variants in the gazetteer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..gazetteer import organizations
from ..lexicon import Anchored, alternation, first_word_start_matches


@dataclass(frozen=True, init=False)
class OrganizationMention:
    """An organisation named in the text; `name` is its canonical name. One named in the
    headline (`in_headline`) has its offsets in the headline, not in the body."""

    name: str
    surface: str
    start: int
    end: int
    in_headline: bool = False

    def __init__(
        self, name: str, surface: str, start: int, end: int, in_headline: bool = False
    ) -> None:
        # As Sentence's (text.py): the fields set into the instance's dict, in order.
        fields = self.__dict__
        fields["name"] = name
        fields["surface"] = surface
        fields["start"] = start
        fields["end"] = end
        fields["in_headline"] = in_headline


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


def find_organizations(body: str) -> list[OrganizationMention]:
    """Every organisation mention in BODY, in text order, longest variant first."""
    patterns, lookup = _index()
    return [
        OrganizationMention(lookup[m.group("n")], m.group("n"), *m.span("n"))
        for m in first_word_start_matches(patterns, body)
    ]
