"""Quantities written in digits or words, with the qualifier in front of them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import LEXICON, folded
from ..lexicon import alternation as _alternation
from .text import ascii_words, read_once

_UNITS: dict[str, int] = LEXICON["number_words"]["units"]
_TENS: dict[str, int] = LEXICON["number_words"]["tens"]
_SCALES: dict[str, int] = LEXICON["number_words"]["scales"]
_QUALIFIERS: dict[str, str] = LEXICON["qualifiers"]
_INCREMENTAL_BEFORE = LEXICON["incremental"]["before"]
_INCREMENTAL_AFTER = LEXICON["incremental"]["after"]


_WORD_NUMBER = (
    rf"(?:(?:{_alternation(_TENS)})(?:[- ](?:{_alternation(_UNITS)}))?|(?:{_alternation(_UNITS)}))"
    rf"(?:\s+(?:{_alternation(_SCALES)}))?"
)
_DIGIT_RUN = r"\d{1,3}(?:,\d{3})+|\d+"
# A number glued to a word by a hyphen describes it ("one-way attack drones", "a 3-hour
# window"), it counts nothing; nor does an hour ("two o'clock", "5 in the morning").
_NOT_AN_HOUR = (
    r"(?!-[A-Za-z])(?!\s+o['’]clock|\s+in\s+the\s+(?:morning|afternoon|evening)\b"
    r"|\s+at\s+night\b)"
)
_NUMBER = re.compile(
    rf"(?<![\w.,:/-])(?:(?P<digits>{_DIGIT_RUN})(?![\w:/]|[.,]\d)|(?P<words>{_WORD_NUMBER})\b)"
    + _NOT_AN_HOUR,
    re.IGNORECASE,
)
# _NUMBER for a text of ASCII letters and digits with no number word: the digits alone,
# begun with the digit (the test of the character before it just after), which the regex
# engine skips to rather than trying every position.
_DIGITS = re.compile(
    rf"(?P<digits>\d(?<![\w.,:/-]\d)(?:\d{{0,2}}(?:,\d{{3}})+|\d*))(?![\w:/]|[.,]\d){_NOT_AN_HOUR}",
    re.IGNORECASE,
)
# The number words as ascii_words reads them; None when one is not a word of ASCII letters,
# which a text's words could not be tested for.
_NUMBER_WORDS = (
    frozenset(word.lower().encode() for word in [*_UNITS, *_TENS])
    if all(word.isascii() and word.isalpha() for word in [*_UNITS, *_TENS])
    else None
)
_QUALIFIER = re.compile(rf"\b(?P<q>{_alternation(_QUALIFIERS)})\s+$", re.IGNORECASE)
_INCREMENT_BEFORE = re.compile(rf"\b(?:{_alternation(_INCREMENTAL_BEFORE)})\s+$", re.IGNORECASE)
# Matched at the number's end, up to 20 characters on.
_INCREMENT_AFTER = re.compile(rf"\s+(?:{_alternation(_INCREMENTAL_AFTER)})\b", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"\ban?\s+$", re.IGNORECASE)
# The last word of every phrase those three patterns end with, before the space.
_LAST_WORDS = frozenset(
    phrase.split()[-1].lower() for phrase in [*_QUALIFIERS, *_INCREMENTAL_BEFORE, "a", "an"]
)
# Where a run of digits begins: the only digits _NUMBER, which no word character may precede,
# can begin with.
_DIGIT_RUN_START = re.compile(r"\d+")
_ARTICLE = re.compile(r"\b(?P<a>an?|one|single)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number in the text: `start`/`end` cover the qualifier and the number."""

    value: int
    qualifier: str
    incremental: bool
    start: int
    end: int
    number_start: int
    surface: str


@lru_cache(maxsize=1024)
def word_value(words: str) -> int:
    """The value of a number written in words: "twenty-three" is 23, "two hundred" is 200."""
    total = 0
    parts = re.split(r"[\s-]+", words.lower())
    for part in parts:
        if part in _SCALES:
            total = max(total, 1) * _SCALES[part]
        elif part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
    return total


def quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every number in TEXT, with its qualifier ("more than", "about", ...) and increment marker.

    Offsets are TEXT's own plus OFFSET. Years, clock times, decimals and numbers glued to
    letters ("S-400", "3.5") are not quantities.
    """
    found: list[Quantity] = []
    pattern = _NUMBER
    read = text_words(text)
    if read is not None and _NUMBER_WORDS is not None:
        # A number word _NUMBER reads in a text of ASCII letters is one of its words.
        words, digits = read
        held = _NUMBER_WORDS.intersection(words)
        if not (digits or held):
            return found
        if held:
            # Its digits are ASCII ones, and its number words ASCII letters: _NUMBER, which
            # looks back first and would be tried at every position, is tried only where a
            # run of digits or one of the text's number words begins (found with str.find).
            starts = word_starts(folded(text), held)
            if digits:
                starts.extend(m.start() for m in _DIGIT_RUN_START.finditer(text))
                starts.sort()
            return [_quantity(text, match, offset) for match in matches_at(_NUMBER, text, starts)]
        pattern = _DIGITS
    for match in pattern.finditer(text):
        found.append(_quantity(text, match, offset))
    return found


@read_once
def text_words(text: str) -> tuple[tuple[bytes, ...], bool] | None:
    """The words of TEXT as ascii_words reads them, and whether it holds a digit; None when
    ascii_words cannot read it. Read before the patterns of numbers, objects, verbs, words
    of saying and days that find whole words: made once a sentence. The words are set
    against a few sets of words, which costs no more than a set of them would to make."""
    words = ascii_words(text)
    if words is None:
        return None
    return tuple(words.split()), b"0" in words


def _quantity(text: str, match: re.Match[str], offset: int) -> Quantity:
    """The quantity a match of _NUMBER or _DIGITS reads."""
    digits = match.group("digits")
    value = int(digits.replace(",", "")) if digits else word_value(match.group("words"))
    return _qualify(text, match.start(), match.end(), value, offset)


def word_starts(low: str, words: Iterable[bytes]) -> list[int]:
    """Where each of WORDS (ASCII, as ascii_words gives them) stands in LOW, a folded text,
    in text order: inside other words too."""
    starts: list[int] = []
    for word in words:
        needle = word.decode()
        at = low.find(needle)
        while at >= 0:
            starts.append(at)
            at = low.find(needle, at + 1)
    starts.sort()
    return starts


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` gives when PATTERN can match only at STARTS (in text
    order): each match the first at a start at or after the end of the one before. Tried
    only there, a pattern that opens with a lookbehind is not run at every position."""
    found = []
    at = 0
    match = pattern.match
    for start in starts:
        if start < at:
            continue
        matched = match(text, start)
        if matched is not None:
            found.append(matched)
            at = max(matched.end(), start + 1)
    return found


def article_quantity(text: str, start: int, end: int, offset: int = 0) -> Quantity:
    """A "a"/"an"/"one" at TEXT[start:end] read as the quantity 1."""
    return _qualify(text, start, end, 1, offset)


def _qualify(text: str, start: int, end: int, value: int, offset: int) -> Quantity:
    qualifier = "exact"
    begin = start
    incremental = False
    # A number right after a word ("downed 27") has no qualifier, article or word of
    # increment before it: those end with a space (see _may_qualify).
    before = text[max(0, start - 40) : start] if start and text[start - 1].isspace() else ""
    if before and _may_qualify(before):
        # "about a dozen": the qualifier stands before the article.
        article = _LEADING_ARTICLE.search(before)
        match = _QUALIFIER.search(before[: article.start()] if article else before)
        if match:
            qualifier = _QUALIFIERS[match.group("q").lower()]
            begin = start - (len(before) - match.start())
        incremental = bool(_INCREMENT_BEFORE.search(before))
    incremental = incremental or bool(_INCREMENT_AFTER.match(text, end, end + 20))
    return Quantity(
        value,
        qualifier,
        incremental,
        begin + offset,
        end + offset,
        start + offset,
        text[begin:end],
    )


def _may_qualify(before: str) -> bool:
    """Whether BEFORE can end with a qualifier, an article or a word of increment and the
    space after it: it must end with a space after one of their last words. Most numbers
    follow some other word ("downed 27"), and those three patterns, which end where the
    text does, would be tried at every position of BEFORE. A last word of other letters
    than ASCII ones is left to the patterns, which fold case their own way."""
    words = before.rstrip()
    if len(words) == len(before) or not words:
        return False
    last = words.rsplit(None, 1)[-1]
    return not (last.isascii() and last.isalnum()) or last.lower() in _LAST_WORDS
