"""Reports: the claims of a whole article, assembled across its sentences.

A claim is anchored on its home sentence, where a quantity, an object ("drones") and an
action ("shot down") meet. A report may go on beyond it, and the extractor reads:

- breakdown items: later sentences that break the total down by place or by time ("Of
  these, eight were shot down over the Black Sea ...", "29 were shot down over the Bryansk
  Region, 15 over the Oryol Region ... In addition, three over the Moscow Region"), until
  the items reach the total, a new total or a new source starts, or the text moves on;
- restatements: the same number of the same objects told again by the same source (a
  summary paragraph), which stay one claim;
- context: the neighbouring sentences for the place, date and source of a claim whose own
  sentence gives none, as long as those sentences belong to no other claim;
- aftermath: up to three following sentences for "no casualties or damage".

Who a sentence says made a claim is sources.py's to tell, and which day it counts under
days.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cache

from ..gazetteer import places as gazetteer_places
from ..lexicon import LEXICON, Prefiltered, Prescanned
from ..lexicon import alternation as _alternation
from .claims import (
    Authority,
    Claim,
    ClaimPlace,
    TimePart,
    apply_breakdown,
    claims_in_sentence,
    merge_by_subject,
    narrower,
    places_without_totals,
    read_shares_as_each,
    without_countries,
)
from .dates import dates, relative_days
from .days import ArticleDay, date_claim, dated_later
from .days import patterns as day_patterns
from .figures import (
    Figure,
    counted_objects,
    may_count,
    normalise_action,
    sentence_figures,
    starting,
)
from .figures import patterns as figure_patterns
from .places import PlaceMention
from .sources import (
    attributed,
    beyond_office,
    governed_region,
    headline_source,
    labelled_sources,
    outside_office,
    source_name,
    turns_aside,
)
from .text import Sentence, ascii_words, captions
from .times import mentions_night, moments, windows


@cache
def _patterns() -> dict[str, re.Pattern[str] | Prefiltered | Prescanned]:
    none = LEXICON["none_reported"]
    stated = LEXICON["stated"]
    return {
        **day_patterns(),
        "continuation": re.compile(
            r"^(?:(?:Of|Among)\s+(?:these|them|those|which|the\s+\w+)"
            r"|(?:Most|The\s+majority|The\s+bulk)\s+of\s+(?:them|these|those)"
            # "One of them was destroyed in A, three in B and four in C".
            rf"|(?:{_alternation(LEXICON['number_words']['units'])}|\d+)"
            r"\s+of\s+(?:them|these|those))\b",
            re.IGNORECASE,
        ),
        "same_occasion": Prefiltered(
            re.compile(rf"\b(?:{_alternation(LEXICON['same_occasion'])})\b", re.IGNORECASE),
            LEXICON["same_occasion"],
        ),
        # A sentence that goes on about the drones just counted: "These included ...",
        # "they targeted ...", "Drones were also destroyed in ...".
        # A case-insensitive pattern that opens with a word boundary is tried at every
        # position of a text; these and the others Prescanned only where a match may begin.
        "listing": Prescanned(
            re.compile(
                r"\b(?:these|those|they|them)\b|\b(?:drones|UAVs)\s+were\s+also\b"
                # "The drones were intercepted over the A, B and C regions": the ones counted
                # (where they were launched from is not where they fell).
                r"|(?<=\bthe\s)(?:drones|UAVs)\s+(?:were|had\s+been)\s+(?:\w+\s+)?"
                rf"(?:{_alternation(LEXICON['actions'])})\b"
                # "Other regions, including A, B and C, reported smaller numbers".
                r"|\bother\s+regions,?\s+(?:including|such\s+as)\b"
                r"|\b(?:spanned|included|targeted)\b",
                re.IGNORECASE,
            ),
            [
                "these",
                "those",
                "they",
                "them",
                "drones",
                "uavs",
                "other",
                "spanned",
                "included",
                "targeted",
            ],
        ),
        "also": Prescanned(
            re.compile(
                rf"\b(?:also|further|additional(?:ly)?|as\s+well)\b"
                # "the remaining drones": scanned from "remaining", not from every "the".
                rf"|(?:\b(?:more|other)|(?<=\bthe\s)remaining)\s+(?:[\w-]+\s+)?"
                rf"(?:{_alternation(LEXICON['objects'])})\b"
                rf"|\b(?:{_alternation(LEXICON['vague'])})\s+more\b",
                re.IGNORECASE,
            ),
            ["also", "further", "additional", "as", "more", "other", "remaining"]
            + LEXICON["vague"],
        ),
        # Where the drones just counted were brought down, told without a number: "The drones
        # were shot down over A and B oblasts", "Air defences were active in the A region".
        "told_where": re.compile(
            rf"\b(?:{_alternation(LEXICON['objects'])})\s+(?:(?:were|was|had\s+been|being)\s+)?(?:\w+\s+)?"
            rf"(?:{_alternation(LEXICON['actions'])})\s+(?:over|in|above|across|within)\b"
            rf"|\b(?:{_alternation(LEXICON['actions'])})\s+(?:\w+\s+)?"
            rf"(?:{_alternation(LEXICON['objects'])})\s+(?:over|in|above|across|within)\b"
            # "The A region and the districts of B and C saw more drones shot down".
            rf"|\bsaw\s+(?:more|further|other|additional)\s+(?:[\w-]+\s+)?"
            rf"(?:{_alternation(LEXICON['objects'])})\s+(?:{_alternation(LEXICON['actions'])})\b"
            r"|\bair[\s-]defen[cs]es?\s+(?:\w+\s+){0,2}?"
            r"(?:activated|active|operated|worked|engaged|working|responding|responded)\b"
            # "The interceptions took place over a wide area, covering the A and B regions".
            r"|\b(?:interceptions?|intercepts|shootdowns?|downings?)\s+"
            r"(?:took\s+place|occurred|happened)\b"
            # "Mobile fire groups repelled the attack over the A, B and C regions".
            r"|\brepelled\s+the\s+(?:\w+\s+)?(?:attack|assault|raid)\s+(?:over|in|above|across)\b"
            r"|\b(?:attack|assault|raid)\s+was\s+repelled\s+(?:over|in|above|across)\b"
            # "Dozens more were intercepted over the A and B regions": more of them, no number.
            rf"|\b(?:{_alternation(LEXICON['vague'])})\s+(?:more|others)\s+(?:were\s+|had\s+been\s+)?"
            rf"(?:\w+\s+)?(?:{_alternation(LEXICON['actions'])})\s+(?:over|in|above|across|within)\b",
            re.IGNORECASE,
        ),
        # "The air force said on Monday that ...": the day the news was told, not another
        # day of drones.
        "day_told": re.compile(
            rf"\b(?:{_alternation(LEXICON['attribution']['verbs'])})"
            r"(?:\s+(?:[\w'’-]+\s+){0,5}?on|\s+early|\s+late)?"
            r"\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            re.IGNORECASE,
        ),
        # "This was reported by the ministry": a sentence that lost its stop, not a heading.
        "told_clause": re.compile(
            r"\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+"
            rf"(?:{_alternation(LEXICON['attribution']['verbs'])})\b"
        ),
        "same_places": re.compile(
            r"\b(?:over|in|across)\s+the\s+same\s+(?:\w+\s+)?"
            r"(?:regions|areas|oblasts|territories|provinces)\b",
            re.IGNORECASE,
        ),
        "in_addition": re.compile(
            r"^\W*(?:in\s+addition(?!\s+to)|additionally|besides|moreover|furthermore)\b", re.I
        ),
        # "Air defence systems also shot down eight missiles": the same telling goes on.
        "also_did": re.compile(
            rf"\balso\s+(?:{_alternation(LEXICON['actions'])})\b", re.IGNORECASE
        ),
        "happened_at": Prescanned(
            re.compile(
                rf"\b(?:{_alternation(LEXICON['actions'])}|stopped|repelled|attack|carried\s+out)\b",
                re.IGNORECASE,
            ),
            [*LEXICON["actions"], "stopped", "repelled", "attack", "carried"],
        ),
        # "..., the governors of those regions said": told by people the text does not name.
        "unnamed_source": Prefiltered(
            re.compile(
                r"\b(?:officials|authorities|governors|sources|residents|media)\b"
                r"(?:\s+[\w-]+){0,4}?\s+(?:said|say|says|reported|report|claimed|claim)\b",
                re.IGNORECASE,
            ),
            ["officials", "authorities", "governors", "sources", "residents", "media"],
        ),
        "later": re.compile(r"^\W*(?:later|then|afterwards|subsequently|soon after)\b", re.I),
        # "In May 2023, two drones ...", "Last year, ...": a sentence that opens in another
        # time tells the background, not more of the night's report.
        "background": re.compile(
            r"^\W*(?:in\s+(?:(?:early|late|mid)[\s-]+)?(?:[a-z]+\s+)?(?:19|20)\d\d"
            r"|last\s+(?:year|month)|earlier\s+this\s+(?:year|month)"
            r"|(?:a|one|two|three|four|five|six|several|a\s+few)\s+(?:months?|years?)\s+ago)\b",
            re.IGNORECASE,
        ),
        # "Separately, ...", "In a separate statement": a new report begins.
        "separately": re.compile(
            r"^\W*(?:separately|meanwhile|in\s+a\s+separate|elsewhere)\b", re.IGNORECASE
        ),
        "cumulative": Prefiltered(
            re.compile(rf"\b(?:{_alternation(LEXICON['cumulative'])})\b", re.I),
            LEXICON["cumulative"],
        ),
        "total": Prefiltered(
            re.compile(r"\b(?:a\s+total\s+of|in\s+total|in\s+all|altogether)\b", re.I),
            ["total", "all", "altogether"],
        ),
        "own_region": Prescanned(
            re.compile(
                r"\b(?:his|her)\s+(?:own\s+)?(?:region|oblast|province|republic|territory)\b",
                re.IGNORECASE,
            ),
            ["his", "her"],
        ),
        "place_anaphor": Prescanned(
            re.compile(
                r"\b(?:the|this|that|its|their)\s+(?:\w+\s+)?(?:region|republic|oblast|krai|"
                r"city|town|area|district|territory|province|capital|plant|refinery|airport|port|"
                r"base|village)\b|\bthere\b|\blocal(?:ly)?\b",
                re.IGNORECASE,
            ),
            ["the", "this", "that", "its", "their", "there", "local"],
        ),
        # "All of them were suppressed", "Both were shot down", "all UAVs were shot down".
        "all_downed": Prefiltered(
            re.compile(
                r"\b(?:all|(?P<both>both))(?:\s+of\s+(?:them|these|those))?"
                rf"(?:\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?:{_alternation(LEXICON['objects'])}|aircraft))?"
                r"\s+(?:were|have\s+been|had\s+been)\s+(?:\w+\s+){0,2}?"
                rf"(?P<a>{_alternation(LEXICON['actions'])})\b",
                re.IGNORECASE,
            ),
            ["all", "both"],
        ),
        "negated": Prescanned(
            re.compile(
                rf"\b(?:{_alternation(none['negators'])})\b(?P<span>[^.;:]{{0,60}})",
                re.IGNORECASE,
            ),
            none["negators"],
        ),
        "nobody": Prefiltered(
            re.compile(rf"\b(?:{_alternation(none['nobody'])})\b", re.IGNORECASE), none["nobody"]
        ),
        "casualty": re.compile(rf"\b(?:{_alternation(none['casualty_nouns'])})\b", re.IGNORECASE),
        "damage": re.compile(rf"\b(?:{_alternation(none['damage_nouns'])})\b", re.IGNORECASE),
        "casualties_stated": Prefiltered(
            re.compile(
                rf"\b(?P<p>(?:[\w-]+\s+){{0,2}}(?:{_alternation(stated['casualty_subjects'])})\s+"
                rf"(?:was|were)\s+(?:\w+\s+)?(?:{_alternation(stated['casualty_verbs'])}))\b",
                re.IGNORECASE,
            ),
            stated["casualty_verbs"],
        ),
        "damage_stated": Prefiltered(
            re.compile(
                rf"\b(?P<p>(?:{_alternation(stated['damage_verbs'])})\s+(?:[\w-]+\s+){{0,3}}?"
                rf"(?:{_alternation(stated['damage_objects'])}))\b",
                re.IGNORECASE,
            ),
            stated["damage_verbs"],
        ),
    }


def extract_claims(
    body: str,
    sentences: list[Sentence],
    place_mentions: list[PlaceMention],
    authorities: list[Authority],
    published: str | None = None,
    headline: str | None = None,
) -> list[Claim]:
    """Every claim in BODY. Mentions are the article's own, in text order. The HEADLINE
    counts as the article's first sentence when a claim is dated by the article's day."""
    p = _patterns()
    claims: list[Claim] = []
    owner: dict[int, int] = {}
    homes: dict[int, int] = {}
    # Most sentences name no object and no number: they can hold no figure.
    figures_by_sentence = {
        s.index: sentence_figures(s, body, place_mentions) if may_count(s.text) else []
        for s in sentences
    }
    # The sentence that says all of a count were brought down, by the sentence of the count.
    downed_in = _count_all_downed(sentences, figures_by_sentence, body, place_mentions)
    last: dict[int, int] = {}
    # The sections are read only once a sentence may go on a claim before it: most articles
    # count in one sentence.
    section: list[int] = []
    memo = _Memo(authorities)
    # Claims by (count, object), the only ones a new claim can restate.
    by_key: dict[tuple[int, str], list[int]] = {}

    def tellings(number: int) -> Iterator[Sentence]:
        """The sentences that have told claim NUMBER so far, its home first."""
        yield sentences[homes[number]]
        yield from (sentences[i] for i, n in owner.items() if n == number)

    for s in sentences:
        figures = figures_by_sentence[s.index]
        if not figures:
            continue
        if claims and not section:
            section = _sections(sentences)
        # The report told last goes on: a restated total takes the report back to it.
        number = max(last, key=lambda n: (last[n], n)) if claims else -1
        # A report does not go on past a subheading: the text has moved on.
        previous = claims[number] if claims and section[last[number]] == section[s.index] else None
        if previous is not None and (
            (
                last[number] == s.index - 1
                and not memo.names_another(s, tellings(number))
                and _continue(previous, s, figures, p)
            )
            or (
                (s.index - last[number] <= _GAP or _told_apart(previous, figures))
                and _fold_items(previous, s, figures, place_mentions, memo, tellings(number))
            )
        ):
            owner[s.index] = number
            last[number] = s.index
            continue
        recent = [
            n
            for n in range(max(0, len(claims) - _RECENT), len(claims))
            if s.index - last[n] <= _GAP and section[last[n]] == section[s.index]
        ]
        targets = _by_object(claims, recent, figures)
        if targets is None:
            targets = _parts_of(claims, recent, figures, memo, s, sentences, homes)
        if targets is not None:
            for number in targets:
                owner.setdefault(s.index, number)
                last[number] = s.index
                claims[number].context.append((s.start, s.end))
            continue
        for claim in claims_in_sentence(s, figures, place_mentions, previous):
            candidates = by_key.get((claim.quantity, claim.object), [])
            earlier = _restated(claim, claims, candidates, homes, tellings, sentences, memo, s)
            if earlier is not None:
                _absorb(claims[earlier], claim, s)
            else:
                earlier = _item_restated(claim, claims, homes, tellings, sentences, memo, s)
                if earlier is not None:
                    _merge_places(claims[earlier], claim.places)
                    claims[earlier].context.append((s.start, s.end))
            if earlier is not None:
                owner.setdefault(s.index, earlier)
                last[earlier] = s.index
                continue
            part = _part_of_total(claim, claims, homes, sentences, memo, s)
            if part is not None:
                # The total takes the place of its part, which becomes its breakdown item.
                claims[part] = _total_over(claim, claims[part], sentences[homes[part]])
                by_key.setdefault((claim.quantity, claim.object), []).append(part)
                owner[s.index] = part
                homes[part] = s.index
                last[part] = s.index
                continue
            whole = _whole_of_parts(claim, claims, homes, sentences, memo, s)
            if whole is not None:
                # "13 drones in Krasnodar ... five in the Krasnodar region in the morning ...
                # eight over the Black Sea at night": the claims since the total, and this
                # one, are its parts, and its one place held only some of them.
                parts = _fold(claims, whole + 1, whole, by_key, homes, last, owner)
                claims[whole] = _total_of_later_parts(claims[whole], [*parts, claim])
                owner[s.index] = whole
                last[whole] = s.index
                continue
            count = _parts_before_total(claim, claims, homes, sentences, memo, s)
            if count:
                # "12 more over Kursk ... one over the Medvensky district ... In total, 13":
                # the total takes the place of the claims it sums, which become its items.
                first = len(claims) - count
                told = [sentences[homes[number]] for number in range(first, len(claims))]
                parts = _fold(claims, first, first, by_key, homes, last, owner)
                claims.append(_total_over_parts(claim, parts, told))
                by_key.setdefault((claim.quantity, claim.object), []).append(first)
                owner[s.index] = first
                # The report is told from its first part on, which may name its source.
                homes[first], last[first] = told[0].index, s.index
                continue
            owner[s.index] = len(claims)
            homes[len(claims)] = s.index
            last[len(claims)] = s.index
            by_key.setdefault((claim.quantity, claim.object), []).append(len(claims))
            claims.append(claim)
    for told, said in downed_in.items():
        if told in owner and said not in owner:
            owner[said] = owner[told]
    if not claims:
        # Most articles of a large corpus count nothing: read none of their days.
        return claims
    owned: dict[int, list[int]] = {}
    for index, number in owner.items():
        owned.setdefault(number, []).append(index)
    # A photo's caption is read for no claim's day or place (see text.captions).
    captioned = captions(body, sentences)
    article_day = ArticleDay(sentences, published, headline, captioned)
    source_in_headline = headline_source(headline)
    for number, claim in enumerate(claims):
        claim.places = merge_by_subject(claim.places)
        read_shares_as_each(claim)
        _fill_context(
            number,
            claim,
            homes,
            owner,
            owned.get(number, []),
            sentences,
            place_mentions,
            authorities,
            claims,
            published,
            article_day,
            captioned,
            # "... one over the Nizhny Novgorod region. This follows a similar incident the
            # previous day, when 37 drones were intercepted": the report before ends where
            # its last part was told, not where it began.
            max([homes[number - 1], *owned.get(number - 1, [])]) if number else -1,
        )
        if number == 0 and claim.authority is None:
            # "Ministry of Defense: air defences destroyed 21 drones overnight": the headline
            # names the source of a body that names none; the claims after the first take
            # it as they would take a source named in the body.
            claim.authority = source_in_headline
    labelled = labelled_sources(sentences, authorities)
    for number, claim in enumerate(claims):
        if claim.authority is None:
            # "Russian Defense Ministry: Over the past night, ... 85 drones": the speaker of
            # the labelled lines the claim is told in.
            claim.authority = labelled[homes[number]]
    # "1,441 drones over the past week ... Air defences downed four cruise missiles, 18
    # guided bombs, as well as 1,441 drones": what is told beside a tally told again counts
    # the same period.
    # Only a tally of many is told again with a number that chance does not repeat.
    tallies = {str(c.quantity) for c in claims if c.cumulative and c.quantity >= _RETOLD_FROM}
    if tallies:
        for number, claim in enumerate(claims):
            home = sentences[homes[number]].text
            if any(d.replace(",", "") in tallies for d in _DIGITS.findall(home)):
                _tally(claim)
    return claims


_RETOLD_FROM = 100
# A number of the text, not a clock time ("20:25") or part of one.
_DIGITS = re.compile(r"(?<![\d:.,])\d[\d,]*\d(?![\d:])|(?<![\d:.,])\d(?![\d:])")


_PRELIMINARY = Prefiltered(
    re.compile(
        r"\baccording\s+to\s+(?:preliminary|initial|media|local|unconfirmed)\s+reports\b",
        re.I,
    ),
    ["according"],
)


def _sections(sentences: list[Sentence]) -> list[int]:
    """The section of each sentence, counted by the subheadings before it: a short line of
    its own, after the first, that does not end as a sentence does ("Russian night air
    attack on Ukraine"), is no label ("Source: the defence ministry") and heads no list of
    bullets; or a label that turns aside ("Background: ...")."""
    result = []
    current = 0
    for i, s in enumerate(sentences):
        if (
            0 < i < len(sentences) - 1
            and sentences[i - 1].paragraph < s.paragraph < sentences[i + 1].paragraph
            and _headed(s.text)
            # Headings stand alone between prose; lines with no stop that come in a run
            # ("7 over the Smolensk region", one per line) are a list.
            and not _headed(sentences[i - 1].text)
            and not _headed(sentences[i + 1].text)
            # "Details of the intercept" over bullets: the title of the list after it.
            and sentences[i + 1].text[0] not in _BULLETS
        ) or (0 < i and sentences[i - 1].paragraph < s.paragraph and turns_aside(s.text)):
            current += 1
        result.append(current)
    return result


_SENTENCE_ENDS = frozenset(".!?:;,\"”’')…")
_BULLETS = "•·▪◦*–-"
_HEADING_WORDS = 12


def _headed(text: str) -> bool:
    """Whether a line reads as a heading: short, no stop at its end, no label, no
    number or bullet at its start, and not a sentence of who told it."""
    return (
        text[-1] not in _SENTENCE_ENDS
        and ":" not in text
        and not (text[0].isdigit() or text[0] in _BULLETS)
        and len(text.split()) <= _HEADING_WORDS
        and not _patterns()["told_clause"].search(text)
    )


def _tally(claim: Claim) -> None:
    """Make CLAIM a tally of the war, a week or a month, which counts no one day and no one
    place."""
    claim.cumulative = True
    claim.date = claim.date_precision = claim.date_basis = None
    claim.places = []


def _fold(
    claims: list[Claim],
    start: int,
    into: int,
    by_key: dict[tuple[int, str], list[int]],
    homes: dict[int, int],
    last: dict[int, int],
    owner: dict[int, int],
) -> list[Claim]:
    """Take CLAIMS from START on out of the article's claims and their indexes, as parts
    of the claim numbered INTO, which now tells their sentences; return them."""
    for number in range(start, len(claims)):
        by_key[(claims[number].quantity, claims[number].object)].remove(number)
        del homes[number], last[number]
    for index, number in owner.items():
        if number > into:
            owner[index] = into
    parts = claims[start:]
    del claims[start:]
    return parts


def _count_all_downed(
    sentences: list[Sentence],
    figures_by_sentence: dict[int, list[Figure]],
    body: str,
    place_mentions: list[PlaceMention],
) -> dict[int, int]:
    """ "An attack with the help of three drones. All of them were suppressed", "Two drones
    tried to enter the city. Both were shot down": the objects a sentence counts without a
    verb of bringing down are a figure of that sentence, with the verb of the next one or
    two that say all of them were brought down. Returns, for each such sentence, the one
    that says so, which is part of the claim's telling."""
    p = _patterns()
    downed_in: dict[int, int] = {}
    for s in sentences:
        if figures_by_sentence[s.index]:
            continue
        said = p["all_downed"].search(s.text)
        if said is None:
            continue
        # "Russia sent 40 drones toward the Kyiv region, and all of them were destroyed": the
        # count may come earlier in the same sentence.
        for earlier in [s, *reversed(sentences[max(0, s.index - 2) : s.index])]:
            told = figures_by_sentence[earlier.index]
            if any(f.action for f in told):
                break
            counted = counted_objects(earlier, body)
            if counted is None or (earlier is s and counted[0].end > said.start() + s.start):
                continue
            quantity, noun = counted
            if said.group("both") and quantity.value != 2:
                break
            figure = Figure(quantity, noun, normalise_action(said.group("a")))
            figure.places = [
                m
                for m in starting(place_mentions, quantity.end, earlier.end)
                if not (m.adjectival or m.secondary)
            ] or [
                # "... detected 24 drones. All of them were shot down in the Kyiv, Sumy and
                # Poltava regions": where the sentence that downs them says.
                m
                for m in starting(place_mentions, said.end() + s.start, s.end)
                if not (m.adjectival or m.secondary or m.origin)
            ]
            # A number with no verb there ("an attack with 91 drones") is this figure.
            figures_by_sentence[earlier.index] = [figure] + [
                f for f in told if f.quantity.number_start != quantity.number_start
            ]
            downed_in[earlier.index] = s.index
            break
    return downed_in


# Sentences a report may pass over (colour, quotes, background) before the text has moved on.
_GAP = 4
# Claims a new sentence is compared with as parts of theirs: the latest few, not all.
_RECENT = 8


class _Memo:
    """What each sentence of one article says of its source and its time, worked out once:
    a report is compared with many earlier claims, and a run-on sentence can be long."""

    def __init__(self, authorities: list[Authority]) -> None:
        self.authorities = authorities
        self._sources: dict[int, str | None] = {}
        self._cues: dict[int, set[str]] = {}

    def source(self, s: Sentence) -> str | None:
        if s.index not in self._sources:
            self._sources[s.index] = source_name(s, self.authorities)
        return self._sources[s.index]

    def cues(self, s: Sentence) -> set[str]:
        if s.index not in self._cues:
            self._cues[s.index] = _time_cues(s)
        return self._cues[s.index]

    def same_source(self, s: Sentence, earlier: Sentence) -> bool:
        """Whether S and EARLIER name no two different sources."""
        source, their_source = self.source(s), self.source(earlier)
        return source is None or their_source is None or source == their_source

    def names_another(self, s: Sentence, told: Iterable[Sentence]) -> bool:
        """Whether S names a source and one of the sentences TOLD names another. A claim's
        first telling may name none ("Russia says 170 drones intercepted"), and the
        ministry's lead that tells it again does: the mayor's two over Moscow after it are
        then his own claim, not the ministry's told again (GUIDELINES.md: a restatement is
        by the same source)."""
        source = self.source(s)
        return source is not None and any(self.source(t) not in (None, source) for t in told)

    def same_telling(self, s: Sentence, earlier: Sentence) -> bool:
        """Whether S may tell again what EARLIER told: no other source, and no day or time
        that EARLIER does not name, unless EARLIER names none and S names its source (a
        summary told first, the statement with its day and window after)."""
        if earlier.index == 0 and earlier.text[-1] not in '.!?"”':
            # A headline left at the top of the body ("russia shoots down 10 drones flying to
            # moscow") names no day; the lead that tells it again may.
            return self.same_source(s, earlier)
        if not self.same_source(s, earlier):
            return False
        if not self.cues(earlier) and self.source(s):
            return True
        return not self.cues(s) - self.cues(earlier)


def _over_a_floor(report: Claim, total: int) -> bool:
    """Whether parts that add up to TOTAL, more than REPORT's number, still fit it: "more
    than 100 drones ... 51 over Crimea, 44 over Krasnodar, six ..., six ... and one ..." (108)
    break down a total given as a floor, up to half as much again."""
    return (
        report.qualifier in ("more than", "at least")
        and report.quantity < total <= report.quantity * 3 // 2
    )


def _consumed(report: Claim) -> int:
    """How much of REPORT's total its places already account for."""
    table = gazetteer_places()
    return sum(
        cp.quantity or 0
        for cp in report.places
        if cp.basis in ("stated", "each", "total")
        # "Russia's defence ministry said 44 drones ...", "three drones over Russian
        # territory": the country is no part of a breakdown.
        and table[cp.place_id].kind != "country"
    )


def _fold_items(
    report: Claim,
    s: Sentence,
    figures: list[Figure],
    place_mentions: list[PlaceMention],
    memo: _Memo,
    told: Iterable[Sentence],
) -> bool:
    """Whether sentence S goes on breaking REPORT down by place ("15 over the Oryol Region
    ... In addition, three over the Moscow Region"), told in the sentences TOLD, and if so
    fold its items in.

    Items are figures of the report's object (or of none) that name places and fit in what
    the total leaves; an item that repeats a place's number already given is absorbed. A
    new source, a figure that does not fit, or a figure with no place ends the report.
    """
    p = _patterns()
    if p["separately"].match(s.text) or p["later"].match(s.text) or p["background"].match(s.text):
        return False
    if p["cumulative"].search(report.sentence):
        # A war-long or weekly tally is broken down by no night's figures.
        return False
    inside = [m for m in starting(place_mentions, s.start, s.end) if not (m.adjectival or m.origin)]
    if len(figures) == 1 and not figures[0].places and len(inside) == 1:
        # "Next came the Oryol region, where 9 were downed": the place before the number.
        figures[0].places = inside
    if not all(f.places for f in figures):
        return False
    if any(f.object and f.object != report.object for f in figures):
        return False
    # The sources are read last: a sentence is most often told apart by what it counts.
    if memo.names_another(s, told):
        return False
    # A number given for a place, unless it was for another town of it.
    towns = [
        ClaimPlace(m.subject_id, m.place_id, None, "unstated", m.start, m.end)
        for f in figures
        for m in f.places
        if m.place_id != m.subject_id
    ]
    given = {
        cp.place_id: cp.quantity
        for cp in report.places
        if cp.quantity is not None and not _other_towns([cp], towns)
    }
    # "Two drones over the Moscow region ... one near Domodedovo": a part of a place that
    # holds the whole total details it and adds nothing.
    whole = (
        {
            cp.place_id: cp.quantity
            for cp in report.places
            # A town holds no other town: "one over Odintsovo ... one over Podolsk" is two.
            if cp.basis == "total" and cp.detail_id is None
        }
        if not _time_cues(s)
        else {}
    )
    new = [
        f
        for f in figures
        # "another drone" adds one; it never repeats a number already given.
        if f.quantity.incremental
        or not (
            len(f.places) == 1
            and (
                given.get(f.places[0].subject_id) == f.quantity.value
                or (
                    f.places[0].place_id != f.places[0].subject_id
                    and f.quantity.value <= whole.get(f.places[0].subject_id, 0)
                )
            )
        )
    ]
    # What the items add at the least: "A and B each saw two" may be told loosely, and a
    # breakdown that then overshoots its total is a flag to raise, not a new report.
    added = sum(f.quantity.value for f in new)
    named = {m.subject_id for f in new for m in f.places}
    table = gazetteer_places()
    guessed = [
        cp
        for cp in report.places
        if cp.basis == "total" and (cp.place_id in named or table[cp.place_id].kind == "sea")
    ]
    if (
        new
        and not guessed
        and len(report.places) == 1
        and report.places[0].basis == "total"
        and table[report.places[0].place_id].kind not in ("country", "sea")
    ):
        # "40 over Voronezh. 10 over Belgorod, six over Kursk": one region's number is no
        # total for the others; with no total, each is a claim of its own.
        return False
    if guessed and len(report.places) == 1 and len(new) > 1 and added <= report.quantity:
        # "19 drones over four regions and the Azov Sea ... three over the Azov Sea": the one
        # place named with the total held only part of it.
        report.places = [
            replace(cp, quantity=None, basis="unstated", quantity_start=None, quantity_end=None)
            for cp in report.places
        ]
    elif (
        new
        and added > report.quantity - _consumed(report)
        and not _over_a_floor(report, added + _consumed(report))
    ):
        return False
    if new:
        _add_items(report, new)
    report.context.append((s.start, s.end))
    return True


def _by_object(claims: list[Claim], recent: list[int], figures: list[Figure]) -> list[int] | None:
    """The recent claims that a sentence of several objects tells again, one object each
    ("35 drones and 4 missiles ... 14 drones and 4 missiles over Kursk, 16 drones over
    Voronezh, ..."), with the places it adds folded in; None unless every object's figures
    restate or break down one of them."""
    groups: dict[str, list[Figure]] = {}
    kind = None
    for f in figures:
        kind = f.object or kind
        if kind is None or f.quantity.incremental:
            return None
        groups.setdefault(kind, []).append(f)
    if len(groups) < 2:
        return None
    matches: list[tuple[int, list[Figure]]] = []
    for kind, group in groups.items():
        total = sum(f.quantity.value * (len(f.places) if f.each else 1) for f in group)
        number = next(
            (
                n
                for n in reversed(recent)
                if claims[n].object == kind and claims[n].quantity == total
            ),
            None,
        )
        if number is None or (len(group) > 1 and not all(f.places for f in group)):
            return None
        matches.append((number, group))
    for number, group in matches:
        claim = claims[number]
        if len(group) > 1:
            apply_breakdown(claim, group)
        elif group[0].places:
            claim.places = places_without_totals(group[0].places, claim.quantity)
    return [number for number, _ in matches]


def _told_apart(report: Claim, figures: list[Figure]) -> bool:
    """Whether FIGURES read as the breakdown of REPORT however far after it they come: a
    total over no place narrower than a country ("85 drones flying into Russia"), then,
    paragraphs of background later and with no report between, three or more numbers of
    places that add up to no more than it ("31 over the Black Sea, 16 over A and B, 14 ...")."""
    table = gazetteer_places()
    return (
        len(figures) >= 3
        and all(f.places for f in figures)
        and sum(f.quantity.value for f in figures) <= report.quantity
        and all(table[cp.place_id].kind == "country" for cp in report.places)
    )


def _parts_of(
    claims: list[Claim],
    recent: list[int],
    figures: list[Figure],
    memo: _Memo,
    s: Sentence,
    sentences: list[Sentence],
    homes: dict[int, int],
) -> list[int] | None:
    """The recent claim whose total a sentence splits into parts that add up to it ("35
    drones ... destroyed 22 and intercepted another 13 over the Azov Sea"), told by the same
    source; the places the parts name go to a claim that has none."""
    kinds = {f.object for f in figures if f.object}
    if len(figures) < 2 or len(kinds) > 1 or any(f.each for f in figures):
        return None
    total = sum(f.quantity.value for f in figures)
    for number in reversed(recent):
        claim = claims[number]
        if (
            claim.quantity != total
            or (kinds and claim.object not in kinds)
            or not memo.same_telling(s, sentences[homes[number]])
        ):
            continue
        if all(f.places for f in figures):
            apply_breakdown(claim, figures)
        elif not claim.places:
            claim.places = places_without_totals(
                [m for f in figures for m in f.places], claim.quantity
            )
        return [number]
    return None


def _add_items(report: Claim, figures: list[Figure]) -> None:
    """Fold breakdown FIGURES into REPORT's places, keeping the places it already has, and
    the readings of an ambiguous "each" among them."""
    items = replace(report, places=[], time_parts=[], context=[], breakdown_readings=[])
    apply_breakdown(items, figures)
    # "one in Lyubertsy, three in Ramenskoye and four in Podolsk": eight over their region.
    _merge_places(report, merge_by_subject(items.places))
    if items.distributive:
        report.distributive = True
        report.breakdown_readings = items.breakdown_readings


def _merge_places(report: Claim, places: list[ClaimPlace]) -> None:
    """Add breakdown PLACES to REPORT: a place listed without a number takes its number."""
    table = gazetteer_places()
    index = {cp.place_id: i for i, cp in enumerate(report.places)}
    for cp in places:
        i = index.get(cp.place_id)
        if i is None:
            # "34 drones targeting Moscow ... 34 were downed over the Moscow region": the
            # same number told again over a place of the same name is where it was said first.
            i = next(
                (
                    j
                    for j, held in enumerate(report.places)
                    if held.quantity == cp.quantity is not None
                    and table[held.place_id].stem == table[cp.place_id].stem
                ),
                None,
            )
            if i is not None:
                del index[report.places[i].place_id]
                index[cp.place_id] = i
                report.places[i] = cp
                continue
            index[cp.place_id] = len(report.places)
            report.places.append(cp)
        elif report.places[i].quantity is None or report.places[i].basis in ("unstated", "total"):
            # A number stated for the place outranks the guess that it held the whole total.
            report.places[i] = cp
    report.places = [
        cp for cp in report.places if cp.place_id not in LEXICON["placeless_countries"]
    ]
    report.places = without_countries(report.places)


def _restated(
    claim: Claim,
    claims: list[Claim],
    candidates: list[int],
    homes: dict[int, int],
    tellings: Callable[[int], Iterable[Sentence]],
    sentences: list[Sentence],
    memo: _Memo,
    s: Sentence,
) -> int | None:
    """The earlier claim that CLAIM tells again, if any: the same number of the same objects,
    places that agree, and no other source (a summary paragraph repeating the lead)."""
    mine = {cp.place_id for cp in claim.places}
    for number in reversed(candidates):
        earlier = claims[number]
        if earlier.quantity != claim.quantity or earlier.object != claim.object:
            continue
        # "Another 86" is a new figure, unless what it repeats was "86 more" too.
        if claim.incremental and not earlier.incremental:
            continue
        theirs = {cp.place_id for cp in earlier.places}
        if mine and theirs and not (mine <= theirs or theirs <= mine):
            continue
        if _other_towns(claim.places, earlier.places):
            continue
        if not memo.same_telling(s, sentences[homes[number]]) or memo.names_another(
            s, tellings(number)
        ):
            continue
        if (
            claim.time_start
            and earlier.time_start
            and (claim.time_start, claim.time_end) != (earlier.time_start, earlier.time_end)
        ):
            continue
        return number
    return None


def _elsewhere(lead: Figure, previous: Claim) -> bool:
    """Whether a figure and a claim both name places, none of them the same region's."""
    mine = {m.subject_id for m in lead.places if not m.secondary}
    theirs = {cp.place_id for cp in previous.places}
    return bool(mine and theirs) and not mine & theirs


def _other_towns(mine: list[ClaimPlace], theirs: list[ClaimPlace]) -> bool:
    """Whether two claims' places name different towns of one region ("a drone over the
    Odintsovo district ... a drone in the Podolsk district"): two drones, not one told twice."""
    towns = {cp.place_id: cp.detail_id for cp in theirs}
    return any(
        cp.detail_id and towns.get(cp.place_id) and towns[cp.place_id] != cp.detail_id
        for cp in mine
    )


def _item_restated(
    claim: Claim,
    claims: list[Claim],
    homes: dict[int, int],
    tellings: Callable[[int], Iterable[Sentence]],
    sentences: list[Sentence],
    memo: _Memo,
    s: Sentence,
) -> int | None:
    """The recent report one of whose items CLAIM tells again ("19 drones ... three over the
    Azov Sea ... The Azov Sea became a focal point, with three UAVs shot down over its
    waters"): the same number of the same objects over the same one place, or one of the
    same name ("targeting Moscow" ... "over the Moscow region")."""
    # "six over Kursk, and the remaining ones over A and B": the one place the number counts.
    counted = (
        claim.places
        if len(claim.places) == 1
        else [cp for cp in claim.places if cp.quantity is not None]
    )
    if claim.incremental or len(counted) != 1:
        return None
    stem = gazetteer_places()[counted[0].place_id].stem
    for number in range(len(claims) - 1, max(-1, len(claims) - _RECENT - 1), -1):
        earlier = claims[number]
        if earlier.object != claim.object or earlier.quantity == claim.quantity:
            continue
        if any(
            gazetteer_places()[cp.place_id].stem == stem
            and cp.quantity == claim.quantity
            and cp.basis == "stated"
            for cp in earlier.places
        ) and memo.same_telling(s, sentences[homes[number]]):
            if memo.names_another(s, tellings(number)):
                continue
            return number
    return None


def _part_of_total(
    claim: Claim,
    claims: list[Claim],
    homes: dict[int, int],
    sentences: list[Sentence],
    memo: _Memo,
    s: Sentence,
) -> int | None:
    """The earlier claim that CLAIM, a total told after it ("three over the Nizhny Novgorod
    region ... a total of 33 drones during the night"), includes: the last claim of the
    same objects over one narrower place, fewer than the total, at no other time, and
    from the same source (or one named and one not)."""
    if claim.incremental or not _patterns()["total"].search(s.text):
        return None
    table = gazetteer_places()
    if any(table[cp.place_id].kind != "country" for cp in claim.places):
        return None
    for number in range(len(claims) - 1, -1, -1):
        earlier = claims[number]
        if earlier.object != claim.object:
            continue
        home = sentences[homes[number]]
        if (
            len(earlier.places) != 1
            or table[earlier.places[0].place_id].kind == "country"
            or earlier.quantity >= claim.quantity
            # Two unattributed figures are two reports as likely as one.
            or (memo.source(s) is None and memo.source(home) is None)
            or not memo.same_telling(s, home)
        ):
            return None
        return number
    return None


def _parts_before_total(
    claim: Claim,
    claims: list[Claim],
    homes: dict[int, int],
    sentences: list[Sentence],
    memo: _Memo,
    s: Sentence,
) -> int:
    """How many of the latest claims CLAIM, a total told after them ("In total, 13 drones
    were destroyed over the region"), adds up exactly: two or more claims of its objects, told
    in the sentences just before by the same source, over places it names (or it names
    none). Zero when no run of them adds up to it."""
    if claim.incremental or not _patterns()["total"].search(s.text):
        return 0
    table = gazetteer_places()
    named = {cp.place_id for cp in claim.places if table[cp.place_id].kind != "country"}
    # The parts' sum, and the sum when a number given to several places ("one over the A
    # and B regions") is each place's.
    total = each = 0
    for count, number in enumerate(
        range(len(claims) - 1, max(-1, len(claims) - _RECENT - 1), -1), 1
    ):
        part = claims[number]
        home = sentences[homes[number]]
        if (
            part.object != claim.object
            or s.index - home.index > _GAP
            # A total may name the day its parts left out, but no other day or source.
            or not memo.same_telling(home, s)
            or (named and not {cp.place_id for cp in part.places} <= named)
        ):
            return 0
        total += part.quantity
        shared = len(part.places) > 1 and all(cp.quantity is None for cp in part.places)
        each += part.quantity * (len(part.places) if shared else 1)
        if claim.quantity in (total, each):
            return count if count >= 2 else 0
        if total > claim.quantity:
            return 0
    return 0


def _whole_of_parts(
    claim: Claim,
    claims: list[Claim],
    homes: dict[int, int],
    sentences: list[Sentence],
    memo: _Memo,
    s: Sentence,
) -> int | None:
    """The recent claim that CLAIM and the claims told since it add up to exactly: a total
    over one place or none, then two or more parts of its objects over places, each in the
    sentences just after the one before, by its source or by none, one of them over the
    total's place if it named one; a total told further back when its source is named and
    tells the parts too. None when no recent claim is such a whole."""
    if claim.incremental or not claim.places:
        return None
    table = gazetteer_places()
    parts = [claim]
    told = s.index
    for number in range(len(claims) - 1, max(-1, len(claims) - _RECENT - 1), -1):
        candidate = claims[number]
        home = sentences[homes[number]]
        added = sum(part.quantity for part in parts)
        if candidate.object != claim.object:
            return None
        # A total told well before its parts ("claimed 128 drones ... [other news] ... 83
        # over A. Another 30 over B, ...") is theirs when the same named source tells both
        # and three or more parts add up to it exactly.
        if told - home.index > _GAP and not (
            len(parts) >= 3
            and candidate.quantity == added
            and memo.source(home) is not None
            and memo.source(home) == memo.source(sentences[told])
        ):
            return None
        if not memo.same_source(s, home):
            return None
        if (
            len(parts) >= 2
            and candidate.quantity == added
            and len(candidate.places) <= 1
            and all(
                cp.basis == "total" and table[cp.place_id].kind not in ("country", "sea")
                for cp in candidate.places
            )
            and {cp.place_id for cp in candidate.places}
            <= {cp.place_id for part in parts for cp in part.places}
        ):
            return number
        # A part may be larger than those after it, and told as "another 30".
        if not candidate.places:
            return None
        parts.insert(0, candidate)
        told = home.index
    return None


def _items(parts: list[Claim]) -> list[ClaimPlace]:
    """PARTS as a total's breakdown items: a part over one place is that place's number;
    the places of a part over several keep theirs."""
    places: list[ClaimPlace] = []
    for part in parts:
        if len(part.places) == 1:
            places.append(replace(part.places[0], quantity=part.quantity, basis="stated"))
        else:
            places.extend(part.places)
    return places


def _total_of_later_parts(total: Claim, parts: list[Claim]) -> Claim:
    """TOTAL with PARTS told after it as its breakdown items, in place of the one place it
    was told over."""
    return replace(
        total,
        places=_items(parts),
        context=[*total.context, *(span for part in parts for span in part.context)],
    )


def _total_over_parts(total: Claim, parts: list[Claim], homes: list[Sentence]) -> Claim:
    """TOTAL with PARTS, told in sentences HOMES, as its breakdown items: a part over one
    place is that place's number; the places of a part over several keep theirs. A total
    over one place keeps it, with its number."""
    places = _items(parts)
    if len(total.places) == 1:
        places = total.places
    return replace(
        total,
        places=places or total.places,
        time_start=total.time_start or parts[0].time_start,
        time_end=total.time_end if total.time_start else parts[0].time_end,
        context=[
            *(span for part in parts for span in part.context),
            *((home.start, home.end) for home in homes),
        ],
    )


def _total_over(total: Claim, part: Claim, part_home: Sentence) -> Claim:
    """TOTAL with PART's place as its breakdown item, and PART's sentence in its context."""
    item = replace(part.places[0], quantity=part.quantity, basis="stated")
    return replace(
        total,
        places=[item],
        time_start=total.time_start or part.time_start,
        time_end=total.time_end if total.time_start else part.time_end,
        context=[*part.context, (part_home.start, part_home.end)],
    )


def _breakdown(claim: Claim) -> int:
    """How many places a claim gives a number of their own."""
    return sum(1 for cp in claim.places if cp.basis in ("stated", "each"))


def _time_cues(s: Sentence) -> set[str]:
    """The days and times sentence S points to, as comparable words."""
    p = _patterns()
    cues = {f"{d.month}-{d.day}" for d in dates(s.text)}
    cues |= {m.group().lower() for m in p["other_time"].finditer(s.text)}
    return cues


def _absorb(earlier: Claim, claim: Claim, s: Sentence) -> None:
    """Fold a restatement into the claim it repeats: what it adds (places, a breakdown, a
    time window) fills what the first telling left out."""
    if claim.places and (not earlier.places or _breakdown(claim) > _breakdown(earlier)):
        earlier.places = claim.places
    if earlier.time_start is None and claim.time_start is not None:
        earlier.time_start, earlier.time_end = claim.time_start, claim.time_end
    if earlier.qualifier == "exact":
        # "Four drones were shot down ... destroyed at least four": the hedge told again.
        earlier.qualifier = claim.qualifier
    earlier.context.append((s.start, s.end))


def _continue(previous: Claim, s: Sentence, figures: list[Figure], p) -> bool:
    """Whether sentence S breaks PREVIOUS down or restates it, and if so fold it in."""
    if p["cumulative"].search(previous.sentence) and not p["cumulative"].search(s.text):
        # A tally of the war or a week is neither broken down nor told again by a night's.
        return False
    if any(f.earlier for f in figures):
        # "..., after saying earlier that 22 had been downed": two reports, read one by one.
        return False
    lead = next((f for f in figures if f.object and f.action), None)
    if (
        lead is not None
        and lead is figures[0]
        and lead.quantity.value == previous.quantity
        and lead.object == previous.object
        and not lead.quantity.incremental
        and not _other_towns(
            places_without_totals(lead.places, lead.quantity.value), previous.places
        )
        # "two drones over Bryansk ... two drones were downed over the Tula region": two
        # claims of one number, not one told twice.
        and not _elsewhere(lead, previous)
        # "28 drones and both missiles": the missiles are a claim of their own.
        and not any(f.object and f.object != previous.object for f in figures)
    ):
        # A restatement ("a dozen drones ... According to the ministry, 12 drones were
        # destroyed: five over ..."): one claim, told twice.
        rest = figures[1:]
        if rest:
            apply_breakdown(previous, rest)
        elif lead.within and not narrower(lead.places):
            # "Russia says 170 drones intercepted. The ministry said 170 drones were
            # intercepted over southern Russia, including two headed for Moscow": where the
            # part was bound, as a sentence of its own reads it.
            apply_breakdown(previous, [lead])
            previous.places = without_countries(previous.places)
        elif lead.places:
            previous.places = places_without_totals(lead.places, previous.quantity)
        if lead.windows and previous.time_start is None:
            previous.time_start = lead.windows[0].start_time
            previous.time_end = lead.windows[0].end_time
        if previous.qualifier == "exact":
            previous.qualifier = lead.quantity.qualifier
        previous.context.append((s.start, s.end))
        return True
    if p["separately"].match(s.text):
        return False
    explicit = bool(p["continuation"].match(s.text))
    total = sum(f.quantity.value for f in figures)
    has_places = any(f.places for f in figures)
    has_times = any(f.windows for f in figures)
    parts = len(figures) >= 2 or explicit
    if not parts:
        return False
    if not explicit and total != previous.quantity and not _over_a_floor(previous, total):
        return False
    if any(f.object and f.object != previous.object for f in figures):
        return False
    if has_places and total < previous.quantity:
        # A part ("the majority of these, 11, over Kursk") details the places told before.
        _add_items(previous, figures)
    elif has_places:
        apply_breakdown(previous, figures)
    elif has_times:
        previous.time_parts = [
            TimePart(f.quantity.value, f.windows[0].start_time, f.windows[0].end_time)
            for f in figures
            if f.windows
        ]
        previous.time_start = previous.time_parts[0].time_start
        previous.time_end = previous.time_parts[-1].time_end
    else:
        return False
    previous.context.append((s.start, s.end))
    return True


def _clauses(sentence: Sentence) -> list[tuple[int, str]]:
    """SENTENCE's clauses between semicolons, each with the offset it starts at."""
    if ";" not in sentence.text:
        return [(sentence.start, sentence.text)]
    found, start = [], sentence.start
    for clause in sentence.text.split(";"):
        found.append((start, clause))
        start += len(clause) + 1
    return found


def _fill_context(
    number: int,
    claim: Claim,
    homes: dict[int, int],
    owner: dict[int, int],
    owned: list[int],
    sentences: list[Sentence],
    place_mentions: list[PlaceMention],
    authorities: list[Authority],
    claims: list[Claim],
    published: str | None,
    article_day: ArticleDay,
    captioned: frozenset[int],
    previous_last: int,
) -> None:
    """Fill in CLAIM's places, times, day and source from the sentences of its telling and
    those around it, but for photo captions (CAPTIONED). PREVIOUS_LAST is the last sentence
    of the claim before it."""
    p = _patterns()
    home = homes[number]
    # Sentences inside the report's span that no other claim owns are part of the telling.
    own = [sentences[home]] + [
        s
        for s in sentences[home + 1 : max(owned, default=home) + 1]
        if owner.get(s.index, number) == number and s.index not in captioned
    ]
    before = (
        sentences[home - 1]
        if home > 0 and home - 1 not in owner and home - 1 not in captioned
        else None
    )
    following = max(s.index for s in own) + 1
    after = (
        sentences[following]
        if following < len(sentences) and following not in owner and following not in captioned
        else None
    )

    # Read only for a claim with no place, the one kind that looks back for one.
    points_back = not claim.places and (
        claim.incremental or any(p["place_anaphor"].search(s.text) for s in own)
    )
    # The sentence before sets the scene when it is about the attack itself ("a swarm of
    # drones targeting the Kaluga Region. ... 93 drones were destroyed").
    if (
        not claim.places
        and before is not None
        and (points_back or figure_patterns()["object"].search(before.text))
    ):
        used = {cp.place_id for c in claims[:number] for cp in c.places}
        # "Russia launched drones on Ukraine, after strikes on Belgorod ...": the scene is a
        # whole country, and the city is background.
        named = starting(place_mentions, before.start, before.end)
        whole_country = any(
            not m.adjectival and m.subject_id in LEXICON["placeless_countries"] for m in named
        )
        inherited = (
            []
            if whole_country
            else [
                m for m in named if not (m.adjectival or m.secondary) and m.subject_id not in used
            ]
        )
        claim.places = places_without_totals(inherited, claim.quantity)
        if claim.places:
            claim.context.append((before.start, before.end))

    if not claim.places and points_back:
        # "over the region", "near the plant", "N more": the place the article was last
        # talking about.
        table = gazetteer_places()
        earlier = [
            m
            for m in place_mentions
            if m.start < sentences[home].start
            and not (m.adjectival or m.origin)
            and table[m.subject_id].kind != "country"
        ]
        if earlier:
            claim.places = places_without_totals(earlier[-1:], claim.quantity)

    if (
        not claim.places
        and number > 0
        and home - previous_last <= 2
        and claims[number - 1].quantity == claim.quantity
        and claims[number - 1].places
    ):
        # "Defences downed 13 air targets approaching Belgorod, the governor said ... The
        # ministry confirmed that 13 projectiles had been destroyed": the same number told
        # again by another source, of the same place.
        claim.places = list(claims[number - 1].places)

    if (
        not claim.places
        and number == 0
        and home <= _GAP
        and not p["total"].search(sentences[home].text)
        and "overall" not in sentences[home].text.lower()
    ):
        # "In an urgent development from the Kursk region, ... The ministry said four drones
        # were intercepted": an opening sentence that names one region alone sets the scene
        # of the article's first report, unless the report counts a whole ("Overall, 25
        # drones were destroyed during the night").
        table = gazetteer_places()
        lead = [
            m
            for m in place_mentions
            if m.start < sentences[0].end and not (m.adjectival or m.secondary or m.office)
        ]
        # A lead about a whole country ("Russia launched drones on Ukraine, after strikes on
        # Belgorod") or one the drones came from names no scene.
        if len({m.subject_id for m in lead}) == 1 and not (
            lead[0].origin or table[lead[0].subject_id].kind == "country"
        ):
            claim.places = places_without_totals(lead[:1], claim.quantity)
            claim.context.append((sentences[0].start, sentences[0].end))

    _listed_inside(claim, own, place_mentions)
    _listed_after(claim, number, own, owner, sentences, place_mentions)
    if not claim.places and number > 0 and any(p["same_places"].search(s.text) for s in own):
        # "... reported downing 11 drones over the same three regions": the places of the
        # report before, without its numbers.
        claim.places = [
            replace(cp, quantity=None, basis="unstated", quantity_start=None, quantity_end=None)
            for cp in claims[number - 1].places
        ]

    if claim.time_start is None:
        for s in own + ([after] if after is not None else []):
            # Only the times are read: the windows as found, not moved to the body's offsets.
            found_windows = windows(s.text)
            if found_windows:
                claim.time_start = found_windows[0].start_time
                claim.time_end = found_windows[0].end_time
                if s is after:
                    claim.context.append((s.start, s.end))
                break
    if claim.time_start is None:
        # "at 18:40 four more were destroyed": one time, the start of the window; "at about
        # 8:30 p.m. ... one over Kursk. At about 10:20 p.m. another over Bryansk": the
        # report's parts told at their times span a window from the first to the last.
        told_at = [m for s in own for m in moments(s.text, s.start)]
        at = told_at[0] if told_at else None
        if len(told_at) > 1 and told_at[-1][0] != told_at[0][0]:
            claim.time_end = told_at[-1][0]
        if at is None:
            # "According to the report, the drone was brought down at 4:20 AM", "the attack
            # was stopped at about 17:20": a sentence around the report that tells when.
            last = max(s.index for s in own)
            around = ([before] if before is not None else []) + [
                s for s in sentences[last + 1 : last + 1 + _GAP] if s.index not in owner
            ]
            # A time the report before took is its own ("at 06:45 ... was thwarted. Shortly
            # before this, 14 drones had been destroyed"), and a time must share a clause
            # with what happened ("the bridge was stopped; it reopened at 6:30" is no time).
            taken = claims[number - 1].time_start if number > 0 else None
            at = next(
                (
                    m
                    for s in around
                    for start, clause in _clauses(s)
                    if p["happened_at"].search(clause)
                    for m in moments(clause, start)
                    if m[0] != taken
                ),
                None,
            )
        if at is not None:
            claim.time_start = at[0]
    night_window = (
        claim.time_start is not None
        and claim.time_end is not None
        and (claim.time_end < claim.time_start)
    )
    claim.night = night_window or any(mentions_night(s.text) for s in own)

    # Only a claim after another takes anything from the one before on the same occasion.
    same_occasion = number > 0 and any(p["same_occasion"].search(s.text) for s in own)
    if (
        claim.time_start is None
        and number > 0
        and (same_occasion or (claim.incremental and home - previous_last <= 1))
    ):
        # "five more over Krasnodar during the same timeframe", "at about two o'clock ...
        # seven aircraft-type drones. ... seven more missiles were shot down": the window
        # told before.
        claim.time_start = claims[number - 1].time_start
        claim.time_end = claims[number - 1].time_end
    date_claim(claim, own, before, published)
    if claim.date is None and number > 0:
        previous = claims[number - 1]
        if (
            previous.date
            and not any(
                p["other_day"].search(s.text) or p["other_time"].search(s.text) for s in own
            )
            and (claim.incremental or home - homes[number - 1] <= 2 or same_occasion)
        ):
            claim.date, claim.date_precision = previous.date, previous.date_precision
            claim.date_basis = previous.date_basis
    # A claim that names a day of its own which cannot be resolved ("early on Friday" with no
    # publication date), or points to another time, does not take the article's day.
    if claim.date is None and not any(
        p["other_day"].search(s.text) or p["other_time"].search(s.text) or relative_days(s.text)
        for s in own
    ):
        article_day.date(claim, home, bool(p["later"].match(sentences[home].text)))
        if claim.date is None:
            dated_later(claim, number, own, owner, sentences, published, _GAP)
        if claim.date is None:
            _day_of_the_same_item(claim, claims[:number])

    article_day.complete(claim)
    if any(p["cumulative"].search(s.text) for s in own):
        _tally(claim)

    # "Russian air defence forces claimed to have shot down 31 drones, according to
    # preliminary reports": a claim that says it was told by no one named takes no source
    # from the sentences around it.
    unnamed = any(p["unnamed_source"].search(s.text) or _PRELIMINARY.search(s.text) for s in own)
    neighbours = [] if unnamed else [x for x in (before, after) if x is not None]
    for s in own + neighbours:
        authority = attributed(s, authorities)
        if authority is not None and beyond_office(authority, claim):
            # "... 23 drones over six regions. The Kursk governor said ...": he speaks for
            # his region, not for the night's total.
            continue
        if authority is not None:
            claim.authority = authority
            if s is before or s is after:
                claim.context.append((s.start, s.end))
            break

    if (
        claim.authority is None
        and number > 0
        and (
            claim.incremental
            or home - previous_last <= 1
            or (
                home - homes[number - 1] <= _GAP
                and (
                    p["in_addition"].match(sentences[home].text)
                    or p["also_did"].search(sentences[home].text)
                )
            )
        )
        and not any(p["unnamed_source"].search(s.text) for s in own)
        and not outside_office(claims[number - 1].authority, claim)
    ):
        # "N more", the next item of a list of numbers told one after another, "In
        # addition, ..." or "... also shot down ...": the same source goes on, unless the
        # claim says others told it ("the governors of those regions said") or it lies
        # outside the region the source governs.
        claim.authority = claims[number - 1].authority

    region = None if claim.places else governed_region(claim.authority)
    if region is not None:
        # "Governor Bogomaz said three drones were destroyed over his region": the region
        # the known official governs.
        for s in own:
            told = p["own_region"].search(s.text)
            if told:
                start, end = s.start + told.start(), s.start + told.end()
                claim.places = [ClaimPlace(region, None, claim.quantity, "total", start, end)]
                break

    last = max(s.index for s in own)
    window = list(own)
    for s in sentences[last + 1 : last + 4]:
        if s.index in owner:
            break
        window.append(s)
    for s in window:
        # What is told once both are known is not read.
        if claim.casualties is not None and claim.damage is not None:
            break
        casualties, damage = _none_reported(s.text)
        if casualties and claim.casualties is None:
            claim.casualties = "none reported"
        if damage and claim.damage is None:
            claim.damage = "none reported"
        hurt = p["casualties_stated"].search(s.text) if claim.casualties is None else None
        if hurt:
            claim.casualties = hurt.group("p")
        hit = p["damage_stated"].search(s.text) if claim.damage is None else None
        if hit:
            claim.damage = hit.group("p")


def _day_of_the_same_item(claim: Claim, earlier: list[Claim]) -> None:
    """ "The ministry said 45 drones were destroyed overnight, 23 over the A region ... The
    governor of the A region said 23 drones were destroyed": a claim with no day of its own
    that counts, for its one place, what an earlier dated report counted there takes that
    report's day. One drone over a place is too common to tell the same count apart."""
    places = {cp.place_id for cp in claim.places}
    if len(places) != 1 or claim.quantity < 2:
        return
    for other in reversed(earlier):
        if other.date and any(
            cp.place_id in places and cp.quantity == claim.quantity for cp in other.places
        ):
            claim.date, claim.date_precision = other.date, other.date_precision
            claim.date_basis = other.date_basis
            return


def _listed_after(
    claim: Claim,
    number: int,
    own: list[Sentence],
    owner: dict[int, int],
    sentences: list[Sentence],
    place_mentions: list[PlaceMention],
) -> None:
    """Regions a later sentence lists for CLAIM without numbers ("81 drones over 11 regions.
    These included Bryansk, Kursk, ..."; "Drones were also destroyed in the A and B regions")
    join it, unless the claim's numbers already account for its whole total."""
    if claim.places and _consumed(claim) >= claim.quantity:
        return
    table = gazetteer_places()
    last = max(s.index for s in own)
    p = _patterns()
    # "Air defences also shot down drones in the A and B regions" may come after a few
    # paragraphs of colour, as long as no other report comes between.
    for s in sentences[last + 1 : last + 1 + 2 * _GAP]:
        if owner.get(s.index, number) != number:
            return
        listed = [
            m
            for m in starting(place_mentions, s.start, s.end)
            if not (m.adjectival or m.secondary) and table[m.subject_id].kind != "country"
        ]
        # A sentence that lists no place adds none, however it reads: most sentences of
        # colour name none, and their patterns are not tried.
        if not listed:
            continue
        if s.index > last + _GAP and not p["also"].search(s.text):
            continue
        # A country held only until something narrower is named.
        held = {cp.place_id for cp in claim.places if table[cp.place_id].kind != "country"}
        # A pronoun points back only from the next sentence or two. A sentence that says where
        # drones fell names its subject and can stand further away, but only adds places to a
        # claim when it names every place the claim holds (none, or all of them again) or says
        # they are more ("also", "further"), and not when it moves to another time ("over the
        # past week").
        if not (
            (
                s.index <= last + 2
                and p["listing"].search(s.text)
                # "13 people were injured ..., two of them critically": the pronoun is theirs.
                and not p["casualties_stated"].search(s.text)
            )
            or (
                (held <= {m.subject_id for m in listed} or p["also"].search(s.text))
                and p["told_where"].search(s.text)
                and not (
                    p["other_time"].search(s.text)
                    or p["other_day"].search(p["day_told"].sub("", s.text))
                )
            )
        ):
            continue
        _merge_places(claim, [_unnumbered(m) for m in listed])
        claim.context.append((s.start, s.end))
        return


def _listed_inside(claim: Claim, own: list[Sentence], place_mentions: list[PlaceMention]) -> None:
    """Regions a sentence of the report lists without numbers, between its total and its
    breakdown ("19 drones overnight. The ministry said they were intercepted across the A, B,
    C and D regions. One over A, four over C and ten over D"), join CLAIM with no number of
    their own, unless its numbers already account for its whole total."""
    if claim.places and _consumed(claim) >= claim.quantity:
        return
    table = gazetteer_places()
    p = _patterns()
    for s in own[1:]:
        # A sentence that gave the claim places of its own has been read.
        if any(s.start <= cp.span_start < s.end for cp in claim.places):
            continue
        listed = [
            m
            for m in starting(place_mentions, s.start, s.end)
            if not (m.adjectival or m.secondary) and table[m.subject_id].kind != "country"
        ]
        # A sentence that lists no place adds none: its patterns are not tried.
        if listed and p["told_where"].search(s.text) and not p["other_time"].search(s.text):
            _merge_places(claim, [_unnumbered(m) for m in listed])


def _unnumbered(mention: PlaceMention) -> ClaimPlace:
    """A place the text names for a claim without a number of its own."""
    return ClaimPlace(
        mention.subject_id,
        mention.place_id if mention.place_id != mention.subject_id else None,
        None,
        "unstated",
        mention.start,
        mention.end,
    )


def _none_reported(text: str) -> tuple[bool, bool]:
    """Whether TEXT says there were no casualties, and no damage."""
    words = ascii_words(text)
    negations = _negations()
    if words is not None and negations is not None and negations.isdisjoint(words.split()):
        # Both patterns begin with one of these words, which most sentences do not hold.
        return False, False
    p = _patterns()
    casualties = bool(p["nobody"].search(text))
    damage = False
    for match in p["negated"].finditer(text):
        span = match.group("span")
        casualties = casualties or bool(p["casualty"].search(span[:45]))
        damage = damage or bool(p["damage"].search(span))
    return casualties, damage


@cache
def _negations() -> frozenset[bytes] | None:
    """The first words of the phrases _none_reported's patterns read, as ascii_words has
    them; None when a phrase does not begin with an ASCII letter or is not ASCII."""
    none = LEXICON["none_reported"]
    phrases = none["negators"] + none["nobody"]
    if not all(phrase.isascii() and phrase[:1].isalpha() for phrase in phrases):
        return None
    return frozenset(re.match(r"[a-z]*", phrase.lower()).group().encode() for phrase in phrases)
