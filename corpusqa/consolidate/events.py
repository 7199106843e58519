"""Events: claims that report the same real-world statement, in one article or many.

Two claims are one event when they count the same kind of object over overlapping places
and their dates or time windows agree: within one story (articles retelling each other),
or across stories when both give the same day and the same time window. A day alone is
not enough across stories: a busy region reports several attacks a day. Their numbers may
differ: the event then keeps every figure, takes the most conservative (the smallest) as
its quantity, as ACLED does, and is marked inconsistent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from . import key_hash


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """What consolidation needs of a stored claim."""

    id: str
    article_id: str
    quantity: int
    object: str
    date: str | None
    time_start: str | None
    time_end: str | None
    authority: str | None
    places: frozenset[str]
    breakdown: tuple[tuple[str, int | None], ...] = ()
    incremental: bool = False


@dataclass(slots=True)
class Event:
    id: str
    claims: list[ClaimRow]
    quantity: int
    quantity_min: int
    quantity_max: int
    places: list[str]
    date: str | None
    time_start: str | None
    time_end: str | None
    authority: str | None
    n_articles: int
    consistent: bool
    # The claims whose figures another report of the event contradicts.
    conflicts: list[ClaimRow] = field(default_factory=list)


def _same_day(a: str, b: str) -> bool:
    """Whether dates A and B can name one day: equal when both or neither give the year;
    equal month and day when only one does (a report may leave the year out)."""
    return a == b if len(a) == len(b) else a[-5:] == b[-5:]


def agree(a: ClaimRow, b: ClaimRow, same_story: bool) -> bool:
    """Whether claims A and B, from different articles, report the same statement.

    They must count the same object over overlapping places, and neither their dates nor
    their time windows may differ. Within one story an equal date or an equal window is
    then enough, and with neither, equal numbers are; across stories both the day and the
    window must be given.
    """
    if a.article_id == b.article_id or a.object != b.object or not (a.places & b.places):
        return False
    dated = bool(a.date and b.date)
    timed = bool(a.time_start and b.time_start)
    if dated and not _same_day(a.date, b.date):
        return False
    if timed and (a.time_start, a.time_end) != (b.time_start, b.time_end):
        return False
    if not same_story:
        return dated and timed
    return dated or timed or a.quantity == b.quantity


def _report(claim: ClaimRow) -> tuple:
    """What `agree` reads of a claim besides its article: claims with equal reports agree
    with the same claims."""
    return (
        claim.object,
        claim.places,
        claim.date,
        claim.time_start,
        claim.time_end,
        claim.quantity,
    )


def _reports_agree(a: tuple, b: tuple, same_story: bool) -> bool:
    """`agree` over two reports (see `_report`) of different articles."""
    first = ClaimRow("", "a", a[5], a[0], a[2], a[3], a[4], None, a[1])
    second = ClaimRow("", "b", b[5], b[0], b[2], b[3], b[4], None, b[1])
    return agree(first, second, same_story)


def group_events(claims: Iterable[ClaimRow], story_of: dict[str, str]) -> list[Event]:
    """Merge claims into events. Every claim belongs to exactly one event.

    Claims are compared only when they share a bucket (a story, or an object, place, day
    and window), in claim id order: a claim joins every earlier cluster of the bucket
    holding a report that agrees with its own, when the merged claims can still be one
    event (see `_Cluster.fits`)."""
    return [make_event(group) for group in cluster_claims(claims, story_of)]


def cluster_claims(claims: Iterable[ClaimRow], story_of: dict[str, str]) -> list[list[ClaimRow]]:
    """The claims of each event group_events makes, in its order, each in claim id order.
    Which claims are merged depends on neither the claims' authorities nor anything else
    make_event alone reads."""
    rows = sorted(claims, key=lambda c: c.id)
    by_id = {c.id: c for c in rows}
    # Only merged claims get a parent and a cluster: most claims stay alone, and a
    # million articles hold over a million claims.
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while (up := parent.get(x, x)) != x:
            parent[x] = parent.get(up, up)
            x = up
        return x

    clusters: dict[str, _Cluster] = {}

    def cluster(root: str) -> _Cluster:
        return clusters.get(root) or _Cluster.of(by_id[root])

    # Two claims can agree only if they share a story, or a day and a time window, so only
    # claims that share one of those keys are compared: the work grows with the reports of
    # each story and window, not with the square of the corpus.
    buckets: dict[tuple, list[ClaimRow]] = defaultdict(list)
    for claim in rows:
        # A story's claims are few: one bucket for all its places.
        buckets[(claim.object, "story", story_of.get(claim.article_id, claim.article_id))].append(
            claim
        )
        for key in _window_keys(claim):
            buckets[key].append(claim)
    for bucket in buckets.values():
        # A newcomer is compared with one claim per report already in the bucket, and joins
        # the clusters that hold one of those reports: a report retold a thousand times is
        # compared once, not a thousand times.
        clusters_with: dict[tuple, list[str]] = {}
        # Whether two claims agree depends only on their reports and whether they share a
        # story: asked once per pair of distinct reports.
        agreeing: dict[tuple[tuple, tuple], bool] = {}
        for b in bucket:
            story = story_of.get(b.article_id, b.article_id)
            mine = (_report(b), story)
            for theirs, roots in clusters_with.items():
                pair = (theirs, mine)
                if pair not in agreeing:
                    agreeing[pair] = _reports_agree(theirs[0], mine[0], theirs[1] == story)
                if not agreeing[pair]:
                    continue
                # Merged clusters leave their old roots behind: each cluster once.
                roots[:] = dict.fromkeys(find(r) for r in roots)
                for root in roots:
                    left, right = root, find(b.id)
                    if left == right:
                        continue
                    # Merging must keep the whole event coherent: an undated report must
                    # not chain two days, nor overlapping places chain regions that share
                    # nothing; and no article may report an event twice.
                    kept, joining = cluster(left), cluster(right)
                    if not kept.fits(joining):
                        continue
                    # The larger cluster takes in the smaller: a story told a thousand
                    # times is not copied at every merge.
                    if len(joining.claims) > len(kept.claims):
                        left, right, kept, joining = right, left, joining, kept
                    parent[right] = left
                    kept.absorb(joining)
                    clusters[left] = kept
                    clusters.pop(right, None)
            clusters_with.setdefault(mine, []).append(b.id)
    # A million claims fill millions of buckets: freed before the events are made.
    del buckets
    return [
        sorted(cluster(c.id).claims, key=lambda c: c.id)
        for c in rows
        if parent.get(c.id, c.id) == c.id
    ]


@dataclass(slots=True)
class _Cluster:
    """Claims merged so far, with what every further member must agree with."""

    claims: list[ClaimRow]
    articles: set[str]
    places: frozenset[str]
    day: str | None
    window: tuple[str | None, str | None] | None

    @classmethod
    def of(cls, claim: ClaimRow) -> _Cluster:
        window = (claim.time_start, claim.time_end) if claim.time_start else None
        return cls([claim], {claim.article_id}, claim.places, claim.date, window)

    def fits(self, other: _Cluster) -> bool:
        """Whether the claims of both can be one event: no article twice, a place every
        claim names, one day and one time window at most."""
        return (
            not (self.articles & other.articles)
            and bool(self.places & other.places)
            and not (self.day and other.day and not _same_day(self.day, other.day))
            and not (self.window and other.window and self.window != other.window)
        )

    def absorb(self, other: _Cluster) -> None:
        self.claims.extend(other.claims)
        self.articles |= other.articles
        self.places &= other.places
        # A day with its year keeps the cluster from taking that day of another year.
        self.day = max(self.day or "", other.day or "", key=len) or None
        self.window = self.window or other.window


def make_event(group: list[ClaimRow]) -> Event:
    """An event from its claims (from different articles). It is inconsistent when their
    totals differ, or two give different numbers for one place; found in one pass, since a
    busy day can gather thousands of reports."""
    totals = {c.quantity for c in group}
    per_place: dict[str, set[int]] = defaultdict(set)
    for claim in group:
        for place, quantity in claim.breakdown:
            if quantity is not None:
                per_place[place].add(quantity)
    split = {place for place, numbers in per_place.items() if len(numbers) > 1}
    conflicts = [
        c
        for c in group
        if len(totals) > 1 or any(p in split for p, q in c.breakdown if q is not None)
    ]
    places = sorted(set().union(*(c.places for c in group)))
    dates = [c.date for c in group if c.date]
    windows = [(c.time_start, c.time_end) for c in group if c.time_start]
    return Event(
        id=f"e-{group[0].id}",
        claims=group,
        quantity=min(totals),
        quantity_min=min(totals),
        quantity_max=max(totals),
        places=places,
        date=max(dates, key=len) if dates else None,
        time_start=windows[0][0] if windows else None,
        time_end=windows[0][1] if windows else None,
        authority=event_authority(group),
        n_articles=len({c.article_id for c in group}),
        consistent=not conflicts,
        conflicts=conflicts,
    )


def event_authority(group: list[ClaimRow], named: Mapping[str, str] | None = None) -> str | None:
    """The authority most claims of GROUP name (of a tie, the least name), a claim's being
    NAMED[its id] when there: a person's name is known once the persons are resolved."""
    named = named or {}
    return _most_common(Counter(a for c in group if (a := named.get(c.id, c.authority))))


def _most_common(counts: Counter[str]) -> str | None:
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _window_keys(claim: ClaimRow) -> list[tuple]:
    """The buckets of object, place, day and window a claim is compared in beside its
    story's (see `group_events`)."""
    if not (claim.date and claim.time_start):
        return []
    # Month and day: a report may leave the year out. In a fixed order: the order of
    # merges decides which coherent clusters form, and a set of strings iterates in an
    # order that changes with every process.
    return [
        (claim.object, place, claim.date[-5:], claim.time_start, claim.time_end or "")
        for place in sorted(claim.places)
    ]


def event_keys(claim: ClaimRow) -> list[int]:
    """The buckets of object, place, day and window of CLAIM, as 64-bit hashes to store in
    an index: an update finds the claims that share one with a new claim without reading
    the corpus."""
    return [key_hash("event", key) for key in _window_keys(claim)]


class EventIndex(Protocol):
    """What an update reads of the stored corpus to regroup events (see `regroup`)."""

    def event_claims(self, where: str, values: Iterable) -> list[tuple[ClaimRow, str | None]]:
        """(claim, its stored event) of every claim WHERE (one of "claims", "stories",
        "keys", "events") holds one of VALUES."""


def regroup(
    index: EventIndex,
    seeds: set[str],
    lost: set[str],
    stories: Callable[[Iterable[str]], dict[str, str | None]],
) -> tuple[list[Event], set[str]]:
    """The events of the claims an update touches, as `group_events` would make them over
    the whole corpus, and the stored events they replace.

    SEEDS are the claims that are new, changed, moved to another story or given another
    authority; LOST the stored events that lost a claim; STORIES gives articles' stories.
    From them and the claims of LOST, the claims compared with them are gathered, bucket by
    bucket (their stories, their object, place, day and window buckets, their stored
    events), until no bucket is left out: merges never cross from such a closed set to the
    rest of the corpus, so grouping it alone gives what grouping the corpus gives, in the
    work of the buckets touched.
    """
    claims: dict[str, ClaimRow] = {}
    story_of: dict[str, str] = {}
    replaced: set[str] = set(lost)
    gathered: set[str] = set()
    keys: set[int] = set()
    frontier = index.event_claims("claims", sorted(seeds))
    frontier += index.event_claims("events", sorted(lost))
    while frontier:
        fresh = [(c, e) for c, e in frontier if c.id not in claims]
        found = stories({c.article_id for c, _ in fresh} - story_of.keys())
        story_of.update((a, s or a) for a, s in found.items())
        new_stories, new_keys, new_events = set(), set(), set()
        for claim, event in fresh:
            claims[claim.id] = claim
            new_stories.add(story_of[claim.article_id])
            new_keys.update(event_keys(claim))
            if event is not None and event not in replaced:
                new_events.add(event)
        new_stories -= gathered
        new_keys -= keys
        gathered |= new_stories
        keys |= new_keys
        replaced |= new_events
        frontier = []
        for where, values in (
            ("stories", new_stories),
            ("keys", new_keys),
            ("events", new_events),
        ):
            if values:
                more = index.event_claims(where, sorted(values))
                frontier.extend((c, e) for c, e in more if c.id not in claims)
    return group_events(claims.values(), story_of), replaced
