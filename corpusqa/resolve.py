"""Canonical entities across the corpus: one person however their name is transliterated."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .transliteration import name_key


@dataclass(slots=True)
class Spelling:
    """What resolution needs of the person mentions that share a name, gazetteer name,
    role and surface: those, and how many mentions there are. A few thousand of these stand
    for the millions of mentions of a large corpus."""

    name: str
    known: str | None
    role: str | None
    surface: str
    mentions: int = 1


@dataclass
class Person:
    id: str
    name: str
    role: str | None
    variants: list[str] = field(default_factory=list)
    # The (name, gazetteer name) of the mentions that are this person.
    names: list[tuple[str, str | None]] = field(default_factory=list)


def slug(text: str) -> str:
    """A URL-safe id: "Vasily Anokhin" -> "vasily-anokhin"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _most_common(counts: Counter[str]) -> str | None:
    """The most frequent value, ties broken alphabetically, so the result does not depend on
    the order mentions were stored in."""
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


# A few thousand names recur across millions of mentions: each is keyed once.
_name_key = cache(name_key)


def surname(name: str) -> str:
    """The key resolution groups a name under (its surname's transliteration skeleton):
    mentions of one person always share it, so persons can be resolved one surname at a
    time, and an update resolves only the surnames its mentions have."""
    return _name_key(name)[1]


def resolve_persons(spellings: Iterable[Spelling]) -> list[Person]:
    """Group the mentions counted in SPELLINGS into persons.

    A known official is one person whatever the spelling; other names group by the
    transliteration skeleton of the surname and the first initial, and take their most
    frequent full spelling as canonical. A mention with a surname only joins the person
    whose surname it shares. Mentions of one name and gazetteer name are always one person,
    and the result does not depend on the order of SPELLINGS.
    """
    rows = list(spellings)
    known_keys = {_name_key(known): known for known in sorted({r.known for r in rows if r.known})}
    groups: dict[tuple[str, str], list[Spelling]] = defaultdict(list)
    for row in rows:
        key = _name_key(row.known or row.name)
        if row.known is None:
            key = next((k for k in known_keys if k[1] == key[1] and key[0] in ("", k[0])), key)
        groups[key].append(row)
    by_surname: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in groups:
        if key[0]:
            by_surname[key[1]].append(key)
    for key in [k for k in groups if not k[0]]:
        targets = by_surname.get(key[1], [])
        if len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))
    persons = []
    for members in groups.values():
        known = min((m.known for m in members if m.known), default=None)
        full_names: Counter[str] = Counter()
        roles: Counter[str] = Counter()
        for m in members:
            if " " in m.name:
                full_names[m.name] += m.mentions
            if m.role:
                roles[m.role] += m.mentions
        name = known or _most_common(full_names) or min(m.name for m in members)
        role = _most_common(roles)
        spellings = sorted(
            {m.surface.removesuffix("’s").removesuffix("'s") for m in members}
            | {m.name for m in members}
        )
        persons.append(
            Person(
                slug(name),
                name,
                role,
                [s for s in spellings if s != name],
                sorted({(m.name, m.known) for m in members}, key=lambda n: (n[0], n[1] or "")),
            )
        )
    return sorted(persons, key=lambda p: p.id)
