"""Claims: statements that a number of aerial objects were intercepted, destroyed or downed.

A claim is anchored on its home sentence, where a quantity, an object ("drones") and an
action ("shot down") meet. Wire copy spreads one claim over neighbouring sentences, so the
extractor also reads:

- a continuation: the next sentence when it breaks the claim down ("Of these, eight were
  shot down over the Black Sea ...", or parts that add up to the total), by place or by time;
- context: the previous sentence for the place, date and source of a claim whose own
  sentence gives none ("... reported by the Ministry of Defense on July 20th ... Kaluga."),
  and the next sentence for its time window or its source ("The governor confirmed the
  incident"), as long as those sentences belong to no other claim;
- aftermath: up to three following sentences for "no casualties or damage".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..gazetteer import places as gazetteer_places
from ..lexicon import LEXICON
from ..lexicon import alternation as _alternation
from .dates import DateMention, dates
from .numbers import Quantity, article_quantity, quantities
from .organizations import OrganizationMention
from .persons import PersonMention
from .places import PlaceMention
from .text import Sentence
from .times import Window, mentions_night, windows

Authority = PersonMention | OrganizationMention


@dataclass
class ClaimPlace:
    """Where a claim says objects came down: a federal subject, foreign province, sea or
    country (`place_id`), the city or district named (`detail_id`), and the number there.

    `basis` says where the number comes from: "stated" (the text gives it), "total" (the
    claim's only place), "each" ("two each in A, B and C"), "shared" (one figure for a
    coordinated group, "two ... in the Penza and Kursk regions"), or "unstated".
    """

    place_id: str
    detail_id: str | None
    quantity: int | None
    basis: str
    span_start: int
    span_end: int


@dataclass
class TimePart:
    quantity: int
    time_start: str
    time_end: str


@dataclass
class Claim:
    """One claim, with offsets into the body for its home sentence and its number."""

    quantity: int
    qualifier: str
    incremental: bool
    object: str
    action: str
    places: list[ClaimPlace]
    date: str | None
    date_precision: str | None
    time_start: str | None
    time_end: str | None
    night: bool
    authority: Authority | None
    casualties: str | None
    damage: str | None
    sentence: str
    span_start: int
    span_end: int
    quantity_start: int
    quantity_end: int
    distributive: bool = False
    breakdown_readings: list[int] = field(default_factory=list)
    time_parts: list[TimePart] = field(default_factory=list)
    context: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Figure:
    """A relevant number in a sentence: a quantity, with object and action when it has them."""

    quantity: Quantity
    object: str | None
    action: str | None
    places: list[PlaceMention] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    each: bool = False
    # "The Bryansk region accounted for five": the place comes before the number.
    place_first: bool = False


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    objects = _alternation(LEXICON["objects"])
    words = LEXICON["number_words"]
    countable = _alternation([*words["units"], *words["tens"], *LEXICON["objects"]])
    blockers = _alternation(LEXICON["object_blockers"])
    vague = _alternation(LEXICON["vague"])
    attribution = LEXICON["attribution"]
    none = LEXICON["none_reported"]
    stated = LEXICON["stated"]
    return {
        "object": re.compile(
            rf"(?<![\w-])(?P<o>{objects})(?![\w-])(?P<blocked>\s+(?:{blockers})\b)?",
            re.IGNORECASE,
        ),
        "action": re.compile(
            rf"(?<![\w-])(?:{_alternation(LEXICON['actions'])})(?![\w-])", re.IGNORECASE
        ),
        "hedge": re.compile(rf"\b(?:{_alternation(LEXICON['hedges'])})\b", re.IGNORECASE),
        "vague": re.compile(rf"\b(?:{vague})\s*$", re.IGNORECASE),
        "modifiers": re.compile(r"^(?:\s+[\w’'()\-]+){0,4}\s+$|^\s+$"),
        "article": re.compile(r"(?<![\w-])(?:an?|one|single)\s+$", re.IGNORECASE),
        "bare": re.compile(
            r"^\s+(?:more\s+|each\s+|others?\s+|of\s+them\s+)?"
            r"(?:were|was|had\s+been|have\s+been|falling|fell|shot|downed|intercepted|destroyed|"
            r"neutrali[sz]ed|in|over|above|near|on|across|between|from)\b"
            r"|^\s+(?:each|more)\b",
            re.IGNORECASE,
        ),
        "each": re.compile(r"^\s+each\b", re.IGNORECASE),
        # A cheap test on the lower-cased sentence: without word boundaries the regex engine
        # skips to the letters a number word can begin with; _figures checks the boundaries.
        "may_count": re.compile(rf"\d|{countable.lower()}"),
        "place_first": re.compile(r"\b(?:accounted\s+for|for|with)\s+$", re.IGNORECASE),
        "bare_action": re.compile(
            rf"^\s+(?:more\s+|each\s+)?(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?"
            rf"(?P<a>{_alternation(LEXICON['actions'])})\b",
            re.IGNORECASE,
        ),
        "introducer": re.compile(
            r"[:;(—–]|\bwith\b|\bincluding\b|\bof which\b|\bof them\b", re.IGNORECASE
        ),
        "continuation": re.compile(
            r"^(?:Of|Among)\s+(?:these|them|those|which|the\s+\w+)\b", re.IGNORECASE
        ),
        "attribution": re.compile(
            rf"\b(?:{_alternation(attribution['verbs'] + attribution['nouns'])})\b",
            re.IGNORECASE,
        ),
        "other_day": re.compile(rf"\b(?:{_alternation(LEXICON['other_day'])})\b", re.IGNORECASE),
        "same_occasion": re.compile(
            rf"\b(?:{_alternation(LEXICON['same_occasion'])})\b", re.IGNORECASE
        ),
        "anaphor": re.compile(r"\bthe\s+(?P<role>ministry|governor|mayor)\b", re.IGNORECASE),
        "negated": re.compile(
            rf"\b(?:{_alternation(none['negators'])})\b(?P<span>[^.;:]{{0,60}})", re.IGNORECASE
        ),
        "nobody": re.compile(rf"\b(?:{_alternation(none['nobody'])})\b", re.IGNORECASE),
        "casualty": re.compile(rf"\b(?:{_alternation(none['casualty_nouns'])})\b", re.IGNORECASE),
        "damage": re.compile(rf"\b(?:{_alternation(none['damage_nouns'])})\b", re.IGNORECASE),
        "year": re.compile(r"^(?:19|20)\d\d$"),
        "casualties_stated": re.compile(
            rf"\b(?P<p>(?:[\w-]+\s+){{0,2}}(?:{_alternation(stated['casualty_subjects'])})\s+"
            rf"(?:was|were)\s+(?:\w+\s+)?(?:{_alternation(stated['casualty_verbs'])}))\b",
            re.IGNORECASE,
        ),
        "damage_stated": re.compile(
            rf"\b(?P<p>(?:{_alternation(stated['damage_verbs'])})\s+(?:[\w-]+\s+){{0,3}}?"
            rf"(?:{_alternation(stated['damage_objects'])}))\b",
            re.IGNORECASE,
        ),
    }


def _normalise_action(word: str) -> str:
    return LEXICON["actions"][re.sub(r"\s+", " ", word.lower())]


def _figures(sentence: Sentence, body: str, place_mentions: list[PlaceMention]) -> list[_Figure]:
    """The quantities in a sentence that count objects, in text order."""
    p = _patterns()
    text = sentence.text
    base = sentence.start
    # The day of a date ("on August 26 between 06:00 and 09:00") is not a count.
    days = [(d.start, d.end) for d in dates(text, base)]
    numbers = [
        q
        for q in quantities(text, base)
        if not p["year"].match(q.surface.split()[-1])
        and not any(start <= q.number_start < end for start, end in days)
    ]
    actions = [
        (m.start() + base, m.end() + base, _normalise_action(m.group()))
        for m in p["action"].finditer(text)
    ]
    pairs = []
    for obj in p["object"].finditer(text):
        o_start = obj.start() + base
        o_end = obj.end("o") + base
        blocked = obj.group("blocked") is not None
        quantity = None
        for q in reversed(numbers):
            if q.end <= o_start and p["modifiers"].match(body[q.end : o_start]):
                quantity = q
                break
            if q.end <= o_start:
                break
        if quantity is None and not blocked:
            quantity = _article_before(body, max(base, o_start - 60), o_start)
        if quantity is None or p["vague"].search(
            body[max(base, quantity.start - 20) : quantity.start]
        ):
            continue
        pairs.append((quantity, o_end, _object_noun(obj.group("o"))))
    # Numbers that count objects of their own ("20 drones and two missiles") do not stand
    # between a verb and the objects it governs; any other number does.
    counted = {q.number_start for q, _, _ in pairs}
    barriers = [q for q in numbers if q.number_start not in counted]
    figures: dict[int, _Figure] = {}
    for quantity, o_end, noun in pairs:
        action = _nearest_action(actions, quantity.start, o_end, barriers)
        if action is None or _hedged(body, base, action, quantity.start, o_end):
            continue
        figures[quantity.number_start] = _Figure(quantity, noun, action[2])
    for q in numbers:
        if q.number_start in figures:
            continue
        if p["bare"].match(body[q.end : q.end + 40]) and not p["vague"].search(
            body[max(base, q.start - 20) : q.start]
        ):
            after = p["bare_action"].match(body[q.end : q.end + 40])
            action = _normalise_action(after.group("a")) if after else None
            figures[q.number_start] = _Figure(q, None, action)
        elif p["place_first"].search(body[max(base, q.start - 30) : q.start]):
            figures[q.number_start] = _Figure(q, None, None, place_first=True)
    ordered = [figures[k] for k in sorted(figures)]
    sentence_windows = windows(text, base)
    for i, figure in enumerate(ordered):
        span_end = ordered[i + 1].quantity.start if i + 1 < len(ordered) else sentence.end
        if figure.place_first:
            span = (ordered[i - 1].quantity.end if i else sentence.start, figure.quantity.start)
        else:
            span = (figure.quantity.end, span_end)
        figure.places = [
            m for m in place_mentions if span[0] <= m.start < span[1] and not m.adjectival
        ]
        figure.windows = [w for w in sentence_windows if figure.quantity.end <= w.start < span_end]
        figure.each = bool(p["each"].match(body[figure.quantity.end : figure.quantity.end + 10]))
    return ordered


_STOP = frozenset(
    "a an the of and or by to in on at for from with as than that which were was is are be "
    "been had has have its their his her this these those".split()
)


def _article_before(body: str, start: int, end: int) -> Quantity | None:
    """ "a"/"an"/"one" before up to four modifiers and an object noun: the quantity 1."""
    words = list(re.finditer(r"[\w’'()\-]+", body[start:end]))
    for k in range(0, min(5, len(words))):
        word = words[-(k + 1)]
        modifiers = [w.group().lower() for w in words[len(words) - k :]]
        if any(m in _STOP for m in modifiers):
            return None
        if word.group().lower() in ("a", "an", "one", "single"):
            return article_quantity(body, start + word.start(), start + word.end())
    return None


def _nearest_action(actions, q_start: int, o_end: int, numbers: list[Quantity]):
    """The action verb closest to a quantity and its object, with no other number between."""
    best = None
    for start, end, word in actions:
        if end <= q_start and q_start - end <= 90:
            distance = q_start - end
            gap = (end, q_start)
        elif start >= o_end and start - o_end <= 60:
            distance = start - o_end
            gap = (o_end, start)
        else:
            continue
        if any(gap[0] <= n.number_start < gap[1] for n in numbers):
            continue
        if best is None or distance < best[0]:
            best = (distance, start, end, word)
    if best is None:
        return None
    return best[1], best[2], _first_action(actions, best)


def _first_action(actions, best) -> str:
    """When verbs are chained ("intercepted and destroyed"), the first one names the action."""
    _, start, end, word = best
    for _start, a_end, a_word in actions:
        if a_end <= start and start - a_end <= 6:
            return a_word
    return word


def _hedged(body: str, base: int, action, q_start: int, o_end: int) -> bool:
    first = min(action[0], q_start)
    window = body[max(base, first - 30) : max(action[1], o_end)]
    return bool(_patterns()["hedge"].search(window))


def extract_claims(
    body: str,
    sentences: list[Sentence],
    place_mentions: list[PlaceMention],
    authorities: list[Authority],
    published: str | None = None,
) -> list[Claim]:
    """Every claim in BODY. Mentions are the article's own, in text order."""
    p = _patterns()
    claims: list[Claim] = []
    owner: dict[int, int] = {}
    homes: dict[int, int] = {}
    # Most sentences name no object and no number: they can hold no figure.
    figures_by_sentence = {
        s.index: _figures(s, body, place_mentions) if p["may_count"].search(s.text.lower()) else []
        for s in sentences
    }
    for s in sentences:
        figures = figures_by_sentence[s.index]
        if not figures:
            continue
        previous = claims[-1] if claims else None
        previous_index = max((i for i, c in owner.items() if c == len(claims) - 1), default=-9)
        if previous is not None and previous_index == s.index - 1:
            if _continue(previous, s, figures, p):
                owner[s.index] = len(claims) - 1
                continue
        made = _claims_in_sentence(s, figures, place_mentions, previous)
        for claim in made:
            owner[s.index] = len(claims)
            homes[len(claims)] = s.index
            claims.append(claim)
    for number, claim in enumerate(claims):
        claim.places = _merge_by_subject(claim.places)
        _fill_context(
            number, claim, homes, owner, sentences, place_mentions, authorities, claims, published
        )
    return claims


def _merge_by_subject(places: list[ClaimPlace]) -> list[ClaimPlace]:
    """One entry per federal subject, sea or country: "four over Shebekino, three over
    Graivoron" is seven over Belgorod Oblast."""
    merged: dict[str, ClaimPlace] = {}
    for cp in places:
        first = merged.get(cp.place_id)
        if first is None:
            merged[cp.place_id] = cp
            continue
        both = first.quantity is not None and cp.quantity is not None
        first.quantity = first.quantity + cp.quantity if both else None
        first.basis = first.basis if both else "unstated"
        if first.detail_id != cp.detail_id:
            first.detail_id = None
    return list(merged.values())


def _claims_in_sentence(
    s: Sentence,
    figures: list[_Figure],
    place_mentions: list[PlaceMention],
    previous: Claim | None,
) -> list[Claim]:
    """The claims one sentence makes. Figures split into groups at an incremental figure
    ("five more") or a change of object ("20 drones and two missiles"); each group is one
    claim, a total with its breakdown or a sum of its parts."""
    nouns = [
        (m.start() + s.start, _object_noun(m.group("o")))
        for m in _patterns()["object"].finditer(s.text)
    ]
    for f in figures:
        if f.action and not f.object:
            before = [n for start, n in nouns if start < f.quantity.start]
            after = [n for start, n in nouns if start > f.quantity.start]
            f.object = (
                before[-1]
                if before
                else after[0]
                if after
                else previous.object
                if previous
                else None
            )
    if not any(f.object and f.action for f in figures):
        return []
    groups: list[list[_Figure]] = []
    for f in figures:
        current = groups[-1] if groups else None
        kind = next((g.object for g in current or [] if g.object), None)
        if current is None or f.quantity.incremental or (f.object and kind and f.object != kind):
            groups.append([f])
        else:
            current.append(f)
    groups = [
        g for g in groups if any(f.object and f.action for f in g) or g[0].quantity.incremental
    ]
    claims: list[Claim] = []
    for number, group in enumerate(groups):
        lead = next((f for f in group if f.object and f.action), None)
        if lead is None:
            lead = group[0]
            lead.object = claims[-1].object if claims else None
            lead.action = claims[-1].action if claims else None
            if lead.object is None:
                continue
        begin = s.start if number == 0 else group[0].quantity.start
        finish = groups[number + 1][0].quantity.start if number + 1 < len(groups) else s.end
        claims.append(
            _group_claim(
                s,
                group,
                lead,
                [m for m in place_mentions if begin <= m.start < finish and not m.adjectival],
            )
        )
    for claim in claims:
        if not claim.places:
            donor = next((c for c in claims if c.places), None)
            if donor is not None:
                claim.places = _places_without_totals(
                    [_mention_of(cp) for cp in donor.places], claim.quantity
                )
    return claims


def _group_claim(
    s: Sentence, group: list[_Figure], lead: _Figure, group_places: list[PlaceMention]
) -> Claim:
    p = _patterns()
    rest = [f for f in group if f.quantity.start > lead.quantity.start]
    between = s.text[lead.quantity.end - s.start : rest[0].quantity.start - s.start] if rest else ""
    narrow = [m for m in lead.places if gazetteer_places()[m.subject_id].kind != "country"]
    if rest and (p["introducer"].search(between) or not (narrow or lead.windows)):
        claim = _new_claim(s, lead)
        _apply_breakdown(claim, rest)
        return claim
    if len(group) > 1:
        claim = _new_claim(s, lead)
        claim.quantity = sum(f.quantity.value for f in group)
        _apply_breakdown(claim, group)
        return claim
    return _claim_with_places(s, lead, group_places)


def _object_noun(word: str) -> str:
    return LEXICON["objects"][re.sub(r"\s+", " ", word.lower())]


def _mention_of(cp: ClaimPlace) -> PlaceMention:
    return PlaceMention(cp.detail_id or cp.place_id, cp.place_id, "", cp.span_start, cp.span_end)


def _new_claim(s: Sentence, figure: _Figure) -> Claim:
    q = figure.quantity
    return Claim(
        quantity=q.value,
        qualifier=q.qualifier,
        incremental=q.incremental,
        object=figure.object or "drone",
        action=figure.action or "destroyed",
        places=[],
        date=None,
        date_precision=None,
        time_start=None,
        time_end=None,
        night=False,
        authority=None,
        casualties=None,
        damage=None,
        sentence=s.text,
        span_start=s.start,
        span_end=s.end,
        quantity_start=q.number_start,
        quantity_end=q.end,
    )


def _claim_with_places(s: Sentence, figure: _Figure, mentions: list[PlaceMention]) -> Claim:
    claim = _new_claim(s, figure)
    claim.places = _places_without_totals(mentions, figure.quantity.value)
    if figure.windows:
        claim.time_start, claim.time_end = figure.windows[0].start_time, figure.windows[0].end_time
    return claim


def _places_without_totals(mentions: list[PlaceMention], total: int) -> list[ClaimPlace]:
    """Claim places from mentions: the narrowest named, countries only when nothing narrower."""
    table = gazetteer_places()
    narrow = [m for m in mentions if table[m.subject_id].kind != "country"]
    chosen = narrow or mentions
    seen: dict[str, ClaimPlace] = {}
    for m in chosen:
        if m.subject_id in seen:
            continue
        detail = m.place_id if m.place_id != m.subject_id else None
        seen[m.subject_id] = ClaimPlace(m.subject_id, detail, None, "unstated", m.start, m.end)
    result = list(seen.values())
    if len(result) == 1:
        result[0].quantity, result[0].basis = total, "total"
    return result


def _apply_breakdown(claim: Claim, figures: list[_Figure]) -> None:
    """Per-place numbers from FIGURES; "N each" over a list that holds a coordinated group
    has two readings, and the one that adds up to the total is kept."""
    places: list[ClaimPlace] = []
    base_sum = 0
    each_units_grouped = 0
    each_units_flat = 0
    each_value = 0
    for figure in figures:
        mentions = figure.places
        if not mentions:
            continue
        if figure.each:
            groups = {m.group if m.group is not None else -1 - i for i, m in enumerate(mentions)}
            each_units_grouped += len(groups)
            each_units_flat += len(mentions)
            each_value = figure.quantity.value
            claim.distributive = True
        else:
            base_sum += figure.quantity.value
    grouped_total = base_sum + each_value * each_units_grouped
    flat_total = base_sum + each_value * each_units_flat
    # A coordinated group inside a longer "each" list ("two each in A, B and the C and D
    # regions") may share one figure; a list that is one group ("two each over the C, D and
    # E regions") gives each its own.
    ambiguous = claim.distributive and each_units_grouped > 1 and grouped_total != flat_total
    share_groups = ambiguous and grouped_total == claim.quantity
    if ambiguous:
        claim.breakdown_readings = [grouped_total, flat_total]
    for figure in figures:
        mentions = figure.places
        grouped: dict[int, list[PlaceMention]] = {}
        for m in mentions:
            if m.group is not None:
                grouped.setdefault(m.group, []).append(m)
        for m in mentions:
            detail = m.place_id if m.place_id != m.subject_id else None
            value = figure.quantity.value
            if figure.each:
                shared = share_groups and m.group is not None and len(grouped[m.group]) > 1
                basis, quantity = ("shared", None) if shared else ("each", value)
            elif len(mentions) == 1:
                basis, quantity = "stated", value
            else:
                basis, quantity = "shared", None
            places.append(ClaimPlace(m.subject_id, detail, quantity, basis, m.start, m.end))
    if places:
        claim.places = places
    parts = [f for f in figures if f.windows and not f.places]
    if parts and len(parts) == len(figures):
        claim.time_parts = [
            TimePart(f.quantity.value, f.windows[0].start_time, f.windows[0].end_time)
            for f in parts
        ]
        claim.time_start, claim.time_end = (
            parts[0].windows[0].start_time,
            parts[-1].windows[-1].end_time,
        )
    else:
        for figure in figures:
            if figure.windows and claim.time_start is None:
                claim.time_start = figure.windows[0].start_time
                claim.time_end = figure.windows[0].end_time


def _continue(previous: Claim, s: Sentence, figures: list[_Figure], p) -> bool:
    """Whether sentence S breaks PREVIOUS down or restates it, and if so fold it in."""
    lead = next((f for f in figures if f.object and f.action), None)
    if (
        lead is not None
        and lead is figures[0]
        and lead.quantity.value == previous.quantity
        and lead.object == previous.object
        and not lead.quantity.incremental
        and not any(cp.basis == "stated" for cp in previous.places)
    ):
        # A restatement ("a dozen drones ... According to the ministry, 12 drones were
        # destroyed: five over ..."): one claim, told twice.
        rest = figures[1:]
        if rest:
            _apply_breakdown(previous, rest)
        elif lead.places:
            previous.places = _places_without_totals(lead.places, previous.quantity)
        if lead.windows and previous.time_start is None:
            previous.time_start = lead.windows[0].start_time
            previous.time_end = lead.windows[0].end_time
        previous.context.append((s.start, s.end))
        return True
    explicit = bool(p["continuation"].match(s.text))
    total = sum(f.quantity.value for f in figures)
    has_places = any(f.places for f in figures)
    has_times = any(f.windows for f in figures)
    parts = len(figures) >= 2 or explicit
    if not parts:
        return False
    if not explicit and total != previous.quantity:
        return False
    if any(f.object and f.object != previous.object for f in figures):
        return False
    if has_places:
        _apply_breakdown(previous, figures)
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


def _fill_context(
    number: int,
    claim: Claim,
    homes: dict[int, int],
    owner: dict[int, int],
    sentences: list[Sentence],
    place_mentions: list[PlaceMention],
    authorities: list[Authority],
    claims: list[Claim],
    published: str | None,
) -> None:
    p = _patterns()
    home = homes[number]
    own = [sentences[home]] + [
        s for s in sentences if owner.get(s.index) == number and s.index != home
    ]
    before = sentences[home - 1] if home > 0 and home - 1 not in owner else None
    after = (
        sentences[max(s.index for s in own) + 1]
        if max(s.index for s in own) + 1 < len(sentences)
        and max(s.index for s in own) + 1 not in owner
        else None
    )

    if not claim.places and before is not None:
        used = {cp.place_id for c in claims[:number] for cp in c.places}
        inherited = [
            m
            for m in place_mentions
            if before.start <= m.start < before.end
            and not m.adjectival
            and m.subject_id not in used
        ]
        claim.places = _places_without_totals(inherited, claim.quantity)
        if claim.places:
            claim.context.append((before.start, before.end))

    if not claim.places:
        # "over the region", "near the plant": the place the article was last talking about.
        table = gazetteer_places()
        earlier = [
            m
            for m in place_mentions
            if m.start < sentences[home].start
            and not m.adjectival
            and table[m.subject_id].kind != "country"
        ]
        if earlier:
            claim.places = _places_without_totals(earlier[-1:], claim.quantity)

    found: list[DateMention] = [d for s in own for d in dates(s.text, s.start)]
    if not found and before is not None:
        found = dates(before.text, before.start)
    if found:
        claim.date = found[0].resolve(published)
        claim.date_precision = "day"
    elif (
        number > 0
        and claims[number - 1].date
        and not any(p["other_day"].search(s.text) for s in own)
        and (
            claim.incremental
            or home - homes[number - 1] <= 2
            or any(p["same_occasion"].search(s.text) for s in own)
        )
    ):
        claim.date = claims[number - 1].date
        claim.date_precision = claims[number - 1].date_precision

    if claim.time_start is None:
        for s in own + ([after] if after is not None else []):
            found_windows = windows(s.text, s.start)
            if found_windows:
                claim.time_start = found_windows[0].start_time
                claim.time_end = found_windows[0].end_time
                if s is after:
                    claim.context.append((s.start, s.end))
                break
    night_window = (
        claim.time_start is not None
        and claim.time_end is not None
        and (claim.time_end < claim.time_start)
    )
    claim.night = night_window or any(mentions_night(s.text) for s in own)

    for s in own + [x for x in (before, after) if x is not None]:
        authority = _attributed(s, authorities)
        if authority is not None:
            claim.authority = authority
            if s is before or s is after:
                claim.context.append((s.start, s.end))
            break

    if claim.authority is None and claim.incremental and number > 0:
        claim.authority = claims[number - 1].authority

    last = max(s.index for s in own)
    window = list(own)
    for s in sentences[last + 1 : last + 4]:
        if s.index in owner:
            break
        window.append(s)
    for s in window:
        casualties, damage = _none_reported(s.text)
        if casualties and claim.casualties is None:
            claim.casualties = "none reported"
        if damage and claim.damage is None:
            claim.damage = "none reported"
        hurt = p["casualties_stated"].search(s.text)
        if hurt and claim.casualties is None:
            claim.casualties = hurt.group("p")
        hit = p["damage_stated"].search(s.text)
        if hit and claim.damage is None:
            claim.damage = hit.group("p")


def _attributed(s: Sentence, authorities: list[Authority]) -> Authority | None:
    """The person or organisation sentence S attributes a statement to, if any."""
    p = _patterns()
    cues = [m.start() + s.start for m in p["attribution"].finditer(s.text)]
    if not cues:
        return None
    inside = [a for a in authorities if s.start <= a.start < s.end]
    # A named person who speaks is the source, rather than the body they speak for.
    people = [a for a in inside if isinstance(a, PersonMention)]
    if people or inside:
        return min(people or inside, key=lambda a: min(abs(a.start - c) for c in cues))
    anaphor = p["anaphor"].search(s.text)
    if anaphor:
        role = anaphor.group("role").lower()
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


def _plays(authority: Authority, role: str) -> bool:
    """Whether "the ROLE" can refer to AUTHORITY: the ministry is an organisation, not its
    spokesman; the governor and the mayor are persons."""
    if isinstance(authority, OrganizationMention):
        return role == "ministry" and "Ministry" in authority.name
    return role != "ministry" and role in (authority.role or "").lower()


def _none_reported(text: str) -> tuple[bool, bool]:
    """Whether TEXT says there were no casualties, and no damage."""
    p = _patterns()
    casualties = bool(p["nobody"].search(text))
    damage = False
    for match in p["negated"].finditer(text):
        span = match.group("span")
        casualties = casualties or bool(p["casualty"].search(span[:45]))
        damage = damage or bool(p["damage"].search(span))
    return casualties, damage
