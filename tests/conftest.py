import asyncio
import time
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from datasette.app import Datasette

from corpusqa.build import build
from corpusqa.extract.article import extract

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
SAMPLE = ROOT / "data" / "sample"


def extract_seconds(body: str, runs: int = 1) -> float:
    """Seconds to extract BODY: the quickest of RUNS, so that a busy machine slows no
    single measure (the scaling tests compare two of these, never one against a clock)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        extract(body, "2024-05-06")
        best = min(best, time.perf_counter() - started)
    return best


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), f"the seeds are expected at {SEEDS} (../shared beside the project)"
    return SEEDS


@pytest.fixture(scope="session")
def seeds_db_path(tmp_path_factory, seeds_dir) -> Path:
    path = tmp_path_factory.mktemp("seeds") / "corpus.db"
    build([seeds_dir], path)
    return path


@pytest.fixture
def seeds_db(seeds_db_path) -> sqlite_utils.Database:
    return sqlite_utils.Database(seeds_db_path)


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "corpus.db"
    build([SAMPLE], path)
    return path


def make_datasette(path: Path) -> Datasette:
    """Datasette configured as `corpusqa serve` configures it, over the database at PATH."""
    return Datasette(
        files=[str(path)],
        metadata=yaml.safe_load((ROOT / "metadata.yml").read_text()),
        template_dir=str(ROOT / "templates"),
        plugins_dir=str(ROOT / "plugins"),
    )


def get(datasette: Datasette, path: str):
    """GET PATH through Datasette's own test client."""
    return asyncio.run(datasette.client.get(path))
