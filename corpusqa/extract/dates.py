"""Days: calendar dates ("October 8", "8 October", "July 20th", "May 5, 2025") and days named
relative to publication ("overnight", "yesterday", "on Sunday").

A date is resolved against the article's `published` date, which may be a day
("2024-10-08") or only a month ("2024-10"). How a claim's day was found is its basis:
"stated" (the text names the day), "relative" (a day before publication: "yesterday",
"on Sunday"), "published" (the publication day itself: "overnight", "last night").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..lexicon import folded
from .numbers import matches_at, text_words, word_starts
from .text import read_once

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?P<{n}>"
    + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
    + r")\.?"
)
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{n}>(?:19|20)\d\d))?"
_DATE = re.compile(
    r"\b(?:"
    + _MONTH.format(n="m1")
    + r"\s+"
    + _DAY.format(n="d1")
    + r"\b"
    + _YEAR.format(n="y1")
    + r"|"
    + _DAY.format(n="d2")
    + r"\s+(?:of\s+)?"
    + _MONTH.format(n="m2")
    + r"\b"
    + _YEAR.format(n="y2")
    + r")"
)

# Every date _DATE reads names a month, whose first three letters are capitalised: most
# sentences have none, and this finds that sooner than _DATE, which tries every position.
_MONTH_START = re.compile("|".join(sorted({m[:3].capitalize() for m in MONTHS})))


@dataclass(frozen=True)
class DateMention:
    """A day named in the text; `year` is None when the text gives none."""

    month: int
    day: int
    year: int | None
    start: int
    end: int

    def resolve(self, published: str | None = None) -> str:
        """YYYY-MM-DD when the year is known or PUBLISHED anchors it, else MM-DD.

        Anchored by a publication date, the day is the latest one on or before it: an
        article published on 2024-01-03 that says "December 30" means 2023-12-30. A
        publication month anchors the year the same way ("December 30" in "2024-01" is 2023).
        A day just after publication is of its year: a feed dates copy by one clock, the
        text by another ("November 19" in copy published on November 18, "January 1" in copy
        published on December 31, which is the next year's).
        """
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if published:
            year, month = int(published[:4]), int(published[5:7])
            day = int(published[8:10]) if len(published) >= 10 else 31
            exact = len(published) >= 10
            if exact and _just_after(year + 1, (self.month, self.day), published):
                year += 1
            elif (self.month, self.day) > (month, day) and not (
                exact and _just_after(year, (self.month, self.day), published)
            ):
                year -= 1
            return f"{year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.month:02d}-{self.day:02d}"


# The end of a range of days: "May 4-5", "June 3 to 4", "June 3 to June 4", "March 7th and
# 8th".
_RANGE_END = re.compile(
    r"^(?:st|nd|rd|th)?\s*(?:-|–|to|into|and)\s*(?:[A-Z][a-z]+\.?\s+)?(?P<d>[0-3]?\d)"
    r"(?:st|nd|rd|th)?\b(?!:)"
)


# "on 29/12", "of 28/12": a day and a month in figures. Read only when which is the day is
# plain (a first number over 12 is a day, a second over 12 is one): 05/06 is June 5 in
# Kyiv and May 6 in New York.
_NUMERIC = re.compile(r"\b(?:on|of|since|from|until)\s+(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?![/\d])")


def _numeric_dates(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    if "/" not in text:
        return found
    for match in _NUMERIC.finditer(text):
        a, b = int(match.group("a")), int(match.group("b"))
        if 12 < a <= 31 and 1 <= b <= 12:
            day, month = a, b
        elif 12 < b <= 31 and 1 <= a <= 12:
            day, month = b, a
        else:
            continue
        try:
            dt.date(2000, month, day)
        except ValueError:
            continue
        found.append(DateMention(month, day, None, match.start("a"), match.end()))
    return found


def dates(text: str, offset: int = 0) -> list[DateMention]:
    """Every day-precision date in TEXT; a range of days ("the night of May 4-5") gives both
    its days; a day and month in figures ("on 29/12") when which is which is plain."""
    found = _dates(text)
    if not (found and offset):
        return list(found)
    return [DateMention(d.month, d.day, d.year, d.start + offset, d.end + offset) for d in found]


@read_once
def _dates(text: str) -> tuple[DateMention, ...]:
    found = _numeric_dates(text)
    if not _MONTH_START.search(text):
        return tuple(found)
    for match in _DATE.finditer(text):
        month = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year = match.group("y1") or match.group("y2")
        if not 1 <= day <= 31:
            continue
        number = MONTHS[month.lower().rstrip(".")]
        try:
            # 2000 is a leap year, so 29 February is a real day when no year is given.
            dt.date(int(year) if year else 2000, number, day)
        except ValueError:
            continue
        if month.lower() == "may" and match.group("m1") and not match.group("d1"):
            continue
        found.append(
            DateMention(
                number,
                day,
                int(year) if year else None,
                match.start(),
                match.end(),
            )
        )
        end = _RANGE_END.match(text[match.end() : match.end() + 20])
        if match.group("d1") and end and day < int(end.group("d")) <= 31:
            found.append(
                DateMention(
                    number,
                    int(end.group("d")),
                    int(year) if year else None,
                    match.end() + end.start("d"),
                    match.end() + end.end("d"),
                )
            )
    return tuple(sorted(found, key=lambda d: d.start))


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"


def _relative(weekdays: list[str], flags: int) -> re.Pattern[str]:
    weekday = r"(?P<{n}>" + "|".join(weekdays) + r")"
    # Longest phrases first: "overnight into Monday" names Monday, not the publication day.
    return re.compile(
        r"\b(?:"
        r"(?:overnight|the\s+night)\s+(?:into|to|on)\s+" + weekday.format(n="into") + r"\b"
        # "during the night from Wednesday to Thursday" names Thursday, not the night.
        r"|(?:(?:on|during)\s+)?(?:the\s+night|overnight)\s+(?:of|from)\s+\w+day\s+(?:to|into)\s+"
        + weekday.format(n="to")
        + r"\b"
        r"|(?P<back2>the\s+day\s+before\s+yesterday)"
        r"|(?P<back1>yesterday|the\s+previous\s+(?:night|day|evening)|the\s+day\s+before"
        # "on the eve", translated copy's "yesterday"; "on the eve of the vote" is no day.
        r"|last\s+evening|on\s+the\s+eve(?!\s+of\b))"
        r"|(?:(?:early|late)\s+(?:on\s+)?|on\s+|last\s+)?"
        + weekday.format(n="weekday")
        + _PART
        + r"\b"
        r"|(?P<today>overnight|last\s+night|(?:the\s+)?past\s+night|during\s+the\s+night"
        r"|over\s+nightfall"
        r"|(?<!same\s)(?:at|this|in\s+the)\s+night"
        r"|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today|today"
        r"|(?:earlier|later)\s+in\s+the\s+day|during\s+the\s+day"
        # "in the morning", "an early morning attack": the morning of the day of the news,
        # unless it is the morning of a day named ("in the morning of February 1").
        r"|(?:in\s+the|early)\s+morning(?!\s+of\b)"
        r")"
        # "over the past 24 hours", "in the last day": the day that ends with the news, a
        # day told for the report as "said on Sunday" is.
        r"|(?P<span>(?:past|last)\s+(?:24\s+hours|day))"
        r")\b",
        flags,
    )


_RELATIVE = _relative([w.capitalize() for w in WEEKDAYS], re.IGNORECASE)
# The same in lower case, for the lower-cased text of an ASCII sentence: matched
# case-sensitively, it finds the same spans as _RELATIVE in the sentence, in half the time.
_RELATIVE_LOWER = _relative(list(WEEKDAYS), 0)
# The first word of every phrase _relative reads, as ascii_words gives it.
_RELATIVE_FIRST = frozenset(
    word.encode()
    for word in [
        *WEEKDAYS,
        *"overnight the on during yesterday last early late past over at this in".split(),
        *"tonight earlier today later".split(),
    ]
)
# "said on Monday", "reported Sunday": when the news came out, not when the objects did.
_REPORTED = re.compile(
    r"\b(?:said|says|reported|announced|wrote|stated|posted|added|confirmed|told|statement"
    r"|briefing|update|issued)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# The words that make "day" part of a phrase _RELATIVE reads ("Monday", "yesterday", "the
# day before", "during the day"), where "for days" is none.
_WITH_DAY = (
    *WEEKDAYS,
    "yesterday",
    "today",
    "before",
    "earlier",
    "later",
    "during",
)


def _may_name_a_day(lower: str) -> bool:
    """Whether LOWER, a sentence folded to lower case, holds the words some phrase _RELATIVE
    reads needs: most sentences do not ("until the morning"), and are not scanned. A few
    `in`s, the commonest first."""
    return (
        "night" in lower
        or "previous" in lower
        or "the eve" in lower
        or ("day" in lower and any(word in lower for word in _WITH_DAY))
        or ("evening" in lower and ("this" in lower or "last" in lower))
        or (("morning" in lower or "afternoon" in lower) and "this" in lower)
        or ("morning" in lower and ("in the" in lower or "early" in lower))
        or "24 hours" in lower
        or ("day" in lower and ("past" in lower or "last" in lower))
    )


@dataclass(frozen=True)
class RelativeDay:
    """A day named against the publication date: `days_back` before it (0 for
    "overnight", 1 for "yesterday"), or the most recent `weekday` (0 = Monday) on or before it.
    `reported` marks a day the text gives for the report rather than for the events."""

    days_back: int | None
    weekday: int | None
    reported: bool
    start: int
    end: int
    # "on Saturday night": a night, counted under the morning it ends.
    night: bool = False

    @property
    def basis(self) -> str:
        return "published" if self.days_back == 0 else "relative"

    def resolve(self, published: str | None) -> str | None:
        """YYYY-MM-DD, or None when PUBLISHED is missing or gives only a month."""
        if not published or len(published) < 10:
            return None
        anchor = dt.date.fromisoformat(published[:10])
        if self.weekday is not None:
            back = (anchor.weekday() - self.weekday) % 7
        else:
            back = self.days_back or 0
        if self.night and back > 0:
            back -= 1
        return (anchor - dt.timedelta(days=back)).isoformat()


# How many days after publication a day named without a year can be and keep its year.
_CLOCKS_APART = 2


def _just_after(year: int, month_day: tuple[int, int], published: str) -> bool:
    """Whether MONTH_DAY of YEAR falls at most _CLOCKS_APART days after PUBLISHED."""
    try:
        named = dt.date(year, *month_day)
    except ValueError:
        return False
    return (named - dt.date.fromisoformat(published[:10])).days <= _CLOCKS_APART


def relative_days(text: str) -> list[RelativeDay]:
    """Every day named relative to publication in TEXT, in text order (offsets in TEXT)."""
    return list(_relative_days(text))


@read_once
def _relative_days(text: str) -> tuple[RelativeDay, ...]:
    found: list[RelativeDay] = []
    lower = folded(text)
    if not _may_name_a_day(lower):
        return ()
    matches: Iterable[re.Match[str]]
    read = text_words(text) if text.isascii() else None
    if read is not None:
        # Every phrase _RELATIVE reads begins with one of _RELATIVE_FIRST, a whole word:
        # the pattern, which opens with a word boundary and would be tried at every
        # position, is tried only where those the text holds stand.
        starts = word_starts(lower, _RELATIVE_FIRST.intersection(read[0]))
        matches = matches_at(_RELATIVE_LOWER, lower, starts)
    else:
        # A text that is not ASCII (an ASCII one's words are always read).
        matches = _RELATIVE.finditer(text)
    for match in matches:
        weekday_word = match.group("into") or match.group("to") or match.group("weekday")
        night = bool(match.group("weekday")) and match.group().lower().endswith("night")
        if weekday_word:
            days_back, weekday = None, WEEKDAYS.index(weekday_word.lower())
        elif match.group("back2"):
            days_back, weekday = 2, None
        elif match.group("back1"):
            days_back, weekday = 1, None
        else:
            days_back, weekday = 0, None
        reported = bool(match.group("span")) or bool(
            _REPORTED.search(text[max(0, match.start() - 30) : match.start()])
        )
        found.append(RelativeDay(days_back, weekday, reported, match.start(), match.end(), night))
    return tuple(found)
