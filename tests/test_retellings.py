"""A story syndicated to many sites costs as many times one telling: a newcomer is compared
with one representative of its story and of each report, never with every copy."""

import pytest
import sqlite_utils

import corpusqa.build
import corpusqa.consolidate.events
import corpusqa.consolidate.stories
from corpusqa.build import build


def copies(folder, seeds_dir, n):
    folder.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt")):
        for i in range(n):
            (folder / f"{seed.stem}-{i:03d}.txt").write_bytes(seed.read_bytes())
    return folder


@pytest.fixture
def agreements(monkeypatch):
    """How many times two claims are checked for agreement, by stories and events alike."""
    calls = []
    agree = corpusqa.consolidate.events.agree

    def counted(a, b, same_story):
        calls.append(1)
        return agree(a, b, same_story)

    monkeypatch.setattr(corpusqa.consolidate.events, "agree", counted)
    monkeypatch.setattr(corpusqa.consolidate.stories, "agree", counted)
    return calls


def test_copies_of_the_seeds_are_the_seeds_stories_and_events(tmp_path, seeds_dir, seeds_db):
    db_path = tmp_path / "copies.db"
    build([copies(tmp_path / "copies", seeds_dir, 30)], db_path)
    db = sqlite_utils.Database(db_path)
    stories = {r["id"]: r["n_articles"] for r in db.query("select * from stories")}
    # 000 and 001 are one story: its first copy of 000 heads all 60 of them.
    assert stories == {
        "000_9d90c5170b0583bd-000": 60,
        "002_051ec335f6504a1c-000": 30,
        "003_c08869fd5a1e1dc1-000": 30,
        "004_43c66da7383f6005-000": 30,
    }
    # Every event of the seeds, each told by all the copies of its articles.
    seeds = sorted((r["quantity"], r["n_articles"]) for r in seeds_db.query("select * from events"))
    retold = sorted(
        (r["quantity"], r["n_articles"] // 30) for r in db.query("select * from events")
    )
    assert retold == seeds


def test_checks_of_agreement_grow_linearly_with_the_copies(tmp_path, seeds_dir, agreements):
    checks = []
    for n in (10, 40):
        build([copies(tmp_path / f"copies{n}", seeds_dir, n)], tmp_path / f"copies{n}.db")
        checks.append(len(agreements))
        agreements.clear()
    # Pairwise comparison would make 16 times as many checks for four times the copies.
    assert checks[1] <= 4.5 * checks[0]


class _Counted:
    """A story index that counts the rows each of its reads returns."""

    def __init__(self, index, rows):
        self.index, self.rows = index, rows

    def __getattr__(self, name):
        read = getattr(self.index, name)

        def counted(*args):
            found = read(*args)
            self.rows[name] = self.rows.get(name, 0) + len(found)
            return found

        return counted


def test_an_updates_stories_read_as_many_rows_whatever_the_number_of_copies(
    tmp_path, seeds_dir, monkeypatch
):
    restory = corpusqa.build.restory
    rows: dict[str, int] = {}
    monkeypatch.setattr(
        corpusqa.build, "restory", lambda index, *args: restory(_Counted(index, rows), *args)
    )
    read = []
    for n in (5, 20):
        folder = copies(tmp_path / f"copies{n}", seeds_dir, n)
        build([folder], tmp_path / f"copies{n}.db")
        # One more copy of each seed: it joins the story its earlier copies tell.
        for seed in sorted(seeds_dir.glob("*.txt")):
            (folder / f"{seed.stem}-999.txt").write_bytes(seed.read_bytes())
        rows.clear()
        assert build([folder], tmp_path / f"copies{n}.db").new == 5
        read.append(dict(rows))
    # A newcomer reads the first article of each story filed under its keys, not the
    # story's other copies: four times the copies, the same reads.
    assert read[0] == read[1]
    assert read[0]
