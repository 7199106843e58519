"""Corpus QA on the seeds (stories, events, the gold's flags) and on cases of our own."""

import json

import pytest
import sqlite_utils
from click.testing import CliRunner
from conftest import GOLD

from corpusqa.build import build
from corpusqa.cli import cli
from corpusqa.consolidate.flags import VariantMention, name_variant_flags

SEED_IDS = [
    "000_9d90c5170b0583bd",
    "001_dcd6d4f6ce8d0c56",
    "002_051ec335f6504a1c",
    "003_c08869fd5a1e1dc1",
    "004_43c66da7383f6005",
]


def flags(db, kind):
    return list(
        db.query("select * from qa_flags where kind = ? order by article_id, claim_id", [kind])
    )


def test_000_and_001_are_one_story_and_the_others_their_own(seeds_db):
    story = dict(seeds_db.execute("select id, story_id from articles").fetchall())
    assert story[SEED_IDS[0]] == story[SEED_IDS[1]]
    assert len({story[i] for i in SEED_IDS[1:]}) == 4
    row = seeds_db["stories"].get(story[SEED_IDS[0]])
    assert (row["n_articles"], row["first_article_id"]) == (2, SEED_IDS[0])
    assert seeds_db["stories"].count == 4


def test_the_93_over_kaluga_event_is_reported_by_two_articles(seeds_db):
    events = list(seeds_db.query("select * from events where places like '%Kaluga Oblast%'"))
    assert len(events) == 1
    event = events[0]
    assert (event["quantity"], event["n_articles"], event["n_claims"]) == (93, 2, 2)
    assert (event["time_start"], event["time_end"], event["date"]) == ("23:30", "07:00", "07-20")
    assert event["consistent"] == 1
    claims = {
        r["article_id"]
        for r in seeds_db.query("select article_id from claims where event_id = ?", [event["id"]])
    }
    assert claims == {SEED_IDS[0], SEED_IDS[1]}


def test_claims_of_one_article_are_separate_events(seeds_db):
    rows = seeds_db.execute(
        "select count(distinct event_id) from claims where article_id = ?", [SEED_IDS[4]]
    ).fetchone()
    assert rows[0] == 3


def test_anohin_is_flagged_where_the_gold_flags_it(seeds_db):
    gold = json.loads(GOLD.read_text())
    flagged_by_gold = {a["id"] for a in gold["articles"] if any("Anohin" in f for f in a["flags"])}
    raised = flags(seeds_db, "name_variant")
    assert {f["article_id"] for f in raised} == flagged_by_gold == set(SEED_IDS[:3])
    assert all("'Anohin' here" in f["detail"] and "'Anokhin' in 003" in f["detail"] for f in raised)


def test_more_than_10_made_of_9_plus_1_is_a_breakdown_mismatch(seeds_db):
    raised = flags(seeds_db, "breakdown_mismatch")
    assert [f["claim_id"] for f in raised] == ["003_c08869fd5a1e1dc1-c3"]
    assert "9 + 1 = 10" in raised[0]["detail"]


def test_the_penza_and_kursk_reading_is_an_ambiguous_breakdown(seeds_db):
    raised = flags(seeds_db, "ambiguous_breakdown")
    assert [f["claim_id"] for f in raised] == ["004_43c66da7383f6005-c2"]
    assert "14" in raised[0]["detail"] and "16" in raised[0]["detail"]


def test_stocrate_is_the_only_untranslated_word(seeds_db):
    raised = flags(seeds_db, "untranslated_word")
    assert [(f["article_id"], f["detail"]) for f in raised] == [
        ("004_43c66da7383f6005", "'stocrate' is not an English word")
    ]
    body = seeds_db["articles"].get("004_43c66da7383f6005")["body"]
    assert body[raised[0]["span_start"] : raised[0]["span_end"]] == "stocrate"


def test_trailing_blank_lines_of_003_are_the_only_formatting_flag(seeds_db):
    raised = flags(seeds_db, "formatting")
    assert [(f["article_id"], f["detail"]) for f in raised] == [
        ("003_c08869fd5a1e1dc1", "9 trailing blank lines at the end of the file")
    ]


def test_only_claims_without_a_source_are_unattributed(seeds_db):
    raised = {f["claim_id"] for f in flags(seeds_db, "unattributed_claim")}
    unattributed = {
        r["id"] for r in seeds_db.query("select id from claims where authority is null")
    }
    assert raised == unattributed == {"004_43c66da7383f6005-c2", "004_43c66da7383f6005-c3"}


def test_the_seeds_raise_no_conflicting_report(seeds_db):
    assert flags(seeds_db, "conflicting_report") == []


@pytest.fixture
def own_cases(tmp_path):
    """Articles of our own for what the seeds lack: a real conflict, mojibake, a lost
    character, an unattributed claim."""
    corpus = tmp_path / "own"
    corpus.mkdir()
    (corpus / "a1.txt").write_text(
        "Air defences destroyed 27 drones over the Rostov region and Krasnodar Krai on "
        "8 September, the defence ministry said.\nThe attack began after midnight.\n"
    )
    (corpus / "a2.txt").write_text(
        "The defence ministry said 29 drones were destroyed over the Rostov region and "
        "Krasnodar Krai on 8 September.\nThe attack began after midnight, officials said.\n"
    )
    (corpus / "a3.txt").write_text(
        "Eleven drones were shot down over the Kursk region overnight.\n"
        "The governorâ€™s office gave no details.\nDebris fell near a school \ufffd witnesses "
        "said.\n"
    )
    return corpus


def test_own_cases_raise_conflicts_mojibake_and_unattributed_claims(tmp_path, own_cases):
    db_path = tmp_path / "corpus.db"
    build([own_cases], db_path)
    db = sqlite_utils.Database(db_path)
    conflicts = flags(db, "conflicting_report")
    assert [f["article_id"] for f in conflicts] == ["a1", "a2"]
    assert "27 drones here; a2 reports 29" in conflicts[0]["detail"]
    event = list(db.query("select * from events where n_articles = 2"))[0]
    assert (
        event["quantity"],
        event["quantity_min"],
        event["quantity_max"],
        event["consistent"],
    ) == (27, 27, 29, 0)
    assert json.loads(event["figures"]) == {"a1-c1": 27, "a2-c1": 29}
    formatting = [f["detail"] for f in flags(db, "formatting")]
    assert any("mojibake 'â€™'" in d for d in formatting)
    assert any("replacement character" in d for d in formatting)
    assert [f["claim_id"] for f in flags(db, "unattributed_claim")] == ["a3-c1"]
    assert db["stories"].get("a1")["n_articles"] == 2


def test_check_prints_the_report_and_fails_on_request(tmp_path, own_cases):
    db_path = tmp_path / "corpus.db"
    build([own_cases], db_path)
    runner = CliRunner()
    ok = runner.invoke(cli, ["check", str(db_path)])
    assert ok.exit_code == 0
    assert "conflicting_report (2)" in ok.output
    assert "  [warning] a1-c1: 27 drones here; a2 reports 29" in ok.output
    assert "“Air defences destroyed 27 drones over the Rostov region" in ok.output
    failed = runner.invoke(cli, ["check", str(db_path), "--fail-on", "conflicting_report"])
    assert failed.exit_code == 1
    assert "flags raised: conflicting_report" in failed.output
    passes = runner.invoke(cli, ["check", str(db_path), "--fail-on", "ambiguous_breakdown"])
    assert passes.exit_code == 0
    wrong = runner.invoke(cli, ["check", str(db_path), "--fail-on", "typo"])
    assert wrong.exit_code == 2


def test_an_incremental_build_regroups_stories(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{SEED_IDS[0]}.txt").write_bytes((seeds_dir / f"{SEED_IDS[0]}.txt").read_bytes())
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    (corpus / f"{SEED_IDS[1]}.txt").write_bytes((seeds_dir / f"{SEED_IDS[1]}.txt").read_bytes())
    result = build([corpus], db_path)
    assert (result.new, result.unchanged) == (1, 1)
    db = sqlite_utils.Database(db_path)
    assert db["stories"].get(SEED_IDS[0])["n_articles"] == 2
    assert len(flags(db, "same_story")) == 2


class Mentions:
    """PersonMentions over a list of (article, surface, start) of one person."""

    def __init__(self, rows):
        self.rows = sorted(VariantMention(a, s, start, start + len(s)) for a, s, start in rows)

    def variant_mentions(self, person, surfaces, articles):
        return [m for m in self.rows if m.surface in surfaces]

    def articles_with(self, person, spellings, first):
        having = [{m.article_id for m in self.rows if m.surface in s} for s in spellings]
        return sorted(set.intersection(*having))[:first]


def test_name_variant_flags_name_the_articles_with_the_canonical_words():
    mentions = Mentions(
        [
            ("a1", "Vasiliy Anohin", 0),
            ("a2", "Anokhin", 0),
            ("a2", "Vasily Anokhin", 20),
            ("a3", "Anohin", 0),
            ("a3", "Anohin", 10),
            *((f"a{n}", "Anokhin", 0) for n in range(4, 10)),
        ]
    )
    surfaces = sorted({m.surface for m in mentions.rows})
    raised = [
        (f.article_id, f.detail, f.span_start)
        for person in name_variant_flags([("p1", "Vasily Anokhin", surfaces)], mentions)
        for f in person.flags
    ]
    assert raised == [
        (
            "a1",
            "'Vasiliy Anohin' here for Vasily Anokhin (Vasiliy Anohin); 'Vasily Anokhin' in a2",
            0,
        ),
        # One flag per article and spelling; the sixth and seventh articles are said to be
        # there, not counted.
        (
            "a3",
            "'Anohin' here for Vasily Anokhin (Anohin); 'Anokhin' in a2, a4, a5, a6, a7 and others",
            0,
        ),
    ]
