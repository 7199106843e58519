"""Clock times and time windows ("from 11:30 pm to 7:00 am", "between 20:00 and 23:30")."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from ..lexicon import LEXICON, folded
from .numbers import matches_at, text_words, word_starts
from .text import read_once

_MERIDIEM = r"(?P<{name}m>[ap]\.m\.|[ap]m\b)"
_CLOCK = r"(?P<{name}>midnight|noon|\d{{1,2}}(?::\d{{2}})?)(?![\d:])(?:\s*" + _MERIDIEM + ")?"
_WINDOW = re.compile(
    r"\b(?:from|between)\s+"
    + _CLOCK.format(name="a")
    # "between 11:00 p.m. Moscow time (8:00 p.m. GMT) on December 24 and 7:00 a.m.": the
    # wire's own time in brackets, and the day of the start.
    + r"(?:\s+(?:Moscow|Kyiv|Kiev)\s+time|\s+(?:MSK|GMT|UTC))?(?:\s*\([^()]{1,40}\))?"
    + r"(?:,?\s+on\s+(?:\w+\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}\s+\w+))?,?\s+(?:to|and|until|till)\s+"
    + _CLOCK.format(name="b"),
    re.IGNORECASE,
)
_HHMM = r"\d{1,2}:\d{2}(?!\d)|[012]\d[0-5]\d(?=\s*(?:GMT|UTC))"
_PLAIN_WINDOW = re.compile(
    rf"(?<![\d:])(?P<a>{_HHMM})(?:\s*(?:GMT|UTC))?\s*(?:to|until|till|and|-|–)\s*"
    rf"(?P<b>{_HHMM})(?:\s*(?:GMT|UTC))?",
    re.IGNORECASE,
)
_NIGHT = re.compile(r"\b(?:overnight|during the night|at night|night|nighttime)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    """A time window: 24-hour HH:MM start and end; `night` when it crosses midnight."""

    start_time: str
    end_time: str
    night: bool
    start: int
    end: int


def _clock(value: str, meridiem: str | None) -> tuple[int, int] | None:
    value = value.lower()
    if value == "midnight":
        return 0, 0
    if value == "noon":
        return 12, 0
    hour, _, minute = value.partition(":")
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59:
        return None
    if meridiem:
        pm = meridiem.lower().startswith("p")
        if h == 12:
            h = 12 if pm else 0
        elif pm:
            h += 12
    return h % 24, m


def windows(text: str, offset: int = 0) -> list[Window]:
    """Every time window in TEXT, in 24-hour form.

    A meridiem given only on the end applies to the start too when that keeps the start
    before the end ("between 2:00 and 5:00 pm" is 14:00 to 17:00). A bare hour with no
    meridiem and no minutes is not a clock time ("from 2 to 5 drones").
    """
    return [
        Window(w.start_time, w.end_time, w.night, w.start + offset, w.end + offset) if offset else w
        for w in _windows(text)
    ]


@read_once
def _windows(text: str) -> tuple[Window, ...]:
    found: list[Window] = []
    # A window needs "from" or "between" (_WINDOW), or a clock time written with a colon
    # or before GMT or UTC (_PLAIN_WINDOW): most sentences have none, and are not scanned,
    # and each pattern is run only on a text that holds what it needs.
    lower = folded(text)
    worded = "from" in lower or "between" in lower
    clocked = ":" in text or "gmt" in lower or "utc" in lower
    if not (worded or clocked):
        return ()
    # Once for the text, not once per window: a text of many windows made it quadratic.
    night_named = mentions_night(text)
    # _WINDOW, which opens with a word boundary, is tried only where "from" or "between"
    # stands, rather than at every position.
    worded_starts = word_starts(lower, [b"from", b"between"]) if worded else []
    for match in matches_at(_WINDOW, text, worded_starts):
        a, am, b, bm = match.group("a", "am", "b", "bm")
        if not any(":" in x or x.lower() in ("midnight", "noon") for x in (a, b)) and not (
            am or bm
        ):
            continue
        if am is None and bm is not None:
            start_pm = _clock(a, bm)
            start_plain = _clock(a, None)
            end = _clock(b, bm)
            if start_pm is None or end is None or start_plain is None:
                continue
            start = start_pm if start_pm <= end else start_plain
        else:
            start, end = _clock(a, am), _clock(b, bm)
            if start is None or end is None:
                continue
        night = end < start or start == (0, 0) or night_named
        found.append(
            Window(
                f"{start[0]:02d}:{start[1]:02d}",
                f"{end[0]:02d}:{end[1]:02d}",
                night,
                match.start(),
                match.end(),
            )
        )
    # "the window of 23:00 to 07:00", "between 0400 GMT and 0700 GMT": two written clock
    # times need no "from" or "between", and wire copy writes hours as four digits.
    taken = [(w.start, w.end) for w in found]
    for match in _plain_windows(text, lower) if clocked else ():
        if _inside(taken, match.start()):
            continue
        start = _clock(_colon(match.group("a")), None)
        end = _clock(_colon(match.group("b")), None)
        if start is None or end is None:
            continue
        found.append(
            Window(
                f"{start[0]:02d}:{start[1]:02d}",
                f"{end[0]:02d}:{end[1]:02d}",
                end < start or start == (0, 0) or night_named,
                match.start(),
                match.end(),
            )
        )
    return tuple(sorted(found, key=lambda w: w.start))


def _plain_windows(text: str, lower: str) -> Iterable[re.Match[str]]:
    """_PLAIN_WINDOW's matches in TEXT (LOWER folded). A window's first clock time is
    written with a colon one or two characters after its start unless wire copy's four
    digits before GMT or UTC: in a text with neither, the pattern, which opens with a
    lookbehind and would be tried at every position, is tried only before its colons."""
    if "gmt" in lower or "utc" in lower:
        return _PLAIN_WINDOW.finditer(text)
    starts = []
    colon = text.find(":")
    while colon >= 0:
        starts.extend((max(0, colon - 2), max(0, colon - 1)))
        colon = text.find(":", colon + 1)
    return matches_at(_PLAIN_WINDOW, text, starts)


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether POSITION falls in one of SPANS (in text order, not overlapping)."""
    i = bisect_right(spans, (position, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _colon(value: str) -> str:
    return value if ":" in value else f"{value[:2]}:{value[2:]}"


def mentions_night(text: str) -> bool:
    """True when TEXT says the events happened at night."""
    # Every word _NIGHT reads holds "night": a cheap test first.
    return "night" in folded(text) and bool(_NIGHT.search(text))


# "at 18:40", "at around 7am", "around 14.30 Moscow time", "(from 18:00 on September 23)":
# one clock time, which a claim takes as the start of its window. A time a statement was
# made ("said at 10:40", "updated 06:20") is not one.
_MOMENT = re.compile(
    r"\b(?:at\s+(?:(?:around|about|approximately)\s+)?|(?:around|about)\s+|from\s+)"
    # "around 0500 GMT", as wire copy writes the hour in four figures.
    r"(?:(?P<h4>[012]\d)(?P<m4>[0-5]\d)(?=\s*(?:GMT|UTC)\b)|"
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?!\d)\s*(?P<mer>[ap]\.?m\.?)?(?![\w.]\w))"
    r"(?!\s*(?:km|kilomet|miles?|metres|meters|per|%|million|billion))",
    re.IGNORECASE,
)
_MOMENT_FIRST = frozenset([b"at", b"around", b"about", b"from"])
_DIGIT = re.compile(r"\d")
_STATED_AT = re.compile(
    r"\b(?:said|says|reported|posted|published|updated|wrote|announced|statement)"
    r"(?:\s+(?!that\b)[\w-]+){0,2}\s+$",
    re.IGNORECASE,
)

# "At about 5:50 p.m., the mayor announced that ...": the time a statement was made, told
# before whoever made it; not "at 18:40 two drones were destroyed, the ministry said", nor
# "repelled at 10:05 Moscow time, as stated by the ministry".
_STATED_AFTER = re.compile(
    r"(?:[\s,]+(?!(?:was|were|been|being|is|are|as)\b)[\w’'.-]+){0,4}?[\s,]+"
    r"(?:said|says|reported|announced|wrote|posted|stated)\b",
    re.IGNORECASE,
)


# "around two o'clock in the morning", "at 11 at night": an hour told by the part of the
# day, as translations from Russian write it. The part of the day is the meridiem.
_HOUR_WORDS = {
    w: v for w, v in LEXICON["number_words"]["units"].items() if v <= 12 and w != "dozen"
}
_DAY_HOUR = re.compile(
    r"\b(?:at\s+(?:(?:around|about|approximately)\s+)?|(?:around|about)\s+)"
    rf"(?P<h>\d{{1,2}}|{'|'.join(_HOUR_WORDS)})(?:\s+o['’]clock)?\s+"
    r"(?P<part>in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b",
    re.IGNORECASE,
)


def _day_hour(hour: str, part: str) -> tuple[int, int] | None:
    h = int(hour) if hour.isdigit() else _HOUR_WORDS[hour.lower()]
    if not 1 <= h <= 12:
        return None
    part = part.lower()
    # Nine to eleven "at night" are evening hours; one to five are after midnight.
    pm = "afternoon" in part or "evening" in part or ("night" in part and h >= 6)
    return _clock(str(h), "pm" if pm else "am")


def _moments(text: str) -> Iterable[re.Match[str]]:
    """_MOMENT's matches in TEXT. Every time it reads has a digit: most texts have none,
    and are not scanned. It opens with one of _MOMENT_FIRST, a whole word: in a text whose
    words ascii_words reads, it is tried only where those the text holds stand, rather than
    at every position."""
    read = text_words(text)
    if read is None:
        return _MOMENT.finditer(text) if _DIGIT.search(text) else ()
    words, digits = read
    if not digits:
        return ()
    return matches_at(_MOMENT, text, word_starts(folded(text), _MOMENT_FIRST.intersection(words)))


def moments(text: str, offset: int = 0) -> list[tuple[str, int]]:
    """Every single clock time in TEXT at which something happened, as (HH:MM, offset): a
    time with minutes or a meridiem after "at" or "around", not inside a window, or an
    hour told with its part of the day ("around two o'clock in the morning" is 02:00)."""
    spans = [(w.start, w.end) for w in _windows(text)]
    found = []
    lower = folded(text)
    if "morning" in lower or "night" in lower or "evening" in lower or "afternoon" in lower:
        for match in _DAY_HOUR.finditer(text):
            clock = _day_hour(match.group("h"), match.group("part"))
            if clock is not None and not _inside(spans, match.start()):
                found.append((f"{clock[0]:02d}:{clock[1]:02d}", match.start() + offset))
    for match in _moments(text):
        hour, minutes, meridiem = match.group("h"), match.group("m"), match.group("mer")
        if match.group("h4"):
            hour, minutes = match.group("h4"), match.group("m4")
        if minutes is None and meridiem is None:
            continue
        if _inside(spans, match.start()):
            continue
        if _STATED_AT.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        if _STATED_AFTER.match(text, match.end()):
            continue
        clock = _clock(f"{hour}:{minutes or '00'}", meridiem.replace(".", "") if meridiem else None)
        if clock is not None:
            found.append((f"{clock[0]:02d}:{clock[1]:02d}", match.start() + offset))
    return sorted(found, key=lambda moment: moment[1])
