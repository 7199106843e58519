"""The synthetic corpus (scripts/synth.py, written independently of the extractor) and the
benchmark, at a small size: a floor on extraction quality and a smoke check of the scripts."""

import os
import subprocess
import sys

import pytest
import sqlite_utils
from conftest import ROOT

from corpusqa.build import build
from corpusqa.evaluate import evaluate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "synth.py"),
            "--n",
            "400",
            "--seed",
            "11",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_synthetic_articles_are_extracted_well(synthetic, tmp_path):
    db_path = tmp_path / "corpus.db"
    result = build([synthetic], db_path, workers=2)
    assert (result.new, result.rejected) == (400, 0)
    report = evaluate(db_path, synthetic / "gold.json")
    assert report.claims.f1 >= 0.97, report.lines()[:12]
    assert report.persons.f1 >= 0.97 and report.places.f1 >= 0.97
    assert min(report.attributes.values()) >= 0.95


def test_the_database_does_not_depend_on_the_hash_seed(tmp_path):
    # Python salts string hashes per process, so anything that iterates a set of strings
    # in a way that matters would give another database on the next run. It takes a corpus
    # with busy days for the order of merges to matter.
    synthetic = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synth.py"), "--n", "2000", "--seed", "1"]
        + ["--out", str(synthetic), "--format", "jsonl"],
        check=True,
        capture_output=True,
    )
    dumps = []
    for seed in ("1", "2"):
        db_path = tmp_path / f"corpus-{seed}.db"
        subprocess.run(
            [sys.executable, "-m", "corpusqa.cli", "build", str(synthetic / "articles.jsonl")]
            + ["--db", str(db_path)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        db = sqlite_utils.Database(db_path)
        assert db["articles"].count == 2000
        dumps.append(
            [
                list(db.execute(sql).fetchall())
                for sql in (
                    "select * from events order by id",
                    "select id, event_id from claims order by id",
                    "select id, story_id from articles order by id",
                    "select article_id, claim_id, kind, detail from qa_flags order by 1, 2, 3, 4",
                )
            ]
        )
    assert dumps[0] == dumps[1]
    # Reports of one day over one region are not one event unless they retell one story or
    # give the same time window: conflicting reports are flagged by the few, not the hundred.
    conflicts = evaluate(tmp_path / "corpus-1.db", synthetic / "gold.json").conflicts
    assert conflicts.matched >= 1 and conflicts.extracted <= 2 * conflicts.gold


def test_benchmark_runs_and_reports_the_ratio(tmp_path):
    output = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--n",
            "200",
            "--dir",
            str(tmp_path),
            "--serve",
            "2",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "ratio b/a" in output
    # The baseline is its fastest of three runs, and both builds' CPU is counted, the
    # build's workers with it.
    assert "the fastest of 3" in output
    build_line = next(line for line in output.splitlines() if line.startswith("(b) corpusqa"))
    assert float(build_line.split("CPU ")[1].split(" s")[0]) > 0
    assert "CPU b/a" in output
    assert "stages of (b):" in output
    assert "(c) update" in output and "2 new articles (1%)" in output
    assert "ratio c/b" in output and "ratio d/b" in output
    assert "query drones_per_region" in output
    # The kept corpus is not reused for other settings: the figures would be mislabelled.
    refused = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--n", "200", "--seed", "2"]
        + ["--dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "{'n': 200, 'seed': 1}" in refused.stderr and "another --dir" in refused.stderr
