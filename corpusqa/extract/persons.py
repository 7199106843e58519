"""Person mentions: known officials from the gazetteer, and names introduced by a title or a
given name. A later surname-only mention links back to the full name in the same article."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from ..gazetteer import KnownPerson, given_names, known_persons, organizations, places
from ..lexicon import LEXICON, Anchored, first_word_start_matches, word_start_matches
from ..lexicon import alternation as _alternation
from ..transliteration import name_key, near, romanise, skeleton

# A capitalised word, with O'Brien-style apostrophes but not a possessive "'s".
_NAME_WORD = r"[A-Z][a-z]+(?:['’][A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
_POSSESSIVE = r"(?:['’]s)?"
# Where a name ends: at a word's end, or where a page glues the date of an author line on
# ("Olha HlushchenkoTuesday, 20 February 2024").
_NAME_END = (
    r"(?:(?![\w-])|(?=(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:January|February|March"
    r"|April|May|June|July|August|September|October|November|December)\b))"
)
_CAPITALISED = re.compile(rf"(?P<n>{_NAME_WORD}){_POSSESSIVE}(?![\w-])")


@dataclass(frozen=True, init=False)
class PersonMention:
    """A person named in the text.

    `name` is the fullest form the article gives for this person (a surname-only mention
    carries the full name it refers to); `known` is the gazetteer's canonical name when
    the person is a known official; `role` is the gazetteer's role or the title or
    apposition the text gives; `credit` marks a writer or photographer a byline or a
    credit names, who is never the source of a claim.
    """

    name: str
    known: str | None
    role: str | None
    surface: str
    start: int
    end: int
    credit: bool = False

    def __init__(
        self,
        name: str,
        known: str | None,
        role: str | None,
        surface: str,
        start: int,
        end: int,
        credit: bool = False,
    ) -> None:
        # As Sentence's (text.py): the fields set into the instance's dict, in order.
        fields = self.__dict__
        fields["name"] = name
        fields["known"] = known
        fields["role"] = role
        fields["surface"] = surface
        fields["start"] = start
        fields["end"] = end
        fields["credit"] = credit


@cache
def _known_index() -> tuple[
    re.Pattern[str], dict[str, KnownPerson], re.Pattern[str], dict[str, KnownPerson]
]:
    full: dict[str, KnownPerson] = {}
    surnames: dict[str, KnownPerson] = {}
    for person in known_persons():
        for form in (person.name, *person.variants):
            if " " in form:
                full.setdefault(form, person)
                surnames.setdefault(form.split()[-1], person)
            else:
                surnames.setdefault(form, person)
    # Both are scanned with word_start_matches, which checks the start of the word.
    full_re = re.compile(rf"(?P<n>{_alternation(full)}){_POSSESSIVE}(?![\w-])")
    surname_re = re.compile(rf"(?P<n>{_alternation(surnames)}){_POSSESSIVE}(?![\w-])")
    return full_re, full, surname_re, surnames


@cache
def _known_keys() -> dict[tuple[str, str], KnownPerson]:
    return {name_key(form): p for p in known_persons() for form in (p.name, *p.variants)}


@cache
def _surname_keys() -> dict[str, list[tuple[str, KnownPerson]]]:
    """The surname keys of _known_keys by first initial: a name is compared only with
    the officials who share its initial."""
    by_initial: dict[str, list[tuple[str, KnownPerson]]] = {}
    for (initial, surname), person in _known_keys().items():
        by_initial.setdefault(initial, []).append((surname, person))
    return by_initial


# A corpus spells the same names again and again: each spelling is compared with the
# officials once.
@lru_cache(maxsize=4096)
def known_by_spelling(name: str) -> KnownPerson | None:
    """The known official a full name spells, however it is transliterated or garbled by a
    letter ("Roman Starovoyt", "Sergey Aksenov", "Vasily Anokhine"): the same first initial
    and a surname whose transliteration key is the same or one letter away."""
    initial, surname = name_key(name)
    if not initial:
        return None
    keys = _known_keys()
    if (initial, surname) in keys:
        return keys[(initial, surname)]
    close = {p.name: p for s, p in _surname_keys().get(initial, []) if near(s, surname)}
    return next(iter(close.values())) if len(close) == 1 else None


@cache
def _unknown_patterns() -> tuple[re.Pattern[str], Anchored, re.Pattern[str]]:
    """A given name from the list and a capitalised surname, after a title, else without
    one: patterns each begun with a list of words, which the regex engine scans for the
    letters they begin with. Scanned with first_word_start_matches, which checks the start
    of the word."""
    given = _alternation(given_names())
    name = rf"(?P<n>(?:{given})(?:[ \t]+[A-Z]\.)?[ \t]+{_NAME_WORD}){_POSSESSIVE}{_NAME_END}"
    # A title that begins with a capital is scanned for as the given names are; one in lower
    # case ("governor", "mayor") where the word is, as lower-case letters stand everywhere.
    # The two never start at one place, so they are the two halves of one pattern of titles.
    upper = [title for title in LEXICON["person_titles"] if title[:1].isupper()]
    lower = [title for title in LEXICON["person_titles"] if not title[:1].isupper()]
    # "Governor of Tver Oblast Igor Rudnya": the office's region may stand between.
    of_region = r"(?:[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w-]+(?:[ \t]+(?:Oblast|Region|Krai))?)?"
    return (
        re.compile(rf"(?P<title>{_alternation(upper)}{of_region})[ \t]+{name}"),
        Anchored(re.compile(rf"(?P<title>{_alternation(lower)}{of_region})[ \t]+{name}"), lower),
        re.compile(name),
    )


@cache
def _not_surnames() -> frozenset[str]:
    words = set()
    for place in places().values():
        for variant in (place.name, *place.variants):
            words.update(variant.split())
    return frozenset(words)


# Two capitalised words; a page that glues the next word on ("TeterevlevaEditing") ends the
# name where the capital starts.
_CREDITED_NAME = r"(?P<n>[A-Z][a-z]+[ \t]+[A-Z][a-z]+)(?![a-z'’-])"
_CREDITED_ROLE = "named in a byline or photo credit"
# A name alone at a line's head before a bar and the page's date ("Alperen Aktas  |
# 03.02.2025 - Update"): an author line.
_BARRED_BYLINE = re.compile(rf"^[ \t]*{_CREDITED_NAME}[ \t]*\|[ \t]*\d", re.M)
# A photo credited to an agency, then its photographer, in capitals or not
# ("REUTERS/VALENTYN OGIRENKO", "EPA-EFE/EVGENIA NOVOZHENINA / POOL"). The agency's start
# of a word is tested after its first capital, as in places._CAPITALISED: a pattern that
# begins with a word boundary is tried at every position, one that begins with a set of
# characters only where they stand.
_AGENCY_CREDIT = re.compile(
    r"[A-Z](?<!\w[A-Z])[A-Z]+(?:-[A-Z]{2,})?/[ \t]*"
    r"(?P<n>[A-Z][A-Za-z]{2,}[ \t]+[A-Z][A-Za-z]{2,})(?![A-Za-z])"
)
# The names after the first of a byline that credits several ("By A B, C D and E F, CNN").
_MORE_CREDITED = re.compile(r"(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)" + _CREDITED_NAME)


@cache
def _credit_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    cues = _alternation(LEXICON["byline_cues"])
    return (
        re.compile(rf"(?:{cues})[ \t]+{_CREDITED_NAME}"),
        # "(Sefa Karacan/Anadolu)", "(Image credit: Felipe Dana/AP)".
        re.compile(rf"\((?:(?:Image|Photo)(?:[ \t]+credit)?:[ \t]*)?{_CREDITED_NAME}/[A-Z]"),
    )


@cache
def _least_cues() -> list[str]:
    """The byline cues no other cue lies in ("by", "By", "Author:"): a body holds a cue
    only if it holds one of them, and a look for a few words is quicker than a scan."""
    cues = LEXICON["byline_cues"]
    return [cue for cue in cues if not any(other != cue and other in cue for other in cues)]


# What may stand before a byline's cue: the start of a line, or the "(" or "; " of a wire's
# credits ("(Reporting by ...; Writing by A B)").
_BYLINE_BEFORE = re.compile(r"(?:^|[\n(;])[ \t]*$")


def _credits_a_writer(body: str, start: int) -> bool:
    """Whether the byline cue at START opens a credit: at the start of a line, after "(" or
    "; ", or, capitalised, glued to the name before it ("Writing by A BEditing by C D")."""
    if _BYLINE_BEFORE.search(body, max(0, start - 8), start):
        return True
    return start > 0 and body[start - 1].islower() and body[start].isupper()


def _credited(body: str) -> list[tuple[int, int]]:
    """The spans of the names a byline or a photo credit gives ("by Abbey Fenbert",
    "(Sefa Karacan/Anadolu Agency)", "Alperen Aktas | 03.02.2025", "REUTERS/VALENTYN
    OGIRENKO"), but not a desk's or an agency's ("By Reuters Staff", "LIBKOS/AP PHOTO")."""
    not_persons = set(LEXICON["byline_not_persons"])
    byline, photo = _credit_patterns()
    spans = []
    found = []
    if any(cue in body for cue in _least_cues()):
        found += (m for m in byline.finditer(body) if _credits_a_writer(body, m.start()))
    # A photo's credit holds a slash, an author line a bar: most bodies hold neither, and a
    # look for the character is many times quicker than a scan for the pattern.
    if "/" in body:
        found += [*photo.finditer(body), *_AGENCY_CREDIT.finditer(body)]
    if "|" in body:
        found += _BARRED_BYLINE.finditer(body)
    for match in found:
        names = [match]
        while (more := _MORE_CREDITED.match(body, names[-1].end())) is not None:
            names.append(more)
        for name in names:
            words = name.group("n").title().split()
            if not_persons.isdisjoint(words) and name.group("n") not in _media_names():
                spans.append(name.span("n"))
    return sorted(set(spans))


@cache
def _media_names() -> frozenset[str]:
    return frozenset(form for o in organizations() for form in (o.name, *o.variants))


@cache
def _vessel_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    nouns = _alternation(LEXICON["vessel_nouns"])
    return (
        re.compile(rf"\b(?:{nouns})\s+(?:[«\"“]\s*)?(?:the\s+)?$", re.IGNORECASE),
        re.compile(rf"(?:[»\"”]\s*)?\s+(?:[a-z-]+\s+)?(?:{nouns})s?\b"),
    )


def _vessel(body: str, start: int, end: int) -> bool:
    """Whether the name from START to END names a ship ("the patrol ship The Vasily Bykov",
    "the Sergei Kotov patrol ship"): a vessel's noun just before or just after it."""
    before, after = _vessel_patterns()
    return bool(before.search(body, max(0, start - 30), start) or after.match(body, end))


@cache
def _apposition_pattern() -> re.Pattern[str]:
    nouns = _alternation(LEXICON["role_nouns"])
    return re.compile(
        rf",\s+(?:a|an|the)\s+(?P<role>(?:[\w’'-]+\s+){{0,3}}?(?:{nouns})\b[^,.;]{{0,80}}?)\s*[,.;]"
    )


# "Nikolaev regions", "the Sobyanin district": a surname that names a place, before the
# place's head noun.
_PLACE_HEAD = re.compile(r"[ \t]+(?:regions?|oblasts?|districts?|krai)\b", re.IGNORECASE)
# "(Dan Tri) – The ministry said": an outlet credited at the head of its copy, as "(CNN) —".
_DATELINE_CREDIT = re.compile(r"\)[ \t]*[-–—]")


def _credits_an_outlet(body: str, start: int, end: int) -> bool:
    """Whether the name from START to END fills the brackets that open a line before a
    dash: the outlet's credit of a wire copy, not a person."""
    opens_line = start == 1 or (start > 1 and body[start - 2] == "\n")
    return opens_line and body[start - 1] == "(" and bool(_DATELINE_CREDIT.match(body, end))


def _apposition(body: str, end: int) -> str | None:
    """The role in ", a senior adviser to Ukraine's presidential office," after a name."""
    match = _apposition_pattern().match(body, end, end + 160)
    return match.group("role").strip() if match else None


def _title_role(title: str | None) -> str | None:
    if not title:
        return None
    title = title.strip()
    return title[0].upper() + title[1:]


@cache
def _title_before() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation(LEXICON['person_titles'])})\s+$")


@cache
def _surname_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for person in known_persons():
        for surname in {form.split()[-1] for form in (person.name, *person.variants)}:
            counts[surname] = counts.get(surname, 0) + 1
    return counts


def _unique_surname(surname: str) -> bool:
    """Whether SURNAME alone names its official: one official has it, and it is no name
    of three letters or fewer, which many others share ("Kim" of Kim Jong Un)."""
    return len(surname) > 3 and _surname_counts().get(surname) == 1


def find_persons(body: str) -> list[PersonMention]:
    """Every person mention in BODY, in text order, with no two overlapping."""
    full_re, full, surname_re, surnames = _known_index()
    mentions: list[PersonMention] = []
    # The spans taken so far, in text order; they never overlap, so only the last one that
    # starts before a candidate ends can overlap it (a scan of them all was quadratic).
    taken: list[tuple[int, int]] = []
    first_by_name: dict[str, PersonMention] = {}
    title_before = _title_before()

    def free(start: int, end: int) -> bool:
        before = bisect_left(taken, (end,)) - 1
        return before < 0 or taken[before][1] <= start

    credited = _credited(body)

    def add(name, known, role, start, end) -> None:
        credit = (start, end) in credited
        # A reader of the persons' table sees why a writer with no title is there.
        role = role or (_CREDITED_ROLE if credit else None)
        mention = PersonMention(name, known, role, body[start:end], start, end, credit)
        mentions.append(mention)
        first_by_name.setdefault(name, mention)
        insort(taken, (start, end))

    # A known official's full name ends with a known surname: a body with none, as many
    # are, holds no full name either, and is not scanned for one.
    surname_matches = list(word_start_matches(surname_re, body))
    for match in word_start_matches(full_re, body) if surname_matches else ():
        person = full[match.group("n")]
        if _vessel(body, *match.span("n")):
            continue
        add(match.group("n"), person.name, person.role, *match.span("n"))
    unknown: dict[str, str | None] = {}
    for match in first_word_start_matches(_unknown_patterns(), body):
        start, end = match.span("n")
        surface = match.group("n")
        if not free(start, end) or surface.split()[-1] in _not_surnames():
            continue
        if _vessel(body, match.start(), end) or _credits_an_outlet(body, start, end):
            continue
        role = _apposition(body, match.end()) or _title_role(match.groupdict().get("title"))
        person = known_by_spelling(surface) or _holder(surface, match, body)
        if person is not None:
            add(surface, person.name, person.role, start, end)
            continue
        add(surface, None, role, start, end)
        unknown.setdefault(surface.split()[-1], surface)
    for start, end in credited:
        # "EVGENIA NOVOZHENINA": a credit in capitals names the person as the text would.
        surface = body[start:end].title() if body[start:end].isupper() else body[start:end]
        if free(start, end) and surface.split()[-1] not in _not_surnames():
            person = known_by_spelling(surface)
            add(surface, person and person.name, person and person.role, start, end)
            if person is None:
                unknown.setdefault(surface.split()[-1], surface)
    if not body.isascii() and _CYRILLIC.search(body):
        for start, end, person in _cyrillic_officials(body):
            if free(start, end):
                add(romanise(body[start:end]), person.name, person.role, start, end)
    seen_known = {m.known: m.name for m in mentions if m.known}
    for match in surname_matches:
        start, end = match.span("n")
        person = surnames[match.group("n")]
        if not free(start, end) or _vessel(body, start, end) or _PLACE_HEAD.match(body, end):
            continue
        given = _GIVEN_BEFORE.search(body, max(0, start - 30), start)
        if given is not None and _respells_given(given.group("g"), person):
            # "Governor Vitalli Kim": the official's given name garbled, which the list of
            # given names does not hold.
            if free(given.start("g"), end):
                add(
                    f"{given.group('g')} {match.group('n')}",
                    person.name,
                    person.role,
                    given.start("g"),
                    end,
                )
                continue
        titled_here = bool(title_before.search(body[max(0, start - 30) : start]))
        # A known official's surname alone ("Putin said") is that official, when no other
        # known official shares it.
        # "Mayor Andrey Kravchenko ... Kravchenko emphasized": the surname of a person the
        # article named in full, who is no known official, is theirs.
        theirs = match.group("n") in unknown and person.name not in seen_known
        if not theirs and (
            person.name in seen_known or titled_here or _unique_surname(match.group("n"))
        ):
            name = seen_known.get(person.name, match.group("n"))
            add(name, person.name, person.role, start, end)
    if unknown:
        # One fixed pattern for the capitalised words, looked up in this article's surnames:
        # a pattern compiled from each article's names would be compiled once per article.
        for match in _surname_words(unknown, body):
            if match.group("n") not in unknown:
                continue
            start, end = match.span("n")
            first_full = first_by_name[unknown[match.group("n")]]
            if free(start, end) and start > first_full.start:
                add(first_full.name, first_full.known, first_full.role, start, end)
    return sorted(mentions, key=lambda m: m.start)


# Two capitalised words in either alphabet: a name that translated copy left, whole or in
# part, in Cyrillic ("Governor Владислав Шапша", "Alexander Богомaz"). Matched at every
# capitalised word, overlapping, as "Governor Alexander" comes before "Alexander Богомaz".
_EITHER_NAME = re.compile(
    r"(?<![\w-])(?=(?P<n>[A-ZА-ЯЁЄІЇ][^\W\d_]+[ \t]+[A-ZА-ЯЁЄІЇ][^\W\d_]+)(?![\w-]))"
)


_CYRILLIC = re.compile("[А-Яа-яЁёЄєІіЇїҐґ]")


# A capitalised word just before a known surname: its given name, maybe spelt its own way.
_GIVEN_BEFORE = re.compile(r"(?<![\w-])(?P<g>[A-Z][a-z]{2,})[ \t]+$")


def _respells_given(word: str, person: KnownPerson) -> bool:
    """Whether WORD spells PERSON's given name another way or garbled by a letter
    ("Vitalli" for Vitalii), and is no given name of the list (which the scan of given
    names reads)."""
    if word in given_names():
        return False
    return near(skeleton(word), skeleton(person.name.split()[0]))


def _cyrillic_officials(body: str) -> list[tuple[int, int, KnownPerson]]:
    """Known officials whose names are written, whole or in part, in Cyrillic: spans and
    persons, by the transliteration key of the romanised name."""
    found = []
    for match in _EITHER_NAME.finditer(body):
        if match.group("n").isascii():
            continue
        person = known_by_spelling(romanise(match.group("n")))
        if person is not None:
            found.append((*match.span("n"), person))
    return found


_FEW_SURNAMES = 8


def _surname_words(surnames: Collection[str], body: str) -> Iterable[re.Match[str]]:
    """The matches of `word_start_matches(_CAPITALISED, body)` that may be one of SURNAMES:
    those that start where a surname does, found with `str.find` rather than by matching
    every capitalised word. A match that starts a word cannot lie inside an earlier one,
    whose letters and hyphens would stand before it, unless an apostrophe does ("O'Brien"):
    then every capitalised word is matched, as it is when there are more than a few
    surnames, each a look through the whole body."""
    if len(surnames) > _FEW_SURNAMES:
        return word_start_matches(_CAPITALISED, body)
    starts = set()
    for surname in surnames:
        at = body.find(surname)
        while at >= 0:
            if at and body[at - 1] in "'’":
                return word_start_matches(_CAPITALISED, body)
            starts.add(at)
            at = body.find(surname, at + 1)
    found = []
    for start in sorted(starts):
        if start and (body[start - 1].isalnum() or body[start - 1] in "_-"):
            continue
        match = _CAPITALISED.match(body, start)
        if match is not None:
            found.append(match)
    return found


def _holder(surface: str, match: re.Match[str], body: str) -> KnownPerson | None:
    """The known official a titled name garbles beyond one letter ("Governor Yuri Slemsar",
    "Governor Alexander Khinchurin"): the one official of that title whose given name is
    the name's, whose surname begins as the name's does, and whose region the article
    names."""
    # The words of the title that name an office ("governor", "mayor"), not "of" or "the".
    offices = [w for w in (match.groupdict().get("title") or "").lower().split() if len(w) > 3]
    words = surface.split()
    if not offices or len(words) < 2:
        return None
    given, surname = skeleton(words[0]), skeleton(words[-1])
    found = {
        person.name: person
        for person, role, (their_given, their_surname), stem in _officials()
        if any(w in role for w in offices)
        and their_given == given
        and their_surname[:2] == surname[:2]
        and stem in body
    }
    return next(iter(found.values())) if len(found) == 1 else None


@cache
def _officials() -> list[tuple[KnownPerson, str, tuple[str, str], str]]:
    """Each known official of a region, with the role in lower case, the keys of the given
    name and surname, and the region's stem: worked out once."""
    return [
        (
            person,
            (person.role or "").lower(),
            (skeleton(person.name.split()[0]), skeleton(person.name.split()[-1])),
            places()[person.place_id].stem,
        )
        for person in known_persons()
        if person.place_id
    ]
