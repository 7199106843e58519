"""Figures: the numbers in one sentence that count aerial objects.

A figure is a quantity with, where the sentence gives them, the object it counts
("drones"), the action ("shot down"), the places its span names and the time windows after
it. Figures are the sentence-level half of claim extraction; `reports` assembles them across
sentences into claims.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from operator import attrgetter, itemgetter

from ..gazetteer import places
from ..lexicon import LEXICON, Prefiltered, Prescanned, folded
from ..lexicon import alternation as _alternation
from .dates import dates
from .numbers import (
    Quantity,
    article_quantity,
    matches_at,
    quantities,
    text_words,
    word_starts,
)
from .places import PlaceMention
from .text import Sentence, ascii_words, read_once
from .times import Window, windows


@dataclass
class Figure:
    """A relevant number in a sentence: a quantity, with object and action when it has them."""

    quantity: Quantity
    object: str | None
    action: str | None
    places: list[PlaceMention] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    each: bool = False
    # "The Bryansk region accounted for five": the place comes before the number.
    place_first: bool = False
    # "34 over the Moscow region and the rest over A, B and C": where the places the number
    # does not count begin.
    rest: int | None = None
    # "11 over Saratov, plus 21 elsewhere": over places the text does not name.
    elsewhere: bool = False
    # "3 over the Moscow region, including 2 flying towards Moscow": a place the drones were
    # bound for, with the part of this figure's number it holds.
    within: list[tuple[PlaceMention, Quantity]] = field(default_factory=list)
    # "25 drones were destroyed, the mayor said, after saying earlier that 22 had been
    # downed": a number the source gave before, a report of its own.
    earlier: bool = False


# The words without which a pattern below matches nowhere, each in lower case: a sentence
# that holds none of them is spared every search of that pattern within it.
_HEDGE_WORDS = [hedge.lower() for hedge in LEXICON["hedges"]]
_NOT_AERIAL_WORDS = [word.lower() for word in LEXICON["not_aerial_before"]]
_LAUNCH_WORDS = [verb.lower() for verb in LEXICON["launch_verbs"]]
_DEBRIS_WORDS = ["wreckage", "debris", "fragments", "remains"]
_INCLUSION_WORDS = ["breakdown", "included", "comprised", "among"]
_REST_WORDS = ["rest", "remain", "others"]
_EARLIER_WORDS = ["earlier", "previously", "initially", "first"]


def _holds(low: str, words: list[str]) -> bool:
    """Whether LOW, a folded text, holds one of WORDS (a loop: any() over a generator of a
    few words costs more)."""
    for word in words:
        if word in low:
            return True
    return False


@cache
def patterns() -> dict[str, re.Pattern[str] | Prefiltered | Prescanned]:
    objects = _alternation(LEXICON["objects"])
    words = LEXICON["number_words"]
    countable = _alternation([*words["units"], *words["tens"], *LEXICON["objects"]])
    blockers = _alternation(LEXICON["object_blockers"])
    others = _alternation(LEXICON["other_things"])
    vague = _alternation(LEXICON["vague"])
    return {
        "object": Prescanned(
            re.compile(
                rf"(?<![\w-])(?P<o>{objects})(?![\w-])"
                rf"(?:(?P<other>\s+(?:{others})\b)|(?P<blocked>\s+(?:{blockers})\b))?",
                re.IGNORECASE,
            ),
            LEXICON["objects"],
        ),
        "action": Prescanned(
            re.compile(
                rf"(?<![\w-])(?:{_alternation(LEXICON['actions'])})(?![\w-])", re.IGNORECASE
            ),
            LEXICON["actions"],
        ),
        "launched": re.compile(
            rf"\b(?:{_alternation(LEXICON['launch_verbs'])})\s+(?:[\w-]+\s+){{0,6}}?$",
            re.IGNORECASE,
        ),
        "hedge": Prefiltered(
            re.compile(rf"\b(?:{_alternation(LEXICON['hedges'])})\b", re.IGNORECASE),
            _HEDGE_WORDS,
        ),
        "vague": re.compile(rf"\b(?:{vague})\s*$", re.IGNORECASE),
        "debris": re.compile(rf"\b(?:{'|'.join(_DEBRIS_WORDS)})\s+(?:of|from)\s+$", re.IGNORECASE),
        # "the governor reported a downed drone": the object of a verb of saying.
        "told_of": re.compile(
            rf"\b(?:{_alternation(LEXICON['attribution']['verbs'])})\s+$", re.IGNORECASE
        ),
        "inclusion": Prefiltered(
            re.compile(r"\b(?:breakdown|included|comprised|among\s+(?:them|these|those))\b", re.I),
            _INCLUSION_WORDS,
        ),
        "elsewhere": re.compile(r"\s+(?:\w+\s+)?elsewhere\b", re.IGNORECASE),
        "of_the": re.compile(r"\s+of\s+(?:the|these|those)\b", re.IGNORECASE),
        # "one of the most significant drone interceptions", "one of the largest drone
        # attacks": one of a kind, not a count.
        "one_of_a_kind": re.compile(
            r"\s+of\s+(?:the|its|their)\s+(?:most|least|biggest|largest|heaviest|first|"
            r"latest|last|few|[a-z]+est)\b",
            re.IGNORECASE,
        ),
        # "ten Shahed-136/131 one-way attack drones": model numbers carry slashes.
        # ... and a quotation mark: eliminated 11 "shaheds".
        "modifiers": re.compile(r"^(?:\s+[\w’'()/\-]+){0,4}\s+[\"“]?$|^\s+[\"“]?$"),
        "article": re.compile(r"(?<![\w-])(?:an?|one|single)\s+$", re.IGNORECASE),
        "bare": re.compile(
            # "37 - over the territory of the Bryansk region": a hyphen for a dash.
            r"^(?:[\s—–]|\s-(?=\s)|,(?=\s+(?:were|was)\b))+(?:more\s+|each\s+|apiece\s+|others?\s+"
            r"|of\s+(?:them|which|these|those)\s+"
            # "where 17 aircraft were shot down": translated copy's word for aircraft-type
            # drones names no object of its own, as a bare number does.
            r"|(?:more\s+|such\s+|enemy\s+)?(?:aircraft|devices)\s+)?"
            r"(?:were|was|had\s+been|have\s+been|falling|fell|came|shot|downed|intercepted|destroyed|"
            r"neutrali[sz]ed|in|over|above|near|on|across|between|from|elsewhere)\b"
            r"|^\s+(?:each|apiece|more)\b",
            re.IGNORECASE,
        ),
        "each_before": re.compile(r"\beach\b", re.IGNORECASE),
        "each": re.compile(
            # "11 drones were shot down each": the verb may come between.
            r"^\s+(?:(?:\w+\s+){0,4}?(?:each|apiece)\b"
            r"(?!\s+(?:of|other|night|day|time|morning|evening|week|hour)\b)"
            r"|(?:\w+\s+)?(?:over|in|above)\s+each\s+of\b)",
            re.IGNORECASE,
        ),
        # A cheap test on the lower-cased sentence: without word boundaries the regex engine
        # skips to the letters a number word can begin with; the figures check the boundaries.
        "may_count": re.compile(rf"\d|{countable.lower()}"),
        "bracket": re.compile(
            r"(?:\s+(?:region|oblast|krai|territory|republic|water)s?)?\s*\(\s*", re.IGNORECASE
        ),
        # "in the Krasnodar region - 57, three more ...": translated copy's number for the
        # place before the dash, which ends its phrase ("aimed at Kyiv — six Kinzhal
        # missiles" lists what the dash stands for).
        "dashed": re.compile(
            r"(?:\s+(?:region|oblast|krai|territory|republic|water)s?)?\s+[-–—]\s*",
            re.IGNORECASE,
        ),
        "dashed_end": re.compile(r"\s*(?:[,.;]|and\b|$)"),
        "action_before": re.compile(
            rf"\b(?:{_alternation(LEXICON['actions'])})\s+(?:(?:a\s+total\s+of|all|some|about)\s+)?$",
            re.IGNORECASE,
        ),
        "whole_before": re.compile(r"(?:\s+[\w-]+){0,3}?[\s,;(—–-]+(?:and\s+|only\s+)?"),
        "of_which": re.compile(r"\s+of\s+(?:which|them|these|those)\b", re.IGNORECASE),
        "part_of": re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+)?", re.IGNORECASE),
        "joined": re.compile(r"\s*(?:,\s*)?and\s+(?:the\s+)?", re.IGNORECASE),
        "coordinated": re.compile(r"(?:\s+[\w-]+){1,4}\s+and\s+", re.IGNORECASE),
        "list_item": re.compile(r"(?:,|:|\band)\s+$"),
        # "..., and several more were destroyed over Oryol": a clause of its own, with a
        # count no one gave.
        "clause": re.compile(
            # "... with 46 drones shot down, followed by the Saratov region, where 30 ...": the
            # next item, not this one's place.
            r";|,\s+(?:while|whereas|followed\s+by)\b"
            r"|,\s+and\s+(?:several|some|a\s+few|many|dozens|hundreds|others?)\b"
        ),
        "rest": Prefiltered(
            re.compile(r"\b(?:the\s+)?(?:rest|remaining|remainder|others)\b", re.I),
            _REST_WORDS,
        ),
        "place_first": re.compile(r"\b(?:accounted\s+for|for|with)\s+$", re.IGNORECASE),
        # "Further east, the Kaluga region saw seven", "Crimea and Belgorod each recorded
        # two": a place that tallies a number with a verb of its own, told after a total.
        "tallied": re.compile(
            r"(?:\s+(?:regions?|oblasts?|krai|territory|republic))?,?\s+(?:also\s+|each\s+)?"
            r"(?:saw|recorded|registered|reported|faced|endured|logged|counted)\s+"
            # "Nizhny Novgorod Oblast saw the destruction of 20": the objects' fate, named.
            r"(?:the\s+destruction\s+of\s+)?"
            r"(?:another\s+|a\s+further\s+)?$",
            re.IGNORECASE,
        ),
        # ... as long as the number counts objects ("saw seven", "recorded 12 drones each"),
        # not strikes or people.
        "tallied_end": re.compile(
            rf"(?:\s+(?:more|each|apiece))?(?:\s+(?:[\w-]+\s+){{0,2}}?(?:{objects})(?![\w-]))?"
            r"(?:\s+(?:each|apiece))?(?:\s*[.,;:)—–]|\s+(?:and|while|in|over)\b|\s*$)",
            re.IGNORECASE,
        ),
        "bare_action": re.compile(
            rf"^\s+(?:more\s+|each\s+|of\s+(?:them|which|these|those)\s+"
            rf"|(?:more\s+|such\s+|enemy\s+)?(?:aircraft|devices)\s+)?"
            rf"(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?"
            rf"(?P<a>{_alternation(LEXICON['actions'])})\b",
            re.IGNORECASE,
        ),
        "subpart": re.compile(r"\b(?:including|with|of\s+(?:which|them)|among\s+them)\b", re.I),
        # "for about four hours", "40 km from the border", "three people": a number of
        # something else, never a count of objects told with no noun.
        "measure": re.compile(
            r"\s+(?:hours?|minutes?|days?|nights?|weeks?|months?|years?|km|kilomet(?:re|er)s?|"
            r"miles?|met(?:re|er)s?|people|persons|civilians|residents|times|per\s*cent|%)\b",
            re.IGNORECASE,
        ),
        "not_aerial": re.compile(
            rf"\b(?:{_alternation(LEXICON['not_aerial_before'])})\s+$", re.IGNORECASE
        ),
        "participle": re.compile(r"(?:\s+(?!(?:were|was|been|by)\b)[\w-]+){0,2}\s+", re.I),
        "rocket_system": re.compile(
            r"\s+(?:of|from)\s+(?:the\s+)?(?:[\w()-]+\s+){0,5}?"
            r"(?:MLRS|multiple\s+(?:launch\s+)?rocket|Vampire|Grad|Uragan|Smerch|HIMARS)\b",
            re.IGNORECASE,
        ),
        "system_name": re.compile(r"(?:\s*\([\w-]+\))?(?:\s+[A-Z][\w-]*){0,3}"),
        "craft": re.compile(r"\s+(?:enemy\s+)?aircraft\s+(?:were|was)\b", re.IGNORECASE),
        "such": re.compile(
            r"\s+(?:such|similar|these)\s+(?:devices|aircraft|craft|targets|objects|vehicles)\b",
            re.IGNORECASE,
        ),
        "inventory": re.compile(r"\d[\d,]*\s+[\w\s-]{1,40}?,\s+$"),
        "of_those": re.compile(r"\s+of\s+(?:them|those|these)\b", re.IGNORECASE),
        "list_gap": re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)"),
        "told_earlier": Prefiltered(
            re.compile(
                r"\b(?:earlier|previously|initially|at\s+first)\s+(?:\w+\s+){0,2}?"
                rf"(?:{_alternation(LEXICON['attribution']['verbs'])})\s+(?:that\s+)?$"
                rf"|\b(?:{_alternation(LEXICON['attribution']['verbs'])})\s+(?:earlier|previously)"
                r"\s+(?:that\s+)?$",
                re.IGNORECASE,
            ),
            _EARLIER_WORDS,
        ),
    }


# A verb or a noun is read by the thousand from a few hundred spellings: each is folded once.
@lru_cache(maxsize=4096)
def normalise_action(word: str) -> str:
    """The action a verb form names: "downed" is "shot down". Folded as the case-insensitive
    pattern that found it reads it ("ſhot down" is "shot down")."""
    return LEXICON["actions"][re.sub(r"\s+", " ", folded(word))]


@lru_cache(maxsize=4096)
def object_noun(word: str) -> str:
    """The object a noun names: "UAVs" is "drone" (folded like `normalise_action`)."""
    return LEXICON["objects"][re.sub(r"\s+", " ", folded(word))]


def may_count(text: str) -> bool:
    """Whether TEXT can hold a figure at all (a cheap test before `sentence_figures`)."""
    words = ascii_words(text)
    countable = _countable()
    if words is None or countable is None:
        return bool(patterns()["may_count"].search(text.lower()))
    # In a text whose letters and digits are ASCII, every number word and object a figure
    # reads is a whole word or begins with one: the text's words are looked up in a set,
    # where the pattern would try every position. A text the pattern passes that holds none
    # of them ("someone", "often") has no figure either.
    if b"0" in words:
        return True
    first, phrases = countable
    held = first.intersection(words.split())
    # A loop rather than any() over generators, and the text lowered once, only when a
    # phrase is to be looked for.
    for word in held:
        if word not in phrases:
            return True
    unlettered = phrases.get(b"", ())
    if not (held or unlettered):
        return False
    lower = text.lower()
    for word in held:
        for phrase in phrases[word]:
            if phrase in lower:
                return True
    for phrase in unlettered:
        if phrase in lower:
            return True
    return False


@cache
def _countable() -> tuple[frozenset[bytes], dict[bytes, list[str]]] | None:
    """The first word of every number word and object may_count looks for, and the objects
    of more than one word by their first word when it counts nothing by itself ("air" of
    "air target"); one that begins with no letter is looked for as it is, under b"". One
    with a digit is found by its digit. None when one is not ASCII: case folds its letters
    otherwise, and may_count reads every text with the pattern."""
    countable = {
        word.lower()
        for word in [
            *LEXICON["number_words"]["units"],
            *LEXICON["number_words"]["tens"],
            *LEXICON["objects"],
        ]
    }
    phrases: dict[bytes, list[str]] = {}
    first: set[bytes] = set()
    if not all(word.isascii() for word in countable):
        return None
    for word in sorted(countable):
        if any(char.isdigit() for char in word):
            continue
        letters = re.match(r"[a-z]+", word)
        head = letters.group() if letters else ""
        if head:
            first.add(head.encode())
        if head != word and head not in countable:
            phrases.setdefault(head.encode(), []).append(word)
    return frozenset(first), phrases


@read_once
def objects_in(text: str) -> tuple[re.Match[str], ...]:
    """The objects TEXT names (the "object" pattern's matches): read by the figures of a
    sentence, then again by its claims."""
    return tuple(_named("objects", patterns()["object"], text))


def _named(kind: str, pattern: Prescanned, text: str) -> Iterable[re.Match[str]]:
    """PATTERN's matches in TEXT, a pattern of the phrases of LEXICON[KIND] (objects,
    actions) that finds a phrase only where it begins a word: its first word is one of the
    text's words, and most sentences hold none of them. Where they are, the pattern is tried
    only where they stand (found with str.find), not wherever a phrase's first letters do.
    A text whose words ascii_words cannot tell is scanned."""
    heads = _heads(kind)
    read = text_words(text)
    if heads is None or read is None:
        return pattern.finditer(text)
    held = heads.intersection(read[0])
    if not held:
        return ()
    return matches_at(pattern.pattern, text, word_starts(folded(text), held))


@cache
def _heads(kind: str) -> frozenset[bytes] | None:
    """The first word of every phrase of LEXICON[KIND], as ascii_words reads it; None when
    one is not ASCII, which case folds its letters its own way, or holds a digit."""
    phrases = list(LEXICON[kind])
    if not all(phrase.isascii() for phrase in phrases):
        return None
    heads = frozenset(ascii_words(phrase).split()[0] for phrase in phrases)
    # A head is looked for as it is written (word_starts), which one with a digit is not.
    return heads if all(head.isalpha() for head in heads) else None


def sentence_figures(
    sentence: Sentence, body: str, place_mentions: list[PlaceMention]
) -> list[Figure]:
    """The quantities in a sentence that count objects, in text order. What follows the
    sentence in BODY is not read: the offsets stay BODY's."""
    # Many patterns below look a few words past a number; cut here, none of them can read
    # into the next sentence (a headline with no full stop, say).
    body = body[: sentence.end]
    p = patterns()
    text = sentence.text
    base = sentence.start
    numbers = quantities(text, base)
    if numbers:
        # The day of a date ("on August 26 between 06:00 and 09:00") is not a count.
        # The offsets dates cover, so that a sentence of many numbers and many dates is not
        # quadratic.
        # Offsets in TEXT: the dates as found, not moved to the body's.
        days = {i for d in dates(text) for i in range(d.start, d.end)}
        numbers = [
            q
            for q in numbers
            if not _is_year(q.surface.split()[-1]) and q.number_start - base not in days
        ]
    # The words the searches within the sentence below need, looked for once: folding is
    # character by character, so a word in a part of the sentence is in the whole of it.
    low = folded(text)
    not_aerial = _holds(low, _NOT_AERIAL_WORDS)
    debris = _holds(low, _DEBRIS_WORDS)
    pairs = []
    counted_whole: set[int] = set()
    # "Thirteen of the 22 drones were over Voronezh Oblast": the part of a whole told again.
    parts: set[int] = set()
    previous_object = -1
    for obj in objects_in(text):
        o_start = obj.start() + base
        o_end = obj.end("o") + base
        blocked = obj.group("blocked") is not None
        if obj.group("other") is not None or (
            not_aerial and p["not_aerial"].search(body, max(base, o_start - 20), o_start)
        ):
            # "421 missile systems", "1,096 multiple rocket launchers", "two naval drones":
            # counts of other things.
            continue
        quantity = None
        # Only the last number before the object can count it, and only if no other object
        # stands between them ("28 drones and both missiles").
        before = bisect_right(numbers, o_start, key=_END) - 1
        if before >= 0 and numbers[before].end <= previous_object:
            before = -1
        previous_object = o_start
        if before >= 0 and p["modifiers"].match(body[numbers[before].end : o_start]):
            quantity = numbers[before]
            # "shot down 21 of 49 drones": the count is the part; the whole is what was
            # launched.
            if before >= 1 and p["part_of"].fullmatch(
                body, numbers[before - 1].end, quantity.start
            ):
                counted_whole.add(quantity.number_start)
                quantity = numbers[before - 1]
                parts.add(quantity.number_start)
            # "32 Shaheds, 25 of which were destroyed": the whole is what was launched, the
            # part after it the count.
            after = before + 1
            if (
                after < len(numbers)
                # "shot down 123 drones, 11 of which were downed over Moscow": a whole that
                # was itself brought down is the count, and the part its breakdown.
                and not p["action_before"].search(
                    body, max(base, quantity.start - 30), quantity.start
                )
                and p["whole_before"].fullmatch(body, o_end, numbers[after].start)
                and p["of_which"].match(body, numbers[after].end)
                and p["bare_action"].match(body[numbers[after].end : numbers[after].end + 60])
            ):
                counted_whole.add(quantity.number_start)
                continue
        if quantity is None and not blocked:
            quantity = _article_before(body, max(base, o_start - 60), o_start, o_end)
        if quantity is None or p["vague"].search(
            body[max(base, quantity.start - 20) : quantity.start]
        ):
            continue
        if p["of_the"].match(body, quantity.end) and (
            p["debris"].search(body, max(base, quantity.start - 20), quantity.start)
            or p["action"].search(body, quantity.end, o_end + 12)
            or p["one_of_a_kind"].match(body, quantity.end)
        ):
            # "the wreckage of two of the drones", "one of the UAVs downed over Bryansk fell
            # on a factory": some of those counted already ("destroyed one of the drones in
            # the district" still counts one); "one of the largest drone interceptions".
            continue
        noun = object_noun(obj.group("o"))
        system = p["rocket_system"].match(body, o_end, sentence.end) if noun == "missile" else None
        if system:
            # "four missiles from the Czech MLRS RM-70 Vampire were shot down": what a rocket
            # launcher fires are rockets, and the verb comes after the launcher's name.
            noun = "rocket"
            o_end = p["system_name"].match(body, system.end(), sentence.end).end()
        pairs.append((quantity, o_end, noun))
    if not (pairs or numbers):
        # Most sentences that pass may_count count nothing: no verb or window is read.
        return []
    actions = [
        (m.start() + base, m.end() + base, normalise_action(m.group()))
        for m in _named("actions", p["action"], text)
    ]
    # Numbers that count objects of their own ("20 drones and two missiles") do not stand
    # between a verb and the objects it governs; any other number does.
    counted = {q.number_start for q, _, _ in pairs} | counted_whole
    barriers = [q for q in numbers if q.number_start not in counted]
    found: dict[int, Figure] = {}
    # Objects counted with no verb of their own ("a wave of 12 drones was detected").
    idle: list[tuple[Quantity, str]] = []
    # Where the sentence first says its numbers break a total down ("the breakdown
    # included"), found once: a search from the sentence's start for every number was
    # quadratic in a long sentence.
    inclusion = (
        p["inclusion"].search(body, base, sentence.end) if _holds(low, _INCLUSION_WORDS) else None
    )
    hedges = _holds(low, _HEDGE_WORDS)
    launched = _holds(low, _LAUNCH_WORDS)
    included_from = inclusion.end() if inclusion else sentence.end + 1
    latest: Figure | None = None
    described: set[int] = set()
    # Where each counted object ends, and where the verb of each found figure begins.
    object_end: dict[int, int] = {}
    verb_at: dict[int, int] = {}
    for quantity, o_end, noun in pairs:
        object_end[quantity.number_start] = o_end
        # "a downed drone", "two intercepted UAVs": the verb stands among the modifiers.
        first = bisect_left(actions, quantity.end, key=_FIRST)
        inside = (
            actions[first]
            if first < len(actions)
            and actions[first][1] <= o_end
            and p["participle"].fullmatch(body, quantity.end, actions[first][0])
            else None
        )
        if (
            inside is None
            and debris
            and p["debris"].search(body, max(base, quantity.start - 20), quantity.start)
        ):
            # "debris from one missile caused a fire": where one fell, unless the phrase
            # itself says it was brought down ("debris from a downed drone").
            continue
        if (
            inside is not None
            and quantity.surface.lower() in ("a", "an")
            and not p["told_of"].search(body, max(base, quantity.start - 30), quantity.start)
        ):
            described.add(quantity.number_start)
        action = inside or _nearest_action(actions, quantity.start, o_end, barriers)
        if action is None:
            # "five over A, and one drone each over B and C": a later item of a list whose
            # verb came before its first item; "the breakdown included 10 drones over A, 8
            # over B": items of a total told before.
            if found and p["list_item"].search(
                body[max(base, quantity.start - 8) : quantity.start]
            ):
                # "destroyed three missiles, three bombs and 53 drones": the list's verb,
                # however long the list, when its items count other objects.
                verb = latest.action if latest and latest.object != noun else None
                found[quantity.number_start] = Figure(quantity, noun, verb)
            elif included_from <= quantity.start or quantity.number_start in parts:
                found[quantity.number_start] = Figure(quantity, noun, None)
            elif p["inventory"].search(body, max(base, quantity.start - 60), quantity.start) and (
                (later := bisect_left(actions, o_end, key=_FIRST)) < len(actions)
            ):
                # "418 aircraft, 230 helicopters, 4,027 drones, 421 missile systems ... have
                # been destroyed": an item of a tally of losses takes the tally's verb.
                found[quantity.number_start] = latest = Figure(quantity, noun, actions[later][2])
            else:
                idle.append((quantity, noun))
            continue
        if hedges and _hedged(body, base, action, quantity.start, o_end):
            continue
        if (
            action[0] >= o_end
            and launched
            and p["launched"].search(body, max(base, quantity.start - 50), quantity.start)
        ):
            continue
        found[quantity.number_start] = latest = Figure(quantity, noun, action[2])
        verb_at[quantity.number_start] = action[0]
    if idle and found:
        # "41 drones, four ATACMS missiles made in the United States were shot down": an item
        # of a list of other objects whose verb follows its last item takes that verb,
        # however long the items between.
        keys = sorted(found)
        for quantity, noun in reversed(idle[:]):
            after = bisect_right(keys, quantity.number_start)
            if after == len(keys):
                continue
            start = keys[after]
            following = found[start]
            if (
                following.action is not None
                # Items of one object are parts of one count, read by the idle figures below.
                and following.object != noun
                and verb_at.get(start, -1) >= object_end[start]
                and p["list_gap"].fullmatch(
                    body, object_end[quantity.number_start], following.quantity.start
                )
            ):
                found[quantity.number_start] = Figure(quantity, noun, following.action)
                verb_at[quantity.number_start] = verb_at[start]
                idle.remove((quantity, noun))
                keys = sorted(found)
    ends = sorted({m.end for m in starting(place_mentions, base, sentence.end)})
    for q in numbers:
        if (
            q.number_start in found
            or q.number_start in counted_whole
            or p["measure"].match(body, q.end)
        ):
            continue
        if p["bare"].match(body[q.end : q.end + 40]) and not p["vague"].search(
            body[max(base, q.start - 20) : q.start]
        ):
            after = p["bare_action"].match(body[q.end : q.end + 40])
            action = normalise_action(after.group("a")) if after else None
            # "85 enemy aircraft were shot down": translated copy's word for the drones, when
            # the sentence names no other object.
            craft = p["craft"].match(body, q.end)
            found[q.number_start] = Figure(q, "drone" if craft and action else None, action)
        elif p["place_first"].search(body[max(base, q.start - 30) : q.start]) or (
            # Most numbers follow no place closely: the ends are looked at first.
            (tallies := ends[bisect_left(ends, q.start - 45) : bisect_left(ends, q.start)])
            and p["tallied_end"].match(body, q.end, sentence.end)
            and any(p["tallied"].fullmatch(body, e, q.start) for e in tallies)
        ):
            found[q.number_start] = Figure(q, None, None, place_first=True)
        elif such := p["such"].match(body, q.end):
            # "Nizhny Novgorod Oblast saw the destruction of 20 such devices": the objects
            # just named, with a verb of their own.
            action = _nearest_action(actions, q.start, such.end(), barriers)
            if action is not None:
                found[q.number_start] = Figure(q, None, action[2])
    # "over the Moscow region (four UAVs), Belgorod (three)": a number in brackets counts
    # the place just before them, and only that place. So does one in a sentence that
    # counts nothing else but names the objects and their fate ("Additional drones were
    # downed in A (four) and B (three)"), the items of a report told before.
    bracketed = set()
    for q in numbers:
        near = ends[bisect_left(ends, q.start - 30) : bisect_left(ends, q.start)]
        # Most numbers follow no place closely: nothing is matched for them.
        if near and (
            any(p["bracket"].fullmatch(body, e, q.start) for e in near)
            or (
                p["dashed_end"].match(body, q.end)
                and any(p["dashed"].fullmatch(body, e, q.start) for e in near)
            )
        ):
            if q.number_start in found:
                found[q.number_start].place_first = True
            elif found or (actions and objects_in(text)):
                found[q.number_start] = Figure(q, None, None, place_first=True)
            else:
                continue
            bracketed.add(q.number_start)
    if idle:
        # "12 drones were detected, with eight intercepted over A, three over B and one over
        # C": the later numbers that add up to it are its parts, and it their total. Sums and
        # kinds of every tail of the sentence's figures are made once, so that a sentence of
        # many numbers stays linear.
        keys = sorted(found)
        tail_sum = [0] * (len(keys) + 1)
        tail_kinds: list[frozenset[str]] = [frozenset()] * (len(keys) + 1)
        for i in range(len(keys) - 1, -1, -1):
            figure = found[keys[i]]
            tail_sum[i] = tail_sum[i + 1] + figure.quantity.value
            kind = frozenset([figure.object]) if figure.object else frozenset()
            tail_kinds[i] = tail_kinds[i + 1] | kind
        starts = [a[0] for a in actions]
        for quantity, noun in idle:
            first = bisect_right(keys, quantity.number_start)
            verb = bisect_left(starts, quantity.end)
            if (
                len(keys) - first >= 2
                and verb < len(actions)
                and tail_sum[first] == quantity.value
                and tail_kinds[first] <= {noun}
            ):
                found[quantity.number_start] = Figure(quantity, noun, actions[verb][2])
    ordered = [found[k] for k in sorted(found)]
    # "10 drones were destroyed, with three of those aimed at the capital": a number of the
    # objects just counted that says where they were bound is no figure of its own, but a
    # part of the one before it ("20 drones, 12 of them over Bryansk" is an item).
    ordered = [
        f
        for i, f in enumerate(ordered)
        if not (
            i
            and f.object is None
            and p["of_those"].match(body, f.quantity.end)
            and any(
                m.destination for m in starting(place_mentions, f.quantity.end, sentence.end)[:1]
            )
        )
    ]
    if not ordered:
        return ordered
    sentence_windows = windows(text, base)
    rests = _holds(low, _REST_WORDS)
    earlier = _holds(low, _EARLIER_WORDS)
    each = "each" in low
    bounds = [m.start() + base for m in p["clause"].finditer(text)]
    for i, figure in enumerate(ordered):
        span_end = ordered[i + 1].quantity.start if i + 1 < len(ordered) else sentence.end
        q = figure.quantity
        if figure.place_first:
            span = (ordered[i - 1].quantity.end if i else sentence.start, q.start)
        else:
            clause_end = next((b for b in bounds if b >= q.end), sentence.end)
            span = (q.end, min(span_end, clause_end))
        figure.places = [m for m in starting(place_mentions, *span) if not m.adjectival]
        if q.number_start in bracketed:
            # "... in the Volgograd and Kursk regions (three each)": the places joined to
            # the last by "and" share its number.
            keep = len(figure.places) - 1
            while keep > 0 and p["joined"].fullmatch(
                body, figure.places[keep - 1].end, figure.places[keep].start
            ):
                keep -= 1
            figure.places = figure.places[max(keep, 0) :]
        figure.within = _bound_parts(figure, numbers, body)
        held = {id(m) for m, _ in figure.within}
        figure.places = [m for m in figure.places if id(m) not in held]
        if p["elsewhere"].match(body, q.end, sentence.end):
            figure.elsewhere = True
            figure.windows = starting(sentence_windows, figure.quantity.end, span_end)
            continue
        rest = p["rest"].search(body, *span) if rests else None
        if rest and figure.places and figure.places[0].start < rest.start():
            figure.rest = rest.start()
        if all(m.destination for m in figure.places) and not figure.place_first:
            # "Kursk Oblast, where 34 were downed; Oryol Oblast with 30": a clause that names
            # its place before the number and none after it, or none but where the drones
            # were bound ("forces in the Podolsk district repelled a drone flying to Moscow").
            begin = max(
                [ordered[i - 1].quantity.end if i else sentence.start]
                + [b for b in bounds if b < q.start]
            )
            figure.places = [
                m
                for m in starting(place_mentions, begin, q.start)
                if not (m.adjectival or m.secondary) and places()[m.subject_id].kind != "country"
            ] + figure.places
        figure.windows = starting(sentence_windows, figure.quantity.end, span_end)
        figure.earlier = earlier and bool(
            p["told_earlier"].search(body, max(base, q.start - 40), q.start)
        )
        figure.each = bool(
            p["each"].match(body[figure.quantity.end : min(figure.quantity.end + 30, sentence.end)])
        )
        if figure.places and figure.places[-1].end <= q.start:
            # "Crimea and Belgorod each saw two": "each" between the places and the number.
            figure.each = figure.each or (
                each and bool(p["each_before"].search(body, figure.places[-1].end, q.start))
            )
    # "a downed drone ignited a fire", "debris of a destroyed drone": a drone described by
    # what became of it, where the clause names no place, tells of damage, not of a count
    # (unless someone reports it: "the governor reported a downed drone near a village").
    ordered = [f for f in ordered if f.places or f.quantity.number_start not in described]
    for figure, following in zip(ordered, ordered[1:], strict=False):
        # "22 over A, B (4) and C (3)": the place a bracketed number counts is not the
        # number before it's too.
        if following.quantity.number_start in bracketed:
            taken = {id(m) for m in following.places}
            figure.places = [m for m in figure.places if id(m) not in taken]
    for figure, following in zip(ordered[-2::-1], ordered[:0:-1], strict=True):
        # "14 drones and four missiles over the Kursk region": coordinated objects share
        # the place named after the last of them.
        # ... and so do "one was destroyed and two intercepted over the Belgorod region".
        if (
            not figure.places
            and (following.object != figure.object or figure.action is not None)
            and p["coordinated"].fullmatch(body, figure.quantity.end, following.quantity.start)
        ):
            figure.places = following.places
    return ordered


def _is_year(word: str) -> bool:
    """Whether WORD, a word of no space, is a year of 1900 to 2099 ("2024"): "19" or "20" and
    two decimal digits (as a pattern's \\d reads them), a test cheaper than a pattern's."""
    return len(word) == 4 and word[:2] in ("19", "20") and word[2:].isdecimal()


def counted_objects(sentence: Sentence, body: str) -> tuple[Quantity, str] | None:
    """The last number of SENTENCE that counts objects, with no verb needed ("with the help
    of three drones", "two enemy aircraft were involved"), and the object it counts. What
    follows the sentence in BODY is not read."""
    body = body[: sentence.end]
    p = patterns()
    numbers = quantities(sentence.text, sentence.start)
    found = None
    for obj in objects_in(sentence.text):
        start = obj.start() + sentence.start
        before = bisect_right(numbers, start, key=_END) - 1
        if before >= 0 and p["modifiers"].match(body[numbers[before].end : start]):
            found = (numbers[before], object_noun(obj.group("o")))
    craft = [q for q in numbers if p["craft"].match(body, q.end)]
    if craft and (found is None or craft[-1].start > found[0].start):
        found = (craft[-1], "drone")
    return found


def _bound_parts(
    figure: Figure, numbers: list[Quantity], body: str
) -> list[tuple[PlaceMention, Quantity]]:
    """The places FIGURE's drones were bound for that a number of its own counts, a part of
    the figure's: "3 over the Moscow region, including 2 flying towards Moscow", "10 over
    the Moscow region, with three of those aimed at the capital"."""
    p = patterns()
    parts = []
    for m in figure.places:
        if not m.destination:
            continue
        # The last number that ends before the place, if it comes after the figure's own.
        last = bisect_right(numbers, m.start, key=_END) - 1
        if last < 0 or numbers[last].start < figure.quantity.end:
            continue
        q = numbers[last]
        if p["subpart"].search(body, figure.quantity.end, q.start) or p["of_those"].match(
            body, q.end
        ):
            parts.append((m, q))
    return parts


_STOP = frozenset(
    "a an the of and or by to in on at for from with as than that which were was is are be "
    "been had has have its their his her this these those".split()
)


def _article_before(body: str, start: int, end: int, object_end: int) -> Quantity | None:
    """ "a"/"an"/"one" before up to four modifiers and an object noun (from END to
    OBJECT_END): the quantity 1; "another drone" is one more; "both missiles" two; "the
    drone" one when the words around it say it was brought down."""
    # The last five words, from the object back; a stop word among the modifiers between
    # a word and the object means no article counts it.
    for k, word in enumerate(reversed(list(_WORDS.finditer(body, start, end))[-5:])):
        lower = word.group().lower()
        if lower in ("a", "an", "one", "single"):
            return article_quantity(body, word.start(), word.end())
        if lower == "both":
            # "destroying 28 drones and both missiles": the two just named.
            two = article_quantity(body, word.start(), word.end())
            return replace(two, value=2)
        if lower == "another" or (
            lower in _ORDINALS and k == 0 and _THE_BEFORE.search(body, start, word.start())
        ):
            # "another drone", "the third drone was eliminated over Stupino": one more.
            one = article_quantity(body, word.start(), word.end())
            return replace(one, incremental=True)
        if (
            lower == "the"
            and not body[end:object_end].lower().endswith("s")
            and (
                _DEFINITE_DOWNED.match(body, object_end)
                or _DOWNING_BEFORE.search(body, start, word.start())
            )
        ):
            # "The defense ministry said the drone was destroyed over the Voskresensky
            # district": one (a retelling of "a drone" counted before is merged with it as
            # any retelling is).
            return article_quantity(body, word.start(), word.end())
        if lower in _STOP or lower in _REFERRING:
            return None
    return None


# "the drone was shot down", "the drone had been intercepted": the object of a downing
# told in the passive, right after it.
_DEFINITE_DOWNED = re.compile(
    r"(?:\s+(?:was|had\s+been|has\s+been))(?:\s+\w+ly)?\s+"
    r"(?:shot\s+down|destroyed|intercepted|downed|suppressed|neutrali[sz]ed)\b",
    re.IGNORECASE,
)
# "destroyed the drone", "shot down the UAV": the object of a downing verb.
_DOWNING_BEFORE = re.compile(
    r"\b(?:destroy(?:ed)?|shoot\s+down|shot\s+down|intercept(?:ed)?|down(?:ed)?)\s+$",
    re.IGNORECASE,
)
# "the other drone", "the remaining UAV": one of those a count told of before.
_REFERRING = frozenset("other remaining last same latter former".split())


_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_WORDS = re.compile(r"[\w’'()\-]+")


# The keys of bisection, in C: a lambda is a call of Python at each step.
_START = attrgetter("start")
_END = attrgetter("end")
_NUMBER_START = attrgetter("number_start")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def starting(mentions: list, start: int, end: int) -> list:
    """The MENTIONS (in text order) that start in [START, END): found by bisection, since a
    run-on sentence has thousands of figures and as many mentions."""
    return mentions[
        bisect_left(mentions, start, key=_START) : bisect_left(mentions, end, key=_START)
    ]


def _nearest_action(actions, q_start: int, o_end: int, numbers: list[Quantity]):
    """The action verb closest to a quantity and its object, with no other number between."""
    best = None
    # Actions are in text order, their ends too: only those within reach are looked at.
    near = actions[
        bisect_left(actions, q_start - 90, key=_SECOND) : bisect_left(
            actions, o_end + 61, key=_FIRST
        )
    ]
    for start, end, word in near:
        if end <= q_start and q_start - end <= 90:
            distance = q_start - end
            gap = (end, q_start)
        elif start >= o_end and start - o_end <= 60:
            distance = start - o_end
            gap = (o_end, start)
        else:
            continue
        first = bisect_left(numbers, gap[0], key=_NUMBER_START)
        if first < len(numbers) and numbers[first].number_start < gap[1]:
            continue
        if best is None or distance < best[0]:
            best = (distance, start, end, word)
    if best is None:
        return None
    return best[1], best[2], _first_action(actions, best)


def _first_action(actions, best) -> str:
    """When verbs are chained ("intercepted and destroyed"), the first one names the action."""
    _, start, end, word = best
    first = bisect_left(actions, start - 6, key=_SECOND)
    if first < len(actions) and actions[first][1] <= start:
        return actions[first][2]
    return word


def _hedged(body: str, base: int, action, q_start: int, o_end: int) -> bool:
    first = min(action[0], q_start)
    window = body[max(base, first - 30) : max(action[1], o_end)]
    return any(
        not _MONTH_MAY.match(window, max(0, m.start() - 3), min(len(window), m.end() + 4))
        for m in patterns()["hedge"].finditer(window)
    )


# "On May 2, two drones ...", "by 5 May": the month, not the hedge "may".
_MONTH_MAY = re.compile(r".{0,3}(?:May\s+\d|\d\s+May\b)", re.DOTALL)
