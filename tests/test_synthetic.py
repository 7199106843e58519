"""The synthetic corpus (scripts/synth.py, written independently of the extractor) and the
benchmark, at a small size: a floor on extraction quality and a smoke check of the scripts."""

import subprocess
import sys

import pytest
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
    assert "stages of (b):" in output
    assert "query drones_per_region" in output
