"""One build at a time into a database, and a build that fails on a full disk leaves the
database as it was and says why."""

import errno
import shutil

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


def test_a_full_disk_while_copying_to_staging_leaves_nothing_behind(
    tmp_path, seeds_dir, monkeypatch
):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = db_path.read_bytes()

    def fills_the_disk(source, destination):
        with open(destination, "wb") as partial:
            partial.write(b"SQLite format 3\x00" + b"\x00" * 4096)
        raise OSError(errno.ENOSPC, "No space left on device", str(destination))

    monkeypatch.setattr(shutil, "copyfile", fills_the_disk)
    result = CliRunner().invoke(cli, ["build", str(seeds_dir), "--db", str(db_path)])
    assert result.exit_code == 1
    assert "build failed" in result.stderr and "is unchanged" in result.stderr
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".building")]
    assert db_path.read_bytes() == before
