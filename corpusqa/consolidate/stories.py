"""Stories: articles that retell the same story.

Retellings are paraphrases, so shared wording alone misses them, and every article in this
corpus is about drones, so topic similarity alone merges everything. Two articles are one
story when MinHash LSH finds their vocabularies close (a candidate, found without comparing
all pairs) and they report at least one claim that agrees (see `events.agree`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from wordfreq import zipf_frequency

from .events import ClaimRow, agree

NUM_PERM = 64
# 32-bit hash values: a signature is NUM_PERM * 4 bytes per article.
SCHEME = "affine32"
# Candidates need this much of their content vocabulary in common (estimated Jaccard).
CANDIDATE_THRESHOLD = 0.15
# Words more frequent than this in English (Zipf scale) say nothing about the story.
COMMON_WORD_ZIPF = 5.5
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _common(word: str) -> bool:
    return zipf_frequency(word, "en") >= COMMON_WORD_ZIPF


def content_words(text: str) -> set[str]:
    """The lower-cased words of TEXT that are not among the commonest English words."""
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if not _common(w)}


def signature(text: str) -> bytes:
    """A MinHash of TEXT's content words, as bytes for storage."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch([word.encode("utf-8") for word in sorted(content_words(text))])
    return minhash.hashvalues.astype(np.uint32).tobytes()


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


def group_stories(signatures: dict[str, bytes], claims: Iterable[ClaimRow]) -> dict[str, str]:
    """Map every article id to its story id: the smallest article id in its story."""
    ids = sorted(signatures)
    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    hashes = {}
    for article_id in ids:
        hashes[article_id] = _minhash(signatures[article_id])
        lsh.insert(article_id, hashes[article_id])
    by_article: dict[str, list[ClaimRow]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article_id in ids:
        for other in lsh.query(hashes[article_id]):
            if other <= article_id or find(other) == find(article_id):
                continue
            if any(
                agree(a, b, same_story=True)
                for a in by_article[article_id]
                for b in by_article[other]
            ):
                low, high = sorted((find(article_id), find(other)))
                parent[high] = low
    return {article_id: find(article_id) for article_id in ids}
