"""Claims: statements that a number of aerial objects were intercepted, destroyed or downed.

This module holds the claim records and how the figures of one sentence make claims: a
total with its breakdown, or a sum of its parts. `reports` decides which sentences of an
article belong to one claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..gazetteer import places as gazetteer_places
from ..lexicon import LEXICON, alternation
from .figures import Figure, object_noun, objects_in, starting
from .organizations import OrganizationMention
from .persons import PersonMention
from .places import PlaceMention
from .text import Sentence

Authority = PersonMention | OrganizationMention


@dataclass
class ClaimPlace:
    """Where a claim says objects came down: a federal subject, foreign province, sea or
    country (`place_id`), the city or district named (`detail_id`), and the number there.

    `basis` says where the number comes from: "stated" (the text gives it), "total" (the
    claim's only place), "each" ("two each in A, B and C"), "shared" (one figure for a
    coordinated group, "two ... in the Penza and Kursk regions"), or "unstated".
    `quantity_start`/`quantity_end` are the offsets of the number the text gives this place
    in a breakdown ("29 over the Bryansk region"), so that a page can mark it. `share` is the
    offset and value of the number a "shared" place's group was given, kept so that a
    breakdown whose parts add up only if each place had it can be read that way.
    """

    place_id: str
    detail_id: str | None
    quantity: int | None
    basis: str
    span_start: int
    span_end: int
    quantity_start: int | None = None
    quantity_end: int | None = None
    share: tuple[int, int] | None = None


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
    date_basis: str | None
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
    # A tally of the war, a week or a month: no one day and no one place.
    cumulative: bool = False
    breakdown_readings: list[int] = field(default_factory=list)
    time_parts: list[TimePart] = field(default_factory=list)
    context: list[tuple[int, int]] = field(default_factory=list)


_COORDINATED_COUNTS = re.compile(
    rf"\s+(?:[\w-]+\s+){{0,3}}?(?:{alternation(LEXICON['objects'])})\s+and\s+", re.IGNORECASE
)
_INTRODUCER = re.compile(r"[:;(—–]|\bwith\b|\bincluding\b|\bof which\b|\bof them\b", re.IGNORECASE)


def merge_by_subject(places: list[ClaimPlace]) -> list[ClaimPlace]:
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
        # A sum of two numbers has no one number in the text to mark.
        first.quantity_start = first.quantity_end = None
        if first.detail_id != cp.detail_id:
            first.detail_id = None
    return list(merged.values())


def claims_in_sentence(
    s: Sentence,
    figures: list[Figure],
    place_mentions: list[PlaceMention],
    previous: Claim | None,
) -> list[Claim]:
    """The claims one sentence makes. Figures split into groups at an incremental figure
    ("five more") or a change of object ("20 drones and two missiles"); each group is one
    claim, a total with its breakdown or a sum of its parts."""
    nouns = [(m.start() + s.start, object_noun(m.group("o"))) for m in objects_in(s.text)]
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
    groups: list[list[Figure]] = []
    for f in figures:
        current = groups[-1] if groups else None
        kind = next((g.object for g in current or [] if g.object), None)
        if (
            current is None
            or f.quantity.incremental
            or f.earlier
            or (f.object and kind and f.object != kind)
        ):
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
        claims.extend(
            _group_claim(
                s,
                group,
                lead,
                [m for m in starting(place_mentions, begin, finish) if not m.adjectival],
            )
        )
    elsewhere = {f.quantity.number_start for f in figures if f.elsewhere}
    for claim in claims:
        if not claim.places and claim.quantity_start not in elsewhere:
            donor = next((c for c in claims if c.places), None)
            if donor is not None:
                claim.places = places_without_totals(
                    [_mention_of(cp) for cp in donor.places], claim.quantity
                )
    return claims


def _group_claim(
    s: Sentence, group: list[Figure], lead: Figure, group_places: list[PlaceMention]
) -> list[Claim]:
    if lead.action:
        # "attacked with 152 drones; 126 were shot down": a number before the one brought
        # down, with no verb of its own, counted what came, not a part of what fell.
        group = [f for f in group if f.quantity.start >= lead.quantity.start or f.action or f.each]
    rest = [f for f in group if f.quantity.start > lead.quantity.start]
    between = s.text[lead.quantity.end - s.start : rest[0].quantity.start - s.start] if rest else ""
    narrow = narrower(lead.places)
    if rest and (
        (not narrow and _abroad(lead, rest))
        # "13 drones and 17 heavy quadcopters": two counts of objects, each named.
        or (len(rest) == 1 and rest[0].object and _COORDINATED_COUNTS.fullmatch(between))
    ):
        # "six drones over Russia and two over Crimea": a place outside the country of the
        # first number is no part of it; each is a claim.
        return [_claim_with_places(s, lead, lead.places), *_one_claim_each(s, rest, lead)]
    if rest and (_INTRODUCER.search(between) or not (narrow or lead.windows)):
        claim = new_claim(s, lead)
        apply_breakdown(claim, rest)
        return [claim]
    if len(group) > 1 and not narrow:
        claim = new_claim(s, lead)
        claim.quantity = sum(f.quantity.value for f in group)
        apply_breakdown(claim, group)
        return [claim]
    if len(group) > 1:
        return _one_claim_each(s, group, lead)
    if not narrow and lead.within:
        # "87 drones, of which 70 had targeted the Rostov region": the place holds the part
        # that was bound for it, not the whole. A country named for the whole ("over parts
        # of southern Russia, including two flying towards Moscow") counts nothing beside a
        # narrower place (the guideline).
        claim = new_claim(s, lead)
        apply_breakdown(claim, [lead])
        claim.places = without_countries(claim.places)
        return [claim]
    if lead.each and len(lead.places) > 1:
        # "one drone each over the Kursk and Belgorod regions", with no total: one claim of
        # two, one over each (the guideline).
        return _one_claim_each(s, [lead], lead)
    # A figure whose own clause names its places ("In Voronezh Oblast, 40 were intercepted,
    # while ...") keeps to them.
    return [_claim_with_places(s, lead, lead.places or group_places)]


def narrower(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """The MENTIONS of places narrower than a country."""
    table = gazetteer_places()
    return [m for m in mentions if table[m.subject_id].kind != "country"]


def without_countries(places: list[ClaimPlace]) -> list[ClaimPlace]:
    """PLACES without their countries when a narrower place is among them: a country stands
    for the places only while nothing narrower is named (the guideline)."""
    table = gazetteer_places()
    return [cp for cp in places if table[cp.place_id].kind != "country"] or places


def _one_claim_each(s: Sentence, group: list[Figure], lead: Figure) -> list[Claim]:
    """ "Ten over Belgorod, six over Kursk and two each over A and B", with no total: one
    claim each, "two each over A and B" one claim of four (the guideline)."""
    claims = []
    for f in group:
        claim = new_claim(s, f)
        claim.object = f.object or lead.object or claim.object
        claim.action = f.action or lead.action or claim.action
        if f.each and len(f.places) > 1:
            claim.quantity = f.quantity.value * len(f.places)
            claim.distributive = True
        apply_breakdown(claim, [f])
        claims.append(claim)
    return claims


def _abroad(lead: Figure, rest: list[Figure]) -> bool:
    """Whether LEAD counts over one country and every figure of REST over places outside it."""
    countries = {m.subject_id for m in lead.places}
    if len(countries) != 1:
        return False
    return all(
        f.places and all(_country(m.subject_id) not in countries for m in f.places) for f in rest
    )


def _country(place_id: str) -> str:
    table = gazetteer_places()
    while table[place_id].kind != "country" and table[place_id].parent_id:
        place_id = table[place_id].parent_id
    return place_id


def _mention_of(cp: ClaimPlace) -> PlaceMention:
    return PlaceMention(cp.detail_id or cp.place_id, cp.place_id, "", cp.span_start, cp.span_end)


def new_claim(s: Sentence, figure: Figure) -> Claim:
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
        date_basis=None,
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


# "most of them over the Bryansk Region": the place holds part of the total, not all of it.
_PART_OF = re.compile(
    r"\b(?:most|majority|bulk|mainly|mostly|primarily|largely|including|among\s+them)\b",
    re.IGNORECASE,
)


def _claim_with_places(s: Sentence, figure: Figure, mentions: list[PlaceMention]) -> Claim:
    claim = new_claim(s, figure)
    claim.places = places_without_totals(mentions, figure.quantity.value)
    if (
        len(claim.places) == 1
        and claim.places[0].span_start > figure.quantity.end
        and _PART_OF.search(
            s.text[figure.quantity.end - s.start : claim.places[0].span_start - s.start]
        )
    ):
        claim.places[0].quantity, claim.places[0].basis = None, "unstated"
    counted = [cp for cp in claim.places if figure.rest is None or cp.span_start < figure.rest]
    if len(counted) == 1 < len(claim.places):
        counted[0].quantity, counted[0].basis = figure.quantity.value, "stated"
    if figure.windows:
        claim.time_start, claim.time_end = figure.windows[0].start_time, figure.windows[0].end_time
    return claim


def places_without_totals(mentions: list[PlaceMention], total: int) -> list[ClaimPlace]:
    """Claim places from mentions: the narrowest named, countries only when nothing narrower."""
    mentions = [m for m in mentions if not m.origin]
    narrow = narrower(mentions)
    countries = [m for m in mentions if m.subject_id not in LEXICON["placeless_countries"]]
    chosen = [m for m in narrow if not m.secondary] or narrow or countries
    seen: dict[str, ClaimPlace] = {}
    for m in chosen:
        if m.subject_id in seen:
            continue
        detail = m.place_id if m.place_id != m.subject_id else None
        seen[m.subject_id] = ClaimPlace(m.subject_id, detail, None, "unstated", m.start, m.end)
    result = list(seen.values())
    # "over Russian territory and the Black Sea": the sea holds part of the total only.
    part_of_total = (
        bool(result)
        and len(narrow) < len(mentions)
        and gazetteer_places()[result[0].place_id].kind == "sea"
    )
    if len(result) == 1 and not part_of_total:
        result[0].quantity, result[0].basis = total, "total"
    return result


def _where(figure: Figure) -> list[PlaceMention]:
    """The places FIGURE counts objects over: "four over the Yaroslavl region, northeast of
    Moscow" counts none over Moscow, which only locates Yaroslavl."""
    where = [m for m in figure.places if not m.secondary] or [
        m for m in figure.places if not m.origin
    ]
    # "one over the Nizhny Novgorod region, a hub near the borders of Kazakhstan and
    # Belarus": a country counts nothing while a narrower place is named.
    return narrower(where) or where


def apply_breakdown(claim: Claim, figures: list[Figure]) -> None:
    """Per-place numbers from FIGURES; "N each" over a list that holds a coordinated group
    has two readings, and the one that adds up to the total is kept."""
    places: list[ClaimPlace] = []
    base_sum = 0
    each_units_grouped = 0
    each_units_flat = 0
    each_value = 0
    for figure in figures:
        mentions = _where(figure)
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
        mentions = _where(figure)
        grouped: dict[int, list[PlaceMention]] = {}
        for m in mentions:
            if m.group is not None:
                grouped.setdefault(m.group, []).append(m)
        counted = [m for m in mentions if figure.rest is None or m.start < figure.rest]
        for m in mentions:
            detail = m.place_id if m.place_id != m.subject_id else None
            value = figure.quantity.value
            if m not in counted:
                basis, quantity = "unstated", None
            elif figure.each:
                shared = share_groups and m.group is not None and len(grouped[m.group]) > 1
                basis, quantity = ("shared", None) if shared else ("each", value)
            elif len(counted) == 1:
                basis, quantity = "stated", value
            else:
                basis, quantity = "shared", None
            number = (
                (figure.quantity.number_start, figure.quantity.end) if quantity else (None, None)
            )
            places.append(
                ClaimPlace(
                    m.subject_id,
                    detail,
                    quantity,
                    basis,
                    m.start,
                    m.end,
                    *number,
                    share=(figure.quantity.number_start, value) if basis == "shared" else None,
                )
            )
        places.extend(
            ClaimPlace(
                m.subject_id,
                m.place_id if m.place_id != m.subject_id else None,
                part.value,
                "included",
                m.start,
                m.end,
                part.number_start,
                part.end,
            )
            for m, part in figure.within
        )
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


def read_shares_as_each(claim: Claim) -> None:
    """ "Rostov and the Azov Sea saw four more", "three over Tambov and the Moscow region":
    a number given to a group of places is each place's when only that reading makes the
    breakdown add up to the total, and the group's together otherwise."""
    shared = [cp for cp in claim.places if cp.basis == "shared" and cp.share is not None]
    if not shared:
        return
    stated = sum(cp.quantity for cp in claim.places if cp.quantity is not None)
    together = stated + sum(value for _, value in {cp.share for cp in shared})
    each = stated + sum(cp.share[1] for cp in shared)
    if each == claim.quantity != together:
        for cp in shared:
            cp.quantity, cp.basis = cp.share[1], "each"
