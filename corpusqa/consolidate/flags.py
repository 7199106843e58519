"""Quality flags: what a careful reader of the corpus would raise.

Per-article flags come from one article's text and claims; corpus flags (a name spelt two
ways, reports that disagree, retold stories) need the whole corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple, Protocol

from wordfreq import zipf_frequency

from ..extract.article import Extraction
from ..gazetteer import known_persons, places
from ..lexicon import LEXICON, alternation
from .events import Event

# Below this Zipf frequency a lower-case word is not English ("stocrate", "bespilotniki").
ENGLISH_ZIPF = 1.0
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]{3,}(?![\w’'-])")
# _LOWER_WORD in a text whose every character is ASCII (with no ’, and \w's letters and
# digits a to z and 0 to 9), found in three quarters of the time.
_ASCII_LOWER_WORD = re.compile(r"(?<![A-Za-z0-9_'-])[a-z]{3,}(?![A-Za-z0-9_'-])")
_STRAY_WHITESPACE = re.compile(r"[ \t]+(?=\n|\Z)|\t| {2,}(?=\S)")


@dataclass
class Flag:
    """One observation. `claim` is the claim's number in its article (1-based), if any."""

    article_id: str | None
    kind: str
    severity: str
    detail: str
    span_start: int | None = None
    span_end: int | None = None
    claim: int | None = None
    claim_id: str | None = None


@cache
def _rare(word: str) -> bool:
    return zipf_frequency(word, "en") < ENGLISH_ZIPF


@cache
def _known_words() -> frozenset[str]:
    """Lower-cased words of place, person and organisation names: never 'untranslated'."""
    words: set[str] = set()
    for place in places().values():
        for variant in (place.name, *place.variants):
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", variant))
    for person in known_persons():
        for variant in (person.name, *person.variants):
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", variant))
    return frozenset(words)


def article_flags(
    article_id: str, body: str, notes: dict[str, int], extraction: Extraction
) -> list[Flag]:
    """Flags one article raises on its own: formatting, untranslated words, breakdowns that
    do not add up or can be read two ways, and claims nobody is said to have made."""
    flags = _formatting(article_id, body, notes)
    # Most articles have no rare word: find them among the distinct words first, and look
    # for their offsets only when there are some.
    lower_word = _ASCII_LOWER_WORD if body.isascii() else _LOWER_WORD
    rare = {w for w in set(lower_word.findall(body)) if _rare(w)} - _known_words()
    for match in lower_word.finditer(body) if rare else ():
        word = match.group()
        if word in rare:
            flags.append(
                Flag(
                    article_id,
                    "untranslated_word",
                    "warning",
                    f"'{word}' is not an English word",
                    match.start(),
                    match.end(),
                )
            )
    for number, claim in enumerate(extraction.claims, start=1):
        where = (claim.span_start, claim.span_end)
        stated = [
            p.quantity
            for p in claim.places
            if p.basis in ("stated", "each") and p.quantity is not None
        ]
        shared = {p.span_start: p for p in claim.places if p.basis == "shared"}
        if claim.breakdown_readings and len(set(claim.breakdown_readings)) > 1:
            flags.append(
                Flag(
                    article_id,
                    "ambiguous_breakdown",
                    "warning",
                    f"the parts add up to {claim.breakdown_readings[0]} if the coordinated places "
                    f"share one figure, {claim.breakdown_readings[1]} if each has its own; "
                    f"the total is {claim.quantity}",
                    *where,
                    claim=number,
                )
            )
        elif len(stated) > 1 or (stated and shared):
            parts = sum(stated)
            mismatch = (
                parts != claim.quantity
                if claim.qualifier == "exact"
                else (claim.qualifier in ("more than",) and parts <= claim.quantity)
            )
            if mismatch:
                flags.append(
                    Flag(
                        article_id,
                        "breakdown_mismatch",
                        "warning",
                        f"the parts {' + '.join(map(str, stated))} = {parts}, but the total is "
                        f"{claim.qualifier + ' ' if claim.qualifier != 'exact' else ''}"
                        f"{claim.quantity}",
                        *where,
                        claim=number,
                    )
                )
        if claim.time_parts:
            parts = sum(t.quantity for t in claim.time_parts)
            if parts != claim.quantity:
                flags.append(
                    Flag(
                        article_id,
                        "breakdown_mismatch",
                        "warning",
                        f"the timeline adds up to {parts}, but the total is {claim.quantity}",
                        *where,
                        claim=number,
                    )
                )
        if claim.authority is None:
            flags.append(
                Flag(
                    article_id,
                    "unattributed_claim",
                    "info",
                    f"nobody is said to have made the claim of {claim.quantity} {claim.object}s",
                    *where,
                    claim=number,
                )
            )
    return flags


@cache
def _mojibake() -> re.Pattern[str]:
    return re.compile(alternation(LEXICON["mojibake"]))


def _formatting(article_id: str, body: str, notes: dict[str, int]) -> list[Flag]:
    flags = []
    if notes.get("trailing_blank_lines"):
        flags.append(
            Flag(
                article_id,
                "formatting",
                "info",
                f"{notes['trailing_blank_lines']} trailing blank lines at the end of the file",
                len(body),
                len(body),
            )
        )
    for name, label in [("bom", "a byte-order mark"), ("carriage_returns", "CR line endings")]:
        if notes.get(name):
            flags.append(Flag(article_id, "formatting", "info", f"the file had {label}"))
    suspect = "\t" in body or "  " in body or " \n" in body or body.endswith(" ")
    stray = list(_STRAY_WHITESPACE.finditer(body)) if suspect else []
    if stray:
        lines = sorted({body.count("\n", 0, m.start()) + 1 for m in stray})
        plural = "s" if len(lines) > 1 else ""
        flags.append(
            Flag(
                article_id,
                "formatting",
                "info",
                f"stray whitespace (trailing spaces, tabs or double spaces) on "
                f"line{plural} {', '.join(map(str, lines))}",
                stray[0].start(),
                stray[0].end(),
            )
        )
    # Looked for only in a text that has one: a search costs ten times the test.
    for match in re.finditer("\ufffd+", body) if "\ufffd" in body else ():
        flags.append(
            Flag(
                article_id,
                "formatting",
                "warning",
                "replacement character: text was lost in decoding",
                match.start(),
                match.end(),
            )
        )
    for match in _mojibake().finditer(body):
        flags.append(
            Flag(
                article_id,
                "formatting",
                "warning",
                f"mojibake {match.group()!r}: UTF-8 decoded as Windows-1252",
                match.start(),
                match.end(),
            )
        )
    return flags


class VariantMention(NamedTuple):
    """A person mention as its article spells it."""

    article_id: str
    surface: str
    span_start: int
    span_end: int


# A name_variant flag names up to this many other articles, and says whether there are
# more without counting them: a count would change the flags of every article with the
# name at each update.
NAMED = 5


class PersonMentions(Protocol):
    """The stored person mentions, looked up by person and spelling (see load.Loader)."""

    def variant_mentions(
        self, person: str, surfaces: list[str], scoped: bool
    ) -> Iterable[VariantMention]:
        """The mentions of PERSON spelt as one of SURFACES (when SCOPED, only those in the
        articles an update touched), in article and span order."""
        ...

    def articles_with(self, person: str, spellings: list[list[str]], first: int) -> list[str]:
        """The FIRST articles, by id, that have, for each list of SPELLINGS, a mention of
        PERSON spelt as one of them."""
        ...


class PersonFlags(NamedTuple):
    """The name_variant flags of one person (when SCOPED, only those in the articles an
    update touched; in every article otherwise), and the spellings of its name that differ
    from the canonical one."""

    person: str
    scoped: bool
    variants: list[str]
    flags: list[Flag]


def name_variant_flags(
    persons: Iterable[tuple[str, str, list[str]]],
    mentions: PersonMentions,
    first_touched: Mapping[str, str] | None = None,
) -> Iterator[PersonFlags]:
    """One flag per article and spelling that differs from the person's canonical spelling,
    naming up to NAMED other articles (the first by id) where the canonical spelling of
    those words occurs, and "and others" when there are more. The flag does not count them
    (person_spellings counts each person's spellings): its text changes only when those
    first articles, or the article's own mentions, do.

    PERSONS are (id, canonical name, the distinct spellings of its mentions). Only the
    mentions spelt otherwise are read; the articles with the canonical words are looked up
    through MENTIONS, not listed: a common name is in a large share of the corpus.

    FIRST_TOUCHED, in an update, gives for each person the first by id of the touched
    articles (those whose person mentions were written, deleted or given another person or
    name) that concern it: that mention it, or where it lost a mention. A person with none,
    or all of whose lists of first articles are full and come before its first touched
    article, has the same flags elsewhere as before: only its flags in the touched articles
    are made. An article that does not concern a person, however early its id, cannot
    change that person's first articles.
    """
    for person, canonical, surfaces in persons:
        spelling_of = {s: v for s in surfaces if (v := _word_spelling(s, canonical)) is not None}
        variants = sorted(spelling_of)
        firsts: dict[str, list[str]] = {}
        for surface in variants:
            counterpart = _counterpart(surface, canonical)
            if counterpart not in firsts:
                # The articles with every word of the counterpart, each in any of its
                # mentions; one more than NAMED besides an article itself tells whether
                # there are others.
                spellings = [[s for s in surfaces if w in s.split()] for w in counterpart.split()]
                firsts[counterpart] = mentions.articles_with(person, spellings, NAMED + 2)
        touched = None if first_touched is None else first_touched.get(person)
        scoped = first_touched is not None and (
            touched is None
            or all(len(first) == NAMED + 2 and first[-1] < touched for first in firsts.values())
        )
        flags = _variant_flags(person, canonical, spelling_of, variants, firsts, mentions, scoped)
        yield PersonFlags(person, scoped, variants, list(flags))


def _variant_flags(
    person: str,
    canonical: str,
    spelling_of: dict[str, str],
    variants: list[str],
    firsts: dict[str, list[str]],
    mentions: PersonMentions,
    scoped: bool,
) -> Iterator[Flag]:
    """The name_variant flags of PERSON named CANONICAL (when SCOPED, in the touched
    articles only): one on the first mention in an article of each spelling of SPELLING_OF
    (by surface; VARIANTS are its surfaces, sorted), naming the first articles of its
    counterpart in FIRSTS other than its own."""
    seen: set[tuple[str, str]] = set()
    for mention in mentions.variant_mentions(person, variants, scoped):
        spelling = spelling_of[mention.surface]
        if (mention.article_id, spelling) in seen:
            continue
        seen.add((mention.article_id, spelling))
        counterpart = _counterpart(mention.surface, canonical)
        others = [a for a in firsts[counterpart] if a != mention.article_id]
        more = " and others" if len(others) > NAMED else ""
        elsewhere = f"; '{counterpart}' in {', '.join(others[:NAMED])}{more}" if others else ""
        yield Flag(
            mention.article_id,
            "name_variant",
            "warning",
            f"'{spelling}' here for {canonical} ({mention.surface}){elsewhere}",
            mention.span_start,
            mention.span_end,
        )


def _counterpart(surface: str, canonical: str) -> str:
    pairs = zip(reversed(surface.split()), reversed(canonical.split()), strict=False)
    return " ".join(reversed([b for a, b in pairs if a != b]))


def _word_spelling(surface: str, canonical: str) -> str | None:
    """The words of SURFACE spelt otherwise than in CANONICAL ("Anohin"), else None."""
    pairs = zip(reversed(surface.split()), reversed(canonical.split()), strict=False)
    differing = [a for a, b in pairs if a != b]
    return " ".join(reversed(differing)) or None


def event_flags(events: list[Event]) -> Iterator[Flag]:
    """A conflicting_report flag on each claim that another article reports differently,
    naming up to three of those reports, made one at a time as they are stored."""
    for event in events:
        where = ", ".join(places()[p].name for p in event.places)
        when = f", {event.date}" if event.date else ""
        by_quantity: dict[int, list] = defaultdict(list)
        for claim in event.conflicts:
            by_quantity[claim.quantity].append(claim)
        # Up to three reports per figure, smallest first. Leaving out one figure removes at
        # most three of them, so the first six hold every claim's first three others.
        head = [c for _, claims in sorted(by_quantity.items()) for c in claims[:3]][:6]
        for mine in event.conflicts:
            # Reports with another figure first; with the same total, another breakdown.
            others = [c for c in head if c.quantity != mine.quantity][:3]
            total = len(event.conflicts) - len(by_quantity[mine.quantity])
            if not others:
                others = [
                    c for c in by_quantity[mine.quantity][:4] if c.article_id != mine.article_id
                ][:3]
                total = len(by_quantity[mine.quantity]) - 1
            named = "; ".join(f"{c.article_id} reports {c.quantity}" for c in others[:3])
            more = f" and {total - len(others)} more" if total > len(others) else ""
            yield Flag(
                mine.article_id,
                "conflicting_report",
                "warning",
                f"{mine.quantity} {mine.object}s here; {named}{more} for the same event "
                f"({where}{when})",
                claim_id=mine.id,
            )


def _listed(group: list[str], article_id: str, most: int = 5) -> str:
    """The first MOST ids of GROUP (sorted) other than ARTICLE_ID, and how many more: in
    time and length independent of the size of the group."""
    at = bisect_left(group, article_id)
    in_group = at < len(group) and group[at] == article_id
    return _named(group[: most + 1], len(group), in_group, article_id, most)


def _named(head: list[str], size: int, in_group: bool, article_id: str, most: int = 5) -> str:
    """The ids of HEAD (the first of a sorted group of SIZE ids) other than ARTICLE_ID, up
    to MOST, and how many more the group has besides ARTICLE_ID."""
    others = size - in_group
    shown = [a for a in head if a != article_id][:most]
    more = f" and {others - most} more" if others > most else ""
    return ", ".join(shown) + more


def story_flags(story_of: dict[str, str]) -> Iterator[Flag]:
    """A same_story flag on each article that retells a story other articles also tell,
    made one at a time as they are stored."""
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story in sorted(story_of.items()):
        members[story].append(article_id)
    for group in members.values():
        if len(group) > 1:
            for article_id in group:
                yield Flag(
                    article_id, "same_story", "info", f"same story as {_listed(group, article_id)}"
                )
