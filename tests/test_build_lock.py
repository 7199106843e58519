"""One build at a time into a database, and a build that fails on a full disk leaves the
database as it was and says why."""

import json

import pytest
import sqlite_utils
from click.testing import CliRunner

import corpusqa.load
from corpusqa.build import BuildLocked, build
from corpusqa.cli import cli


def test_a_second_build_into_the_same_database_fails_at_once(tmp_path, seeds_dir, monkeypatch):
    db_path = tmp_path / "corpus.db"
    original = corpusqa.load.Loader.write_article
    second: list = []

    def build_again_meanwhile(self, *args, **kwargs):
        if not second:
            with pytest.raises(BuildLocked) as raised:
                build([seeds_dir], db_path)
            second.append(str(raised.value))
            cli_run = CliRunner().invoke(cli, ["build", str(seeds_dir), "--db", str(db_path)])
            second.append((cli_run.exit_code, cli_run.stderr))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(corpusqa.load.Loader, "write_article", build_again_meanwhile)
    first = build([seeds_dir], db_path)
    message, (exit_code, stderr) = second
    assert "another build" in message and "is writing this database" in message
    assert exit_code == 1
    assert "another build" in stderr and "Traceback" not in stderr
    # The first build is whole, and recorded.
    assert first.new == 5
    db = sqlite_utils.Database(db_path)
    assert db["articles"].count == 5
    assert db["builds"].count == 1
    # Once it has finished, the next build runs.
    assert build([seeds_dir], db_path).unchanged == 5


def test_builds_into_different_databases_run_side_by_side(tmp_path, seeds_dir, monkeypatch):
    original = corpusqa.load.Loader.write_article
    other: list = []

    def build_elsewhere_meanwhile(self, *args, **kwargs):
        if not other:
            other.append("started")
            other.append(build([seeds_dir], tmp_path / "other.db"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(corpusqa.load.Loader, "write_article", build_elsewhere_meanwhile)
    build([seeds_dir], tmp_path / "corpus.db")
    assert other[1].new == 5


def test_a_full_disk_during_an_update_leaves_the_database_as_it_was(
    tmp_path, seeds_dir, monkeypatch
):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = db_path.read_bytes()
    extra = tmp_path / "extra.jsonl"
    body = (seeds_dir / "004_43c66da7383f6005.txt").read_text()
    extra.write_text("".join(json.dumps({"id": f"a{n}", "text": body}) + "\n" for n in range(50)))
    original = corpusqa.load.Loader.__init__

    def on_a_nearly_full_disk(self, *args, **kwargs):
        original(self, *args, **kwargs)
        # SQLite's own full-disk error (SQLITE_FULL) once the file would grow by 8 pages.
        pages = self.db.execute("pragma page_count").fetchone()[0]
        self.db.execute(f"pragma max_page_count = {pages + 8}")

    monkeypatch.setattr(corpusqa.load.Loader, "__init__", on_a_nearly_full_disk)
    result = CliRunner().invoke(cli, ["build", str(seeds_dir), str(extra), "--db", str(db_path)])
    assert result.exit_code == 1
    assert "build failed" in result.stderr and "is unchanged" in result.stderr
    assert "database or disk is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".corpus.db.lock",
        "corpus.db",
        "extra.jsonl",
    ]
    assert db_path.read_bytes() == before
    monkeypatch.undo()
    assert build([seeds_dir, extra], db_path).new == 50
