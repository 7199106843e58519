"""Synthetic corpus generator with ground truth for corpusqa.

Writes N English wire-style articles about drone and missile interceptions over Russian
regions, together with ``gold.json`` in the format of ``shared/gold/seeds.json``. The
generator is written independently of the extractor: it has its own templates, place
surfaces, number words and name lists, and it annotates every article as a careful human
reader would, following the conventions documented at the top of ``tests/cases/claims.yml``:

* a claim is a stated number of aerial objects intercepted / destroyed / shot down /
  neutralised; a single place takes the claim's number whatever the qualifier, a list
  without a breakdown gives null per place, breakdowns ("with five over X", "Of these, ...",
  "including 12 over X") are folded into the total claim, "two each over A, B and C" gives
  every place the per-place number;
* "a further N" / "another N" / "N more" are separate claims; they inherit the date, the
  authority and (for "over the region") the place of the claim they follow;
* dates are MM-DD, or YYYY-MM-DD when the text gives the year or ``published`` anchors it;
  weekdays and "overnight" give null; time windows are 24-hour HH:MM;
* the authority is the canonical name of who the text says made the claim; a named
  spokesman or governor wins over the body he speaks for; unattributed claims give null;
* "no casualties or damage" gives both "none reported", "no one was hurt" only casualties.

Every article also carries distractor numbers that are not claims (years, casualty counts of
other incidents, phone numbers, distances, percentages, clock times, "dozens", launches
without interception, speculation about capacity, unmanned boats). About a fifth of the
articles retell an earlier story in other words (a few with one conflicting figure).

Usage::

    python scripts/synth.py --n 2000 --seed 7 --out /tmp/syn [--format txt|jsonl]

Output is streamed: articles and the gold file are written one article at a time, so N may
be very large. The same seed gives the same articles in both formats (only ``published``,
which exists in JSONL alone, changes the gold dates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections import deque
from collections.abc import Sequence
from random import Random
from typing import Any, TypeVar

_T = TypeVar("_T")


def _ch(rng: Random, seq: Sequence[_T]) -> _T:
    """A faster rng.choice (one float instead of a getrandbits loop)."""
    return seq[int(rng.random() * len(seq))]


def _ri(rng: Random, lo: int, hi: int) -> int:
    """rng.randint(lo, hi), faster."""
    return lo + int(rng.random() * (hi - lo + 1))


def _rr(rng: Random, n: int) -> int:
    """rng.randrange(n), faster."""
    return int(rng.random() * n)


# ---------------------------------------------------------------------------- places

# canonical name, ISO 3166-2 (None for seas), stem used in text, kind, weight
PLACES: tuple[tuple[str, str | None, str, str, int], ...] = (
    ("Belgorod Oblast", "RU-BEL", "Belgorod", "oblast", 9),
    ("Bryansk Oblast", "RU-BRY", "Bryansk", "oblast", 8),
    ("Kursk Oblast", "RU-KRS", "Kursk", "oblast", 8),
    ("Voronezh Oblast", "RU-VOR", "Voronezh", "oblast", 5),
    ("Lipetsk Oblast", "RU-LIP", "Lipetsk", "oblast", 3),
    ("Tambov Oblast", "RU-TAM", "Tambov", "oblast", 2),
    ("Oryol Oblast", "RU-ORL", "Oryol", "oblast", 3),
    ("Tula Oblast", "RU-TUL", "Tula", "oblast", 3),
    ("Kaluga Oblast", "RU-KLU", "Kaluga", "oblast", 3),
    ("Smolensk Oblast", "RU-SMO", "Smolensk", "oblast", 3),
    ("Moscow Oblast", "RU-MOS", "Moscow", "oblast", 4),
    ("Rostov Oblast", "RU-ROS", "Rostov", "oblast", 5),
    ("Krasnodar Krai", "RU-KDA", "Krasnodar", "krai", 4),
    ("Leningrad Oblast", "RU-LEN", "Leningrad", "oblast", 2),
    ("Pskov Oblast", "RU-PSK", "Pskov", "oblast", 1),
    ("Tver Oblast", "RU-TVE", "Tver", "oblast", 2),
    ("Ryazan Oblast", "RU-RYA", "Ryazan", "oblast", 2),
    ("Penza Oblast", "RU-PNZ", "Penza", "oblast", 1),
    ("Saratov Oblast", "RU-SAR", "Saratov", "oblast", 2),
    ("Volgograd Oblast", "RU-VGG", "Volgograd", "oblast", 2),
    ("Crimea", "UA-43", "Crimea", "crimea", 5),
    ("Black Sea", None, "Black Sea", "sea", 4),
    ("Sea of Azov", None, "Sea of Azov", "sea", 2),
)
_PIDX = {p[0]: i for i, p in enumerate(PLACES)}
_STEM_TO_PLACE = {p[2]: p[0] for p in PLACES}
_ALL_P = list(range(len(PLACES)))
_ALL_W = [p[4] for p in PLACES]
_LAND_P = [i for i, p in enumerate(PLACES) if p[3] != "sea"]
_LAND_W = [PLACES[i][4] for i in _LAND_P]
_MISSILE_P = [
    _PIDX[n]
    for n in (
        "Crimea",
        "Black Sea",
        "Belgorod Oblast",
        "Kursk Oblast",
        "Bryansk Oblast",
        "Rostov Oblast",
        "Krasnodar Krai",
        "Sea of Azov",
    )
]
_MISSILE_W = [6, 5, 3, 2, 2, 2, 2, 1]
_BARE_OK = {"Belgorod", "Bryansk", "Kursk"}

# ---------------------------------------------------------------------------- people

# key: (canonical, place name, other spellings, role)
GOVERNORS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "gladkov": ("Vyacheslav Gladkov", "Belgorod Oblast", ("Viacheslav Gladkov",), ""),
    "bogomaz": ("Alexander Bogomaz", "Bryansk Oblast", ("Aleksandr Bogomaz",), ""),
    "khinshtein": ("Alexander Khinshtein", "Kursk Oblast", ("Aleksandr Khinshtein",), ""),
    "gusev": ("Alexander Gusev", "Voronezh Oblast", ("Aleksandr Gusev",), ""),
    "artamonov": ("Igor Artamonov", "Lipetsk Oblast", (), ""),
    "shapsha": ("Vladislav Shapsha", "Kaluga Oblast", (), ""),
    "anokhin": ("Vasily Anokhin", "Smolensk Oblast", ("Vasily Anohin",), ""),
    "vorobyov": ("Andrei Vorobyov", "Moscow Oblast", ("Andrey Vorobyov",), ""),
    "drozdenko": ("Alexander Drozdenko", "Leningrad Oblast", ("Aleksandr Drozdenko",), ""),
    "aksyonov": (
        "Sergei Aksyonov",
        "Crimea",
        ("Sergei Aksenov", "Sergey Aksyonov"),
        "Russian-installed head of Crimea",
    ),
}
_GOV_BY_PLACE = {_PIDX[v[1]]: k for k, v in GOVERNORS.items()}
KONASHENKOV = "Igor Konashenkov"
ANALYSTS = (
    "Oleg Sorokin",
    "Irina Lebedeva",
    "Pavel Zimin",
    "Nadia Karpova",
    "Tomas Reiner",
    "Helen Marsh",
    "Daniel Okafor",
    "Sofia Brandt",
    "Marek Dvorak",
    "Lena Holm",
)
MOD = "Russian Ministry of Defense"


def _build_person_tables() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    canon_by_last: dict[str, str] = {}
    role: dict[str, str] = {}
    firsts: set[str] = set()
    for canon, place, variants, r in GOVERNORS.values():
        role[canon] = r or f"Governor of {place}"
        for full in (canon, *variants):
            first, last = full.split(" ", 1)
            firsts.add(first)
            canon_by_last[last] = canon
    for full in (KONASHENKOV, *ANALYSTS):
        first, last = full.split(" ", 1)
        firsts.add(first)
        canon_by_last[last] = full
        role[full] = "military analyst"
    role[KONASHENKOV] = "spokesman for the Russian Ministry of Defense"
    last = re.compile(r"\b(" + "|".join(sorted(canon_by_last, key=len, reverse=True)) + r")\b")
    first = re.compile(r"\b(?:" + "|".join(sorted(firsts)) + r") $")
    return last, first, canon_by_last, role


# surnames, then a first name right before one; used to annotate the finished text
_LAST_RE, _FIRST_BEFORE_RE, _CANON_BY_LAST, _ROLE = _build_person_tables()

# ---------------------------------------------------------------------------- words

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_MONTHS = (
    "_ January February March April May June July August September October November December"
).split()
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def number_words(n: int) -> str:
    """English words for 0..99 ("twenty-three")."""
    if n < 20:
        return _ONES[n]
    t, o = divmod(n, 10)
    return _TENS[t] + ("-" + _ONES[o] if o else "")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _end(s: str) -> str:
    """Close a sentence, without doubling the stop of "a.m." / "p.m."."""
    return s if s.endswith(".") else s + "."


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(d: int) -> str:
    if 10 <= d % 100 <= 20:
        return f"{d}th"
    return f"{d}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th') }"


_DRONE_NOUNS = (
    ("drone", "drones", 10),
    ("Ukrainian drone", "Ukrainian drones", 6),
    ("UAV", "UAVs", 4),
    ("Ukrainian UAV", "Ukrainian UAVs", 3),
    ("unmanned aerial vehicle", "unmanned aerial vehicles", 3),
    ("Ukrainian unmanned aerial vehicle", "Ukrainian unmanned aerial vehicles", 1),
    ("fixed-wing drone", "fixed-wing drones", 2),
    ("aircraft-type drone", "aircraft-type drones", 1),
    ("kamikaze drone", "kamikaze drones", 1),
)
_MISSILE_NOUNS = (
    ("Neptune missile", "Neptune missiles", 4),
    ("cruise missile", "cruise missiles", 3),
    ("Storm Shadow cruise missile", "Storm Shadow cruise missiles", 2),
    ("ATACMS missile", "ATACMS missiles", 2),
    ("Ukrainian Neptune missile", "Ukrainian Neptune missiles", 1),
)
_DRONE_W = [n[2] for n in _DRONE_NOUNS]
_MISSILE_W2 = [n[2] for n in _MISSILE_NOUNS]
_VERBS = (
    "destroyed",
    "destroyed",
    "shot down",
    "shot down",
    "intercepted",
    "downed",
    "brought down",
    "neutralised",
    "neutralized",
    "eliminated",
)
_MISSILE_VERBS = ("destroyed", "shot down", "intercepted", "downed")
_VINF = {
    "destroyed": "destroy",
    "shot down": "shoot down",
    "intercepted": "intercept",
    "downed": "down",
    "brought down": "bring down",
    "neutralised": "neutralise",
    "neutralized": "neutralize",
    "eliminated": "eliminate",
}
_VING = {
    "destroyed": "destroying",
    "shot down": "shooting down",
    "intercepted": "intercepting",
    "downed": "downing",
    "brought down": "bringing down",
    "neutralised": "neutralising",
    "neutralized": "neutralizing",
    "eliminated": "eliminating",
}
_SUBJECTS = (
    "air defences",
    "air defences",
    "air defence systems",
    "Russian air defences",
    "Russian air defence systems",
    "air defence units",
    "duty air defence forces",
    "air defence crews",
    "anti-aircraft units",
    "air defence forces",
)
_QUAL_SURF = {
    "more than": ("more than ", "more than ", "over "),
    "at least": ("at least ", "at least ", "no fewer than "),
    "about": ("about ", "around ", "roughly "),
    "up to": ("up to ", "up to ", "nearly ", "almost "),
}
_QUALS = ("more than", "at least", "about", "up to")
_SOURCES = (
    "Borderland Courier",
    "Eastern Wire Service",
    "Meridian Daily",
    "The Steppe Observer",
    "Northlight News",
    "Continental Ledger",
    "The Evening Relay",
    "Atlas Newswire",
    "Riverbank Gazette",
    "Plainsview Post",
)
_ABOUT = (
    "Synthetic articles written by scripts/synth.py (fictional events; places and officials "
    "are real). Same format and conventions as shared/gold/seeds.json and the header of "
    "tests/cases/claims.yml: a claim is a stated number of aerial objects intercepted, "
    "destroyed, shot down or neutralised; a single place takes the claim's count, a list "
    "without a breakdown gives null per place, breakdowns and 'two each' give per-place "
    "counts; 'a further N' / 'another N' / 'N more' are separate claims that inherit the date "
    "and authority of the claim they follow. 'date' is MM-DD for a named day without a year, "
    "YYYY-MM-DD when the text gives the year or 'published' anchors it, null for weekdays and "
    "'overnight'. Times are 24-hour HH:MM for a stated interception window. 'authority' is "
    "the canonical name of who made the claim (null if unattributed). 'evidence' is an exact "
    "substring of the article body. 'places' lists every federal subject, sea and country "
    "named in the body ('Russian' counts as Russia, 'Ukrainian' as Ukraine, 'Moscow time' is "
    "not a place). Persons are canonical names with the other spellings used in the article."
)


# ---------------------------------------------------------------------------- article state


class _Art:
    """Per-article rendering state."""

    __slots__ = ("rng", "places", "spell", "mentioned", "mod_named")

    def __init__(self, rng: Random, places: list[int], spell: dict[str, int]) -> None:
        self.rng = rng
        self.places = places  # places of the article's claims (for fillers)
        self.spell = spell  # governor key -> spelling index (0 = canonical)
        self.mentioned: set[str] = set()
        self.mod_named = False

    # -- places
    def psurf(self, p: int) -> str:
        """A surface form of place p as it would appear after "over"."""
        name, _iso, stem, kind, _w = PLACES[p]
        r = self.rng.random()
        if kind == "sea":
            return "the " + name
        if kind == "crimea":
            return "Crimea" if r < 0.75 else "the Crimean peninsula"
        if kind == "krai":
            return "Krasnodar Krai" if r < 0.55 else "the Krasnodar region"
        if r < 0.45:
            return f"the {stem} region"
        if r < 0.57:
            return f"{stem} Region"
        if r < 0.72:
            return f"{stem} Oblast"
        if r < 0.77:
            return f"{stem} oblast"
        if r < 0.85:
            return f"the {stem} area"
        if stem in _BARE_OK:
            return stem
        return f"the {stem} region"

    def pbare(self, p: int) -> str:
        """A surface form without article (bulletin lines)."""
        name, _iso, stem, kind, _w = PLACES[p]
        if kind in ("sea", "crimea"):
            return name
        if kind == "krai":
            return "Krasnodar Krai" if self.rng.random() < 0.6 else "Krasnodar region"
        return _ch(self.rng, (f"{stem} region", f"{stem} Oblast", f"{stem} Region"))

    def plist(self, ps: list[int]) -> str:
        if all(PLACES[p][3] in ("oblast", "krai") for p in ps) and self.rng.random() < 0.6:
            return "the " + _join([PLACES[p][2] for p in ps]) + " regions"
        return _join([self.psurf(p) for p in ps])

    def some_place(self, land: bool = False) -> int:
        rng = self.rng
        if self.places and rng.random() < 0.6:
            p = _ch(rng, self.places)
            if not land or PLACES[p][3] != "sea":
                return p
        return rng.choices(_LAND_P, _LAND_W)[0]

    # -- people
    def gov(self, key: str, short_ok: bool = True) -> str:
        canon, _place, variants, _role = GOVERNORS[key]
        s = self.spell.get(key, 0)
        full = canon if s == 0 else variants[s - 1]
        if short_ok and key in self.mentioned and self.rng.random() < 0.65:
            return full.split(" ", 1)[1]
        self.mentioned.add(key)
        return full

    def gov_titled(self, key: str) -> str:
        """Governor with a title, for the start of a clause."""
        rng = self.rng
        name = self.gov(key)
        if " " not in name:
            return name
        place = _PIDX[GOVERNORS[key][1]]
        stem = PLACES[place][2]
        r = rng.random()
        if key == "aksyonov":
            if r < 0.5:
                return f"Crimea's Russian-installed head {name}"
            return f"{name}, the Russian-installed head of Crimea,"
        if r < 0.45:
            return f"Governor {name}"
        if r < 0.65 and stem != "Moscow":
            return f"{stem} Governor {name}"
        if r < 0.8:
            return f"{name}, the governor of {self.psurf(place)},"
        if r < 0.9:
            return f"regional governor {name}"
        return name

    def kon(self) -> str:
        if "kon" in self.mentioned and self.rng.random() < 0.6:
            return "Konashenkov"
        self.mentioned.add("kon")
        self.mod_named = True
        return _ch(
            self.rng,
            (
                f"defence ministry spokesman {KONASHENKOV}",
                f"{KONASHENKOV}, the defence ministry spokesman,",
                f"Defence Ministry spokesman {KONASHENKOV}",
            ),
        )

    def mod(self) -> str:
        forms = (
            "the defence ministry",
            "the Defence Ministry",
            "the Russian Ministry of Defense",
            "the Ministry of Defence",
            "Russia's defence ministry",
            "the Russian Defence Ministry",
            "the MoD",
        )
        if self.mod_named and self.rng.random() < 0.4:
            return "the ministry"
        self.mod_named = True
        return _ch(self.rng, forms)


# ---------------------------------------------------------------------------- numbers


def _num(rng: Random, n: int) -> str:
    r = rng.random()
    if n <= 20 and r < 0.55:
        return number_words(n)
    if 20 < n < 100 and r < 0.3:
        return number_words(n)
    return str(n)


def _noun(rng: Random, obj: str) -> tuple[str, str]:
    if obj == "missile":
        n = rng.choices(_MISSILE_NOUNS, _MISSILE_W2)[0]
    else:
        n = rng.choices(_DRONE_NOUNS, _DRONE_W)[0]
    return n[0], n[1]


def _np(rng: Random, obj: str, count: int, qual: str) -> str:
    sing, plur = _noun(rng, obj)
    if count == 1 and qual == "exact":
        r = rng.random()
        if r < 0.6:
            return ("an " if sing[0] in "aeiouAEIO" else "a ") + sing
        if r < 0.8:
            return "one " + sing
        return "a single " + sing
    q = "" if qual == "exact" else _ch(rng, _QUAL_SURF[qual])
    return f"{q}{_num(rng, count)} {plur}"


def _be(count: int, qual: str) -> str:
    return "was" if count == 1 and qual == "exact" else "were"


def _verb(rng: Random, obj: str) -> str:
    return _ch(rng, _MISSILE_VERBS if obj == "missile" else _VERBS)


# ---------------------------------------------------------------------------- dates, times


def _resolve(date: tuple[int, int, int], with_year: bool, pub: dt.date | None) -> str:
    y, m, d = date
    if with_year:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if pub is None:
        return f"{m:02d}-{d:02d}"
    y = pub.year if (m, d) <= (pub.month, pub.day) else pub.year - 1
    return f"{y:04d}-{m:02d}-{d:02d}"


def _date_text(
    rng: Random, date: tuple[int, int, int], with_year: bool, plain: bool = False
) -> tuple[str, str, str]:
    """(inline phrase with leading space, fronted phrase, bare date) for a named day."""
    y, m, d = date
    mon = _MONTHS[m]
    r = rng.random()
    if with_year:
        core = f"{mon} {d}, {y}" if r < 0.5 else f"{d} {mon} {y}"
    elif r < 0.4:
        core = f"{mon} {d}"
    elif r < 0.8:
        core = f"{d} {mon}"
    else:
        core = f"{mon} {_ordinal(d)}"
    if plain:  # a time window follows: no "evening of", no "early on"
        return f" on {core}", f"On {core}", core
    r2 = rng.random()
    if r2 < 0.7:
        inline = f" on {core}"
    elif r2 < 0.85:
        inline = f" on the evening of {core}"
    else:
        inline = f" on the morning of {core}"
    front = _ch(rng, (f"On {core}", f"On {core}", f"Early on {core}", f"Late on {core}"))
    return inline, front, core


def _nodate_text(
    rng: Random, window: tuple[int, int, int, int] | None, after_dated: bool
) -> tuple[str, str | None]:
    """Timing phrase for a claim whose day is not named (gold date null).

    A blank phrase is not used after a claim with a named day, where a reader could take
    the earlier day to apply; a phrase must also agree with the time window."""
    wd = _ch(rng, _WEEKDAYS)
    if window is not None:
        opts = [(f" on {wd}", f"On {wd}")]
        if not after_dated:
            opts += [("", None), ("", None)]
        if window[0] > window[2]:
            opts += [(" overnight", "Overnight"), (" during the night", "During the night")]
        return _ch(rng, opts)
    if after_dated:
        return _ch(
            rng,
            (
                (f" on {wd}", f"On {wd}"),
                (f" on {wd} evening", f"On {wd} evening"),
                (f" early on {wd}", f"Early on {wd}"),
                (" earlier in the week", "Earlier in the week"),
                (" overnight", "Overnight"),
            ),
        )
    return _ch(
        rng,
        (
            ("", None),
            ("", None),
            ("", None),
            (" overnight", "Overnight"),
            (" overnight", "Overnight"),
            (" last night", "Last night"),
            (" during the night", "During the night"),
            (f" on {wd}", f"On {wd}"),
            (f" on {wd} evening", f"On {wd} evening"),
            (f" early on {wd}", f"Early on {wd}"),
            (" in the past 24 hours", "In the past 24 hours"),
            (" within a single night", None),
        ),
    )


def _window(rng: Random) -> tuple[int, int, int, int]:
    mins = (0, 0, 0, 30, 15, 45)
    t = rng.random()
    if t < 0.4:
        sh, eh = _ch(rng, (20, 21, 22, 23)), _ri(rng, 1, 7)
    elif t < 0.6:
        sh = _ri(rng, 17, 20)
        eh = sh + _ri(rng, 1, 3)
    elif t < 0.9:
        sh = _ri(rng, 6, 14)
        eh = sh + _ri(rng, 1, 4)
    else:
        return (0, 0, _ri(rng, 2, 5), _ch(rng, mins))
    return (sh, _ch(rng, mins), eh, _ch(rng, mins))


def _h12(rng: Random, h: int, m: int) -> str:
    hh = h % 12 or 12
    return f"{hh}:{m:02d}" if m or rng.random() < 0.3 else str(hh)


def _window_text(rng: Random, w: tuple[int, int, int, int]) -> str:
    """Mid-sentence window phrase without leading space ("between 20:00 and 23:30")."""
    sh, sm, eh, em = w
    twelve_ok = 12 not in (sh, eh) and not (sh == 0 and sm != 0) and eh != 0
    if not twelve_ok or rng.random() < 0.45:
        conn = "between {} and {}" if rng.random() < 0.6 else "from {} to {}"
        s = conn.format(f"{sh:02d}:{sm:02d}", f"{eh:02d}:{em:02d}")
        return s + (" Moscow time" if rng.random() < 0.25 else "")
    dotted = rng.random() < 0.3
    am, pm = (" a.m.", " p.m.") if dotted else (" am", " pm")
    conn = "between {} and {}" if rng.random() < 0.5 else "from {} to {}"
    end = _h12(rng, eh, em) + (am if eh < 12 else pm)
    if sh == 0 and sm == 0:
        return conn.format("midnight", end)
    if (sh < 12) == (eh < 12) and sh < eh and rng.random() < 0.5:
        return conn.format(_h12(rng, sh, sm), end)
    return conn.format(_h12(rng, sh, sm) + (am if sh < 12 else pm), end)


def _hhmm(h: int, m: int) -> str:
    return f"{h:02d}:{m:02d}"


# ---------------------------------------------------------------------------- claim specs


def _count(rng: Random, obj: str) -> int:
    if obj == "missile":
        return _ch(rng, (1, 2, 2, 3, 4, 4, 5, 6, 8, 10, 12))
    r = rng.random()
    if r < 0.1:
        return 1
    if r < 0.55:
        return _ri(rng, 2, 10)
    if r < 0.85:
        return _ri(rng, 11, 30)
    return _ri(rng, 31, 150)


def _pick(rng: Random, obj: str, k: int = 1, land: bool = False) -> list[int]:
    if obj == "missile":
        pool, w = _MISSILE_P, _MISSILE_W
    elif land:
        pool, w = _LAND_P, _LAND_W
    else:
        pool, w = _ALL_P, _ALL_W
    out: list[int] = []
    while len(out) < k:
        p = rng.choices(pool, w)[0]
        if p not in out:
            out.append(p)
    return out


def _new_claim(rng: Random, kind: str, obj: str) -> dict[str, Any]:
    c: dict[str, Any] = {"obj": obj, "qual": "exact", "kind": kind, "mismatch": False}
    if kind == "single":
        (p,) = _pick(rng, obj)
        n = _count(rng, obj)
        c["count"], c["regions"] = n, [[p, n]]
    elif kind == "list":
        ps = _pick(rng, obj, _ch(rng, (2, 2, 3)), land=rng.random() < 0.7)
        c["count"] = max(len(ps), _count(rng, obj))
        c["regions"] = [[p, None] for p in ps]
    elif kind == "breakdown":
        ps = _pick(rng, obj, _ch(rng, (2, 2, 3)))
        parts = [_ri(rng, 1, 15 if obj == "drone" else 5) for _ in ps]
        c["regions"] = [[p, n] for p, n in zip(ps, parts, strict=True)]
        c["count"] = sum(parts)
        if rng.random() < 0.04:
            c["count"] += _ri(rng, 1, 4)
            c["mismatch"] = True
    elif kind == "distributive":
        ps = _pick(rng, obj, _ch(rng, (2, 3, 3, 4)), land=True)
        per = _ch(rng, (1, 2, 2, 3, 3, 4, 5))
        c["per"] = per
        c["count"] = per * len(ps)
        c["regions"] = [[p, per] for p in ps]
    else:  # including
        ps = _pick(rng, obj, _ch(rng, (1, 1, 2)), land=True)
        parts = [_ri(rng, 2, 20) for _ in ps]
        c["regions"] = [[p, n] for p, n in zip(ps, parts, strict=True)]
        c["count"] = sum(parts) + _ri(rng, 3, 40)
    if kind in ("single", "list") and c["count"] >= 5 and rng.random() < 0.16:
        c["qual"] = _ch(rng, _QUALS)
    return c


def _new_block(rng: Random, max_claims: int, day: tuple[int, int, int] | None) -> dict[str, Any]:
    obj = "missile" if rng.random() < 0.1 else "drone"
    kind = rng.choices(
        ("single", "list", "breakdown", "distributive", "including"), (58, 12, 17, 7, 6)
    )[0]
    if obj == "missile" and kind in ("distributive", "including"):
        kind = "single"
    main = _new_claim(rng, kind, obj)
    blk: dict[str, Any] = {"main": main, "extra": None, "xtype": None, "xwindow": None}
    if max_claims >= 2:
        r = rng.random()
        if r < 0.18:
            x = {"obj": obj, "qual": "exact", "kind": "single", "mismatch": False}
            n = _ri(rng, 2, 15)
            same = kind == "single" or rng.random() < 0.3
            p = main["regions"][0][0] if same else _pick(rng, obj)[0]
            x["count"], x["regions"], x["same_place"] = n, [[p, n]], same
            blk["extra"], blk["xtype"] = x, "incr"
            if rng.random() < 0.25:
                blk["xwindow"] = _window(rng)
        elif r < 0.24 and obj == "drone" and kind == "single":
            p = main["regions"][0][0]
            if PLACES[p][3] == "sea" or p in _MISSILE_P:
                m = _ch(rng, (1, 2, 2, 3, 4, 6))
                x = {"obj": "missile", "qual": "exact", "kind": "single", "mismatch": False}
                x["count"], x["regions"] = m, [[p, m]]
                main["qual"] = "exact"
                blk["extra"], blk["xtype"] = x, "mixed"
    # authority
    r = rng.random()
    gp = main["regions"][0][0]
    govkey = _GOV_BY_PLACE.get(gp) if kind == "single" else None
    if blk["xtype"] == "incr" and not blk["extra"]["same_place"]:
        govkey = None
    if r < 0.1:
        blk["auth"] = None
    elif r < 0.42 and govkey:
        blk["auth"] = govkey
    elif r < 0.47:
        blk["auth"] = "kon"
    else:
        blk["auth"] = "mod"
    blk["date"] = day if rng.random() < 0.5 else None
    blk["year_in_text"] = blk["date"] is not None and rng.random() < 0.2
    blk["window"] = _window(rng) if rng.random() < 0.3 else None
    return blk


# ---------------------------------------------------------------------------- templates
#
# A template renders the main claim of a block. It returns None when it does not fit the
# claim, else (sentences before, core clause, sentences after, embeddable). The core is in
# mid-sentence form; an attribution may be put before it ("X said " + core) only when it is
# embeddable. Breakdown / distributive / including claims have their own templates.


class _W:
    """Pieces shared by the templates of one claim."""

    __slots__ = ("np", "be", "verb", "subj", "where", "dinl", "dfront", "dcore", "winl", "has_date")

    def __init__(self, a: _Art, blk: dict[str, Any], c: dict[str, Any]) -> None:
        rng = a.rng
        self.np = _np(rng, c["obj"], c["count"], c["qual"])
        self.be = _be(c["count"], c["qual"])
        self.verb = _verb(rng, c["obj"])
        self.subj = _ch(rng, _SUBJECTS)
        ps = [r[0] for r in c["regions"]]
        if c["kind"] in ("single", "list"):
            if len(ps) == 1:
                r = rng.random()
                pre = "over the territory of " if r < 0.08 else "above " if r < 0.12 else "over "
                self.where = pre + a.psurf(ps[0])
            else:
                self.where = "over " + a.plist(ps)
        else:
            self.where = ""
        self.has_date = blk["date"] is not None
        self.dcore = ""
        w = blk["window"]
        w_any = w or blk.get("sep_window")  # the timing phrase must agree with either
        if self.has_date:
            self.dinl, self.dfront, self.dcore = _date_text(
                rng, blk["date"], blk["year_in_text"], plain=w_any is not None
            )
        else:
            self.dinl, self.dfront = _nodate_text(rng, w_any, blk.get("after_dated", False))
        self.winl = " " + _window_text(rng, w) if w else ""

    @property
    def when(self) -> str:
        return self.dinl + self.winl


_Tpl = tuple[list[str], str, list[str], bool] | None


def _t_active(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    return [], f"{w.subj} {w.verb} {w.np} {w.where}{w.when}", [], True


def _t_passive(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    return [], f"{w.np} {w.be} {w.verb} {w.where}{w.when}", [], True


def _t_passive2(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    v = _ch(a.rng, ("intercepted and destroyed", "detected and destroyed", "shot down"))
    return [], f"{w.np} {w.be} {v} {w.where}{w.when}", [], True


def _t_active2(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    return [], f"{w.subj} intercepted and destroyed {w.np} {w.where}{w.when}", [], True


def _t_ew_passive(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if c["obj"] != "drone":
        return None
    v = _ch(
        a.rng,
        (
            "neutralised by electronic warfare",
            "neutralized by electronic warfare systems",
            "suppressed by electronic warfare means",
        ),
    )
    return [], f"{w.np} {w.be} {v} {w.where}{w.when}", [], True


def _t_ew_active(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if c["obj"] != "drone":
        return None
    v = _ch(a.rng, ("suppressed", "neutralised", "neutralized"))
    return [], f"electronic warfare units {v} {w.np} {w.where}{w.when}", [], True


def _t_front_when(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if w.dfront is None and not w.winl:
        return None
    if w.dfront is not None:
        front = w.dfront + w.winl
    else:
        front = _cap(w.winl[1:])
    return [], f"{front}, {w.subj} {w.verb} {w.np} {w.where}", [], False


def _t_front_where(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    return [], f"{_cap(w.where)}, {w.subj} {w.verb} {w.np}{w.when}", [], False


def _t_bulletin(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if c["kind"] != "single":
        return None
    v = _ch(a.rng, ("intercepted", "destroyed", "shot down"))
    return [], f"{a.pbare(c['regions'][0][0])}: {w.np} {v}{w.when}", [], False


def _t_launched_of(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    n = c["count"]
    if c["kind"] != "single" or c["qual"] != "exact" or n < 2 or c["obj"] != "drone":
        return None
    rng = a.rng
    total = _num(rng, n + _ri(rng, 1, 12))
    plur = _noun(rng, "drone")[1]
    tgt = _ch(rng, ("the region", "the area", "the region's towns"))
    core = (
        f"of the {total} {plur} launched at {tgt}{w.when}, {_num(rng, n)} were {w.verb} {w.where}"
    )
    return [], core, [], False


def _t_repelled(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    ps = [r[0] for r in c["regions"]]
    if any(PLACES[p][3] == "sea" for p in ps):
        return None
    tgt = a.psurf(ps[0]) if len(ps) == 1 else a.plist(ps)
    core = f"{w.subj} repelled an attack on {tgt}{w.when}, {_VING[w.verb]} {w.np}"
    return [], core, [], True


def _t_total(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if c["qual"] != "exact" or c["count"] < 2:
        return None
    return [], f"a total of {w.np} were {w.verb} {w.where}{w.when}", [], True


def _t_heading(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    p = c["regions"][0][0]
    if c["kind"] != "single" or c["count"] < 2 or PLACES[p][3] == "sea":
        return None
    tgt = _ch(a.rng, ("heading for", "flying towards", "heading towards"))
    return [], f"{w.np} {tgt} {a.psurf(p)} were {w.verb}{w.when}", [], True


def _t_by_ukraine(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if c["count"] < 2:
        return None
    np = w.np.replace("Ukrainian ", "")
    return [], f"{np} launched by Ukraine were {w.verb} {w.where}{w.when}", [], True


def _t_perfect(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    return [], f"{w.subj} have {w.verb} {w.np} {w.where}{w.when}", [], True


def _t_managed(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    return [], f"{w.subj} managed to {_VINF[w.verb]} {w.np} {w.where}{w.when}", [], True


def _t_prior(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    p = c["regions"][0][0]
    kind = PLACES[p][3]
    if c["kind"] != "single" or kind == "sea":
        return None
    rng = a.rng
    lead = _ch(
        rng,
        (
            "Ukrainian drones attacked {}{}.",
            "Drones targeted {}{}.",
            "Ukraine launched a drone attack on {}{}.",
            "{} came under attack from Ukrainian drones{}.",
        ),
    )
    before = _cap(lead.format(a.psurf(p), w.dinl))
    there = "over the peninsula" if kind == "crimea" else "over the region"
    if rng.random() < 0.5:
        core = f"{w.np} {w.be} {w.verb} {there}{w.winl}"
    else:
        core = f"{w.subj} {w.verb} {w.np} {there}{w.winl}"
    return [before], core, [], True


def _t_approach(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    p = c["regions"][0][0]
    if c["kind"] != "single" or c["count"] < 2 or PLACES[p][3] == "sea":
        return None
    return [], f"{w.np} were {w.verb} as they approached {a.psurf(p)}{w.when}", [], True


def _t_skies(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    if not w.where.startswith("over "):
        return None
    return [], f"{w.subj} {w.verb} {w.np} in the skies {w.where}{w.when}", [], True


# the two templates with the authority built in are handled in _render_main
_SIMPLE_TEMPLATES = (
    _t_active,
    _t_active,
    _t_passive,
    _t_passive,
    _t_passive2,
    _t_active2,
    _t_ew_passive,
    _t_ew_active,
    _t_front_when,
    _t_front_where,
    _t_bulletin,
    _t_launched_of,
    _t_repelled,
    _t_total,
    _t_heading,
    _t_by_ukraine,
    _t_perfect,
    _t_managed,
    _t_prior,
    _t_approach,
    _t_skies,
)


def _parts(a: _Art, regions: list[list[Any]], verb: str | None = None) -> str:
    rng = a.rng
    items = []
    for i, (p, n) in enumerate(regions):
        v = f"{verb} " if verb and i == 0 else ""
        items.append(f"{_num(rng, n)} {v}over {a.psurf(p)}")
    return _join(items)


def _t_breakdown(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    rng = a.rng
    regs = c["regions"]
    style = _rr(rng, 4)
    if style == 0:  # colon
        return [], f"{w.np} were {w.verb}{w.when}: {_parts(a, regs)}", [], True
    if style == 1:  # with
        return [], f"{w.subj} {w.verb} {w.np}{w.when}, with {_parts(a, regs)}", [], True
    if rng.random() < 0.5:
        core = f"{w.np} were {w.verb}{w.when}"
    else:
        core = f"{w.subj} {w.verb} {w.np}{w.when}"
    if style == 2:  # Of these, ...
        lead = _ch(rng, ("Of these", "Of them"))
        if rng.random() < 0.5:
            after = f"{lead}, {_parts(a, regs, 'were')}."
        else:
            after = f"{lead}, {_parts(a, regs, 'were ' + _verb(rng, c['obj']))}."
        return [], core, [after], True
    # X accounted for n of them, Y for m ...
    items = []
    for i, (p, n) in enumerate(regs):
        if i == 0:
            items.append(f"{_cap(a.psurf(p))} accounted for {_num(rng, n)} of them")
        else:
            items.append(f"{a.psurf(p)} for {_num(rng, n)}")
    return [], core, [_join(items) + "."], True


def _t_distributive(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    rng = a.rng
    per = c["per"]
    each = (
        f"{_num(rng, per) if per > 1 else 'one'} each over {a.plist([r[0] for r in c['regions']])}"
    )
    if rng.random() < 0.5:
        return [], f"{w.np} were {w.verb}{w.when}, {each}", [], True
    return [], f"{w.subj} {w.verb} {w.np}{w.when}, {each}", [], True


def _t_including(a: _Art, c: dict[str, Any], w: _W) -> _Tpl:
    rng = a.rng
    scope = _ch(rng, ("across Russia", "across Russia", "over Russian regions", "over Russia"))
    inc = f"including {_parts(a, c['regions'])}"
    if rng.random() < 0.5:
        return [], f"{w.subj} {w.verb} {w.np} {scope}{w.when}, {inc}", [], True
    return [], f"{w.np} were {w.verb} {scope}{w.when}, {inc}", [], True


# number of distinct claim sentence templates (printed in the summary line)
TEMPLATE_COUNT = (
    len(set(_SIMPLE_TEMPLATES))
    + 2  # authority built in: "reported the destruction of", "announced that ... had been"
    + 1  # "over his region" with the governor's region in his title
    + 4  # breakdown: colon, with, "Of these" sentence, "accounted for" sentence
    + 2  # distributive passive / active
    + 1  # including
    + 1  # mixed drones and missiles
    + 1  # same-sentence "and N more"
    + 3  # incremental: "A further", "Another", "Later, ... another"
)


# ---------------------------------------------------------------------------- attribution


def _attrib(a: _Art, auth: str | None, embeddable: bool, allow_pre: bool) -> tuple[str, str, str]:
    """(sentence before, prefix, suffix) attributing a claim; prefix requires embeddable."""
    if auth is None:
        return "", "", ""
    rng = a.rng
    r = rng.random()
    if not embeddable:
        r = 0.0
    if auth == "mod":
        if r < 0.45:
            x = a.mod()
            if rng.random() < 0.3:
                return "", "", f", according to {x}"
            verb = _ch(rng, ("said", "said", "reported", "said in a statement", "said on Telegram"))
            return "", "", f", {x} {verb}"
        if r < 0.85 or not allow_pre:
            x = a.mod()
            form = _rr(rng, 4)
            if form == 0:
                return "", f"According to {x}, ", ""
            if form == 1:
                return "", f"{x} said ", ""
            if form == 2:
                return "", f"{x} reported that ", ""
            return "", f"In its daily summary, {x} said ", ""
        x = a.mod()
        lead = _ch(rng, ("published its morning summary on Telegram", "issued a statement"))
        return f"{_cap(x)} {lead}.", "It said ", ""
    if auth == "kon":
        if r < 0.45:
            if "kon" in a.mentioned and a.rng.random() < 0.6:
                return "", "", ", Konashenkov said"
            a.mentioned.add("kon")
            a.mod_named = True
            return "", "", f", defence ministry spokesman {KONASHENKOV} said"
        if r < 0.85 or not allow_pre:
            return "", f"{a.kon()} said ", ""
        return f"{_cap(a.kon())} briefed reporters.", "He said ", ""
    # governor
    if r < 0.45:
        name = a.gov(auth)
        form = _rr(rng, 4)
        if form == 0:
            return "", "", f", {name} wrote on Telegram"
        if form == 1:
            return "", "", f", according to {name if ' ' not in name else 'Governor ' + name}"
        if form == 2 and " " in name and auth != "aksyonov":
            return "", "", f", the region's governor, {name}, said"
        if " " in name and auth != "aksyonov":
            return "", "", f", Governor {name} said"
        return "", "", f", {name} said"
    if r < 0.85 or not allow_pre:
        who = a.gov_titled(auth)
        how = _ch(rng, ("said", "said", "wrote on Telegram that", "reported that"))
        return "", f"{who} {how} ", ""
    lead = _ch(rng, ("posted an update on Telegram", "gave an update in a video message"))
    return f"{_cap(a.gov_titled(auth))} {lead}.", "He said ", ""


def _gold_auth(auth: str | None) -> str | None:
    if auth is None:
        return None
    if auth == "mod":
        return MOD
    if auth == "kon":
        return KONASHENKOV
    return GOVERNORS[auth][0]


def _pron(auth: str | None) -> str | None:
    if auth is None:
        return None
    return "the ministry" if auth == "mod" else "he"


# ---------------------------------------------------------------------------- blocks


_NONE_BOTH = (
    "There were no casualties or damage.",
    "No casualties or damage were reported.",
    "There were no injuries or damage, {p} added.",
    "Nobody was hurt and nothing was damaged.",
)
_NONE_CAS = (
    "No one was hurt.",
    "Nobody was injured.",
    "There were no casualties.",
    "No one was hurt, {p} added.",
    "There were no injuries, {p} said.",
)
_NONE_DMG = ("There was no damage.", "No damage was reported.", "Nothing was damaged, {p} said.")


def _casualty_sentence(rng: Random, auth: str | None) -> tuple[str | None, str | None, str]:
    r = rng.random()
    if r < 0.22:
        pool, cas, dmg = _NONE_BOTH, "none reported", "none reported"
    elif r < 0.42:
        pool, cas, dmg = _NONE_CAS, "none reported", None
    elif r < 0.48:
        pool, cas, dmg = _NONE_DMG, None, "none reported"
    else:
        return None, None, ""
    p = _pron(auth)
    opts = [s for s in pool if p is not None or "{p}" not in s]
    return cas, dmg, _ch(rng, opts).replace("{p}", p or "")


def _region_gold(regions: list[list[Any]]) -> list[dict[str, Any]]:
    return [{"place": PLACES[p][0], "iso": PLACES[p][1], "count": n} for p, n in regions]


def _claim_gold(
    c: dict[str, Any],
    date: str | None,
    window: tuple[int, int, int, int] | None,
    auth: str | None,
    evidence: str,
) -> dict[str, Any]:
    return {
        "count": c["count"],
        "qualifier": c["qual"],
        "object": c["obj"],
        "regions": _region_gold(c["regions"]),
        "date": date,
        "time_start": _hhmm(window[0], window[1]) if window else None,
        "time_end": _hhmm(window[2], window[3]) if window else None,
        "authority": _gold_auth(auth),
        "casualties": None,
        "damage": None,
        "evidence": evidence,
    }


def _render_main(a: _Art, blk: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """Sentences for the main claim (and a same-sentence extra claim).

    Returns the sentences and, for each claim rendered, its evidence plus a tag."""
    rng = a.rng
    c = blk["main"]
    auth = blk["auth"]
    w = _W(a, blk, c)
    xtype = blk["xtype"]
    x = blk["extra"]
    out: list[tuple[str, str]] = []
    forced_prefix = ""
    before: list[str]
    after: list[str]
    # same-sentence extra claims
    if xtype == "mixed":
        np2 = _np(rng, "missile", x["count"], "exact")
        verb = _ch(rng, _MISSILE_VERBS)
        if rng.random() < 0.6:
            core = f"{w.subj} {verb} {w.np} and {np2} {w.where}{w.when}"
        else:
            core = f"{w.np} and {np2} were {verb} {w.where}{w.when}"
        before, after, emb = [], [], True
        tag = "mixed"
    elif (
        xtype == "incr"
        and x["same_place"]
        and c["kind"] == "single"
        and c["qual"] == "exact"
        and blk["window"] is None
        and blk["xwindow"] is None
        and rng.random() < 0.3
    ):
        x["same_sentence"] = True
        t1, t2 = _ch(
            rng,
            (
                (" in the morning", " in the afternoon"),
                (" before dawn", " later in the day"),
                (" in the afternoon", " in the evening"),
            ),
        )
        if w.has_date:
            dinl = " on " + w.dcore
        else:
            dinl = _ch(rng, ("", "", f" on {_ch(rng, _WEEKDAYS)}"))
        n2 = _num(rng, x["count"])
        core = f"{w.subj} {w.verb} {w.np} {w.where}{dinl}{t1} and {n2} more{t2}"
        before, after, emb = [], [], True
        out.append(("", f"{n2} more{t2}"))
        tag = "more"
    else:
        tag = "std"
        kind = c["kind"]
        tpl: _Tpl = None
        if kind == "breakdown":
            tpl = _t_breakdown(a, c, w)
        elif kind == "distributive":
            tpl = _t_distributive(a, c, w)
        elif kind == "including":
            tpl = _t_including(a, c, w)
        else:
            r = rng.random()
            p0 = c["regions"][0][0]
            if auth is not None and r < 0.07:
                who = {"mod": a.mod, "kon": a.kon}.get(auth) or (lambda: a.gov_titled(auth))
                tpl = [], f"{who()} reported the destruction of {w.np} {w.where}{w.when}", [], False
                auth = "builtin:" + auth
            elif auth is None and r < 0.04:
                tpl = (
                    [],
                    f"Russian air defences reported the destruction of {w.np} {w.where}{w.when}",
                    [],
                    False,
                )
            elif auth is not None and r < 0.12:
                who = {"mod": a.mod, "kon": a.kon}.get(auth) or (lambda: a.gov_titled(auth))
                pv = "had been " + w.verb
                tpl = [], f"{who()} announced that {w.np} {pv} {w.where}{w.when}", [], False
                auth = "builtin:" + auth
            elif (
                auth in GOVERNORS
                and kind == "single"
                and auth not in ("aksyonov", "vorobyov")
                and r < 0.2
            ):
                stem = PLACES[p0][2]
                name = a.gov(auth, short_ok=False)
                if rng.random() < 0.5:
                    forced_prefix = f"{stem} Governor {name} said "
                else:
                    forced_prefix = f"The governor of {a.psurf(p0)}, {name}, said "
                core = f"{w.np} {w.be} {w.verb} over his region{w.when}"
                tpl = [], core, [], True
                auth = "builtin:" + auth
            while tpl is None:
                tpl = _ch(rng, _SIMPLE_TEMPLATES)(a, c, w)
        before, core, after, emb = tpl
    if isinstance(auth, str) and auth.startswith("builtin:"):
        pre, prefix, suffix = "", forced_prefix, ""
    else:
        pre, prefix, suffix = _attrib(a, auth, emb, not before)
    sent = _end(_cap(prefix + core + suffix))
    evidence = core if prefix else _cap(core)
    sents = before + ([pre] if pre else []) + [sent] + after
    out.insert(0, (tag, evidence))
    return sents, out


def _render_block(
    a: _Art, blk: dict[str, Any], pub: dt.date | None
) -> tuple[list[str], list[dict[str, Any]]]:
    rng = a.rng
    auth = blk["auth"]
    gdate = _resolve(blk["date"], blk["year_in_text"], pub) if blk["date"] else None
    window = blk["window"]
    # windows are sometimes given in a sentence of their own
    separate_window = window is not None and rng.random() < 0.3 and blk["xtype"] != "incr"
    if separate_window:
        blk = dict(blk, window=None, sep_window=window)
    sents, evs = _render_main(a, blk)
    if separate_window:
        blk = dict(blk, window=window)
    claims = [_claim_gold(blk["main"], gdate, window, auth, evs[0][1])]
    x = blk["extra"]
    if blk["xtype"] == "mixed":
        claims.append(_claim_gold(x, gdate, window, auth, evs[0][1]))
    elif blk["xtype"] == "incr" and x.get("same_sentence"):
        claims.append(_claim_gold(x, gdate, None, auth, evs[1][1]))
    if separate_window:
        wt = _window_text(rng, window)
        obj = "missiles" if blk["main"]["obj"] == "missile" else "drones"
        p = _pron(auth)
        if p is None:
            s = _end(
                _ch(rng, (f"The interceptions took place {wt}", f"The {obj} were downed {wt}"))
            )
        elif p == "he":
            s = f"The {obj} were destroyed {wt}, he said."
        else:
            s = f"The interceptions took place {wt}, the ministry added."
        sents.append(s)
    if blk["xtype"] == "incr" and not x.get("same_sentence"):
        s, ev = _incremental(a, blk)
        sents.append(s)
        claims.append(_claim_gold(x, gdate, blk["xwindow"], auth, ev))
    cas, dmg, cs = _casualty_sentence(rng, auth)
    if cs:
        sents.append(cs)
        for cl in claims:
            cl["casualties"], cl["damage"] = cas, dmg
    return sents, claims


def _incremental(a: _Art, blk: dict[str, Any]) -> tuple[str, str]:
    rng = a.rng
    x = blk["extra"]
    main = blk["main"]
    p = x["regions"][0][0]
    n = x["count"]
    verb = _verb(rng, x["obj"])
    plur = _noun(rng, x["obj"])[1]
    # "over the region" only refers back unambiguously to a single-place claim
    single = main["kind"] == "single"
    if x["same_place"] and single and PLACES[p][3] in ("oblast", "krai") and rng.random() < 0.4:
        where = "over the region"
    else:
        where = "over " + a.psurf(p)
    win = " " + _window_text(rng, blk["xwindow"]) if blk["xwindow"] else ""
    tail = _ch(rng, (" later that day", " in the afternoon", " by the evening", "", ""))
    if win:
        tail = ""
    style = _rr(rng, 3)
    if style == 0:
        noun = f" {plur}" if rng.random() < 0.6 else ""
        core = f"A further {_num(rng, n)}{noun} were {verb} {where}{tail}{win}"
    elif style == 1:
        core = f"Another {_num(rng, n)} {plur} were {verb} {where}{tail}{win}"
    else:
        later = _ch(rng, ("Later that day", "Hours later", "Later", "Shortly afterwards"))
        subj = _ch(rng, _SUBJECTS)
        core = f"{later}, {subj} {verb} another {_num(rng, n)} {plur} {where}{win}"
    ev = core
    extra = ""
    if main["qual"] == "exact" and main["kind"] == "single" and rng.random() < 0.3:
        extra = f", bringing the total to {_num(rng, main['count'] + n)}"
    elif blk["auth"] is not None and rng.random() < 0.3:
        extra = f", {_pron(blk['auth'])} added"
    return _end(core + extra), ev


# ---------------------------------------------------------------------------- fillers


def _f_background(a: _Art) -> str:
    rng = a.rng
    return _ch(
        rng,
        (
            "The claims could not be independently verified.",
            "The figures could not be independently verified, and the targets were not named.",
            "Regional authorities did not say whether any infrastructure had been hit.",
            "Emergency crews inspected the sites where fragments had fallen.",
            "Residents described a series of loud bangs shortly before dawn.",
            "Analysts note that daytime raids are easier to spot but harder to hear over traffic.",
            "Military bloggers have questioned how the official totals are counted.",
            "Local officials urged residents to stay away from windows during alerts.",
            "Mobile fire groups armed with machine guns now patrol rural roads at night.",
            "Refineries, fuel depots and power substations have become frequent targets.",
            "Train services on a local line were briefly halted as a precaution.",
            "Officials asked residents not to publish photos or videos of air defence activity.",
            "Police cordoned off the areas where debris came down.",
            "The intended targets of the drones were not disclosed.",
            "Electronic warfare units have been deployed around key industrial sites.",
            "Sirens sounded in several towns, and residents were told to take shelter.",
            "Fragments were collected by investigators for examination.",
            "Some residents said they had grown used to the nightly alerts.",
            "Insurance claims for damaged cars and windows have risen sharply in border areas.",
            "Schools switched to remote lessons for the day in the most exposed districts.",
            "Utility crews worked through the morning to restore power to outlying villages.",
            "Kyiv rarely comments on individual attacks inside Russia.",
            "Ukraine says its long-range strikes are aimed at military and energy targets.",
            "Russian officials describe the raids as attempts to intimidate civilians.",
            "The regional operational headquarters said services were working normally.",
        ),
    )


def _f_place(a: _Art) -> str:
    rng = a.rng
    p = a.some_place()
    ps = a.psurf(p)
    if PLACES[p][3] == "sea":
        return _ch(
            rng,
            (
                f"Shipping in {ps} was briefly restricted during the attack.",
                f"Coastal towns on {ps} have installed new warning sirens.",
            ),
        )
    t = _ch(
        rng,
        (
            "Air-raid alerts were also declared in {}, but no interceptions were reported there.",
            "Border districts of {} have been shelled repeatedly in recent months.",
            "Mobile internet was slowed in parts of {} during the attack.",
            "The attack came days after a similar raid on {}.",
            "Farmers in {} have been told to report any wreckage found in their fields.",
            "Schools in several districts of {} switched to remote lessons.",
            'A "yellow" level of air danger remained in force in {} until the morning.',
        ),
    )
    return _cap(t.format(ps))


def _f_person(a: _Art) -> str | None:
    rng = a.rng
    r = rng.random()
    if r < 0.4:
        name = _ch(rng, ANALYSTS)
        return _ch(
            rng,
            (
                f"{name}, a military analyst, said the raids were meant to stretch air defences.",
                f"Defence analyst {name} said the pattern of attacks pointed to fuel targets.",
                f"According to {name}, a military analyst, such raids are cheap to mount.",
            ),
        )
    govs = [_GOV_BY_PLACE[p] for p in a.places if p in _GOV_BY_PLACE]
    if not govs:
        return None
    key = _ch(rng, govs)
    name = a.gov(key)
    return _ch(
        rng,
        (
            f"{name} urged residents to stay away from windows and to avoid filming.",
            f"{name} said emergency services were inspecting the sites where debris fell.",
            f"{name} asked residents not to approach fragments of downed drones.",
        ),
    )


def _f_ministry(a: _Art) -> str | None:
    if not a.mod_named:
        return None
    return _ch(
        a.rng,
        (
            "The ministry did not say what kind of drones had been used.",
            "The ministry gave no details of the targets.",
            "The ministry's statement did not mention damage on the ground.",
        ),
    )


def _distractor(a: _Art, neutral: bool = False) -> str:
    rng = a.rng
    k = _rr(rng, 23)
    if neutral and k in (15, 19, 20, 21, 22):  # these name a speaker
        k = _rr(rng, 15)
    if k == 0:
        return _ch(
            rng,
            (
                "Ukraine has regularly targeted Russian border regions since 2022.",
                "Since 2022, Ukrainian drones have reached deep into Russian territory.",
            ),
        )
    if k == 1:
        n = _ch(rng, ("Two", "Three", "Four", "Five"))
        ps = a.psurf(a.some_place(land=True))
        return f"{n} people were injured in a separate incident in {ps} last month."
    if k == 2:
        return _ch(
            rng,
            (
                "Residents who find fragments should call 112 and keep their distance.",
                "Anyone who finds wreckage should dial 112 immediately.",
            ),
        )
    if k == 3:
        return f"The nearest village lies about {_ri(rng, 8, 120)} km from the border."
    if k == 4:
        ps = a.psurf(a.some_place(land=True))
        return f"Dozens of drones have been launched at {ps} in recent weeks."
    if k == 5:
        return "Ukraine has sent hundreds of drones towards Russian regions since the spring."
    if k == 6:
        h1, m1 = _ri(rng, 0, 5), _ri(rng, 0, 59)
        h2, m2 = h1 + _ri(rng, 1, 3), _ri(rng, 0, 59)
        return f"Air-raid sirens sounded at {h1:02d}:{m1:02d} and again at {h2:02d}:{m2:02d}."
    if k == 7:
        pct = _ri(rng, 10, 70)
        return f"Drone attacks on the region rose by {pct}% compared with the previous month."
    if k == 8:
        age = _ri(rng, 19, 81)
        return f"A {age}-year-old man was wounded by shrapnel during an attack last week."
    if k == 9:
        return _ch(
            rng,
            (
                "The alert lasted 3.5 hours.",
                "The alert lasted more than two hours.",
                "Flights at two regional airports were suspended for three hours.",
            ),
        )
    if k == 10:
        return "Russia has deployed S-400 and Pantsir-S1 systems around key refineries."
    if k == 11:
        n = _ch(rng, (30, 40, 50, 60, 100))
        return f"Analysts say a new system could intercept up to {n} drones a night once deployed."
    if k == 12:
        h, m = _ri(rng, 1, 6), _ri(rng, 10, 59)
        return f"The first reports appeared on Telegram at {h}:{m} am."
    if k == 13:
        n = _ri(rng, 2, 40) * 50
        return f"More than {n:,} air-raid alerts have been declared in the region since 2022."
    if k == 14:
        n = _cap(number_words(_ri(rng, 2, 6)))
        ps = a.psurf(a.some_place(land=True))
        return f"{n} drones struck an oil depot in {ps} two weeks ago, starting a fire."
    if k == 15:
        n = _ri(rng, 3, 9)
        return (
            f"The navy said it destroyed {number_words(n)} unmanned boats near the coast on Friday."
        )
    if k == 16:
        y = _ch(rng, (2023, 2024))
        n = _ri(rng, 2, 90)
        return f"In {y}, the regional government spent {n} million roubles on shelters."
    if k == 17:
        return f"The border town has a population of about {_ri(rng, 8, 95)},000."
    if k == 18:
        n = _ch(rng, ("two", "three", "several"))
        h = _ri(rng, 2, 5)
        return f"Local residents said they heard {n} loud explosions shortly before {h} am."
    if k == 19:
        n = _ri(rng, 20, 90)
        return f"Ukraine launched {n} drones at Russia overnight, according to Russian officials."
    # non-neutral ones name people
    govs = [_GOV_BY_PLACE[p] for p in a.places if p in _GOV_BY_PLACE]
    key = _ch(rng, govs) if govs else _ch(rng, list(GOVERNORS))
    name = a.gov(key)
    if k == 20:
        n = _ri(rng, 200, 4000)
        return f"{name} said {n:,} people had been moved from border villages since 2023."
    if k == 21:
        n = _ch(rng, ("Two", "Three"))
        return f"{n} people were hurt in an earlier attack on a bus, {name} said last week."
    return f"{name} said last month that {_ri(rng, 5, 40)} shelters would be built by the autumn."


def _filler(a: _Art, neutral: bool) -> str:
    rng = a.rng
    r = rng.random()
    s: str | None = None
    if r < 0.5:
        s = _f_background(a)
    elif r < 0.75:
        s = _f_place(a)
    elif not neutral and r < 0.9:
        s = _f_person(a)
    elif not neutral:
        s = _f_ministry(a)
    return s or _f_background(a)


# ---------------------------------------------------------------------------- no-claim leads


def _noclaim_lead(a: _Art) -> list[str]:
    rng = a.rng
    p = a.places[0]
    ps = a.psurf(p)
    gk = _GOV_BY_PLACE.get(p)
    r = _rr(rng, 6)
    if r == 0 and gk:
        return [
            f"{_cap(a.gov_titled(gk))} declared a drone attack danger in {ps} "
            "and urged residents to stay indoors."
        ]
    if r == 1:
        return [
            f"Residents of {ps} were warned not to approach drone debris after a night of alerts.",
            "Officials said fragments should be reported to the emergency services.",
        ]
    if r == 2:
        n = _cap(number_words(_ri(rng, 2, 7)))
        return [f"{n} drones struck an industrial site in {ps}, starting a fire, officials said."]
    if r == 3:
        return [f"Air-raid alerts were declared across {ps} for most of the night."]
    if r == 4:
        return [
            f"It was one of the most intense drone assaults on {ps} since the start of the war."
        ]
    return [
        f"Drone attacks on {ps} have become a near-daily routine, local officials say.",
        "Some families have moved away from the most exposed villages.",
    ]


# ---------------------------------------------------------------------------- headlines


def _title_place(a: _Art, ps: list[int]) -> str:
    rng = a.rng
    if len(ps) > 1:
        if all(PLACES[p][3] in ("oblast", "krai") for p in ps) and len(ps) == 2:
            return f"{PLACES[ps[0]][2]} and {PLACES[ps[1]][2]} Regions"
        return _ch(
            rng, ("Border Regions", "Several Regions", f"{_cap(number_words(len(ps)))} Regions")
        )
    name, _iso, stem, kind, _w = PLACES[ps[0]]
    if kind in ("sea", "crimea", "krai"):
        return name
    return _ch(rng, (f"{stem} Region", f"{stem} Region", f"{stem} Oblast", stem))


def _headline(a: _Art, claims: list[dict[str, Any]], ps: list[int]) -> str:
    rng = a.rng
    pt = _title_place(a, ps)
    if not claims:
        return _ch(
            rng,
            (
                f"Drone Alert Declared in {pt}",
                f"Officials Warn of Drone Debris in {pt}",
                f"Why Drone Raids on {pt} Keep Coming",
                f"Another Sleepless Night in {pt}",
            ),
        )
    c = claims[0]
    n = c["count"]
    q = {
        "exact": "",
        "more than": "More Than ",
        "at least": "At Least ",
        "about": "About ",
        "up to": "Up To ",
    }[c["qualifier"]]
    num = str(n) if n > 20 or rng.random() < 0.5 else _cap(number_words(n))
    obj = "Missile" if c["object"] == "missile" else _ch(rng, ("Drone", "UAV"))
    objs = obj + ("s" if n != 1 or q else "")
    verb = _ch(rng, ("Downed", "Destroyed", "Shot Down", "Intercepted"))
    r = _rr(rng, 7)
    if r == 0:
        return f"{pt}: {q}{num} {objs} {verb}"
    if r == 1:
        return f"Air Defences Repel {obj} Attack on {pt}"
    if r == 2:
        return f"Overnight {obj} Raid on {pt}"
    if r == 3:
        return f"{obj}s Target {pt}"
    if r == 4 and c["authority"] == MOD:
        return f"Ministry Says {q}{num} {objs} {verb} Over {pt}"
    return f"{q}{num} {objs} {verb} Over {pt}"


# ---------------------------------------------------------------------------- annotation


def _find_words(body: str, word: str) -> list[int]:
    """Start offsets of word in body as a whole word (str.find is much faster than re)."""
    out = []
    n = len(word)
    i = body.find(word)
    while i != -1:
        j = i + n
        if (i == 0 or not body[i - 1].isalpha()) and (j == len(body) or not body[j].isalpha()):
            out.append(i)
        i = body.find(word, j)
    return out


_MOD_SURFACES = ("efence ministry", "efence Ministry", "efense ministry", "Ministry of Defen")


def _annotate_entities(body: str) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Persons, organizations and places named in the finished body, in order of mention."""
    hits: list[tuple[int, str, str]] = []
    for last, canon in _CANON_BY_LAST.items():
        if last not in body:
            continue
        for i in _find_words(body, last):
            f = _FIRST_BEFORE_RE.search(body, max(0, i - 16), i)
            if f:
                hits.append((f.start(), canon, body[f.start() : i + len(last)]))
            else:
                hits.append((i, canon, last))
    hits.sort()
    surfaces: dict[str, list[str]] = {}
    for _pos, canon, surf in hits:
        lst = surfaces.setdefault(canon, [])
        if surf not in lst:
            lst.append(surf)
    persons = [
        {"name": c, "variants": [s for s in lst if s != c], "role": _ROLE[c]}
        for c, lst in surfaces.items()
    ]
    named_mod = any(m in body for m in _MOD_SURFACES) or bool(_find_words(body, "MoD"))
    orgs = [MOD] if named_mod else []
    first: list[tuple[int, str]] = []
    for stem, name in _STEM_TO_PLACE.items():
        if stem not in body:
            continue
        # "Crimean" names Crimea too; every other stem must be a whole word
        for i in _find_words(body, stem) if stem != "Crimea" else _find_all(body, stem):
            if stem == "Moscow" and body.startswith(" time", i + 6):
                continue  # "Moscow time" is a time zone, not a place
            first.append((i, name))
            break
    places = [name for _i, name in sorted(first)]
    if "Russia" in body:
        places.append("Russia")
    if "Ukrain" in body:
        places.append("Ukraine")
    return persons, orgs, places


def _find_all(body: str, s: str) -> list[int]:
    i = body.find(s)
    return [i] if i != -1 else []


# ---------------------------------------------------------------------------- articles


def _words(sents: list[str]) -> int:
    return sum(s.count(" ") + 1 for s in sents)


def _layout(rng: Random, paras: list[list[str]], has_title: bool) -> str:
    r = rng.random()
    if has_title:
        if r < 0.8:
            return "\n\n".join(" ".join(p) for p in paras)
        return "\n".join(s for p in paras for s in p)
    if r < 0.4:
        return "\n".join(" ".join(p) for p in paras)
    if r < 0.7 or len(paras) < 2 or len(paras[0]) < 2:
        return "\n".join(s for p in paras for s in p)
    return "\n".join(paras[0]) + "\n\n" + "\n\n".join(" ".join(p) for p in paras[1:])


def _random_day(rng: Random) -> tuple[int, int, int]:
    return (_ch(rng, (2023, 2024, 2024, 2025, 2025)), _ri(rng, 1, 12), _ri(rng, 1, 28))


def _shift(day: tuple[int, int, int], back: int) -> tuple[int, int, int]:
    d = dt.date(*day) - dt.timedelta(days=back)
    if d.month == 2 and d.day == 29:
        d = d - dt.timedelta(days=1)
    return (d.year, d.month, d.day)


class Generator:
    """Deterministic article generator; call :meth:`article` for consecutive indices."""

    def __init__(self, seed: int, use_pub: bool = True) -> None:
        self.rng = Random(seed)
        self.use_pub = use_pub  # only JSONL carries a publication date
        self.history: deque[dict[str, Any]] = deque(maxlen=400)

    def _plan(self) -> tuple[list[dict[str, Any]], dict[str, int], list[str], str | None]:
        """Blocks for a new story, or a retelling of an earlier one."""
        rng = self.rng
        flags: list[str] = []
        r = rng.random()
        if r >= 0.1 and self.history and rng.random() < 0.22:
            story = _ch(rng, self.history)
            blocks = [
                dict(
                    b,
                    main=dict(b["main"], regions=[list(r) for r in b["main"]["regions"]]),
                    extra=dict(b["extra"], regions=[list(r) for r in b["extra"]["regions"]])
                    if b["extra"]
                    else None,
                )
                for b in story["blocks"]
            ]
            for b in blocks:
                if b["extra"] is not None:
                    b["extra"].pop("same_sentence", None)
            spell: dict[str, int] = {}
            for key, g in GOVERNORS.items():
                old_s = story["spell"].get(key, 0)
                if not g[2] or rng.random() < 0.5:
                    spell[key] = old_s
                else:  # spelt the other way in the retelling
                    spell[key] = _ri(rng, 1, len(g[2])) if old_s == 0 else 0
            flags.append(f"same story as {story['id']}")
            if rng.random() < 0.03:
                b = _ch(rng, blocks)
                c = b["main"]
                old = c["count"]
                others = {x["count"] for bb in blocks for x in (bb["main"], bb["extra"]) if x} - {
                    old
                }
                if c["kind"] == "distributive":
                    c["per"] += 1
                    while c["per"] * len(c["regions"]) in others:
                        c["per"] += 1
                    c["count"] = c["per"] * len(c["regions"])
                    for r in c["regions"]:
                        r[1] = c["per"]
                else:
                    delta = _ri(rng, 1, 4)
                    while old + delta in others:
                        delta += 1
                    c["count"] += delta
                    if c["kind"] == "single":
                        c["regions"][0][1] = c["count"]
                    elif c["kind"] in ("breakdown", "including"):
                        c["regions"][0][1] += delta
                flags.append(f"conflicting report: {c['count']} here, {old} in {story['id']}")
            return blocks, spell, flags, story["id"]
        target = 0 if r < 0.1 else 1 if r < 0.5 else 2 if r < 0.82 else 3
        day = _random_day(rng)
        blocks = []
        left = target
        used: set[int] = set()
        while left > 0:
            d = day if not blocks else _shift(day, _ch(rng, (0, 0, 1, 2, 3)))
            for _ in range(20):  # distinct counts keep the scoring unambiguous
                b = _new_block(rng, left, d)
                counts = [b["main"]["count"]] + ([b["extra"]["count"]] if b["extra"] else [])
                if len(set(counts)) == len(counts) and not used.intersection(counts):
                    break
            used.update(counts)
            blocks.append(b)
            left -= 2 if b["extra"] else 1
        spell = {}
        for key, g in GOVERNORS.items():
            if g[2] and rng.random() < 0.3:
                spell[key] = _ri(rng, 1, len(g[2]))
        return blocks, spell, flags, None

    def article(self, idx: int, width: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return (article record, gold record) for article number idx (1-based)."""
        rng = self.rng
        aid = f"syn{idx:0{width}d}"
        blocks, spell, flags, retold = self._plan()
        has_title = rng.random() < 0.5
        has_pub = rng.random() < 0.5
        source = _ch(rng, _SOURCES)
        days = [b["date"] for b in blocks if b["date"]]
        base = max(days) if days else _random_day(rng)
        pub_date = dt.date(*base) + dt.timedelta(days=_ri(rng, 0, 3))
        places = [r[0] for b in blocks for r in b["main"]["regions"]]
        if not places:
            places = _pick(rng, "drone", 1, land=True)
        a = _Art(rng, places, spell)
        return self._compose(a, aid, blocks, flags, retold, has_title, has_pub, pub_date, source)

    def _compose(
        self,
        a: _Art,
        aid: str,
        blocks: list[dict[str, Any]],
        flags: list[str],
        retold: str | None,
        has_title: bool,
        has_pub: bool,
        pub_date: dt.date,
        source: str,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        rng = a.rng
        pub = pub_date if has_pub and self.use_pub else None
        paras: list[list[str]] = []
        claims: list[dict[str, Any]] = []
        distractor_done = False
        seen_date = False
        for i, blk0 in enumerate(blocks):
            blk = dict(blk0, after_dated=seen_date)
            seen_date = seen_date or blk0["date"] is not None
            if i > 0:
                neutral = blk["auth"] is None
                gap = [_distractor(a, neutral) if not distractor_done else _filler(a, neutral)]
                distractor_done = True
                paras.append(gap)
            sents, cl = _render_block(a, blk, pub)
            paras.append(sents)
            claims.extend(cl)
        if not blocks:
            paras.append(_noclaim_lead(a))
        words = sum(_words(p) for p in paras)
        if not distractor_done or rng.random() < 0.4:
            d = _distractor(a)
            paras.append([d] if rng.random() < 0.5 or not paras else [d, _filler(a, False)])
            words += _words(paras[-1])
        target = _ri(rng, 85, 230)
        used = {s for p in paras for s in p}
        tries = 0
        while words < target and tries < 40:
            tries += 1
            saved = (set(a.mentioned), a.mod_named)
            n = 1 if rng.random() < 0.5 else 2
            para = [_filler(a, False) for _ in range(n)]
            if rng.random() < 0.15:
                para.append(_distractor(a))
            nw = _words(para)
            if words + nw > 250:
                a.mentioned, a.mod_named = saved
                continue
            if len(set(para)) < len(para) or not used.isdisjoint(para):
                a.mentioned, a.mod_named = saved
                continue
            used.update(para)
            paras.append(para)
            words += nw
        body = _layout(rng, paras, has_title)
        head_places = [r[0] for r in blocks[0]["main"]["regions"]] if blocks else a.places[:1]
        title = _headline(a, claims, head_places) if has_title else None
        persons, orgs, places = _annotate_entities(body)
        for p in persons:
            for v in p["variants"]:
                if " " in v:
                    flags.append(f"name spelled '{v}' (canonical '{p['name']}')")
        for b in blocks:
            if b["main"]["mismatch"]:
                parts = " + ".join(str(r[1]) for r in b["main"]["regions"])
                flags.append(f"breakdown {parts} does not add up to {b['main']['count']}")
        if retold is None and blocks:
            self.history.append({"id": aid, "blocks": blocks, "spell": a.spell})
        record = {
            "id": aid,
            "title": title,
            "text": body,
            "published": pub.isoformat() if pub else None,
            "source": source,
        }
        gold = {
            "id": aid,
            "title": title,
            "persons": persons,
            "organizations": orgs,
            "places": places,
            "claims": claims,
            "flags": flags,
        }
        return record, gold


# ---------------------------------------------------------------------------- output


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_file(path: str, text: str) -> None:
    """Write a small UTF-8 file (os.write avoids the text-IO layers of open())."""
    fd = os.open(path, _FLAGS, 0o644)
    try:
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)


def generate(n: int, seed: int, out: str, fmt: str = "txt") -> None:
    """Write n articles and gold.json into directory out."""
    os.makedirs(out, exist_ok=True)
    gen = Generator(seed, use_pub=fmt == "jsonl")
    width = max(6, len(str(n)))
    gold_path = os.path.join(out, "gold.json")
    jsonl = (
        open(os.path.join(out, "articles.jsonl"), "w", encoding="utf-8") if fmt == "jsonl" else None
    )
    try:
        with open(gold_path, "w", encoding="utf-8") as gf:
            gf.write('{"about": ' + json.dumps(_ABOUT) + ', "articles": [\n')
            for i in range(1, n + 1):
                rec, gold = gen.article(i, width)
                if jsonl is not None:
                    jsonl.write(json.dumps(rec, ensure_ascii=False) + "\n")
                else:
                    text = (
                        rec["text"] if rec["title"] is None else f"{rec['title']}\n\n{rec['text']}"
                    )
                    _write_file(os.path.join(out, rec["id"] + ".txt"), text + "\n")
                gf.write(("" if i == 1 else ",\n") + json.dumps(gold, ensure_ascii=False))
            gf.write("\n]}\n")
    finally:
        if jsonl is not None:
            jsonl.close()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=0, help="random seed")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--format", choices=("txt", "jsonl"), default="txt")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    generate(args.n, args.seed, args.out, args.format)
    dt_s = time.perf_counter() - t0
    print(
        f"wrote {args.n} articles to {args.out} in {dt_s:.1f}s "
        f"({TEMPLATE_COUNT} claim sentence templates)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
