"""`corpusqa serve` against a real server: one build per server, whatever builds meanwhile,
and an inspect file cut short by a full disk is made again."""

import hashlib
import json
import socket
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


def test_a_build_while_serving_changes_no_page_and_no_download(tmp_path, seeds_dir, serve):
    db_path = tmp_path / "corpus.db"
    build(sorted(seeds_dir.glob("*.txt"))[:2], db_path)
    first = hashlib.sha256(db_path.read_bytes()).hexdigest()
    url = serve(db_path)
    assert count(url) == 2
    build([seeds_dir], db_path)
    # Enough requests to open every one of Datasette's connections after the build.
    assert {count(url) for _ in range(12)} == {2}
    assert "2 rows" in fetch(url + "/corpus/articles").decode()
    assert hashlib.sha256(fetch(url + "/corpus.db")).hexdigest() == first
    # A server started now serves the new build.
    assert count(serve(db_path)) == 5


def test_an_empty_inspect_file_left_by_a_full_disk_is_made_again(tmp_path, seeds_dir, serve):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    # Where serve used to keep it, newer than the database: every serve crashed on it.
    db_path.with_name("corpus.db.inspect.json").write_bytes(b"")
    url = serve(db_path)
    assert count(url) == 5
    (inspect_file,) = tmp_path.glob(".corpus.db.served/*/corpus.db.inspect.json")
    inspect_file.write_bytes(b"")
    assert count(serve(db_path)) == 5
    assert json.loads(inspect_file.read_text())["corpus"]["tables"]["articles"]["count"] == 5
