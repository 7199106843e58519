import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils

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


def test_an_interrupted_build_leaves_the_previous_database_untouched(
    tmp_path, seeds_dir, monkeypatch
):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = digest(db_path)
    calls = []
    original = corpusqa.load.Loader.write_article

    def interrupt_on_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(corpusqa.load.Loader, "write_article", interrupt_on_third)
    with pytest.raises(KeyboardInterrupt):
        build([seeds_dir], db_path, full=True)
    assert digest(db_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".corpus.db.lock", "corpus.db"]
    assert sqlite_utils.Database(db_path)["articles"].count == 5


def test_a_build_killed_part_way_leaves_the_previous_database_usable(tmp_path, seeds_dir):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    before = digest(db_path)
    big = tmp_path / "big.jsonl"
    body = (seeds_dir / "004_43c66da7383f6005.txt").read_text()
    with big.open("w") as out:
        for n in range(20_000):
            out.write(json.dumps({"id": f"a{n}", "text": f"{n} {body}"}) + "\n")
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
    staging = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in tmp_path.iterdir() if p.name.endswith(".building")]
        if staging and staging[0].stat().st_size > 2_000_000:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the build finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert digest(db_path) == before
    # Its extraction workers notice and exit rather than linger.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes_using(big):
        time.sleep(0.2)
    assert processes_using(big) == []
    assert sqlite_utils.Database(db_path)["articles"].count == 5
    # The next build clears the dead build's staging file and completes.
    result = build([seeds_dir], db_path)
    assert result.unchanged == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".corpus.db.lock",
        "big.jsonl",
        "corpus.db",
    ]
