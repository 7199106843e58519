"""The lessons of the real development set, as cases in our own words (tests/cases/reports.yml).

Each case lists only the attributes it is about; the number of claims is always checked.
"""

from pathlib import Path

import pytest
import yaml
from test_claim_cases import authority_name

from corpusqa.extract.article import extract
from corpusqa.gazetteer import places

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "reports.yml").read_text())
NAMES = {p.id: p.name for p in places().values()}


def as_record(claim):
    return {
        "quantity": claim.quantity,
        "qualifier": claim.qualifier.replace(" ", "_"),
        "object": claim.object,
        "places": {NAMES[p.place_id]: p.quantity for p in claim.places},
        "date": claim.date,
        "date_basis": claim.date_basis,
        "time_start": claim.time_start,
        "time_end": claim.time_end,
        "authority": authority_name(claim.authority),
    }


def test_every_case_names_its_lesson():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    assert all(c.get("lesson") and "claims" in c for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_report_case(case):
    claims = extract(case["text"], case.get("published"), case.get("title")).claims
    got = [as_record(c) for c in claims]
    expected = case["claims"]
    assert [g["quantity"] for g in got] == [e["quantity"] for e in expected], got
    for want, have in zip(expected, got, strict=True):
        assert {k: have[k] for k in want} == want
