"""The real development set (tests/real): its committed annotations are well formed, and,
where the texts have been gathered (docs/real-devset.md), they are the texts annotated.

The texts are other people's writing and are not in the repository, so CI checks the
annotations; scripts/real_devset.py scores the extractor where the texts are present.
"""

import re
import sys
from collections import Counter

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from real_devset import SETS, batches, gold_articles, text_status  # noqa: E402

from corpusqa.evaluate import _place_id  # noqa: E402
from corpusqa.gazetteer import places  # noqa: E402

ARTICLES = gold_articles()
# The held-out set, gathered after the rules were made, and every item of both.
HELDOUT = gold_articles(SETS["heldout"])
EVERY = ARTICLES + HELDOUT
QUALIFIERS = {"exact", "more_than", "at_least", "about", "up_to"}
DATE = re.compile(r"^(?:\d{4}-)?\d{2}-\d{2}$")


def test_the_set_holds_150_items_mostly_retellings_with_negatives():
    assert len(ARTICLES) >= 150
    genres = Counter(a["genre"] for a in ARTICLES)
    assert genres["retelling"] >= len(ARTICLES) / 2
    assert genres["wire"] and genres["ukrainian"]
    assert sum(1 for a in ARTICLES if not a["claims"]) >= 10
    assert len({a["id"] for a in ARTICLES}) == len({a["url"] for a in ARTICLES}) == len(ARTICLES)


def test_the_heldout_set_shares_no_item_with_the_development_set():
    assert len(HELDOUT) >= 40
    assert {a["genre"] for a in HELDOUT} == {"wire", "ukrainian", "retelling"}
    assert len({a["id"] for a in EVERY}) == len({a["url"] for a in EVERY}) == len(EVERY)


def test_every_heldout_item_is_scored_in_the_batch_it_was_annotated_in():
    batch_of = batches(SETS["heldout"])
    assert set(batch_of) == {a["id"] for a in HELDOUT}
    assert set(batch_of.values()) == {p.stem for p in SETS["heldout"].glob("*.json")}


@pytest.mark.parametrize("article", EVERY, ids=[a["id"] for a in EVERY])
def test_every_item_has_a_locator_and_annotations_in_the_guideline_form(article):
    assert re.fullmatch(r"[0-9a-f]{64}", article["sha256"])
    assert article["url"].startswith("http") and article["locator"]["tool"]
    assert article["published"] is None or re.fullmatch(
        r"20(?:23|24|25|26)-\d{2}(?:-\d{2})?", article["published"]
    )
    known = set(places())
    for claim in article["claims"]:
        assert isinstance(claim["count"], int) and claim["count"] > 0
        assert claim["qualifier"] in QUALIFIERS
        assert claim["date"] is None or DATE.match(claim["date"])
        for region in claim["regions"]:
            # A garbled name no reader can resolve ("the Sacramento regions") is kept as
            # written, with no code, when the notes say why; the extractor can never match it.
            garbled = region["iso"] is None and region["place"] in (article.get("notes") or "")
            assert _place_id(region["place"]) in known or garbled, region


def test_gathered_texts_are_the_texts_annotated():
    statuses = {a["id"]: text_status(a) for a in EVERY}
    if all(s == "missing" for s in statuses.values()):
        pytest.skip("the texts are not gathered here (docs/real-devset.md)")
    assert [i for i, s in statuses.items() if s == "changed"] == []
