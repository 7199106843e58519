"""Score a built database against gold annotations (the format of shared/gold/seeds.json)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import sqlite_utils

from .gazetteer import organizations
from .gazetteer import places as gazetteer_places
from .transliteration import skeleton

CLAIM_ATTRIBUTES = (
    "qualifier",
    "date",
    "time_window",
    "authority",
    "place_set",
    "place_quantities",
)
PLACE_KINDS = ("federal_subject", "sea")


@dataclass
class Score:
    """Precision, recall and F1 of one kind of record, with what was missed and added."""

    gold: int = 0
    extracted: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class Report:
    claims: Score
    fully_right: tuple[int, int]
    attributes: dict[str, float]
    attribute_errors: list[str]
    persons: Score
    variants_resolved: tuple[int, int]
    places: Score
    stories: Score
    conflicts: Score

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": {
                "fully_right": self.fully_right_share,
                "fully_right_counts": list(self.fully_right),
                **self.claims.as_dict(),
                "attributes": self.attributes,
                "attribute_errors": self.attribute_errors,
            },
            "persons": {
                **self.persons.as_dict(),
                "variants_resolved": list(self.variants_resolved),
            },
            "places": self.places.as_dict(),
            "stories": self.stories.as_dict(),
            "conflicts": self.conflicts.as_dict(),
        }

    def lines(self) -> list[str]:
        def row(name: str, s: Score) -> str:
            return (
                f"{name:<8} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
                f"({s.gold} gold, {s.extracted} extracted, {s.matched} matched)"
            )

        right, gold = self.fully_right
        out = [
            f"fully right {self.fully_right_share:.3f}  ({right} of {gold} gold claims found "
            "with every attribute right)",
            row("claims", self.claims),
        ]
        out.append(
            "  of matched claims, right: "
            + "  ".join(f"{k} {v:.3f}" for k, v in self.attributes.items())
        )
        out.append(row("persons", self.persons))
        out.append(
            f"  variant spellings resolved to one person: "
            f"{self.variants_resolved[0]}/{self.variants_resolved[1]}"
        )
        out.append(row("places", self.places))
        out.append(row("stories", self.stories) + " pairs of articles told as one story")
        out.append(
            row("conflicts", self.conflicts) + " pairs of articles that report one event with"
            " different numbers"
        )
        for title, items in [
            ("claims missed", self.claims.misses),
            ("claims extra", self.claims.extras),
            ("claim attributes wrong", self.attribute_errors),
            ("persons missed", self.persons.misses),
            ("persons extra", self.persons.extras),
            ("places missed", self.places.misses),
            ("places extra", self.places.extras),
            ("story pairs missed", self.stories.misses),
            ("story pairs extra", self.stories.extras),
            ("conflict pairs missed", self.conflicts.misses),
            ("conflict pairs extra", self.conflicts.extras),
        ]:
            if items:
                out.append(f"{title}:")
                out.extend(f"  {item}" for item in items)
        return out

    @property
    def fully_right_share(self) -> float:
        """The share of gold claims found with every attribute right: the headline figure."""
        right, gold = self.fully_right
        return right / gold if gold else 1.0

    def worst_f1(self) -> float:
        """The lowest extraction figure. Stories and conflicts are reported, not included:
        they are a judgement over the corpus, not something read from one article."""
        return min(
            self.claims.f1,
            self.persons.f1,
            self.places.f1,
            *self.attributes.values(),
            self.variants_resolved[0] / self.variants_resolved[1]
            if self.variants_resolved[1]
            else 1.0,
        )


def _extracted_claims(db: sqlite_utils.Database) -> dict[str, list[dict[str, Any]]]:
    claims: dict[str, list[dict[str, Any]]] = {}
    rows = db.query("""
        select claims.*, json_group_array(json_object('place', places.name,
                                                      'count', claim_places.quantity)) as regions
        from claims
        left join claim_places on claim_places.claim_id = claims.id
        left join places on places.id = claim_places.place_id
        group by claims.id order by claims.id
    """)
    for row in rows:
        row["regions"] = [r for r in json.loads(row["regions"]) if r["place"]]
        claims.setdefault(row["article_id"], []).append(row)
    return claims


def _claim_label(article_id: str, claim: dict[str, Any]) -> str:
    count = claim.get("count", claim.get("quantity"))
    places = ", ".join(r["place"] for r in claim["regions"])
    return f"{article_id}: {count} {claim.get('object')} over {places or '?'}"


def evaluate(db_path: Path, gold_path: Path) -> Report:
    """Compare the database at DB_PATH with the gold file at GOLD_PATH."""
    db = sqlite_utils.Database(db_path)
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    extracted = _extracted_claims(db)
    kinds = {r["id"]: r["kind"] for r in db.query("select id, kind from places")}
    article_rows = {r["id"]: r for r in db.query("select id, persons, places from articles")}

    tally = ClaimTally()
    persons = Score()
    places = Score()
    variants_total = variants_one = 0
    for article in gold["articles"]:
        article_id = article["id"]
        tally.compare(article_id, article["claims"], extracted.get(article_id, []))
        row = article_rows.get(article_id) or {"persons": "[]", "places": "[]"}
        _score_keyed(
            persons,
            article_id,
            {p["name"] for p in article["persons"]},
            set(json.loads(row["persons"] or "[]")),
        )
        _score_set(
            places,
            article_id,
            _subjects(article["places"], kinds),
            _subjects(json.loads(row["places"] or "[]"), kinds),
        )

    for spellings in _gold_variants(gold).values():
        if len(spellings) < 2:
            continue
        variants_total += 1
        entities = {
            r["entity_id"]
            for r in db.query(
                f"select distinct entity_id from mentions where kind = 'person' and "
                f"(name in ({','.join('?' * len(spellings))}) or surface in "
                f"({','.join('?' * len(spellings))}))",
                [*spellings, *spellings],
            )
        }
        if len(entities) == 1:
            variants_one += 1
    return Report(
        tally.claims,
        (tally.fully_right, tally.claims.gold),
        tally.attributes(),
        tally.attribute_errors,
        persons,
        (variants_one, variants_total),
        places,
        _score_stories(db, gold),
        _score_conflicts(db, gold),
    )


@dataclass
class ClaimTally:
    """Claims compared article by article as the guideline scores them: a gold claim is
    found by its count, object and places; then each of its attributes is right or not."""

    claims: Score = field(default_factory=Score)
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLAIM_ATTRIBUTES, 0))
    attribute_errors: list[str] = field(default_factory=list)
    fully_right: int = 0

    def compare(
        self, article_id: str, expected_claims: list[dict[str, Any]], found: list[dict[str, Any]]
    ) -> None:
        """Match EXPECTED_CLAIMS (gold records) against FOUND (rows with `quantity`)."""
        got = list(found)
        self.claims.gold += len(expected_claims)
        self.claims.extracted += len(got)
        for expected in expected_claims:
            wanted = _per_place(expected["regions"], expected["count"])
            match = _find(expected["count"], expected.get("object"), wanted, got)
            if match is None:
                self.claims.misses.append(_claim_label(article_id, expected))
                continue
            got.remove(match)
            self.claims.matched += 1
            have = _per_place(match["regions"], match["quantity"])
            checks = {
                "qualifier": (_qualifier(expected["qualifier"]), _qualifier(match["qualifier"])),
                "date": (expected["date"], _comparable_date(match["date"], expected["date"])),
                "time_window": (
                    (expected["time_start"], expected["time_end"]),
                    (match["time_start"], match["time_end"]),
                ),
                "authority": (expected["authority"], match["authority"]),
                "place_set": (sorted(wanted), sorted(have)),
                "place_quantities": (sorted(wanted.items()), sorted(have.items())),
            }
            all_right = True
            for name, (want, got_value) in checks.items():
                same = (
                    _authority_key(want) == _authority_key(got_value)
                    if name == "authority"
                    else want == got_value
                )
                if same:
                    self.right[name] += 1
                else:
                    all_right = False
                    self.attribute_errors.append(
                        f"{_claim_label(article_id, expected)}: {name} {want!r}, got {got_value!r}"
                    )
            self.fully_right += all_right
        self.claims.extras.extend(_claim_label(article_id, c) for c in got)

    def attributes(self) -> dict[str, float]:
        """The share of found claims with each attribute right (1.0 when none was found)."""
        matched = self.claims.matched
        return {k: (v / matched if matched else 1.0) for k, v in self.right.items()}


def agreement(first: dict[str, Any], second: dict[str, Any]) -> tuple[ClaimTally, ClaimTally]:
    """How two gold files of the same articles agree on their claims: SECOND scored as if
    extracted against FIRST, and FIRST against SECOND, as `evaluate` scores a database. What
    two careful readers reach against each other bounds what an extractor can be asked for."""

    def as_found(claim: dict[str, Any]) -> dict[str, Any]:
        return {**claim, "quantity": claim["count"]}

    def claims_by_article(gold: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        return {a["id"]: [as_found(c) for c in a["claims"]] for a in gold["articles"]}

    tallies = []
    for expected, other in ((first, second), (second, first)):
        tally = ClaimTally()
        found = claims_by_article(other)
        for article in expected["articles"]:
            if article["id"] in found:
                tally.compare(article["id"], article["claims"], found[article["id"]])
        tallies.append(tally)
    return tallies[0], tallies[1]


def _score_stories(db: sqlite_utils.Database, gold: dict[str, Any]) -> Score:
    """Pairs of gold articles in one story (gold flags "same story as ID"), against pairs of
    those articles that the database puts in one story."""
    ids = [a["id"] for a in gold["articles"]]
    expected = _pairs(_gold_stories(gold))
    story_of = {r["id"]: r["story_id"] for r in db.query("select id, story_id from articles")}
    found = _pairs({i: story_of[i] for i in ids if story_of.get(i)})
    return _pair_score(expected, found)


def _score_conflicts(db: sqlite_utils.Database, gold: dict[str, Any]) -> Score:
    """Pairs of gold articles that report one event with different numbers (gold flags
    "conflicting report: N here, M in ID"), against pairs of those articles whose claims
    of one event give different numbers in the database."""
    ids = {a["id"] for a in gold["articles"]}
    expected = set()
    for article in gold["articles"]:
        for flag in article.get("flags", []):
            match = re.match(r"conflicting report: .* in (\S+)$", flag)
            if match and match.group(1) in ids:
                expected.add(tuple(sorted((article["id"], match.group(1)))))
    figures: dict[str, list[tuple[str, int]]] = {}
    for row in db.query(
        "select event_id, article_id, quantity from claims where event_id in "
        "(select id from events where not consistent) order by event_id, article_id"
    ):
        if row["article_id"] in ids:
            figures.setdefault(row["event_id"], []).append((row["article_id"], row["quantity"]))
    found = {
        (a, b)
        for claims in figures.values()
        for (a, x), (b, y) in combinations(claims, 2)
        if a != b and x != y
    }
    return _pair_score(expected, found)


def _pair_score(expected: set[tuple[str, str]], found: set[tuple[str, str]]) -> Score:
    score = Score(gold=len(expected), extracted=len(found), matched=len(expected & found))
    score.misses = [f"{a} ~ {b}" for a, b in sorted(expected - found)]
    score.extras = [f"{a} ~ {b}" for a, b in sorted(found - expected)]
    return score


def _gold_stories(gold: dict[str, Any]) -> dict[str, str]:
    parent = {a["id"]: a["id"] for a in gold["articles"]}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for article in gold["articles"]:
        for flag in article.get("flags", []):
            match = re.match(r"same story as (\S+)", flag)
            if match and match.group(1) in parent:
                low, high = sorted((find(article["id"]), find(match.group(1))))
                parent[high] = low
    return {i: find(i) for i in parent}


def _pairs(story_of: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for article_id, story in story_of.items():
        members.setdefault(story, []).append(article_id)
    return {pair for group in members.values() for pair in combinations(sorted(group), 2)}


def _comparable_date(extracted: str | None, gold: str | None) -> str | None:
    """Gold gives MM-DD for a day without a year; a year the article's date added is not an
    error."""
    if extracted and gold and len(gold) == 5 and len(extracted) == 10:
        return extracted[5:]
    return extracted


def _per_place(regions: list[dict[str, Any]], count: int | None) -> dict[str, Any]:
    """Place id -> the number over it. The guideline gives a single place the claim's count:
    a single place left without a number holds it."""
    numbers = {_place_id(r["place"]): r["count"] for r in regions}
    if len(numbers) == 1 and None in numbers.values():
        return dict.fromkeys(numbers, count)
    return numbers


def _find(
    count: int, kind: str | None, wanted: dict[str, Any], got: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The extracted claim that a gold claim is found as: the same count, and places that
    overlap or are missing on one side (GUIDELINES.md, Scoring). Overlapping places and the
    same object are preferred."""

    def rank(claim: dict[str, Any]) -> tuple[bool, bool] | None:
        have = {_place_id(r["place"]) for r in claim["regions"]}
        overlap = bool(set(wanted) & have)
        if claim["quantity"] != count or not (overlap or not wanted or not have):
            return None
        return (not overlap, kind is not None and claim["object"] != kind)

    ranked = [(rank(c), i) for i, c in enumerate(got)]
    best = min(((r, i) for r, i in ranked if r is not None), default=None)
    return got[best[1]] if best else None


def _place_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for place in gazetteer_places().values():
        for name in (place.name, *place.variants, place.iso_code or ""):
            if name:
                lookup.setdefault(name.lower(), place.id)
    return lookup


_PLACES: dict[str, str] = {}


def _place_id(name: str) -> str:
    """A place's gazetteer id from any of its names or its ISO code ("Republic of Crimea",
    "Crimea" and "UA-43" are one place); an unknown name stands for itself."""
    if not _PLACES:
        _PLACES.update(_place_lookup())
    return _PLACES.get(name.lower(), name)


def _subjects(names: list[str], kinds: dict[str, str]) -> set[str]:
    """The federal subjects and seas among NAMES, by gazetteer id: the gold may write
    "Republic of Bashkortostan" where the database names it "Bashkortostan"."""
    return {_place_id(n) for n in names if kinds.get(_place_id(n)) in PLACE_KINDS}


def _qualifier(value: str | None) -> str | None:
    return value.replace("_", " ") if value else value


def _authority_key(name: str | None) -> str | None:
    """Who made a claim, spelling aside: an organisation by its canonical name, a person by
    the transliteration key of their first initial and surname."""
    if name is None:
        return None
    for org in organizations():
        if name.lower() in {v.lower() for v in (org.name, *org.variants)}:
            return "org:" + org.name
    words = name.split()
    if len(words) >= 2:
        return f"person:{skeleton(words[0])[:1]} {skeleton(words[-1])}"
    return name.lower()


def _score_keyed(score: Score, article_id: str, gold: set[str], got: set[str]) -> None:
    """Persons scored spelling aside: Anokhin and Anohin are one person."""
    gold_keys = {_authority_key(n): n for n in gold}
    got_keys = {_authority_key(n): n for n in got}
    score.gold += len(gold_keys)
    score.extracted += len(got_keys)
    score.matched += len(gold_keys.keys() & got_keys.keys())
    score.misses.extend(
        f"{article_id}: {gold_keys[k]}" for k in sorted(gold_keys.keys() - got_keys.keys())
    )
    score.extras.extend(
        f"{article_id}: {got_keys[k]}" for k in sorted(got_keys.keys() - gold_keys.keys())
    )


def _score_set(score: Score, article_id: str, gold: set[str], got: set[str]) -> None:
    score.gold += len(gold)
    score.extracted += len(got)
    score.matched += len(gold & got)
    score.misses.extend(f"{article_id}: {x}" for x in sorted(gold - got))
    score.extras.extend(f"{article_id}: {x}" for x in sorted(got - gold))


def _gold_variants(gold: dict[str, Any]) -> dict[str, set[str]]:
    spellings: dict[str, set[str]] = {}
    for article in gold["articles"]:
        for person in article["persons"]:
            spellings.setdefault(person["name"], {person["name"]}).update(person["variants"])
    return spellings
