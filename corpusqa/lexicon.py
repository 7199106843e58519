"""The extractors' word lists, loaded once from data/lexicon.yml."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from heapq import heapify, heappop, heapreplace
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"

LEXICON: dict[str, Any] = yaml.safe_load((DATA / "lexicon.yml").read_text(encoding="utf-8"))


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of WORDS, longest first, as a trie ("Kursk|Kursk Oblast" becomes
    "Kursk(?: Oblast)?"): with hundreds of place names a flat alternation makes the regex
    engine try every name at every position, a trie only the names that share a prefix."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


# The letters re.IGNORECASE takes for ASCII ones that str.lower() leaves unlike them: "İ"
# lowers to "i" and a combining dot; the dotless "ı" and the long "ſ" stay as they are.
_IGNORECASE_LETTERS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def folded(text: str) -> str:
    """TEXT in lower case, with every letter that re.IGNORECASE matches to an ASCII letter
    made that letter: a word not in it matches a case-insensitive pattern nowhere in TEXT,
    which makes `word in folded(text)` a cheap test before a costly pattern."""
    if text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        # str.translate reads a text that is not ASCII a character at a time, through a
        # dict: most such texts hold only a curly quote, and none of the three letters.
        return text.lower()
    return text.translate(_IGNORECASE_LETTERS).lower()


class Prefiltered:
    """PATTERN, run only on a text that holds one of WORDS, one of which every match of
    PATTERN holds: a test of a few `in`s spares most sentences a pattern that tries every
    position. Searched like PATTERN, with `search` and `finditer`."""

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str]) -> None:
        self.pattern = pattern
        self._ignorecase = bool(pattern.flags & re.IGNORECASE)
        self._words = sorted({word.lower() if self._ignorecase else word for word in words})

    # The test is made in `search` and `finditer` themselves, not in a method of its own:
    # they are called by the hundred per article, and a call costs more than the test.
    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        held = text
        if bounds:
            # Only the part searched: a few words of a whole body are searched often.
            end = min(max(bounds[1], 0), len(text)) if len(bounds) > 1 else len(text)
            held = text[max(bounds[0], 0) : end]
        if self._ignorecase:
            # folded(), whose quick case is inlined.
            held = held.lower() if held.isascii() else folded(held)
        # A loop, as any() over a generator of a few words costs twice as much.
        for word in self._words:
            if word in held:
                return self.pattern.search(text, *bounds)
        return None

    def finditer(self, text: str, *bounds: int) -> Iterator[re.Match[str]]:
        held = text
        if bounds:
            end = min(max(bounds[1], 0), len(text)) if len(bounds) > 1 else len(text)
            held = text[max(bounds[0], 0) : end]
        if self._ignorecase:
            held = held.lower() if held.isascii() else folded(held)
        for word in self._words:
            if word in held:
                return self.pattern.finditer(text, *bounds)
        return iter(())


class Prescanned:
    """PATTERN, tried only where one of STARTS begins in the folded text: every match of
    PATTERN begins with one of STARTS (ASCII words, in any case). A case-insensitive pattern
    that opens with a word boundary or a lookbehind is tried at every position of a text;
    a case-sensitive scan for STARTS skips to the letters they begin with, and PATTERN
    itself is matched only there, so that its matches are PATTERN's own. Searched like
    PATTERN, with `search` and `finditer`."""

    def __init__(self, pattern: re.Pattern[str], starts: Iterable[str]) -> None:
        self.pattern = pattern
        self._starts = re.compile(alternation({folded(start) for start in starts}))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        held, base, end = _window(text, pos, endpos)
        scan, match = self._starts.search, self.pattern.match
        at = 0
        while (start := scan(held, at)) is not None:
            found = match(text, base + start.start(), end)
            if found is not None:
                return found
            at = start.start() + 1
        return None

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        held, base, end = _window(text, pos, endpos)
        scan, match = self._starts.search, self.pattern.match
        at = 0
        while (start := scan(held, at)) is not None:
            found = match(text, base + start.start(), end)
            if found is None:
                at = start.start() + 1
                continue
            yield found
            at = max(found.end() - base, start.start() + 1)


class Anchored:
    """PATTERN, tried only where one of WORDS occurs: every match of PATTERN, a case-sensitive
    one, begins with one of WORDS as they are written. For a few words that begin with
    common letters ("governor", "mayor") a look for each with `str.find` is many times
    quicker than a scan of the pattern, which the regex engine tries wherever one of their
    first letters stands. Searched like PATTERN, with `search`."""

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str]) -> None:
        self.pattern = pattern
        self._words = sorted(set(words))
        # The text searched last, and for each word where it stands first from a position
        # (-1 for nowhere): first_word_start_matches searches one text again and again from
        # further on, and a word looked for anew each time from there, when it stands
        # nowhere after, made a text of many matches quadratic.
        self._seen: tuple[str, dict[str, tuple[int, int]]] = ("", {})

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        pos = max(pos, 0)
        if self._seen[0] is not text:
            self._seen = (text, {})
        seen = self._seen[1]
        heads = []
        for word in self._words:
            known = seen.get(word)
            if known is not None and known[0] <= pos and (known[1] < 0 or known[1] >= pos):
                at = known[1]
            else:
                at = text.find(word, pos)
                seen[word] = (pos, at)
            if at >= 0:
                heads.append((at, word))
        # The places the words stand, in text order, up to the first that starts a match.
        heapify(heads)
        while heads:
            at, word = heads[0]
            match = self.pattern.match(text, at)
            if match is not None:
                return match
            following = text.find(word, at + 1)
            seen[word] = (at + 1, following)
            if following >= 0:
                heapreplace(heads, (following, word))
            else:
                heappop(heads)
        return None


def _window(text: str, pos: int, endpos: int | None) -> tuple[str, int, int]:
    """The folded part of TEXT a search from POS to ENDPOS reads, where it begins and ends:
    only that part is folded, as a few words of a whole body are searched often."""
    if not pos and endpos is None:
        return folded(text), 0, len(text)
    end = len(text) if endpos is None else min(max(endpos, 0), len(text))
    base = min(max(pos, 0), end)
    return folded(text[base:end] if base or end < len(text) else text), base, end


def word_start_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` would give were PATTERN to begin with `(?<![\\w-])`:
    the matches that start a word. The check is made here because a leading lookbehind keeps
    the regex engine from skipping to the characters a name can begin with, which makes a
    scan for hundreds of names several times slower."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
            position = start + 1
            continue
        yield match
        position = max(match.end(), start + 1)


def first_word_start_matches(
    patterns: Sequence[re.Pattern[str] | Anchored], text: str
) -> Iterator[re.Match[str]]:
    """What word_start_matches would give for one pattern whose branches are PATTERNS, in
    their order (the first of two matches that start together). One pattern of branches
    that begin with different things ("the ..." or a name) begins with no one character,
    and the regex engine tries it at every position; each of PATTERNS it skips to the
    characters its matches begin with. Each pattern's next match is kept until the scan
    passes it, so that none is searched for again over the same text."""
    pending = [pattern.search(text) for pattern in patterns]
    while True:
        # The first to start, the first of PATTERNS when two start together.
        match = None
        for found in pending:
            if found is not None and (match is None or found.start() < match.start()):
                match = found
        if match is None:
            return
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
            position = start + 1
        else:
            yield match
            position = max(match.end(), start + 1)
        for i, found in enumerate(pending):
            if found is not None and found.start() < position:
                pending[i] = patterns[i].search(text, position)
