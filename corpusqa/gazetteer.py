"""The gazetteers: places, known persons, organisations, given names (data/*.csv, *.txt)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from .lexicon import DATA

SUBJECT_KINDS = ("federal_subject", "province", "sea", "country")


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    iso_code: str | None
    parent_id: str | None
    latitude: float | None
    longitude: float | None
    stem: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class KnownPerson:
    name: str
    role: str | None
    place_id: str | None
    organization: str | None
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Organization:
    name: str
    kind: str | None
    variants: tuple[str, ...]


def _rows(filename: str) -> list[dict[str, str]]:
    with open(DATA / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(value: str | None) -> tuple[str, ...]:
    """The variants of a cell, each with an apostrophe also written the typographic way
    ("Ukraine's" and "Ukraine’s"), as copy writes either."""
    variants = [v.strip() for v in (value or "").split("|") if v.strip()]
    both = [w for v in variants for w in (v, v.replace("'", "’"), v.replace("’", "'"))]
    return tuple(dict.fromkeys(both))


@cache
def places() -> dict[str, Place]:
    """Every place in data/places.csv, by id."""
    result = {}
    for row in _rows("places.csv"):
        result[row["id"]] = Place(
            row["id"],
            row["name"],
            row["kind"],
            row["iso_code"] or None,
            row["parent_id"] or None,
            float(row["latitude"]) if row["latitude"] else None,
            float(row["longitude"]) if row["longitude"] else None,
            row["stem"],
            _split(row["variants"]) or (row["name"],),
        )
    return result


@cache
def place_names() -> dict[str, str]:
    """Canonical name of every place, by id."""
    return {p.id: p.name for p in places().values()}


def normalise_name(name: str) -> str:
    """A place name as a lookup key: lower case, runs of whitespace as one space."""
    return " ".join(name.lower().split())


@cache
def lookup_names() -> dict[str, str]:
    """Every name a person may give a place (its id, name, ISO code and every variant),
    normalised, with the id of the federal subject, province, sea or country it counts as:
    "Kursk", "Kursk region" and "RU-KRS" are all Kursk Oblast, where claims are counted. A
    name two places share goes to the one whose own name it is, before a city or district."""
    result: dict[str, str] = {}
    ranked = sorted(places().values(), key=lambda p: (p.kind in ("city", "district"), p.id))
    for place in ranked:
        for name in (place.id, place.name, place.iso_code, *place.variants):
            if name:
                result.setdefault(normalise_name(name), subject_of(place.id))
    return result


@cache
def subject_of(place_id: str) -> str:
    """The federal subject, foreign province, sea or country a place lies in (itself if one).
    A city with an ISO 3166-2 code of its own (Kyiv, UA-30) is a first-level subdivision of
    its country, as Moscow and Sevastopol are, and is its own subject."""
    table = places()
    place = table[place_id]
    while place.kind not in SUBJECT_KINDS and not place.iso_code and place.parent_id in table:
        place = table[place.parent_id]
    return place.id


@cache
def known_persons() -> list[KnownPerson]:
    """Officials with canonical spellings and roles, from data/persons.csv."""
    return [
        KnownPerson(
            row["name"],
            row["role"] or None,
            row["place_id"] or None,
            row["organization"] or None,
            _split(row["variants"]),
        )
        for row in _rows("persons.csv")
    ]


@cache
def organizations() -> list[Organization]:
    """Organisations with canonical names and variants, from data/organizations.csv."""
    return [
        Organization(row["name"], row["kind"] or None, _split(row["variants"]))
        for row in _rows("organizations.csv")
    ]


@cache
def given_names() -> frozenset[str]:
    """Given names in their usual English transliterations, from data/given_names.txt."""
    lines = (DATA / "given_names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
