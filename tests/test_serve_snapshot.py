"""`corpusqa serve` against a real server: every answer is one whole build, and a build
that commits while serving is served from then on."""

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from corpusqa.build import build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve():
    processes = []

    def start(db_path):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "corpusqa.cli", "serve", str(db_path), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                return url
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"serve did not start: {process.stderr.read().decode()}")
                time.sleep(0.2)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def count(url: str) -> int:
    return json.loads(fetch(url + "/corpus.json?sql=select+count(*)+from+articles"))["rows"][0][0]


def download(url: str, path) -> int:
    """The number of articles in the database /corpus.db downloads."""
    path.write_bytes(fetch(url + "/corpus.db"))
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        return connection.execute("select count(*) from articles").fetchone()[0]
    finally:
        connection.close()


def test_a_build_while_serving_is_served_whole_once_it_commits(tmp_path, seeds_dir, serve):
    db_path = tmp_path / "corpus.db"
    build(sorted(seeds_dir.glob("*.txt"))[:2], db_path)
    url = serve(db_path)
    assert count(url) == 2
    assert download(url, tmp_path / "first.db") == 2
    build([seeds_dir], db_path)
    # Enough requests to use every one of Datasette's connections after the build.
    assert {count(url) for _ in range(12)} == {5}
    assert "5 rows" in fetch(url + "/corpus/articles").decode()
    assert download(url, tmp_path / "second.db") == 5
    # The counted facets are those of the new build, not the old one's.
    shown = json.loads(fetch(url + "/corpus/articles.json"))["facet_results"]["places"]
    with sqlite3.connect(db_path) as connection:
        counts = dict(
            connection.execute("select place_id, count(*) from article_places group by 1")
        )
    assert {r["value"]: r["count"] for r in shown["results"]}.items() <= counts.items()
    assert max(r["count"] for r in shown["results"]) == max(counts.values()) > 2
    # A full build is published over the served database as one commit too.
    build(sorted(seeds_dir.glob("*.txt"))[:3], db_path, full=True)
    assert {count(url) for _ in range(12)} == {3}
    assert download(url, tmp_path / "third.db") == 3
    # The download's copies are not left behind: each is deleted once its last byte is sent,
    # which the server does just after the client has read it.
    deadline = time.monotonic() + 10
    while list(tmp_path.glob(".download-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.glob(".download-*"))
