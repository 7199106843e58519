"""Sentences and tokens with character offsets into the body."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from ..lexicon import LEXICON

# A sentence ends at . ! or ? followed by space and a capital, digit or opening quote, or
# at a line break. Abbreviations that end in a full stop do not end a sentence. Copy pasted
# together glues sentences ("on Monday.Ukrainian forces"): a stop after a lower-case word
# and before a capitalised one ends a sentence too. The match begins with the stop (which
# the sentence keeps) or the line break: a pattern that begins with a set of characters is
# scanned for them, several times faster than one that looks back at every position.
_END = re.compile(
    r"""[.!?\n](?:(?<=[.!?])(?:["'’”)]*[ \t]+(?=["'‘“(]?[A-Z0-9])"""
    r"""|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z]))|(?<=\n)\n*)"""
)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:a\.m|p\.m|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Maj|Sgt|No|vs|approx|U\.S|U\.K|e\.g|i\.e|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|"
    r"\b[A-Z]\.)$"
)
_LONGEST_ABBREVIATION = len("approx.")
# "... within four regions, namely:" and a line of its list, bulleted or not ("two UAVs
# were destroyed over A;" on a line of its own): a list item goes on with the sentence
# that introduced it.
_INTRODUCES = re.compile(r"[:;,][ \t]*$")
_ITEM = re.compile(r"[ \t]*(?:[•·▪◦*–-][ \t]|[a-z0-9])")


@dataclass(frozen=True, init=False)
class Sentence:
    """A sentence: `text == body[start:end]`; `paragraph` counts line-separated blocks."""

    index: int
    start: int
    end: int
    paragraph: int
    text: str

    def __init__(self, index: int, start: int, end: int, paragraph: int, text: str) -> None:
        # What a frozen dataclass's own __init__ does, but into the instance's dict, in the
        # same order: that one calls object.__setattr__ for each field, and an article makes
        # sentences and mentions by the dozen.
        fields = self.__dict__
        fields["index"] = index
        fields["start"] = start
        fields["end"] = end
        fields["paragraph"] = paragraph
        fields["text"] = text


def sentences(body: str) -> list[Sentence]:
    """Split BODY into sentences, each with its offsets and paragraph number."""
    result: list[Sentence] = []
    start = 0
    paragraph = 0
    pieces: list[tuple[int, int, bool]] = []
    for match in _END.finditer(body):
        newline = body[match.start()] == "\n"
        stop = match.start() if newline else match.start() + 1
        # Only the candidate's last characters can end in an abbreviation: searching the
        # whole of it made "A. A. A. ..." quadratic, the candidate growing at every stop.
        tail = max(start, stop - _LONGEST_ABBREVIATION)
        if not newline and _ABBREVIATIONS.search(body, tail, stop):
            continue
        if newline and _ITEM.match(body, match.end()) and _INTRODUCES.search(body, tail, stop):
            continue
        pieces.append((start, stop, newline))
        start = match.end()
    pieces.append((start, len(body), False))
    for begin, end, newline in pieces:
        piece = body[begin:end]
        text = piece.strip()
        if text:
            stripped_begin = begin + len(piece) - len(piece.lstrip())
            result.append(
                Sentence(len(result), stripped_begin, stripped_begin + len(text), paragraph, text)
            )
        if newline:
            paragraph += 1
    return result


@lru_cache(maxsize=1)
def _credit_line_end() -> re.Pattern[str]:
    words = "|".join(
        re.escape(word)
        for word in [*LEXICON["photo_credit_words"], *LEXICON["photo_credit_agencies"]]
    )
    return re.compile(rf"\([^()\n]*\b(?:{words})\b[^()\n]*\)[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _photo_word() -> re.Pattern[str]:
    words = "|".join(re.escape(word) for word in LEXICON["photo_credit_words"])
    return re.compile(rf"\b(?:{words})\b")


def captions(body: str, sentences: list[Sentence]) -> frozenset[int]:
    """The indices of the SENTENCES of BODY that caption a photo: those of a line that ends
    with a photo's credit in brackets ("A serviceman flies a drone near Chasiv Yar on April
    27, 2024. (AFP Photo)"), or with an agency's name alone ("(Reuters)") after one sentence.
    A caption tells when and where its picture was taken, which is no day or place of the
    report it stands in."""
    if "(" not in body:
        return frozenset()
    found: set[int] = set()
    for match in _credit_line_end().finditer(body):
        begin = body.rfind("\n", 0, match.start()) + 1
        line = [s.index for s in sentences if begin <= s.start < match.end()]
        # The credit is a sentence of its own, or ends the caption's.
        if len(line) <= 2 or _photo_word().search(match.group()):
            found.update(line)
    return frozenset(found)


_Reading = TypeVar("_Reading")
_FORGET: list[Callable[[], None]] = []


def read_once(read: Callable[[str], _Reading]) -> Callable[[str], _Reading]:
    """READ, a pure function of a sentence's text, remembered until the next article: the
    stages of an article read the same sentences again (the figures, then the claims' days
    and windows, then the article's day), each once. Bounded, for callers outside `extract`
    that never start a new article."""
    remembered = lru_cache(maxsize=256)(read)
    _FORGET.append(remembered.cache_clear)
    return remembered


def new_article() -> None:
    """Forget what read_once remembered of the sentences of the article before."""
    for forget in _FORGET:
        forget()


# A byte of text: its letters in lower case, every digit "0", everything else a space.
_WORD_BYTES = bytes(
    byte if 97 <= byte <= 122 else byte + 32 if 65 <= byte <= 90 else 48 if 48 <= byte <= 57 else 32
    for byte in range(256)
)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
# The letters that are not ASCII but which str.lower() or re.IGNORECASE take for ASCII ones.
_ASCII_LIKE = frozenset("\u0130\u0131\u017f\u212a")


def ascii_words(text: str) -> bytes | None:
    """TEXT in lower case with its ASCII letters kept, every digit made "0" and every other
    character a space; None when a character that is not ASCII is a digit or a letter case
    folds to an ASCII one. The tests before the figures' patterns read it: a number word or
    an object the patterns find in such a text is one of its words, or begins with one.
    Made again for each, as a byte table makes it quicker than a memo finds it."""
    if text.isascii():
        return text.encode().translate(_WORD_BYTES)
    # Most texts that are not ASCII hold only curly quotes and dashes. A loop, as any() over
    # a generator costs more.
    for char in set(_NOT_ASCII.findall(text)):
        if char.isdigit() or char in _ASCII_LIKE:
            return None
    return text.encode("ascii", "replace").translate(_WORD_BYTES)
