"""Calendar dates: "October 8", "8 October", "July 20th", "May 5, 2025", "19 September 2024"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
        article published on 2024-01-03 that says "December 30" means 2023-12-30.
        """
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if published:
            anchor = dt.date.fromisoformat(published[:10])
            year = (
                anchor.year
                if (self.month, self.day) <= (anchor.month, anchor.day)
                else anchor.year - 1
            )
            return f"{year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.month:02d}-{self.day:02d}"


def dates(text: str, offset: int = 0) -> list[DateMention]:
    """Every day-precision date in TEXT."""
    found = []
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
                match.start() + offset,
                match.end() + offset,
            )
        )
    return found
