"""The day of a claim: a date its sentences state, a day named against publication
("overnight", "yesterday", "on Sunday"), a night window counted under the morning it ends,
the one day an article names, or a day told just after the report about its objects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache

from ..lexicon import LEXICON, Prefiltered, Prescanned, folded
from ..lexicon import alternation as _alternation
from .claims import Claim
from .dates import DateMention, dates, relative_days
from .figures import objects_in
from .numbers import matches_at, text_words, word_starts
from .text import Sentence, ascii_words
from .times import mentions_night, windows


class WordScanned:
    """PRESCANNED's pattern, whose every match is one of PHRASES that begins and ends a
    word, or begins with one of DIGITS: tried only where the first words of PHRASES that a
    text holds stand (its words as text_words reads them, found with str.find), and, in a
    text with a digit, where one of DIGITS does, rather than where any phrase's first
    letters do. A text whose words ascii_words cannot read, or a part of one, is searched
    by PRESCANNED. Searched like it, with `search` and `finditer`."""

    def __init__(
        self, prescanned: Prescanned, phrases: list[str], digits: tuple[bytes, ...] = ()
    ) -> None:
        self.prescanned = prescanned
        self._heads: frozenset[bytes] | None = None
        if all(phrase.isascii() for phrase in phrases):
            heads = frozenset(ascii_words(phrase).split()[0] for phrase in phrases)
            # A head is looked for as it is written, which one with a digit is not.
            if all(head.isalpha() for head in heads):
                self._heads = heads
        self._digits = frozenset(digits)

    def _starts(self, text: str, pos: int, endpos: int | None) -> list[int] | None:
        if self._heads is None or pos or endpos is not None:
            return None
        read = text_words(text)
        if read is None:
            return None
        words, digit = read
        held = self._heads.intersection(words)
        return word_starts(folded(text), held | self._digits if digit else held)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        starts = self._starts(text, pos, endpos)
        if starts is None:
            return self.prescanned.search(text, pos, endpos)
        match = self.prescanned.pattern.match
        for start in starts:
            found = match(text, start)
            if found is not None:
                return found
        return None

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        starts = self._starts(text, pos, endpos)
        if starts is None:
            return self.prescanned.finditer(text, pos, endpos)
        return iter(matches_at(self.prescanned.pattern, text, starts))


@cache
def patterns() -> dict[str, WordScanned | Prefiltered | re.Pattern[str]]:
    """The words that move a claim to another time or day, or to the day after."""
    return {
        "other_time": WordScanned(
            Prescanned(
                re.compile(
                    rf"\b(?:{_alternation(LEXICON['other_time'])})\b|\b(?:19|20)\d\d\b",
                    re.IGNORECASE,
                ),
                [*LEXICON["other_time"], "19", "20"],
            ),
            LEXICON["other_time"],
            (b"19", b"20"),
        ),
        "other_day": WordScanned(
            Prescanned(
                re.compile(rf"\b(?:{_alternation(LEXICON['other_day'])})\b", re.IGNORECASE),
                LEXICON["other_day"],
            ),
            LEXICON["other_day"],
        ),
        # "The incident, reported late Thursday evening, ...": the sentence after a report
        # that speaks of what it told.
        "the_incident": re.compile(
            r"\W*the\s+(?:incident|interception|attack|attempted\s+attack|raid|downing)\b", re.I
        ),
        "following": Prefiltered(
            re.compile(
                r"\bthe\s+(?:following|next)\s+(?:day|evening|night|morning|afternoon)\b", re.I
            ),
            ["following", "next"],
        ),
    }


def dated_later(
    claim: Claim,
    number: int,
    own: list[Sentence],
    owner: dict[int, int],
    sentences: list[Sentence],
    published: str | None,
    gap: int,
) -> None:
    """Date CLAIM by a sentence just after its report that speaks of its objects without a
    number and names a day ("The downing of the missiles and drones is the second attack
    overnight on Wednesday, January 17"), unless another report lies between; the very
    next sentence may speak of the event itself and name the day against publication
    ("The incident, reported on Tuesday, ...")."""
    last = max(s.index for s in own)
    for s in sentences[last + 1 : last + 1 + gap]:
        if owner.get(s.index, number) != number:
            return
        incident = s.index == last + 1 and bool(patterns()["the_incident"].match(s.text))
        if not (incident or objects_in(s.text)):
            continue
        stated = dates(s.text, s.start)
        if stated:
            day = stated[-1].resolve(published)
            if day is not None:
                set_date(claim, day, "stated")
                claim.context.append((s.start, s.end))
            return
        if incident:
            named = [d for d in relative_days(s.text) if d.resolve(published)]
            if named:
                set_date(claim, named[0].resolve(published), named[0].basis)
                claim.context.append((s.start, s.end))
            return


def date_claim(
    claim: Claim,
    own: list[Sentence],
    before: Sentence | None,
    published: str | None,
) -> None:
    """The day of CLAIM from its own sentences, else the sentence before: a date the text
    states, else a day named against publication ("overnight", "yesterday", "on Sunday").
    A night window with no day named is counted under the morning it ends, the
    publication day."""
    night = bool(claim.time_start and claim.time_end and claim.time_end < claim.time_start)
    following = any(patterns()["following"].search(s.text) for s in own)
    for group in (own, [before] if before is not None else []):
        stated = [d for s in group for d in dates(s.text, s.start)]
        if group is not own:
            # "On February 24, 2022 Russia launched a special military operation": a
            # background line before a report dates an event of another time, not its claim.
            stated = [d for d in stated if not _long_before(d, published)]
        # "the night of June 3 to June 4": a night between two days is the second.
        night = night or (len(stated) > 1 and any(mentions_night(s.text) for s in group))
        if stated:
            # "between 23:30 on November 3 and 07:00 on November 4": the morning it ends.
            chosen = stated[-1] if night else stated[0]
            day = chosen.resolve(published)
            if day is not None and (
                (night and len(stated) == 1 and _starts_window(chosen, group))
                or _evening_of(chosen, group)
            ):
                # "between 23:00 on December 24 and 07:00", "since the evening of 23
                # February": the day named is the evening's, and the night is counted under
                # the morning after it.
                day = day_after(day)
            if following and group is not own:
                # "... on June 7. The following evening, 24 drones ...": the day after.
                day = day_after(day)
            set_date(claim, day, "stated")
            return
        # Only the days are read, not where they stand: they are taken unshifted, as found.
        relative = [
            d
            for s in group
            for d in relative_days(s.text)
            if not d.reported and d.resolve(published)
        ]
        if relative:
            day = relative[0]
            if day.night and claim.time_start and claim.time_end and not night:
                # "on Thursday night, between 19:50 and 22:00": an evening, not a night that
                # ends the next morning.
                day = replace(day, night=False)
            set_date(claim, day.resolve(published), day.basis)
            return
    p = patterns()
    elsewhen = any(p["other_time"].search(s.text) or p["other_day"].search(s.text) for s in own)
    if night and published and len(published) >= 10 and not elsewhen:
        # ... unless the claim points to another time ("had previously reported").
        set_date(claim, published[:10], "published")
        return
    # "the ministry said on Sunday" with no other day: the news and the night are one day.
    reported = [d for s in own for d in relative_days(s.text) if d.resolve(published)]
    if reported:
        set_date(claim, reported[0].resolve(published), reported[0].basis)


class ArticleDay:
    """The one day an article names before a sentence, if it names only one: its headline
    and every sentence are read once, however many claims ask, and not at all when none
    does (most claims have a day of their own)."""

    def __init__(
        self,
        sentences: list[Sentence],
        published: str | None,
        headline: str | None,
        captioned: frozenset[int] = frozenset(),
    ) -> None:
        # A photo's caption (CAPTIONED, see text.captions) names the day of its picture.
        self._article: tuple[list[Sentence], str | None, str | None] | None = (
            [s for s in sentences if s.index not in captioned],
            published,
            headline,
        )

    def _read(self) -> None:
        if self._article is None:
            return
        sentences, published, headline = self._article
        self._article = None
        self.first: tuple[str, str] | None = None
        self.first_at = 0
        # The index of the sentence where a second day first appears: from there on, the
        # article names more than one (past the last sentence when it never does).
        beyond = sentences[-1].index + 2 if sentences else 1
        self.second_at = beyond
        # Every day named, in text order, with the index of its sentence.
        self.named: list[tuple[int, str, str]] = []
        for index, text in [(-1, headline or "")] + [(s.index, s.text) for s in sentences]:
            for day, basis in self._days(text, published):
                self.named.append((index, day, basis))
                if self.first is None:
                    self.first, self.first_at = (day, basis), index
                elif day != self.first[0] and self.second_at == beyond:
                    self.second_at = index

    @staticmethod
    def _days(text: str, published: str | None) -> Iterator[tuple[str, str]]:
        for d in dates(text):
            if _long_before(d, published):
                # A background line's day ("On February 24, 2022 ...") is no day of the news.
                continue
            day = d.resolve(published)
            # "since the evening of 23 February": the night counted under the 24th.
            yield day_after(day) if _evening_before(text, d.start) else day, "stated"
        if not published or len(published) < 10:
            # A day named against publication is no day without a day of publication.
            return
        for r in relative_days(text):
            resolved = r.resolve(published)
            if resolved and not r.reported:
                yield resolved, r.basis

    def complete(self, claim: Claim) -> None:
        """Give a day with no year ("January 1") the year the article gives that same day
        elsewhere ("on January 1, 2024"), when it gives only one."""
        if not claim.date or len(claim.date) != 5:
            return
        self._read()
        years = {day for _, day, _ in self.named if len(day) == 10 and day[5:] == claim.date}
        if len(years) == 1:
            claim.date = years.pop()

    def date(self, claim: Claim, home: int, later: bool = False) -> None:
        """Date CLAIM, at sentence HOME, by the day named before it, when only one is; when
        the claim goes on from what came before ("Later, the governor reported ..."), by
        the last day named before it."""
        self._read()
        if self.first is not None and self.first_at < home and self.second_at >= home:
            set_date(claim, *self.first)
        elif later:
            before = [(day, basis) for index, day, basis in self.named if index < home]
            if before:
                set_date(claim, *before[-1])


# How many days before publication a day named just before a claim can still be its day.
_RECENT_DAYS = 60


def _long_before(stated: DateMention, published: str | None) -> bool:
    """Whether STATED, a day with its year, lies months before PUBLISHED."""
    if stated.year is None or not published or len(published) < 10:
        return False
    day = stated.resolve(published)
    if day is None or len(day) != 10:
        return False
    return (dt.date.fromisoformat(published[:10]) - dt.date.fromisoformat(day)).days > _RECENT_DAYS


def _starts_window(stated: DateMention, group: list[Sentence]) -> bool:
    """Whether the day STATED is named inside a time window of GROUP, before its end: the
    day the window starts on."""
    return any(w.start <= stated.start < w.end for s in group for w in windows(s.text, s.start))


_EVENING_OF = re.compile(r"\b(?:since|from)\s+the\s+evening\s+of\s+$", re.IGNORECASE)


def _evening_before(text: str, end: int) -> bool:
    """Whether TEXT[:END] ends with "since the evening of" or "from the evening of": most
    texts have no "evening" at all, and are spared the search, which tries every position."""
    head = text[:end]
    return "evening" in folded(head) and bool(_EVENING_OF.search(head))


def _evening_of(stated: DateMention, group: list[Sentence]) -> bool:
    """Whether the day STATED is named as the evening an attack began ("since the evening of
    23 February"), as Ukraine's air force tells the night before its morning count."""
    return any(
        s.start <= stated.start < s.end and _evening_before(s.text, stated.start - s.start)
        for s in group
    )


def day_after(day: str) -> str:
    """The day after DAY, a YYYY-MM-DD or a MM-DD (a year that is no leap year, as a day
    with no year has no February 29 to pass)."""
    if len(day) == 10:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    return (dt.date.fromisoformat(f"2001-{day}") + dt.timedelta(days=1)).isoformat()[5:]


def set_date(claim: Claim, day: str, basis: str) -> None:
    claim.date, claim.date_precision, claim.date_basis = day, "day", basis
