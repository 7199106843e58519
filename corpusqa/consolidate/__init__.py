"""Corpus-level consolidation: stories, events and quality flags."""

from __future__ import annotations

import hashlib
from functools import lru_cache


# Keys recur across articles (an object over a place on a day): each is hashed once.
@lru_cache(maxsize=2**17)
def key_hash(family: str, key: tuple) -> int:
    """KEY of FAMILY ("claim", "event", ...) as a signed 64-bit integer, to store in an
    indexed column: an update finds the rows that share a key without reading the corpus."""
    digest = hashlib.blake2b(repr((family, key)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
