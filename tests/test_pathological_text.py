"""Text built to be slow must not stall a build: extraction is linear in the text, and an
article that still runs over its time is a reject, not a stall."""

import pytest
import sqlite_utils
from conftest import extract_seconds

import corpusqa.build
from corpusqa.build import build
from corpusqa.extract.article import extract

# The inputs, each a repetition of one phrase. Before the fixes each took from 0.4 to
# 11 seconds at 2,000 repetitions (and a minute and more at the sizes).
PHRASES = {
    "initials": "A. ",
    "titles": "Mr. ",
    "time windows": "between 2:00 and 5:00 pm from 23:00 to 04:30 ",
    "dates": "on May 5, 2024 and on 5 May and on the night of May 4-5 ",
    "run-on": "five drones were shot down over the Kursk region and ",
}


@pytest.mark.parametrize("phrase", PHRASES.values(), ids=PHRASES.keys())
def test_extraction_time_grows_linearly_with_a_repeated_phrase(phrase):
    extract(phrase, "2024-05-06")
    small = extract_seconds(phrase * 500, runs=3)
    large = extract_seconds(phrase * 4000, runs=2)
    # Eight times the text: about eight times the time when linear, sixty-four when
    # quadratic. The floor keeps a fast small run from making the ratio noise.
    assert large < 20 * max(small, 0.05), (small, large)


def test_a_megabyte_run_on_sentence_extracts_in_seconds_not_minutes():
    text = PHRASES["run-on"] * 19_000
    assert len(text) > 1_000_000
    # It took 40 seconds; it takes 2 now. The limit only catches a quadratic return.
    assert extract_seconds(text) < 20


def test_an_article_that_runs_over_its_time_is_an_extract_timeout_reject(
    tmp_path, seeds_dir, monkeypatch
):
    real_extract = corpusqa.build.extract

    def stalls_on_one(body, published=None, title=None):
        if "STALL" in body:
            while True:
                pass
        return real_extract(body, published, title)

    monkeypatch.setattr(corpusqa.build, "extract", stalls_on_one)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(seeds_dir.glob("*.txt"))[:2]:
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "stall.txt").write_text("STALL: two drones were shot down over Kursk.")
    db_path = tmp_path / "corpus.db"
    result = build([corpus], db_path, extract_seconds=0.5)
    assert (result.read, result.new, result.rejected) == (3, 2, 1)
    db = sqlite_utils.Database(db_path)
    (reject,) = db["rejects"].rows
    assert (reject["kind"], reject["article_id"]) == ("extract_timeout", "stall")
    assert "0.5 seconds" in reject["reason"]
