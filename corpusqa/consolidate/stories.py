"""Stories: articles that retell the same story.

Retellings are paraphrases, so shared wording alone misses them, and every article in this
corpus is about drones, so topic similarity alone merges everything. Two articles are one
story when their vocabularies are close (MinHash) and they report at least one claim that
agrees (see `events.agree`). Only articles that share a claim key are compared, and MinHash
LSH narrows large buckets, so no step compares all pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32
from wordfreq import zipf_frequency

from .events import ClaimRow, agree

NUM_PERM = 64
# 32-bit hash values: a signature is NUM_PERM * 4 bytes per article.
SCHEME = "affine32"
# One story needs this much of its content vocabulary in common (estimated Jaccard).
CANDIDATE_THRESHOLD = 0.15
# Articles this close in vocabulary retell one story even when no claim names a day.
NEAR_DUPLICATE = 0.5
# Buckets up to this size are compared pair by pair; larger ones go through LSH.
LARGE_BUCKET = 2048
# Words more frequent than this in English (Zipf scale) say nothing about the story.
COMMON_WORD_ZIPF = 5.5
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _common(word: str) -> bool:
    return zipf_frequency(word, "en") >= COMMON_WORD_ZIPF


@cache
def _hash(word: str) -> int:
    # A corpus repeats a vocabulary of some tens of thousands of words: hash each once.
    return sha1_hash32(word.encode("utf-8"))


def content_words(text: str) -> set[str]:
    """The lower-cased words of TEXT that are not among the commonest English words."""
    return {w for w in set(_WORD.findall(text.lower())) if not _common(w)}


def signature(text: str) -> bytes:
    """A MinHash of TEXT's content words, as bytes for storage."""
    minhash = _hasher()
    minhash.clear()
    minhash.update_batch(sorted(content_words(text)))
    return minhash.hashvalues.astype(np.uint32).tobytes()


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


def _minhash(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=1,
        hashvalues=np.frombuffer(data, dtype=np.uint32).copy(),
        permutations=_permutations(),
        scheme=SCHEME,
    )


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


@cache
def _lsh_params(threshold: float) -> tuple[int, int]:
    """LSH bands and rows for THRESHOLD: datasketch derives them by numerical integration,
    which costs more than querying a bucket, so once per threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _close_pairs(
    members: list[str], hashes: _Signatures, threshold: float
) -> Iterable[tuple[str, str, float]]:
    """Pairs of MEMBERS whose estimated vocabulary overlap reaches THRESHOLD, with it: every
    pair, compared a row at a time, in a bucket of up to LARGE_BUCKET articles; the pairs
    MinHash LSH proposes in a larger one."""
    matrix = hashes.rows(members)
    if len(members) > LARGE_BUCKET:
        lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params(threshold))
        minhashes = {m: _minhash(row.tobytes()) for m, row in zip(members, matrix, strict=True)}
        for member, minhash in minhashes.items():
            lsh.insert(member, minhash)
        position = {m: i for i, m in enumerate(members)}
        for i, member in enumerate(members):
            for other in sorted(lsh.query(minhashes[member])):
                if member < other:
                    other_row = matrix[position[other]]
                    similarity = np.count_nonzero(matrix[i] == other_row) / NUM_PERM
                    if similarity >= threshold:
                        yield member, other, similarity
        return
    for i in range(len(members) - 1):
        similar = np.count_nonzero(matrix[i + 1 :] == matrix[i], axis=1) / NUM_PERM
        for j in np.flatnonzero(similar >= threshold):
            yield members[i], members[i + 1 + j], float(similar[j])


class _Signatures:
    """Every article's MinHash as one row of a matrix: a million of them take 256 MB, where
    a dictionary of byte strings and arrays takes three times as much."""

    def __init__(self, rows: Iterable[tuple[str, bytes | None]]) -> None:
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        buffer = bytearray()
        for article_id, minhash in rows:
            self.ids.append(article_id)
            if minhash is not None:
                self.row_of[article_id] = len(self.row_of)
                buffer += minhash
        self.matrix = np.frombuffer(bytes(buffer), dtype=np.uint32).reshape(-1, NUM_PERM)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.row_of

    def rows(self, article_ids: list[str]) -> np.ndarray:
        return self.matrix[[self.row_of[a] for a in article_ids]]


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


def group_stories(
    signatures: Iterable[tuple[str, bytes | None]], claims: Iterable[ClaimRow]
) -> dict[str, str]:
    """Map every article id to its story id: the id of the article that first told it.

    Two articles retell one story when their estimated vocabulary overlap reaches
    CANDIDATE_THRESHOLD, every claim of one agrees with a claim of the other, and one
    agreement is distinctive (see `_repeats`), or the texts are near duplicates
    (NEAR_DUPLICATE). Candidates are articles that share a claim key; for the first kind
    they are found through distinctive keys (a day or window with a number or several
    places), which far fewer articles share, so no step compares all pairs of a bucket.

    In id order, an article joins the story of the closest earlier article it retells that
    began a story, or begins one. Joining only stories' first articles keeps one chance
    agreement from chaining unrelated stories together, which on a large corpus would
    merge them by the hundred.
    """
    # An article with no claim has no signature: it shares no claim key, so it is never
    # a candidate and stays a story of its own.
    hashes = _Signatures(signatures)
    by_article: dict[str, list[ClaimRow]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    # For each article, the earlier articles it retells, with how close they are.
    retells: dict[str, dict[str, float]] = {}
    # One family of buckets at a time: on a large corpus each holds millions of keys.
    for keys_of, threshold in (
        (_distinctive_keys, CANDIDATE_THRESHOLD),
        (_claim_keys, NEAR_DUPLICATE),
    ):
        buckets: dict[tuple, list[str]] = defaultdict(list)
        for article_id, article_claims in by_article.items():
            for key in {key for claim in article_claims for key in keys_of(claim)}:
                buckets[key].append(article_id)
        for key in sorted(buckets):
            members = sorted(m for m in buckets.pop(key) if m in hashes)
            if len(members) < 2:
                continue
            for a, b, similarity in _close_pairs(members, hashes, threshold):
                # Candidates are the articles that share a claim key.
                if a in retells.get(b, ()) or not _share_key(by_article[a], by_article[b]):
                    continue
                # A retelling repeats the story's figures. Figures on no stated day, or one
                # place on a busy day, are common to unrelated stories: one agreement must
                # be distinctive, unless the two texts are near duplicates.
                repeated, sure = _repeats(by_article[a], by_article[b])
                if repeated and (sure or similarity >= NEAR_DUPLICATE):
                    retells.setdefault(b, {})[a] = similarity
    story_of: dict[str, str] = {}
    for article_id in sorted(hashes.ids):
        first = [(-similarity, a) for a, similarity in retells.get(article_id, {}).items()]
        first = [(rank, a) for rank, a in first if story_of[a] == a]
        story_of[article_id] = min(first)[1] if first else article_id
    return story_of
