"""A JSONL or CSV file whose size, mtime and ctime are unchanged is not read again (issue
16): its articles are taken as the database holds them, as with .txt files."""

import json
import os

import sqlite_utils

import corpusqa.read
from corpusqa.build import build


def seeds_jsonl(seeds_dir, path, extra_rows=()):
    """The seed articles as JSONL rows, then EXTRA_ROWS; dated in the past, so that the
    file's stat may be trusted."""
    rows = [{"id": p.stem, "text": p.read_text()} for p in sorted(seeds_dir.glob("*.txt"))]
    path.write_text("".join(json.dumps(r) + "\n" for r in [*rows, *extra_rows]))
    os.utime(path, ns=(10**18, 10**18))
    return path


def count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = corpusqa.read._read_jsonl

    def reading(name, handle, max_bytes):
        reads.append(name)
        yield from original(name, handle, max_bytes)

    monkeypatch.setattr(corpusqa.read, "_read_jsonl", reading)
    return reads


def test_an_unchanged_jsonl_file_is_not_read_again(tmp_path, seeds_dir, monkeypatch):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    db_path = tmp_path / "corpus.db"
    first = build([source], db_path)
    reads = count_reads(monkeypatch)
    again = build([source], db_path)
    assert reads == []
    assert (again.read, again.unchanged, again.removed) == (5, 5, 0)
    # The articles keep their lines, so a later change of the file is told apart.
    db = sqlite_utils.Database(db_path)
    assert sorted(r["line"] for r in db["articles"].rows) == [1, 2, 3, 4, 5]
    db.close()
    assert build([source], db_path, rehash=True).unchanged == 5
    assert reads == ["articles.jsonl"]
    assert first.new == 5


def test_a_changed_jsonl_file_is_read_again(tmp_path, seeds_dir, monkeypatch):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    db_path = tmp_path / "corpus.db"
    build([source], db_path)
    body = (seeds_dir / "004_43c66da7383f6005.txt").read_text()
    seeds_jsonl(seeds_dir, source, [{"id": "later", "text": "1 " + body}])
    reads = count_reads(monkeypatch)
    result = build([source], db_path)
    assert reads == ["articles.jsonl"]
    assert (result.new, result.unchanged) == (1, 5)


def test_a_jsonl_file_with_a_rejected_row_is_read_every_time(tmp_path, seeds_dir, monkeypatch):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl", [{"id": "no text"}])
    db_path = tmp_path / "corpus.db"
    assert build([source], db_path).rejected == 1
    reads = count_reads(monkeypatch)
    again = build([source], db_path)
    assert reads == ["articles.jsonl"]
    # The reject is reported again, and stored: the file was read.
    assert (again.rejected, again.unchanged) == (1, 5)
    assert sqlite_utils.Database(db_path)["rejects"].count == 1
