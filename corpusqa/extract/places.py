"""Place mentions, resolved against the gazetteer."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from ..gazetteer import given_names, places, subject_of
from ..lexicon import (
    LEXICON,
    Anchored,
    alternation,
    first_word_start_matches,
    folded,
    word_start_matches,
)
from ..transliteration import near, one_letter_off, romanise, skeleton

_POSSESSIVE = r"(?:['’]s)?"


@dataclass(frozen=True, init=False)
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
    fell. `named_only` marks a place the article names without saying anything happened
    there, a wire's dateline ("MOSCOW, May 26. /TASS/."): claims never read it.
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
    named_only: bool = False

    def __init__(
        self,
        place_id: str,
        subject_id: str,
        surface: str,
        start: int,
        end: int,
        adjectival: bool = False,
        group: int | None = None,
        office: bool = False,
        landmark: bool = False,
        destination: bool = False,
        origin: bool = False,
        named_only: bool = False,
    ) -> None:
        # As Sentence's (text.py): the fields set into the instance's dict, in order.
        fields = self.__dict__
        fields["place_id"] = place_id
        fields["subject_id"] = subject_id
        fields["surface"] = surface
        fields["start"] = start
        fields["end"] = end
        fields["adjectival"] = adjectival
        fields["group"] = group
        fields["office"] = office
        fields["landmark"] = landmark
        fields["destination"] = destination
        fields["origin"] = origin
        fields["named_only"] = named_only

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


_METONYMS = frozenset(LEXICON["metonyms"])
# A set: a place's words are looked up in it by the hundred per article.
_LOCATIVE_PREPOSITIONS = frozenset(LEXICON["locative_prepositions"])
# "of central Moscow", "over northern Crimea": words for a part of the place before it.
_PART_OF_PLACE = frozenset(LEXICON["place_parts"])


def _locative(body: str, start: int) -> bool:
    before = body[max(0, start - 25) : start].split()
    if before and before[-1].lower() in _PART_OF_PLACE:
        # "180 km southeast of central Moscow": the part of the place named, then the place.
        before.pop()
    if not before:
        return False
    last = before[-1].lower()
    return last in _LOCATIVE_PREPOSITIONS or (
        last == "the" and len(before) > 1 and before[-2].lower() in _LOCATIVE_PREPOSITIONS
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
    if _OFFICE.match(body, end):
        return True
    # _OFFICE_BEFORE, which begins with a word boundary, is tried at every position: only
    # where the "of" it ends with stands (re.IGNORECASE takes no other letters for "o", "f").
    before = max(0, start - 20)
    return "of" in body[before:start].lower() and bool(_OFFICE_BEFORE.search(body, before, start))


# "Ukraine's air defence destroyed ...", "Russia said ...", "during Russia's overnight attack": a
# country that acts or speaks is a party, not where something happened (lexicon.yml,
# country_as_party).
_AS_PARTY = LEXICON["country_as_party"]
_PARTY = re.compile(
    # Its forces and offices begin a word ("Russia's airforce").
    rf"['’]s\s+(?:\w+\s+)?(?:{alternation(_AS_PARTY['possessions'])})"
    rf"|['’]s\s+(?:\w+\s+)?(?:{alternation(_AS_PARTY['edges'])})\b"
    rf"|['’]s\s+(?:[\w-]+\s+){{0,2}}?(?:{alternation(_AS_PARTY['attacks'])})\b"
    # "Russia launched", "Russia regularly launches", "Russia also said".
    rf"|\s+(?:(?:\w+ly|also|then|again|now)\s+)?(?:{alternation(LEXICON['country_acts'])})\b"
    rf"|\s+of\s+(?:{alternation(_AS_PARTY['accused_of'])})\b",
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
# "the conflict between Ukraine and Russia", "the war with Russia": a side, not a place.
_SIDE = re.compile(
    rf"\b(?:{alternation(_AS_PARTY['conflicts'])})\s+(?:between|with)\s+(?:[\w-]+\s+and\s+)?$",
    re.IGNORECASE,
)
_SIDE_REACH = 50
# "ATACMS missiles made in the United States": where the weapon was made, not where it fell.
_MADE_IN = re.compile(
    r"\b(?:made|manufactured|produced|built|supplied)\s+(?:in|by)\s+(?:the\s+)?$", re.IGNORECASE
)


# "launched from occupied Crimea", "launched by Russia from the Kursk region", "used to attack
# from Cape Chauda (Crimea)": where drones came from.
_LAUNCHED = re.compile(
    r"\b(?:launched|fired|sent|flying|coming|took\s+off|attack|attacked|missiles|drones)"
    r"(?:\s+\w+){0,4}?\s+from\s+"
    r"(?:the\s+)?(?:(?:temporarily\s+)?(?:occupied|annexed)\s+)?"
    # "launched from southeast Russia".
    r"(?:(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+)?"
    # "launched from the eastern coast of the Azov Sea".
    r"(?:(?:(?:north|south|east|west)(?:ern)?\s+)?(?:coast|shores?|banks?)\s+of\s+(?:the\s+)?)?"
    # "from Cape Chauda (Crimea)", "from the Cape of Chauda in Crimea": a place the
    # gazetteer does not hold, then its region.
    r"(?:[A-Z][\w-]*\s+(?:of\s+)?){0,3}(?:in\s+|\()?$"
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
    r"\b(?:towards?|approaching|head(?:ing|ed)\s+(?:for|to)|bound\s+for|flying\s+to|"
    r"en\s+route\s+to|aimed\s+at|"
    r"on\s+(?:its|their)\s+way\s+to|targeted)\s+(?:the\s+)?"
    # "of which 70 had targeted the southern Rostov region"
    r"(?:(?:southern|northern|eastern|western|central|border)\s+)?"
    # "flying toward the country's capital Moscow", "towards the Russian capital, Moscow"
    r"(?:(?:(?:country|nation|Russia|Ukraine)['’]s\s+|Russian\s+|Ukrainian\s+)?capital,?\s+)?$",
    re.IGNORECASE,
)
# As far before a place as "flying toward the country's capital " reaches.
_BOUND_REACH = 40


# "the capital itself", "the capital's airports", "the capital region"; not "the capital of
# the region", which names a regional centre.
_CAPITAL = re.compile(r"\bthe\s+(?P<name>capital(?P<region>\s+region)?)(?!\s+(?:city\s+)?of\b)")


# "over Moscow and the surrounding region", "Moscow and its region": the capital's region.
_REGION_AROUND = re.compile(
    r"\s+and\s+(?P<name>the\s+surrounding\s+region|its\s+(?:surrounding\s+)?region"
    r"|the\s+(?:surrounding\s+)?region\s+around\s+it)\b",
    re.IGNORECASE,
)


def _regions_around(body: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """The region named as a capital's surroundings just after the capital: "Moscow and
    the surrounding region" is Moscow and the Moscow region."""
    regions = LEXICON["capitals"]["regions"]
    found = []
    for mention in mentions:
        if mention.place_id not in regions or "region" not in body[mention.end : mention.end + 40]:
            continue
        match = _REGION_AROUND.match(body, mention.end)
        if match is not None:
            region = regions[mention.place_id]
            found.append(
                PlaceMention(region, subject_of(region), match.group("name"), *match.span("name"))
            )
    return found


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
        around = LEXICON["surroundings"]["cities"].get(place_id)
        if around and _surroundings().search(body, max(0, start - 30), start):
            # "on the outskirts of the capital", as "the outskirts of Moscow".
            place_id = around
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
    compass = alternation(LEXICON["surroundings"]["compass"])
    actions = alternation(LEXICON["actions"])
    return re.compile(
        rf"\b(?:the\s+)?(?:{cues})\s+(?:the\s+)?$"
        rf"|\b(?:{actions})\s+(?:{compass})\s+of\s+$",
        re.IGNORECASE,
    )


def find_places(body: str) -> list[PlaceMention]:
    """Every place mention in BODY, in text order, with no two overlapping."""
    mentions: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    # Both forms of a coordination hold a plural head ("regions", "oblasts"): a body with
    # none, as most are, is not scanned for one.
    patterns, stems = _coordination()
    coordinations: Iterable[re.Match[str]] = ()
    # A loop, as any() over a generator costs more.
    for head in LEXICON["plural_subject_heads"]:
        if head in body:
            coordinations = first_word_start_matches(patterns, body)
            break
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
    capitals = LEXICON["capitals"]["cities"]
    # Every capital named, a metonym too ("Kyiv's military administration"): what "the
    # capital" after it means.
    named: list[tuple[int, str]] = [(m.start, m.subject_id) for m in mentions]
    taken_starts = [a for a, _ in taken]
    named_only = _datelines(body, lookup)
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
        if surface in _METONYMS and not (_locative(body, start) or _titled(body, end) or bound):
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
                        _PARTY.match(body, end)
                        or _AGENT.search(body, max(0, start - 12), start)
                        or _SIDE.search(body, max(0, start - _SIDE_REACH), start)
                        or _MADE_IN.search(body, max(0, start - 20), start)
                    )
                ),
                office=_office(body, start, end),
                destination=bound,
                origin=_launched(body, start),
            )
        )
    mentions.extend(_respelt(body, mentions))
    mentions.extend(_capitals(body, mentions, named))
    mentions.extend(_regions_around(body, mentions))
    mentions.sort(key=lambda m: m.start)
    read = [
        replace(m, landmark=True) if i and _locates(body, mentions[i - 1].end, m.start) else m
        for i, m in enumerate(mentions)
    ]
    if not named_only:
        return read
    # A dateline in title case ("Kaluga, (Agency) ...") is read by the gazetteer's scan too:
    # it names the place only.
    datelines = {(m.start, m.end) for m in named_only}
    kept = [m for m in read if (m.start, m.end) not in datelines]
    return sorted(kept + named_only, key=lambda m: m.start)


def _named_only(place_id: str, surface: str, start: int, end: int) -> PlaceMention:
    return PlaceMention(place_id, subject_of(place_id), surface, start, end, named_only=True)


# "MOSCOW, May 26. /TASS/.", "KYIV, Ukraine (AP) —", "LONDON (Reuters) -": a place in
# capitals at the head of a line, before a comma, a bracket or a dash; or in title case
# before a comma and the agency's bracket ("Moscow, (APP - ...) Russia downed ...").
_DATELINE = (
    r"[ \t]*(?P<name>[A-Z][A-Z'’.-]+(?:[ \t][A-Z][A-Z'’.-]+)*(?=,|[ \t]+[(–—-])"
    r"|[A-Z][a-z'’.-]+(?:[ \t][A-Z][a-z'’.-]+)*(?=,[ \t]*\())"
)
# The first line's, then every other's after its newline: a pattern that begins with a
# newline is scanned for it, where one that begins with ^ (re.M) is tried at every position.
_FIRST_DATELINE = re.compile(_DATELINE)
_NEXT_DATELINE = re.compile("\n" + _DATELINE)


def _datelines(body: str, lookup: dict[str, str]) -> list[PlaceMention]:
    """The places of the datelines in BODY, as named only: a wire's copy opens with the
    city it was filed from, which says nothing of where drones fell."""
    found = []
    for match in (_FIRST_DATELINE.match(body), *_NEXT_DATELINE.finditer(body)):
        if match is None:
            continue
        surface = match.group("name")
        place_id = lookup.get(surface.title()) or lookup.get(surface)
        if place_id is not None:
            found.append(_named_only(place_id, surface, *match.span("name")))
    return found


# A capitalised word in either alphabet ("Briansk", "Брянской"): what _respelt looks up.
# The test of the character before comes after the capital: a pattern that begins with a
# set of characters is scanned for them, one that begins by looking back is tried at every
# position.
_CAPITALISED = re.compile(r"[A-ZА-ЯЁЄІЇ](?<![\w’'-][A-ZА-ЯЁЄІЇ])[^\W\d_]{3,}(?![\w-])")
# The same in a text all ASCII, which holds no Cyrillic capital: the regex engine tests each
# character against the set of capitals it begins with, and one range is the quicker test.
_ASCII_CAPITALISED = re.compile(r"[A-Z](?<![\w’'-][A-Z])[^\W\d_]{3,}(?![\w-])")
# Shorter keys are one letter away from too many other words.
_FUZZY_FROM = 7
# "the Briansk region", "Брянской Oblast": a word a place's head noun follows.
_HEADED = re.compile(
    r"\s+(?:regions?|oblasts?|districts?|krai|territory|republic|province)\b", re.IGNORECASE
)


def _respelt(body: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Places the gazetteer's spellings miss: a region or city in another romanisation
    ("Briansk", "Voronej"), garbled by one letter ("Sevostopol"), as a Russian adjective
    ("Kurskskaya") or left in Cyrillic ("Брянской"), where the words around it say it is a
    place ("in Voronej", "the Briansk region"): a surname one letter from a town's name
    ("Podolyak said") is not one."""
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]
    known = _known_words()
    found = []
    for match in (_ASCII_CAPITALISED if body.isascii() else _CAPITALISED).finditer(body):
        word = match.group()
        # The look-up first: most capitalised words are names the gazetteer spells.
        if word in known:
            continue
        start, end = match.span()
        last = bisect_right(starts, start) - 1
        if last >= 0 and start < spans[last][1]:
            continue
        headed = bool(_HEADED.match(body, end))
        # The road's test last: few capitalised words are headed or follow a preposition.
        if not (headed or _locative(body, start)) or _ROAD.match(body, end):
            continue
        # Only a head noun after it, or Cyrillic, makes a word ending like an adjective one:
        # "Kurskskaya oblast" and "Брянской" are regions, the village of Voskresenskoye is
        # not Voskresensk.
        place_id = _respelling(word, headed or not word.isascii())
        if place_id is not None:
            found.append(_guessed(body, place_id, start, end))
    # "flying to moscow", "in the podolsk district": outlets that write Russia's places in
    # lower case, on purpose; only a name spelt as the gazetteer spells it, after a
    # preposition of place.
    lower = _lower_names()
    position = 0
    while (match := _LOWER_PLACE.search(body, position)) is not None:
        # _LOWER_PLACE's word boundary before the preposition, tested here (see below).
        if match.start() and (body[match.start() - 1].isalnum() or body[match.start() - 1] == "_"):
            position = match.start() + 1
            continue
        position = match.end()
        # The look-up first: few words after a preposition are places in lower case.
        place_id = lower.get(match.group("w"))
        if place_id is None:
            continue
        start, end = match.span("w")
        last = bisect_right(starts, start) - 1
        if last >= 0 and start < spans[last][1]:
            continue
        if not _ROAD.match(body, end):
            found.append(_guessed(body, place_id, start, end))
    return found


@cache
def _known_words() -> frozenset[str]:
    """Given names, and every spelling the gazetteer has: a spelling it has was read, and
    let go on purpose ("the Minsk motorway"). What _respelt never guesses a place from."""
    return given_names().union(_variant_index()[1])


def _guessed(body: str, place_id: str, start: int, end: int) -> PlaceMention:
    """A place found by a spelling the gazetteer lacks, read as a place the gazetteer
    spells is: its office, where drones were bound, where they came from."""
    return PlaceMention(
        place_id,
        subject_of(place_id),
        body[start:end],
        start,
        end,
        office=_office(body, start, end),
        destination=_bound(body, start),
        origin=_launched(body, start),
    )


# With no word boundary of its own, which would keep the regex engine from skipping to the
# letters the prepositions begin with: _respelt tests the character before.
_LOWER_PLACE = re.compile(
    rf"(?:{alternation(LEXICON['lower_place_prepositions'])})\s+(?:the\s+)?"
    r"(?P<w>[a-z][a-z-]{3,})\b"
)


@cache
def _lower_names() -> dict[str, str]:
    """Every one-word name of a region or city in lower case, where it names one; no
    demonyms ("russian")."""
    names: dict[str, set[str]] = {}
    for place in places().values():
        if place.kind not in ("federal_subject", "province", "city"):
            continue
        for name in {place.stem, place.name, *place.variants}:
            lower = name.lower()
            if (
                " " not in name
                and len(name) >= 4
                and not _adjectival(place.id, name)
                and lower not in LEXICON["not_lower_places"]
            ):
                names.setdefault(lower, set()).add(place.id)
    # "moscow" is the stem of the Moscow region too: a name is first the place it names.
    named = {p.name.lower(): p.id for p in places().values()}
    result = {}
    for word, ids in names.items():
        if word in named and named[word] in ids:
            result[word] = named[word]
        elif len({subject_of(i) for i in ids}) == 1:
            result[word] = subject_of(min(ids))
    return result


@lru_cache(maxsize=1 << 16)
def _respelling(word: str, adjective: bool) -> str | None:
    exact, dropped, regions = _respellings()
    latin = romanise(word).lower()
    forms = [latin] + [
        latin[: -len(e)]
        for e in (LEXICON["adjective_endings"] if adjective else ())
        if latin.endswith(e) and len(latin) - len(e) >= 4
    ]
    keys = [skeleton(f) for f in forms]
    for key in keys:
        if key in exact:
            return exact[key]
    for key in keys:
        if len(key) < _FUZZY_FROM:
            continue
        # Every region's key one letter from this one, each confirmed (two keys that share
        # a form with a letter dropped may be two letters apart), in a fixed order.
        near_keys = set(dropped.get(key, ()))
        for shorter in sorted(one_letter_off(key)):
            near_keys.update(dropped.get(shorter, ()))
            if shorter in regions:
                near_keys.add(shorter)
        subjects = {regions[k] for k in near_keys if k in regions and near(key, k)}
        if len(subjects) == 1:
            return subjects.pop()
    return None


@cache
def _respellings() -> tuple[dict[str, str], dict[str, set[str]], dict[str, str]]:
    """The transliteration keys of every one-word name of a region or city (a key two
    places share names neither); for each key of a region's name with a letter dropped, the
    keys it came from; and the region of each such key."""
    exact: dict[str, set[str]] = {}
    dropped: dict[str, set[str]] = {}
    regions: dict[str, set[str]] = {}
    endings = tuple(LEXICON["adjective_endings"])
    for place in places().values():
        if place.kind not in ("federal_subject", "province", "city"):
            continue
        for name in {place.stem, place.name, *place.variants}:
            if " " in name or "-" in name or len(name) < 4:
                continue
            key = skeleton(name)
            exact.setdefault(key, set()).add(place.id)
            # Only a region's name is guessed one letter off: towns and districts are many,
            # and one letter apart ("Kamensky" is not "Ramensky"); and not its adjective,
            # which village names share ("Orlovka", "Belgorodka").
            if (
                len(key) >= _FUZZY_FROM
                and place.kind != "city"
                and not name.lower().endswith(endings)
            ):
                regions.setdefault(key, set()).add(place.id)
                for shorter in one_letter_off(key):
                    dropped.setdefault(shorter, set()).add(key)
    return _unambiguous(exact), dropped, _unambiguous(regions)


def _unambiguous(keys: dict[str, set[str]]) -> dict[str, str]:
    """Each key that names one place, or a city and the region it lies in ("Bryansk"): the
    region, which is what a claim counts under."""
    result = {}
    for key, ids in keys.items():
        subjects = {subject_of(i) for i in ids}
        if len(subjects) == 1:
            result[key] = subjects.pop() if len(ids) > 1 else next(iter(ids))
    return result


# Each of the three tests below first looks for a word or a character its pattern cannot do
# without: most places have none of them near, and the patterns, which end where the place
# begins or must span the whole gap, are tried at every position of the text before it.


def _bound(body: str, start: int) -> bool:
    """Whether the place at START is one drones were flying to ("flying towards Moscow")."""
    before = body[max(0, start - _BOUND_REACH) : start]
    # folded(), whose quick case is inlined: a place is tested as it is found.
    before = before.lower() if before.isascii() else folded(before)
    return (
        "to" in before
        or "approach" in before
        or "aimed" in before
        or "head" in before
        or "bound" in before
        or "targeted" in before
    ) and bool(_BOUND.search(body, max(0, start - _BOUND_REACH), start))


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
