"""Stories: articles that retell the same story.

Retellings are paraphrases, so shared wording alone misses them, and every article in this
corpus is about drones, so topic similarity alone merges everything. Two articles are one
story when their vocabularies are close (MinHash) and they report at least one claim that
agrees (see `events.agree`). Only articles that share a claim key are compared, and a
newcomer only with the first article of each such story, so no step compares all pairs
and a story told a thousand times costs a thousand times one telling.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from typing import Protocol

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32
from wordfreq import zipf_frequency

from . import key_hash
from .events import ClaimRow, agree

NUM_PERM = 64
# 32-bit hash values: a signature is NUM_PERM * 4 bytes per article.
SCHEME = "affine32"
# One story needs this much of its content vocabulary in common (estimated Jaccard).
CANDIDATE_THRESHOLD = 0.15
# Articles this close in vocabulary retell one story even when no claim names a day.
NEAR_DUPLICATE = 0.5
# Words more frequent than this in English (Zipf scale) say nothing about the story.
COMMON_WORD_ZIPF = 5.5
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")


@cache
def _common(word: str) -> bool:
    return zipf_frequency(word, "en") >= COMMON_WORD_ZIPF


@cache
def _hash(word: str) -> int:
    # A corpus repeats a vocabulary of some tens of thousands of words: hash each once.
    return sha1_hash32(word.encode("utf-8"))


def content_words(text: str) -> set[str]:
    """The lower-cased words of TEXT that are not among the commonest English words."""
    lower = text.lower()
    # In ASCII, _WORD's letters are a to z: a range is matched three times as fast as the
    # Unicode classes, and most English text is ASCII.
    words = set((_ASCII_WORD if lower.isascii() else _WORD).findall(lower))
    # Set differences with the words already looked up: one call of _common per word of
    # an article cost as much as finding the words.
    words -= _COMMON_WORDS
    unknown = words - _CONTENT_WORDS
    if unknown:
        common = {w for w in unknown if _common(w)}
        words -= common
        _remember(common, unknown - common)
    return words


# The words content_words has looked up, common or not: a corpus repeats a vocabulary of
# some tens of thousands of words. Forgotten at _REMEMBERED words, to stay bounded.
_COMMON_WORDS: set[str] = set()
_CONTENT_WORDS: set[str] = set()
_REMEMBERED = 2**17


def _remember(common: set[str], content: set[str]) -> None:
    if len(_COMMON_WORDS) + len(_CONTENT_WORDS) > _REMEMBERED:
        _COMMON_WORDS.clear()
        _CONTENT_WORDS.clear()
    _COMMON_WORDS.update(common)
    _CONTENT_WORDS.update(content)


def signature(text: str) -> bytes:
    """A MinHash of TEXT's content words, as bytes for storage: under each permutation, the
    least hash of a word (what MinHash's update with all the words gives)."""
    words = content_words(text)
    if not words:
        minhash = _hasher()
        minhash.clear()
        return minhash.hashvalues.astype(np.uint32).tobytes()
    return _VOCABULARY.least(words).tobytes()


class _Vocabulary:
    """Each word's hash under every permutation of the MinHash, one row of a table per word
    met so far. A corpus repeats a vocabulary of some tens of thousands of words: each is
    permuted once, and an article's least hashes are one reduction over its words' rows
    (a list of one array per word, reduced, cost a worker three times as much). At LIMIT
    words the table starts again, so that a corpus of many rare words does not grow it
    without end."""

    LIMIT = 2**16

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}
        self._table = np.empty((1024, NUM_PERM), dtype=np.uint32)

    def least(self, words: set[str]) -> np.ndarray:
        """The least hash of WORDS under each permutation."""
        rows = self._rows
        try:
            indexes = [rows[word] for word in words]
        except KeyError:
            if len(rows) + len(words) > self.LIMIT:
                rows.clear()
            indexes = [rows[word] if word in rows else self._add(word) for word in words]
        return self._table[indexes].min(axis=0)

    def _add(self, word: str) -> int:
        row = len(self._rows)
        if row == len(self._table):
            grown = np.empty((2 * row, NUM_PERM), dtype=np.uint32)
            grown[:row] = self._table
            self._table = grown
        self._table[row] = _permuted(word)
        self._rows[word] = row
        return row


def _permuted(word: str) -> np.ndarray:
    """WORD's hash under each permutation of the MinHash."""
    minhash = _hasher()
    minhash.clear()
    minhash.update_batch([word])
    return minhash.hashvalues.astype(np.uint32)


_VOCABULARY = _Vocabulary()


@cache
def _hasher() -> MinHash:
    """One MinHash per process, cleared for each article: building one costs more than
    hashing an article's words."""
    return MinHash(
        num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_permutations(), hashfunc=_hash
    )


@cache
def _permutations():
    """MinHash's random permutations for this seed: computed once, not per article."""
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _claim_keys(claim: ClaimRow) -> list[tuple]:
    """Keys two agreeing claims are sure to share: the day, else the time window, else the
    number, for each place (see `events.agree`)."""
    if claim.date:
        detail: tuple = ("day", claim.date[-5:])
    elif claim.time_start:
        # A single time ("at 18:40") has no end: "" keeps the keys sortable.
        detail = ("window", claim.time_start, claim.time_end or "")
    else:
        detail = ("quantity", claim.quantity)
    return [(claim.object, place, *detail) for place in claim.places]


def _distinctive_keys(claim: ClaimRow) -> list[tuple]:
    """Keys two claims are sure to share when their agreement is distinctive (see
    `_distinctive`): the same day or window, and the same number over a place or the same
    several places. Far fewer articles share one of these than a claim key."""
    times: list[tuple] = []
    if claim.date:
        times.append(("day", claim.date[-5:]))
    if claim.time_start:
        times.append(("window", claim.time_start, claim.time_end or ""))
    keys: list[tuple] = []
    for time in times:
        keys.extend((claim.object, "place", place, *time, claim.quantity) for place in claim.places)
        if len(claim.places) > 1:
            keys.append((claim.object, "places", tuple(sorted(claim.places)), *time))
    return keys


class Signatures:
    """Every article's MinHash as one row of a matrix: a million of them take 256 MB, where
    a dictionary of byte strings and arrays takes three times as much."""

    def __init__(self, rows: Iterable[tuple[str, bytes | None]]) -> None:
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        # The article of each row.
        self.article_of: list[str] = []
        buffer = bytearray()
        for article_id, minhash in rows:
            self.ids.append(article_id)
            if minhash is not None:
                self.row_of[article_id] = len(self.row_of)
                self.article_of.append(article_id)
                buffer += minhash
        self.matrix = np.frombuffer(bytes(buffer), dtype=np.uint32).reshape(-1, NUM_PERM)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.row_of

    def near(self, row: int, rows: list[int], thresholds: list[float]) -> dict[str, float]:
        """The articles of ROWS whose estimated overlap with the article of ROW reaches
        their THRESHOLD (a row listed twice needs to reach the lower one), with that
        overlap. Compared in one numpy pass: a common key lists thousands of rows."""
        indices = np.array(rows, dtype=np.intp)
        similar = np.count_nonzero(self.matrix[indices] == self.matrix[row], axis=1) / NUM_PERM
        passed = similar >= np.array(thresholds)
        return {
            self.article_of[r]: s
            for r, s in zip(indices[passed].tolist(), similar[passed].tolist(), strict=True)
        }


def _share_key(left: list[ClaimRow], right: list[ClaimRow]) -> bool:
    keys = {key for claim in left for key in _claim_keys(claim)}
    return any(key in keys for claim in right for key in _claim_keys(claim))


def _repeats(left: list[ClaimRow], right: list[ClaimRow]) -> tuple[bool, bool]:
    """Whether every claim of the article with fewer claims agrees with a claim of the
    other, and whether one of those agreements is distinctive: on the same day or time
    window, with the same number or the same two or more places."""
    fewer, more = sorted((left, right), key=len)
    distinctive = False
    for x in fewer:
        matches = [y for y in more if agree(x, y, same_story=True)]
        if not matches:
            return False, False
        distinctive = distinctive or any(_distinctive(x, y) for y in matches)
    return bool(fewer), distinctive


def _distinctive(x: ClaimRow, y: ClaimRow) -> bool:
    timed = bool((x.date and y.date) or (x.time_start and y.time_start))
    return timed and (x.quantity == y.quantity or (len(x.places) > 1 and x.places == y.places))


def story_keys(claims: list[ClaimRow]) -> dict[int, float]:
    """The keys an article's CLAIMS file it under, each with the vocabulary overlap an
    article sharing it must reach to be a candidate: distinctive keys (a day or window with
    a number or several places) at CANDIDATE_THRESHOLD, claim keys at NEAR_DUPLICATE.

    Keys are 64-bit hashes of their values, so that they can be stored and looked up in an
    index: an update finds the articles that share a key with a new one without reading
    the corpus."""
    keys = {key_hash("claim", key): NEAR_DUPLICATE for c in claims for key in _claim_keys(c)}
    for claim in claims:
        for key in _distinctive_keys(claim):
            keys[key_hash("distinctive", key)] = CANDIDATE_THRESHOLD
    return keys


def _closest(
    claims: list[ClaimRow], near: dict[str, float], claims_of: Callable[[str], list[ClaimRow]]
) -> str | None:
    """The article among NEAR (id -> estimated vocabulary overlap, each at least the
    threshold of a key it shares) that the article of CLAIMS retells most closely (the
    lowest id of the closest), or None.

    It retells one when they share a claim key, every claim of one agrees with a claim of
    the other, and one agreement is distinctive (see `_repeats`) or the texts are near
    duplicates."""
    best: tuple[float, str] | None = None
    for candidate, similarity in near.items():
        if (best is None or (-similarity, candidate) < best) and _retells(
            claims_of(candidate), claims, similarity
        ):
            best = (-similarity, candidate)
    return best[1] if best else None


def _retells(earlier: list[ClaimRow], claims: list[ClaimRow], similarity: float) -> bool:
    """Whether an article of CLAIMS retells the EARLIER one, close to it by SIMILARITY."""
    if not _share_key(earlier, claims):
        return False
    # A retelling repeats the story's figures. Figures on no stated day, or one place on a
    # busy day, are common to unrelated stories: one agreement must be distinctive,
    # unless the two texts are near duplicates.
    repeated, sure = _repeats(earlier, claims)
    return repeated and (sure or similarity >= NEAR_DUPLICATE)


def group_stories(
    hashes: Signatures,
    claims: Iterable[ClaimRow],
    filed: Callable[[str, dict[int, float], bool], None] | None = None,
) -> dict[str, str]:
    """Map every article id of HASHES to its story id: the id of the article that first
    told it.

    In id order, an article joins the story of the closest earlier article it retells
    (see `_closest`) that began a story, or begins one. Joining only stories' first
    articles keeps one chance agreement from chaining unrelated stories together, which on
    a large corpus would merge them by the hundred, and makes the work linear in
    retellings: a newcomer is compared with the first article of each story that shares a
    key with it (see `story_keys`), never with the story's other tellings. FILED, if
    given, is told each article's keys and whether it begins a story, for an update to
    look up.
    """
    # An article with no claim has no signature: it shares no claim key, so it is never
    # a candidate and stays a story of its own.
    by_article: dict[str, list[ClaimRow]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    # The rows of the stories' first articles by key, in id order: most keys have one,
    # held as itself rather than in a list of one (a million articles are filed under
    # millions of keys).
    heads: dict[int, int | list[int]] = {}
    story_of: dict[str, str] = {}
    for article_id in sorted(hashes.ids):
        article_claims = by_article.get(article_id)
        if article_id not in hashes or not article_claims:
            story_of[article_id] = article_id
            continue
        keys = story_keys(article_claims)
        rows: list[int] = []
        thresholds: list[float] = []
        for key, threshold in keys.items():
            found = heads.get(key)
            if found is None:
                continue
            if isinstance(found, int):
                found = [found]
            rows.extend(found)
            thresholds.extend([threshold] * len(found))
        row = hashes.row_of[article_id]
        head = None
        if rows:
            near = hashes.near(row, rows, thresholds)
            head = _closest(article_claims, near, by_article.__getitem__)
        story_of[article_id] = head or article_id
        if filed is not None:
            filed(article_id, keys, head is None)
        if head is None:
            for key in keys:
                held = heads.setdefault(key, row)
                if isinstance(held, list):
                    held.append(row)
                elif held != row:
                    heads[key] = [held, row]
    return story_of


class StoryIndex(Protocol):
    """What an update reads of the stored corpus to regroup stories (see `restory`)."""

    def story_claims(self, ids: Iterable[str]) -> dict[str, list[ClaimRow]]:
        """The claims of each of IDS that has any."""

    def minhashes(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The MinHash of each of IDS that has one."""

    def heads_under(self, keys: Iterable[int], before: str) -> list[tuple[int, str]]:
        """(key, article id) of every stored article filed under one of KEYS whose id sorts
        before BEFORE and that was marked as beginning its story when stored: for an
        article already looked at in this update the mark may be out of date, so the
        caller takes those from its own assignment."""

    def filed_after(self, keys: Iterable[int], after: str) -> list[tuple[int, str]]:
        """(key, article id) of every stored article filed under one of KEYS whose id sorts
        after AFTER."""

    def stories(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The stored story of each of IDS."""

    def members(self, heads: Iterable[str]) -> list[str]:
        """The articles whose stored story is one of HEADS."""


# Claims are read for this many of a newcomer's closest candidates at a time: the closest
# that it retells is usually among the first, and a common key holds hundreds.
_CLAIMS_BATCH = 8


def restory(index: StoryIndex, dirty: set[str], lost: set[str]) -> dict[str, str]:
    """The stories of the articles an update touches, as `group_stories` would give them
    over the whole corpus: DIRTY are the new and changed articles, LOST the stories' first
    articles that were removed or changed. Returns the story of every article it looked at.

    Articles are taken again in id order from the first one touched. An article whose story
    may change is one whose first article was lost or stopped beginning a story, and one
    that retells an article that now begins one (sharing a key with it) more closely than
    it retells its own story's first article: only those are looked at, so the work grows
    with what the update touches. Of the earlier articles filed under an article's keys
    only the stories' first articles are read, as `group_stories` compares only those, and
    the claims only of the closest of them until one is retold.
    """
    queue = sorted(dirty | set(index.members(lost)))
    queued = set(queue)
    heapq.heapify(queue)
    assigned: dict[str, str] = {}
    claims: dict[str, list[ClaimRow]] = {}
    # As stored: the candidates of a common key are joined into one matrix at once, which
    # costs less than stacking an array per article.
    hashes: dict[str, bytes] = {}
    hashed: set[str] = set()
    # The articles looked at that begin a story, by key: their stored stories are out of
    # date until the update is written, so the stored first articles are read without them.
    heads_by_key: dict[int, list[str]] = defaultdict(list)

    # Read from the index only what is needed, and each article once.
    def load_hashes(ids: Iterable[str]) -> None:
        wanted = [i for i in ids if i not in hashed]
        hashed.update(wanted)
        hashes.update(index.minhashes(wanted))

    def load_claims(ids: Iterable[str]) -> None:
        wanted = [i for i in ids if i not in claims]
        found = index.story_claims(wanted)
        for article_id in wanted:
            claims[article_id] = found.get(article_id, [])

    def near(article_id: str, others: dict[str, float]) -> dict[str, float]:
        """Those of OTHERS (id -> overlap it must reach) close enough to ARTICLE_ID, with
        how close they are."""
        load_hashes(others)
        ids = [o for o in others if o in hashes]
        if not ids:
            return {}
        similar = np.count_nonzero(matrix(ids) == matrix([article_id]), axis=1) / NUM_PERM
        return {o: s for o, s in zip(ids, similar.tolist(), strict=True) if s >= others[o]}

    def matrix(ids: list[str]) -> np.ndarray:
        joined = b"".join([hashes[i] for i in ids])
        return np.frombuffer(joined, dtype=np.uint32).reshape(-1, NUM_PERM)

    def closest(article_id: str, close: dict[str, float]) -> str | None:
        """The closest of the candidates CLOSE (id -> similarity) that ARTICLE_ID retells,
        as `_closest` chooses it, or None when it retells none of them."""
        # `_closest` over the candidates in batches from the closest: the first batch that
        # holds an article it retells holds the closest one.
        ranked = sorted(close, key=lambda o: (-close[o], o))
        for start in range(0, len(ranked), _CLAIMS_BATCH):
            batch = ranked[start : start + _CLAIMS_BATCH]
            load_claims(batch)
            head = _closest(claims[article_id], {o: close[o] for o in batch}, claims.__getitem__)
            if head is not None:
                return head
        return None

    while queue:
        article_id = heapq.heappop(queue)
        load_hashes([article_id])
        load_claims([article_id])
        before = None if article_id in dirty else index.stories([article_id])[article_id]
        keys = story_keys(claims[article_id]) if article_id in hashes else {}
        candidates: dict[str, float] = {}
        if keys:
            # Articles are looked at in id order, so every one looked at is earlier than
            # this one: its story is the one assigned, not the stored one.
            for key, other in index.heads_under(keys, article_id):
                if other in assigned:
                    continue
                candidates[other] = min(candidates.get(other, keys[key]), keys[key])
            for key, threshold in keys.items():
                for other in heads_by_key.get(key, ()):
                    candidates[other] = min(candidates.get(other, threshold), threshold)
        head = closest(article_id, near(article_id, candidates))
        story = assigned[article_id] = head or article_id
        if story == article_id:
            for key in keys:
                heads_by_key[key].append(article_id)
        later: list[str] = []
        if before == article_id and story != article_id:
            later.extend(index.members([article_id]))
        if story == article_id and (before != article_id or article_id in dirty):
            # A new first article: the later articles that retell it.
            threshold: dict[str, float] = {}
            for key, other in index.filed_after(keys, article_id) if keys else []:
                if other not in queued:
                    threshold[other] = min(threshold.get(other, keys[key]), keys[key])
            close = near(article_id, threshold)
            load_claims(close)
            retold = {
                other: similarity
                for other, similarity in close.items()
                if _retells(claims[article_id], claims[other], similarity)
            }
            current = index.stories(retold)
            load_hashes(h for h in current.values() if h)
            for other, similarity in retold.items():
                # Its story changes if it began one, or if the new one is closer than its
                # own story's first article.
                head = current.get(other) or other
                if head != other and head in hashes:
                    pair = matrix([head, other])
                    closeness = np.count_nonzero(pair[0] == pair[1]) / NUM_PERM
                    if (-closeness, head) < (-similarity, article_id):
                        continue
                later.append(other)
        for other in later:
            if other not in queued:
                queued.add(other)
                heapq.heappush(queue, other)
    return assigned
