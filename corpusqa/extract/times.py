"""Clock times and time windows ("from 11:30 pm to 7:00 am", "between 20:00 and 23:30")."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MERIDIEM = r"(?P<{name}m>[ap]\.m\.|[ap]m\b)"
_CLOCK = r"(?P<{name}>midnight|noon|\d{{1,2}}(?::\d{{2}})?)(?![\d:])(?:\s*" + _MERIDIEM + ")?"
_WINDOW = re.compile(
    r"\b(?:from|between)\s+"
    + _CLOCK.format(name="a")
    + r"(?:\s+Moscow\s+time)?(?:\s+on\s+\w+\s+\d{1,2}(?:st|nd|rd|th)?)?\s+(?:to|and|until|till)\s+"
    + _CLOCK.format(name="b"),
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
    found = []
    # Once for the text, not once per window: a text of many windows made it quadratic.
    night_named = bool(_NIGHT.search(text))
    for match in _WINDOW.finditer(text):
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
                match.start() + offset,
                match.end() + offset,
            )
        )
    return found


def mentions_night(text: str) -> bool:
    """True when TEXT says the events happened at night."""
    return bool(_NIGHT.search(text))
