"""Claim extraction on phrasings of our own (tests/cases/claims.yml), not the seeds.

The cases were written independently of the extractor, from how wire copy reports these
events; each names what a careful reader extracts.
"""

import re
from pathlib import Path

import pytest
import yaml

from corpusqa.extract.article import extract
from corpusqa.extract.organizations import OrganizationMention
from corpusqa.gazetteer import places

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "claims.yml").read_text())
NAMES = {p.id: p.name for p in places().values()}
STOP = {"a", "an", "the", "of", "to", "was", "were", "and", "or", "by"}


def authority_name(authority):
    if authority is None:
        return None
    if isinstance(authority, OrganizationMention):
        return authority.name
    return authority.known or authority.name


def content_words(phrase):
    return {w for w in re.findall(r"[a-z]+", (phrase or "").lower()) if w not in STOP}


def as_record(claim):
    return {
        "quantity": claim.quantity,
        "qualifier": claim.qualifier,
        "incremental": claim.incremental,
        "object": claim.object,
        "action": claim.action,
        "places": {NAMES[p.place_id]: p.quantity for p in claim.places},
        "distributive": claim.distributive,
        "date": claim.date,
        "time_start": claim.time_start,
        "time_end": claim.time_end,
        "night": claim.night,
        "authority": authority_name(claim.authority),
        "casualties": claim.casualties,
        "damage": claim.damage,
    }


def comparable(expected):
    record = dict(expected)
    for key in ("casualties", "damage"):
        if record[key] not in (None, "none reported"):
            record[key] = "stated"
    return record


def test_there_are_forty_or_more_cases_with_negatives():
    assert len(CASES) >= 40
    assert sum(1 for c in CASES if not c["claims"]) >= 12


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_claim_case(case):
    claims = extract(case["text"], case.get("published")).claims
    got = [as_record(c) for c in claims]
    for record in got:
        for key in ("casualties", "damage"):
            if record[key] not in (None, "none reported"):
                record[key] = "stated"
    assert got == [comparable(c) for c in case["claims"]]
