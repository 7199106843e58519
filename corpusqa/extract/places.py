"""Place mentions, resolved against the gazetteer."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache

from ..gazetteer import places, subject_of
from ..lexicon import (
    LEXICON,
    Anchored,
    alternation,
    first_word_start_matches,
    folded,
    word_start_matches,
)

_POSSESSIVE = r"(?:['’]s)?"


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text.

    `subject_id` is the federal subject, foreign province, sea or country it lies in.
    `adjectival` marks demonyms ("Ukrainian drones"), which say where something is from,
    not where it happened. Places coordinated under one plural head ("the Penza and Kursk
    regions") share a `group` number. `office` marks a place named in a title ("Moscow Mayor
    Sergei Sobyanin", "the Kursk region governor"): it says whose office speaks, and is where
    a claim happened only when the claim names no other place. `landmark` marks a place
    named only to locate the one before it ("over the Black Sea, near the coast of
    Crimea"; "in Krasnodar, near the Crimean Peninsula"; "the port of Ust-Luga on the Baltic
    Sea"), which is read the same way, and
    `destination` a place drones were flying to ("a drone flying towards Moscow was shot down
    over Odintsovo"), which is where they fell only when nothing else is named. An `origin`,
    a place they were launched from ("launched from occupied Crimea"), is never where they
    fell.
    """

    place_id: str
    subject_id: str
    surface: str
    start: int
    end: int
    adjectival: bool = False
    group: int | None = None
    office: bool = False
    landmark: bool = False
    destination: bool = False
    origin: bool = False

    @property
    def secondary(self) -> bool:
        """Named to say who speaks, where another place is or where drones came from or were
        bound, not where things happened."""
        return self.office or self.landmark or self.destination or self.origin


@cache
def _variant_index() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for place in places().values():
        for variant in (place.name, *place.variants):
            lookup.setdefault(variant, place.id)
    names = alternation(lookup)
    # Scanned with word_start_matches, which checks the start of the word.
    return re.compile(rf"(?P<name>{names}){_POSSESSIVE}(?![\w-])"), lookup


@cache
def _coordination() -> tuple[tuple[re.Pattern[str], Anchored], dict[str, str]]:
    """Stems of first-level subdivisions, for "the Belgorod, Kursk and Voronezh regions"."""
    stems: dict[str, str] = {}
    for place in places().values():
        if place.kind not in ("federal_subject", "province"):
            continue
        for variant in place.variants:
            head = re.match(r"^(.+) (?:Region|region|Oblast|oblast|Krai|krai)$", variant)
            if head:
                stems.setdefault(head.group(1), place.id)
    stem = alternation(stems)
    heads = alternation(LEXICON["plural_subject_heads"])
    listed = rf"(?:{stem})(?:\s*,\s*(?:{stem}))*,?\s+(?:and|&)\s+(?:{stem})"
    # "the Penza and Kursk regions", or the head first: "several oblasts, including Kyiv,
    # Sumy and Poltava". Two patterns rather than one of two branches, each begun with a
    # list of words, scanned with first_word_start_matches, which checks the start of the
    # word: the regex engine skips to the capitals names begin with, and the heads, in lower
    # case, are looked for where they are (Anchored).
    patterns = (
        re.compile(rf"(?P<list>{listed})\s+(?:{heads})\b"),
        Anchored(
            re.compile(
                rf"(?:{heads}),?\s+(?:including|namely|such\s+as)\s+(?P<list>{listed})(?![\w-])"
            ),
            LEXICON["plural_subject_heads"],
        ),
    )
    return patterns, stems


@cache
def _stem_pattern() -> re.Pattern[str]:
    return re.compile(alternation(_coordination()[1]))


# "Russian territory", "Russian airspace": a demonym that names the country's ground or sky.
_TERRITORY = re.compile(r"\s+(?:territory|airspace|soil|skies|sky)\b", re.IGNORECASE)


def _adjectival(place_id: str, surface: str) -> bool:
    place = places()[place_id]
    return (
        place.kind == "country"
        and surface != place.name
        and " " not in surface
        and not surface.endswith("a")
    )


def _locative(body: str, start: int) -> bool:
    before = body[max(0, start - 25) : start].split()
    preps = LEXICON["locative_prepositions"]
    return bool(before) and (
        before[-1].lower() in preps
        or before[-1].lower() == "the"
        and len(before) > 1
        and before[-2].lower() in preps
    )


def _titled(body: str, end: int) -> bool:
    """ "Moscow Mayor", "Kyiv governor": the capital names the place the office is in."""
    after = body[end : end + 20].split()
    return bool(after) and after[0].lower() in ("mayor", "governor", "region", "oblast")


_OFFICE = re.compile(
    r"(?:\s+(?:region|oblast|krai|city|regional))?['’]?s?\s+(?:acting\s+)?(?:mayor|governor)\b",
    re.IGNORECASE,
)
# "the Acting Governor of Kursk region", "the head of the Belgorod region": the title first.
_OFFICE_BEFORE = re.compile(r"\b(?:governor|mayor|head)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _office(body: str, start: int, end: int) -> bool:
    """Whether the place at BODY[start:end] is named in a title."""
    return bool(_OFFICE.match(body, end) or _OFFICE_BEFORE.search(body, max(0, start - 20), start))


# "Ukraine's air defence destroyed ...", "Russia said ...": a country that acts or speaks is
# a party, not where something happened.
_PARTY = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:air|defen[cs]e|army|armed|military|forces|ministry|troops|general)"
    r"|\s+(?:says|said|claims|claimed|reports|reported|launched|launches|attacked|fired)\b"
    # "accused Ukraine of launching six missiles": the country that acted.
    r"|\s+of\s+(?:launching|firing|attacking|sending|using)\b",
    re.IGNORECASE,
)


# "the Black Sea, near the coast of Crimea", "Krasnodar, located south and near the Crimean
# Peninsula", "Ramenskoye, southeast of Moscow", "Ust-Luga on the Baltic Sea": what follows
# the first place only locates it.
_NEAR = re.compile(
    r"[\s,]*(?:(?:located|lying|situated)\s+)?(?:[a-z]+\s+(?:and\s+)?)?"
    r"(?:near|off|on|close\s+to|by|(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?"
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)"
    r"\s+(?:the\s+)?(?:(?:coast|shores?)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)


# "drones launched by Russia", "fired from Ukraine": where they came from, not where they fell.
_AGENT = re.compile(r"\b(?:by|from)\s+$", re.IGNORECASE)


# "launched from occupied Crimea", "launched by Russia from the Kursk region", "used to attack
# from Cape Chauda (Crimea)": where drones came from.
_LAUNCHED = re.compile(
    r"\b(?:launched|fired|sent|flying|coming|took\s+off|attack|attacked)(?:\s+\w+){0,3}?\s+from\s+"
    r"(?:the\s+)?(?:(?:temporarily\s+)?(?:occupied|annexed)\s+)?"
    # "launched from the eastern coast of the Azov Sea".
    r"(?:(?:(?:north|south|east|west)(?:ern)?\s+)?(?:coast|shores?|banks?)\s+of\s+(?:the\s+)?)?"
    # "from Cape Chauda (Crimea)": a place the gazetteer does not hold, then its region.
    r"(?:[A-Z][\w-]*\s+){0,2}\(?$"
)

# "the Kaluga region that is closer to Moscow", "the Bryansk region, which borders Ukraine",
# "the Nizhny Novgorod region, a hub located near the borders of Kazakhstan": a clause that
# describes the first place, whose places only locate it.
_DESCRIBED = re.compile(
    r"(?:\s+(?:region|oblast|krai|province|republic|territory))?,?\s+"
    r"(?:(?:that|which)\s+(?:is\s+|lies\s+)?|an?\s+(?:[\w-]+\s+){0,5}?(?:located|lying|situated)\s+)"
    r"(?:\w+\s+){0,2}?(?:borders?|bordering|near|closer?\s+to|next\s+to|adjacent\s+to)\s+"
    r"(?:(?:the\s+)?borders?\s+(?:of|with)\s+)?(?:the\s+)?",
    re.IGNORECASE,
)

# "flying towards Moscow", "heading for the capital's Vnukovo airport": where drones were bound.
_BOUND = re.compile(
    r"\b(?:towards?|approaching|heading\s+(?:for|to)|flying\s+to|en\s+route\s+to|aimed\s+at|"
    r"on\s+(?:its|their)\s+way\s+to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# "the capital itself", "the capital's airports", "the capital region"; not "the capital of
# the region", which names a regional centre.
_CAPITAL = re.compile(r"\bthe\s+(?P<name>capital(?P<region>\s+region)?)(?!\s+(?:city\s+)?of\b)")


def _capitals(
    body: str, mentions: list[PlaceMention], named: list[tuple[int, str]]
) -> list[PlaceMention]:
    """ "The capital" as the city (or "the capital region" as the region around it) of the
    capital NAMED last before it: Moscow after the Moscow region, Kyiv after Kyiv. With no
    such place named before, it is left unread."""
    if "capital" not in body:
        # Most bodies never say it: a scan for the word is many times quicker than one for
        # the pattern, which begins with a word boundary and is tried at every position.
        return []
    cities = LEXICON["capitals"]["cities"]
    named = sorted((start, cities[place_id]) for start, place_id in named if place_id in cities)
    starts = [start for start, _ in named]
    spans = sorted((m.start, m.end) for m in mentions)
    found = []
    for match in _CAPITAL.finditer(body):
        start, end = match.span("name")
        before = bisect_left(starts, start) - 1
        # Mentions do not overlap: only the last one starting before END can cover it.
        last = bisect_left(spans, (end,)) - 1
        if last >= 0 and spans[last][1] > start:
            continue
        # "the capital Kiev", "the capital, Kyiv": the name that follows.
        follows = bisect_left(starts, end)
        if follows < len(named) and named[follows][0] - end <= 3:
            before = follows
        if before < 0:
            continue
        city = named[before][1]
        place_id = LEXICON["capitals"]["regions"][city] if match.group("region") else city
        if places()[subject_of(place_id)].kind == "country":
            # Kyiv city is a row of the country in the gazetteer (SOURCES.md), and "the
            # capital" never means the whole country.
            continue
        found.append(
            PlaceMention(
                place_id,
                subject_of(place_id),
                match.group("name"),
                start,
                end,
                destination=_bound(body, match.start()),
            )
        )
    return found


# "the Minsk motorway", "Kyivsky Avenue": a road named after a place is not the place.
_ROAD = re.compile(r"\s+(?:motorway|highway|road|avenue|street|prospekt|shosse)\b", re.IGNORECASE)


@cache
def _surroundings() -> re.Pattern[str]:
    cues = alternation(LEXICON["surroundings"]["cues"])
    return re.compile(rf"\b(?:the\s+)?(?:{cues})\s+(?:the\s+)?$", re.IGNORECASE)


def find_places(body: str) -> list[PlaceMention]:
    """Every place mention in BODY, in text order, with no two overlapping."""
    mentions: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    # Both forms of a coordination hold a plural head ("regions", "oblasts"): a body with
    # none, as most are, is not scanned for one.
    heads = LEXICON["plural_subject_heads"]
    has_head = any(head in body for head in heads)
    patterns, stems = _coordination()
    coordinations = first_word_start_matches(patterns, body) if has_head else []
    for group, match in enumerate(coordinations):
        listed = match.group("list")
        base = match.start("list")
        for name in _stem_pattern().finditer(listed):
            place_id = stems[name.group()]
            mentions.append(
                PlaceMention(
                    place_id,
                    subject_of(place_id),
                    name.group(),
                    base + name.start(),
                    base + name.end(),
                    group=group,
                    office=_office(body, base + name.start(), base + name.end()),
                )
            )
        taken.append((match.start(), match.end()))
    variants, lookup = _variant_index()
    metonyms = set(LEXICON["metonyms"])
    capitals = LEXICON["capitals"]["cities"]
    # Every capital named, a metonym too ("Kyiv's military administration"): what "the
    # capital" after it means.
    named: list[tuple[int, str]] = [(m.start, m.subject_id) for m in mentions]
    taken_starts = [a for a, _ in taken]
    for match in word_start_matches(variants, body):
        start, end = match.span("name")
        # Coordinations do not overlap: only the last one starting at or before START can
        # hold it.
        last = bisect_right(taken_starts, start) - 1
        if last >= 0 and start < taken[last][1]:
            continue
        surface = match.group("name")
        if _ROAD.match(body, end):
            continue
        if lookup[surface] in capitals:
            named.append((start, lookup[surface]))
        bound = _bound(body, start)
        if surface in metonyms and not (_locative(body, start) or _titled(body, end) or bound):
            continue
        place_id = lookup[surface]
        around = LEXICON["surroundings"]["cities"].get(place_id)
        if around and _surroundings().search(body, max(0, start - 30), start):
            place_id = around
        mentions.append(
            PlaceMention(
                place_id,
                subject_of(place_id),
                surface,
                start,
                end,
                adjectival=(
                    _adjectival(place_id, surface)
                    and not _TERRITORY.match(body, end)
                    or places()[place_id].kind == "country"
                    and bool(
                        _PARTY.match(body, end) or _AGENT.search(body, max(0, start - 12), start)
                    )
                ),
                office=_office(body, start, end),
                destination=bound,
                origin=_launched(body, start),
            )
        )
    mentions.extend(_capitals(body, mentions, named))
    mentions.sort(key=lambda m: m.start)
    return [
        replace(m, landmark=True) if i and _locates(body, mentions[i - 1].end, m.start) else m
        for i, m in enumerate(mentions)
    ]


# Each of the three tests below first looks for a word or a character its pattern cannot do
# without: most places have none of them near, and the patterns, which end where the place
# begins or must span the whole gap, are tried at every position of the text before it.


def _bound(body: str, start: int) -> bool:
    """Whether the place at START is one drones were flying to ("flying towards Moscow")."""
    before = folded(body[max(0, start - 25) : start])
    return (
        "to" in before or "approach" in before or "aimed" in before or "heading" in before
    ) and bool(_BOUND.search(body, max(0, start - 25), start))


def _launched(body: str, start: int) -> bool:
    """Whether the place at START is one drones were launched from."""
    return body.find("from", max(0, start - 70), start) >= 0 and bool(
        _LAUNCHED.search(body, max(0, start - 70), start)
    )


def _locates(body: str, end: int, start: int) -> bool:
    """Whether what lies between a place ending at END and one at START makes the second
    only locate the first ("the Black Sea, near the coast of Crimea"): never across a stop."""
    return body.find(".", end, start) < 0 and bool(
        _NEAR.fullmatch(body, end, start) or _DESCRIBED.fullmatch(body, end, start)
    )
