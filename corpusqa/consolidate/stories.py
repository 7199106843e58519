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
from itertools import combinations

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
# Claim buckets up to this size are compared pair by pair; larger ones go through LSH.
SMALL_BUCKET = 64
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
        detail = ("window", claim.time_start, claim.time_end)
    else:
        detail = ("quantity", claim.quantity)
    return [(claim.object, place, *detail) for place in claim.places]


def _candidate_pairs(members: list[str], hashes: dict[str, np.ndarray]) -> Iterable[tuple]:
    """Pairs of articles in one claim bucket worth comparing: all of them in a small bucket,
    those MinHash LSH finds close in a large one (a common figure such as "one drone over
    Belgorod" says little on its own)."""
    if len(members) <= SMALL_BUCKET:
        return combinations(members, 2)
    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    minhashes = {m: _minhash(hashes[m].tobytes()) for m in members}
    for member, minhash in minhashes.items():
        lsh.insert(member, minhash)
    return ((m, other) for m in members for other in lsh.query(minhashes[m]) if m < other)


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
    signatures: dict[str, bytes | None], claims: Iterable[ClaimRow]
) -> dict[str, str]:
    """Map every article id to its story id: the smallest article id in its story.

    Candidates are articles that share a claim key; within a large bucket, MinHash LSH
    narrows them to articles of close vocabulary. A candidate pair is one story when its
    estimated vocabulary overlap reaches CANDIDATE_THRESHOLD, every claim of one agrees with
    a claim of the other, and one agreement is distinctive (see `_repeats`), or the texts
    are near duplicates.
    """
    ids = sorted(signatures)
    # An article with no claim has no signature: it shares no claim key, so it is never
    # a candidate and stays a story of its own.
    hashes = {
        i: np.frombuffer(signatures[i], dtype=np.uint32) for i in ids if signatures[i] is not None
    }
    by_article: dict[str, list[ClaimRow]] = defaultdict(list)
    buckets: dict[tuple, set[str]] = defaultdict(set)
    for claim in claims:
        by_article[claim.article_id].append(claim)
        for key in _claim_keys(claim):
            buckets[key].add(claim.article_id)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for key in sorted(buckets):
        members = sorted(m for m in buckets[key] if m in hashes)
        for a, b in _candidate_pairs(members, hashes):
            if find(a) == find(b):
                continue
            similarity = float(np.mean(hashes[a] == hashes[b]))
            if similarity < CANDIDATE_THRESHOLD:
                continue
            # A retelling repeats the story's figures. Figures on no stated day, or one
            # place on a busy day, are common to unrelated stories: one agreement must be
            # distinctive, unless the two texts are near duplicates.
            repeated, distinctive = _repeats(by_article[a], by_article[b])
            if repeated and (distinctive or similarity >= NEAR_DUPLICATE):
                low, high = sorted((find(a), find(b)))
                parent[high] = low
    return {article_id: find(article_id) for article_id in ids}
