"""All extractors over one article: the records the loader stores for it."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from .claims import Claim
from .organizations import OrganizationMention, find_organizations
from .persons import PersonMention, find_persons
from .places import PlaceMention, find_places
from .reports import extract_claims
from .text import new_article, sentences


@dataclass
class Extraction:
    """What one article says: its mentions and its claims, with offsets into its body."""

    places: list[PlaceMention]
    persons: list[PersonMention]
    organizations: list[OrganizationMention]
    claims: list[Claim]


def extract(body: str, published: str | None = None, title: str | None = None) -> Extraction:
    """Run every extractor over BODY. A pure function of the text, its date and its
    headline, which only helps date the claims (its words have no offsets in BODY)."""
    new_article()
    organizations = find_organizations(body)
    # "Black Sea Fleet" names an organisation, not the sea.
    places = [p for p in find_places(body) if not _inside(p, organizations)]
    # "the Defense Ministry in Moscow": where the body sits, like a place in a title.
    seats = {o.end for o in organizations}
    places = [
        replace(p, office=True)
        if p.start - 4 in seats and body[p.start - 4 : p.start] == " in "
        else p
        for p in places
    ]
    persons = find_persons(body)
    # A byline's writer is no one's source.
    speakers = [p for p in persons if not p.credit]
    authorities = sorted([*speakers, *organizations], key=lambda m: m.start)
    read = [p for p in places if not p.named_only]
    claims = extract_claims(body, sentences(body), read, authorities, published, title)
    return Extraction(places, persons, organizations, claims)


def _inside(place: PlaceMention, organizations: list[OrganizationMention]) -> bool:
    """Whether PLACE lies inside an organisation's name; ORGANIZATIONS are in text order and
    do not overlap, so only the last one starting at or before the place can hold it."""
    last = bisect_right(organizations, place.start, key=lambda o: o.start) - 1
    return last >= 0 and place.end <= organizations[last].end
