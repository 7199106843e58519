"""The extraction evaluated against the gold annotations of the seeds: the floor CI pins."""

import json

import pytest
from click.testing import CliRunner
from conftest import GOLD

from corpusqa.cli import cli
from corpusqa.evaluate import agreement, evaluate


@pytest.fixture(scope="module")
def report(seeds_db_path):
    return evaluate(seeds_db_path, GOLD)


def test_claims_match_gold_exactly_on_the_seeds(report):
    assert report.claims.misses == []
    assert report.claims.extras == []
    assert report.claims.f1 == 1.0


def test_every_claim_attribute_is_right_on_the_seeds(report):
    assert report.attribute_errors == []
    assert set(report.attributes.values()) == {1.0}


def test_persons_and_places_match_gold_on_the_seeds(report):
    assert (report.persons.f1, report.places.f1) == (1.0, 1.0), report.lines()


def test_stories_are_scored_as_pairs_of_articles(report):
    # 000 and 001 retell one story; no other pair of seeds does.
    assert (report.stories.gold, report.stories.extracted, report.stories.matched) == (1, 1, 1)
    assert "stories  P 1.000  R 1.000" in "\n".join(report.lines())


def test_anohin_and_anokhin_are_one_person(report, seeds_db):
    assert report.variants_resolved == (2, 2)
    rows = list(
        seeds_db.query(
            "select distinct entity_id from mentions where surface in ('Anohin', 'Anokhin', "
            "'Vasily Anohin', 'Vasily Anokhin')"
        )
    )
    assert rows == [{"entity_id": "vasily-anokhin"}]
    variants = json.loads(seeds_db["persons"].get("vasily-anokhin")["variants"])
    assert "Vasily Anohin" in variants


def test_evaluate_command_prints_scores_and_writes_json(seeds_db_path, tmp_path):
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            str(seeds_db_path),
            "--gold",
            str(GOLD),
            "--json",
            str(out),
            "--min-f1",
            "1.0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "claims   P 1.000  R 1.000  F1 1.000  (11 gold, 11 extracted, 11 matched)" in result.output
    )
    assert json.loads(out.read_text())["claims"]["f1"] == 1.0


def test_evaluate_lists_misses_and_fails_below_the_floor(seeds_db_path, tmp_path):
    gold = json.loads(GOLD.read_text())
    gold["articles"][0]["claims"][0]["count"] = 14
    changed = tmp_path / "gold.json"
    changed.write_text(json.dumps(gold))
    result = CliRunner().invoke(
        cli, ["evaluate", str(seeds_db_path), "--gold", str(changed), "--min-f1", "1.0"]
    )
    assert result.exit_code == 1
    assert "000_9d90c5170b0583bd: 14 drone over Smolensk Oblast" in result.output


def test_sample_corpus_matches_its_own_gold(sample_db_path):
    from conftest import SAMPLE

    sample = evaluate(sample_db_path, SAMPLE / "gold.json")
    assert sample.claims.misses == [] and sample.claims.extras == [], sample.lines()
    assert sample.attribute_errors == []
    assert (sample.persons.f1, sample.places.f1) == (1.0, 1.0), sample.lines()
    assert sample.variants_resolved[0] == sample.variants_resolved[1] > 0
    assert sample.stories.misses == [] and sample.stories.extras == [], sample.lines()
    assert sample.stories.gold == 2


def test_every_mention_surface_is_its_span_of_the_body(seeds_db, sample_db_path):
    import sqlite_utils

    for db in (seeds_db, sqlite_utils.Database(sample_db_path)):
        bad = list(
            db.query("""
            select mentions.id from mentions join articles on articles.id = mentions.article_id
            where substr(articles.body, span_start + 1, span_end - span_start) != surface""")
        )
        assert bad == []
        assert db["mentions"].count > 0
        bad_claims = list(
            db.query("""
            select claims.id from claims join articles on articles.id = claims.article_id
            where substr(articles.body, span_start + 1, span_end - span_start) != sentence""")
        )
        assert bad_claims == []


def test_fully_right_is_printed_first(seeds_db_path):
    result = CliRunner().invoke(cli, ["evaluate", str(seeds_db_path), "--gold", str(GOLD)])
    assert result.output.splitlines()[0].startswith("fully right 1.000  (11 of 11 gold claims")


def test_a_claim_with_a_wrong_date_is_found_but_not_fully_right(seeds_db_path, tmp_path):
    gold = json.loads(GOLD.read_text())
    claim = next(c for a in gold["articles"] for c in a["claims"] if c["date"])
    claim["date"] = "01-01"
    changed = tmp_path / "gold.json"
    changed.write_text(json.dumps(gold))
    report = evaluate(seeds_db_path, changed)
    assert report.claims.f1 == 1.0
    assert report.fully_right == (10, 11)


def test_two_readers_who_annotate_alike_agree_fully():
    gold = json.loads(GOLD.read_text())
    first, second = agreement(gold, json.loads(GOLD.read_text()))
    assert (first.fully_right, first.claims.gold) == (11, 11)
    assert (second.fully_right, second.claims.f1) == (11, 1.0)


def test_readers_who_date_a_claim_apart_agree_on_every_claim_but_that_one():
    gold = json.loads(GOLD.read_text())
    other = json.loads(GOLD.read_text())
    claim = next(c for a in reversed(other["articles"]) for c in a["claims"] if c["date"])
    claim["date"] = None
    assert claim is not other["articles"][0]["claims"][0]
    del other["articles"][0]["claims"][0]
    first, second = agreement(gold, other)
    assert first.claims.matched == 10 and first.fully_right == 9
    assert any(": date " in error for error in first.attribute_errors)
    assert second.claims.gold == 10 and second.claims.extracted == 11


def test_places_are_matched_by_any_name_or_code_and_persons_spelling_aside(seeds_db_path, tmp_path):
    gold = json.loads(GOLD.read_text())
    for article in gold["articles"]:
        for claim in article["claims"]:
            for region in claim["regions"]:
                region["place"] = region["iso"] or region["place"]
        for person in article["persons"]:
            person["name"] = person["name"].replace("Vasily Anokhin", "Vasiliy Anohin")
    changed = tmp_path / "gold.json"
    changed.write_text(json.dumps(gold))
    report = evaluate(seeds_db_path, changed)
    assert report.fully_right == (11, 11)
    assert report.persons.f1 == 1.0


def test_a_gold_claim_without_places_is_found_by_its_count(seeds_db_path, tmp_path):
    gold = json.loads(GOLD.read_text())
    gold["articles"][0]["claims"][0]["regions"] = []
    changed = tmp_path / "gold.json"
    changed.write_text(json.dumps(gold))
    report = evaluate(seeds_db_path, changed)
    assert report.claims.matched == 11
    assert report.fully_right == (10, 11)


def test_a_single_place_holds_the_claims_count_whether_or_not_gold_wrote_it(
    seeds_db_path, tmp_path
):
    gold = json.loads(GOLD.read_text())
    single = [c for a in gold["articles"] for c in a["claims"] if len(c["regions"]) == 1]
    assert single, "the seeds have single-place claims"
    for claim in single:
        claim["regions"][0]["count"] = None
    changed = tmp_path / "gold.json"
    changed.write_text(json.dumps(gold))
    assert evaluate(seeds_db_path, changed).fully_right == (11, 11)
    for claim in single:
        claim["regions"][0]["count"] = claim["count"] + 1
    changed.write_text(json.dumps(gold))
    assert evaluate(seeds_db_path, changed).fully_right == (11 - len(single), 11)
