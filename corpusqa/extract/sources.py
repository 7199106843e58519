"""Who a claim's sentences say made it: a person or organisation named beside a verb of
saying, "it said" and "the ministry said" for one named before, an outlet only when it relays
no one, and a source a headline opens with."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import cache

from ..gazetteer import known_persons, organizations
from ..gazetteer import places as gazetteer_places
from ..lexicon import LEXICON, Prescanned, folded
from ..lexicon import alternation as _alternation
from .claims import Authority, Claim
from .figures import starting
from .numbers import matches_at, text_words, word_starts
from .organizations import OrganizationMention, find_organizations
from .persons import PersonMention
from .text import Sentence, read_once


@cache
def _patterns() -> dict[str, re.Pattern[str] | Prescanned]:
    attribution = LEXICON["attribution"]
    return {
        "attribution": Prescanned(
            re.compile(
                rf"\b(?:{_alternation(attribution['verbs'] + attribution['nouns'])})\b",
                re.IGNORECASE,
            ),
            attribution["verbs"] + attribution["nouns"],
        ),
        "anaphor": re.compile(
            r"\bthe\s+(?:(?:russian|russia['’]s|(?:city|region)(?:['’]s)?|regional)\s+)?"
            r"(?:(?P<office>defen[cs]e)\s+(?:ministry\s+)?)?"
            r"(?P<role>ministry|department|governor|mayor|air\s+forces?|spokes(?:person|man|woman))\b",
            re.IGNORECASE,
        ),
        # "Earlier, it said ...": the body that spoke last.
        "pronoun": re.compile(rf"\b[Ii]t\s+(?:{_alternation(attribution['verbs'])})\b"),
    }


def attributed(s: Sentence, authorities: list[Authority]) -> Authority | None:
    """The person or organisation sentence S attributes a statement to, if any."""
    p = _patterns()
    cues = [cue + s.start for cue in _cues(s.text)]
    if not cues:
        return None
    # "a downed drone belonging to the Armed Forces of Ukraine": whose drones they were is
    # no one who spoke.
    inside = starting(authorities, s.start, s.end)
    # Every phrase of owning _OWNER reads ends with "by" but "belonging to" and "forces
    # of": a sentence with none of the three is spared a search before each name.
    low = folded(s.text)
    if "by" in low or "forces" in low or "belonging" in low:
        inside = [
            a
            for a in inside
            if not _OWNER.search(
                s.text, max(0, a.start - s.start - _OWNER_REACH), a.start - s.start
            )
        ]
    # A named person who speaks is the source, rather than the body they speak for.
    people = [a for a in inside if isinstance(a, PersonMention)]
    # "The General Staff said this in its update, according to Ukrinform", "the Air Force
    # Command announced, as reported by Ukrainska Pravda": the outlet relays; the body it
    # quotes made the claim. An outlet is the source only when it quotes nobody.
    speakers = people or [a for a in inside if a.name not in media()]
    if speakers:
        return min(speakers, key=lambda a: _to_nearest(a.start, cues))
    quoted = _quoted(s, authorities, p, cues)
    if quoted is not None or not inside:
        return quoted
    outlet = min(inside, key=lambda a: _to_nearest(a.start, cues))
    # "On Sept. 19, Russia claimed that ..., according to RIA Novosti": the outlet relays a
    # claim someone else made, even someone the text does not name.
    if any(c < outlet.start - _RELAYED for c in cues):
        return None
    return outlet


@read_once
def _cues(text: str) -> tuple[int, ...]:
    """Where TEXT's words of saying begin: a claim asks of its sentences and those around
    it, and the claim after it of many of the same."""
    attribution = _patterns()["attribution"]
    read = text_words(text)
    words = _attribution_words()
    if read is None or words is None:
        return tuple(m.start() for m in attribution.finditer(text))
    # A word of saying the pattern finds is a whole word, one of the text's as ascii_words
    # reads them: it is tried only where those it holds stand (found with str.find), not
    # wherever a word of saying's first letters do.
    held = words.intersection(read[0])
    if not held:
        return ()
    starts = word_starts(folded(text), held)
    return tuple(m.start() for m in matches_at(attribution.pattern, text, starts))


@cache
def _attribution_words() -> frozenset[bytes] | None:
    """The words of saying in lower case; None when one is not a word of ASCII letters,
    which a text's words could not be tested for."""
    attribution = LEXICON["attribution"]
    words = [*attribution["verbs"], *attribution["nouns"]]
    if not all(word.isascii() and word.isalpha() for word in words):
        return None
    return frozenset(word.lower().encode() for word in words)


def _to_nearest(position: int, cues: list[int]) -> int:
    """The distance from POSITION to the nearest of CUES (in text order): a look at two, so
    that a long sentence of many names and cues stays linear."""
    i = bisect_left(cues, position)
    return min(abs(position - c) for c in cues[max(0, i - 1) : i + 1])


# As far before a name as "belonging to the " and the like reach.
_OWNER_REACH = 40
_OWNER = re.compile(
    r"\b(?:belonging\s+to|launched\s+by|fired\s+by|operated\s+by|sent\s+by|forces\s+of"
    # "prevented attempts by the Ukrainian Armed Forces to attack": who attacked.
    r"|(?:attempts?|attacks?|strikes?|raids?|carried\s+out|conducted)\s+by)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# How far before an outlet's name a verb of saying is someone else's, not the outlet's.
_RELAYED = 40


def _quoted(
    s: Sentence,
    authorities: list[Authority],
    p: dict[str, re.Pattern[str] | Prescanned],
    cues: list[int],
) -> Authority | None:
    """The body a sentence that names no speaker attributes its statement to: "it said" is
    the organisation named last before it, "the ministry said" the ministry named before it
    (or, when none was, the one such news means)."""
    if p["pronoun"].search(s.text):
        bodies = [
            a for a in authorities if a.start < s.start and isinstance(a, OrganizationMention)
        ]
        if bodies:
            return bodies[-1]
    # "The air defence forces of the ministry ... repelled an attack," the city mayor wrote:
    # the office that speaks is the one named next to the verb of saying.
    anaphor = min(
        p["anaphor"].finditer(s.text),
        key=lambda m: _to_nearest(m.start() + s.start, cues),
        default=None,
    )
    if anaphor:
        # "the department" is how translated ministry copy names the ministry.
        role = anaphor.group("role").lower().replace("department", "ministry")
        role = "air force" if role.startswith("air") else role
        if role.startswith("spokes"):
            # A spokesperson speaks for the ministry; one with no ministry named, for no one.
            if not anaphor.group("office"):
                return None
            role = "ministry"
        earlier = [a for a in authorities if a.start < s.start and _plays(a, role)]
        if earlier:
            return earlier[-1]
        default = LEXICON["anaphor_defaults"].get(role)
        if default:
            start = s.start + anaphor.start("role")
            return OrganizationMention(
                default, anaphor.group("role"), start, start + len(anaphor.group("role"))
            )
    return None


@cache
def media() -> frozenset[str]:
    return frozenset(o.name for o in organizations() if o.kind == "media")


def _plays(authority: Authority, role: str) -> bool:
    """Whether "the ROLE" can refer to AUTHORITY: the ministry is an organisation, not its
    spokesman; the governor and the mayor are persons."""
    if isinstance(authority, OrganizationMention):
        return (role == "ministry" and "Ministry" in authority.name) or (
            role == "air force" and "Air Force" in authority.name
        )
    return role != "ministry" and role in (authority.role or "").lower()


def source_name(s: Sentence, authorities: list[Authority]) -> str | None:
    """The name of whoever sentence S attributes its statement to, if anyone."""
    authority = attributed(s, authorities)
    if authority is None:
        return None
    return (
        authority.name
        if isinstance(authority, OrganizationMention)
        else (authority.known or authority.name)
    )


def headline_source(headline: str | None) -> OrganizationMention | None:
    """The organisation a HEADLINE opens with before a colon ("Russian Defense Ministry:
    ..."), unless it is an outlet, which relays rather than makes the claim."""
    if not headline or ":" not in headline:
        return None
    first = next(iter(find_organizations(headline)), None)
    if (
        first is None
        or first.name in media()
        or headline[: first.start].strip().lower() not in ("", "the")
        or not headline[first.end :].lstrip().startswith(":")
    ):
        return None
    return replace(first, in_headline=True)


# "Governor of the Voronezh region Gusev: 00:27. ...", "Source: the governor on Telegram":
# a line that opens with its speaker and a colon, as live blogs and some outlets write.
_LABEL = re.compile(r"^(?P<head>[^:.!?\n]{3,80}):(?:[ \t]|$)")
# Labels that turn from the report to something else.
_ASIDE = re.compile(rf"^(?:{_alternation(LEXICON['aside_labels'])})\b", re.I)


def turns_aside(text: str) -> bool:
    """Whether a line opens with a label that turns from the report to something else
    ("Background: ...")."""
    label = _label(text)
    return bool(label and _ASIDE.match(label.group("head").strip()))


def _label(text: str) -> re.Match[str] | None:
    """_LABEL's match in TEXT. Most lines have no colon where a label's can stand: a look
    for one spares them the pattern, which reads up to 80 characters and backs off."""
    return _LABEL.match(text) if text.find(":", 3, 81) >= 0 else None


def labelled_sources(
    sentences: list[Sentence], authorities: list[Authority]
) -> list[Authority | None]:
    """For each sentence, the source the last labelled line at or before it names: the
    speaker before the colon ("Russian Defense Ministry: ..."), or the one a "Source:" line
    gives. A label that turns to something else ("Background: ...") names none."""
    result: list[Authority | None] = []
    current: Authority | None = None
    for i, s in enumerate(sentences):
        label = _label(s.text) if i == 0 or sentences[i - 1].paragraph < s.paragraph else None
        if label and not _patterns()["attribution"].search(label.group("head")):
            # "Zelensky wrote: ..." quotes someone in a sentence; a label names its speaker
            # with no verb.
            head = label.group("head").strip()
            if head.lower() == "source":
                span = (s.start + label.end(), s.end)
            else:
                span = (s.start, s.start + label.end("head"))
            named = [a for a in starting(authorities, *span) if a.name not in media()]
            if named:
                current = named[0]
            elif head.lower() == "source" or _ASIDE.match(head):
                current = None
        result.append(current)
    return result


def outside_office(authority: Authority | None, claim: Claim) -> bool:
    """Whether AUTHORITY is an official of one region and CLAIM counts only over others: a
    governor of the Leningrad region does not report the Moscow region's drones (Moscow's
    mayor does: the region around a city is his too)."""
    ours = _office_places(governed_region(authority))
    if not ours or not claim.places:
        return False
    return all(cp.place_id not in ours for cp in claim.places)


def beyond_office(authority: Authority | None, claim: Claim) -> bool:
    """Whether AUTHORITY is an official of one region and CLAIM counts over two or more other
    regions: a governor does not report a night's total over several regions; the ministry
    does. (A sea off his coast or the republic around his city may be told beside his own.)"""
    ours = _office_places(governed_region(authority))
    if not ours:
        return False
    table = gazetteer_places()
    others = {
        cp.place_id
        for cp in claim.places
        if cp.place_id not in ours and table[cp.place_id].kind == "federal_subject"
    }
    return len(others) >= 2


def governed_region(authority: Authority | None) -> str | None:
    """The federal subject AUTHORITY governs, when AUTHORITY is a known official of one."""
    if not isinstance(authority, PersonMention) or authority.known is None:
        return None
    return _offices().get(authority.known)


@cache
def _office_places(region: str | None) -> frozenset[str]:
    """REGION and what its official speaks for with it: the city it surrounds, or the region
    around it (Moscow's mayor and the Moscow region); empty for no region."""
    if region is None:
        return frozenset()
    around = LEXICON["surroundings"]["cities"]
    rings = {city for city, ring in around.items() if ring == region}
    return frozenset({region, *rings} | ({around[region]} if region in around else set()))


@cache
def _offices() -> dict[str, str]:
    table = gazetteer_places()
    return {
        person.name: person.place_id
        for person in known_persons()
        if person.place_id and table[person.place_id].kind == "federal_subject"
    }
