"""Normalise article text once, at ingest.

The body this module returns is the reference for every character offset that
later stages record, so it must be deterministic: the same input bytes always
give the same string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"(?:[.…]|[.!?…][\"'”’)]+)\s*$")
_WORD = re.compile(r"[^\W_]+(?:(?:['’\-]|(?<=\d)[.,:](?=\d))[^\W_]+)*")
# _WORD where every character is ASCII: there its classes are these ranges, which the
# regular expression engine matches in two thirds of the time of the Unicode classes.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:(?:['\-]|(?<=[0-9])[.,:](?=[0-9]))[A-Za-z0-9]+)*")


@dataclass
class Normalised:
    """A text after normalisation, with what normalisation changed.

    `notes` records what was removed (a byte-order mark, CR line endings, trailing
    blank lines), because the quality checks report those and the original bytes
    are not kept.
    """

    text: str
    notes: dict[str, int] = field(default_factory=dict)


def normalise(text: str) -> Normalised:
    """Remove a BOM, turn CRLF and CR into LF, apply Unicode NFC, trim trailing blank lines."""
    notes: dict[str, int] = {}
    if text.startswith("\ufeff"):
        notes["bom"] = 1
        text = text[1:]
    crlf = text.count("\r")
    if crlf:
        notes["carriage_returns"] = crlf
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        notes["nfc_changed"] = 1
    text = nfc
    # The trailing blank lines start at the first line break among the text's trailing
    # spaces, tabs and line breaks. Found without a regular expression: a search for one
    # tries every line break of the text, and reading a corpus spent a tenth of its time
    # there.
    cut = text.find("\n", len(text.rstrip("\n \t")))
    if cut != -1:
        blank = text.count("\n", cut) - 1
        if blank > 0:
            notes["trailing_blank_lines"] = blank
        text = text[:cut]
    return Normalised(text, notes)


def split_title(text: str) -> tuple[str | None, str]:
    """Split a normalised text into (title, body).

    A first line followed by a blank line is the title, unless it ends like a sentence (a
    full stop, or a closing quote after . ! or ?): headlines do not, and articles whose
    paragraphs are separated by blank lines open with a sentence that does. The body
    starts at the first non-blank line after the title. Otherwise there is no title and
    the whole text is the body.
    """
    first, sep, rest = text.partition("\n")
    if sep and first.strip() and rest.startswith("\n") and not _SENTENCE_END.search(first):
        return first.strip(), rest.lstrip("\n")
    return None, text


def word_count(text: str) -> int:
    """Count words: runs of letters or digits, joined by an apostrophe or a hyphen.

    "Russia’s" and "anti-aircraft" are one word each, and so are numbers and clock
    times ("3.5", "1,200", "23:30"); an em dash between two words ("safety—they")
    separates them.
    """
    return len((_ASCII_WORD if text.isascii() else _WORD).findall(text))
