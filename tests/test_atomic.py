import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlite_utils
from conftest import ROOT

import corpusqa.build
import corpusqa.load
from corpusqa.build import build


def processes_using(path):
    """Pids of live processes whose command line names PATH."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = open(f"/proc/{entry}/cmdline", "rb").read()
            except OSError:
                continue
            if str(path).encode() in cmdline:
                found.append(int(entry))
    return found


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_jsonl(path, seeds_dir, count, prefix="a"):
    """COUNT articles made from a seed, each with an id and a first word of its own."""
    body = (seeds_dir / "004_43c66da7383f6005.txt").read_text()
    with path.open("w") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"{prefix}{n}", "text": f"{n} {body}"}) + "\n")
    return path


@pytest.mark.parametrize("full", [False, True], ids=["update", "full build"])
def test_an_interrupted_build_leaves_the_previous_database_untouched(
    tmp_path, seeds_dir, monkeypatch, full
):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = digest(db_path)
    extra = write_jsonl(tmp_path / "extra.jsonl", seeds_dir, 1200)
    calls = []
    original = corpusqa.load.Loader.write_article

    def interrupt_late(self, *args, **kwargs):
        calls.append(1)
        # After two batches of rows have been written.
        if len(calls) == 1100:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(corpusqa.load.Loader, "write_article", interrupt_late)
    with pytest.raises(KeyboardInterrupt):
        build([seeds_dir, extra], db_path, full=full)
    assert digest(db_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".corpus.db.lock",
        "corpus.db",
        "extra.jsonl",
    ]
    assert sqlite_utils.Database(db_path)["articles"].count == 5


def test_a_full_build_whose_second_process_fails_leaves_the_database_untouched(
    tmp_path, seeds_dir, monkeypatch
):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = digest(db_path)

    def fail(*args, **kwargs):
        raise MemoryError("grouping stories")

    # The second process is forked from this one: it groups with this function.
    monkeypatch.setattr(corpusqa.build, "group_stories", fail)
    with pytest.raises(RuntimeError, match="grouping stories and events failed"):
        build([seeds_dir], db_path, full=True, workers=2)
    assert digest(db_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".corpus.db.lock", "corpus.db"]


def _size(path) -> int:
    """PATH's size, 0 while it does not exist: the build removes the WAL file when its first
    connection (the fingerprint check) closes, and makes it again when the loader opens."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def test_a_build_killed_part_way_leaves_the_previous_database_usable(tmp_path, seeds_dir):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = digest(db_path)
    big = write_jsonl(tmp_path / "big.jsonl", seeds_dir, 20_000)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corpusqa.cli",
            "build",
            str(big),
            "--db",
            str(db_path),
            "-q",
            "--workers",
            "2",
        ],
    )
    # The update writes into the database's WAL file, uncommitted, and copies nothing.
    wal = tmp_path / "corpus.db-wal"
    try:
        # A deadline for a machine busy with other work, not a measure of speed.
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and process.poll() is None:
            if _size(wal) > 2_000_000:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the build finished before it could be killed"
        assert wal.stat().st_size > 2_000_000
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".building")]
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert digest(db_path) == before
    # Its extraction workers notice and exit rather than linger.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes_using(big):
        time.sleep(0.2)
    assert processes_using(big) == []
    # Read as a server reads it: read-only, after the WAL the dead build left.
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    assert reader.execute("select count(*) from articles").fetchone()[0] == 5
    assert reader.execute("pragma integrity_check").fetchone()[0] == "ok"
    reader.close()
    # The next build ignores what the dead one wrote, and completes.
    result = build([seeds_dir], db_path)
    assert result.unchanged == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".corpus.db.lock",
        "big.jsonl",
        "corpus.db",
    ]


def test_a_reader_during_an_update_sees_the_build_before_or_after_never_a_mix(tmp_path, seeds_dir):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    # Two batches of articles: a build that committed each would be seen part way.
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synth.py"), "--n", "600", "--seed", "3"]
        + ["--out", str(tmp_path / "synthetic"), "--format", "jsonl"],
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corpusqa.cli",
            "build",
            str(seeds_dir),
            str(tmp_path / "synthetic" / "articles.jsonl"),
            "--db",
            str(db_path),
            "-q",
            "--workers",
            "1",
        ],
    )
    # A reader as Datasette opens one: read-only, each statement its own read transaction.
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    query = (
        "select (select count(*) from articles), (select count(*) from builds "
        "where finished is not null), (select count(*) from claims)"
    )
    seen = set()
    while process.poll() is None:
        seen.add(reader.execute(query).fetchone())
    assert process.returncode == 0
    seen.add(reader.execute(query).fetchone())
    reader.close()
    before, after = (5, 1), (605, 2)
    assert {row[:2] for row in seen} <= {before, after}
    assert {row[:2] for row in seen} >= {after}
    # Claims too: only two values, the old build's and the new one's.
    assert len({row[2] for row in seen}) <= 2
