"""Every input a source names is an article or a reject, whatever goes wrong in reading it,
and a rebuild removes an article only when its input is really gone."""

import json
import os
import shutil

import pytest
import sqlite_utils
from click.testing import CliRunner

from corpusqa.build import build
from corpusqa.cli import cli

TEXT = "Two drones were shot down over the Kursk region, the governor said."


def accounted(result) -> bool:
    return result.read == result.new + result.changed + result.unchanged + result.rejected


def ids(db_path) -> set[str]:
    return {r["id"] for r in sqlite_utils.Database(db_path)["articles"].rows}


def rejects(db_path) -> set[tuple]:
    db = sqlite_utils.Database(db_path)
    return {
        (r["source_path"].split("/")[-1], r["line"], r["kind"])
        for r in db.query("select source_path, line, kind from rejects")
    }


def write_csv(path, texts):
    rows = ["id,text"] + [f'c{i},"{text}"' for i, text in enumerate(texts, start=1)]
    path.write_text("\n".join(rows) + "\n")


def test_a_csv_row_too_large_is_rejected_and_the_rows_after_it_are_read(tmp_path):
    table = tmp_path / "rows.csv"
    write_csv(table, [TEXT] * 5)
    db_path = tmp_path / "corpus.db"
    build([table], db_path)
    write_csv(table, [TEXT, "x" * 150_000, TEXT, TEXT, TEXT])
    result = build([table], db_path, max_bytes=100_000)
    assert (result.read, result.unchanged, result.rejected, result.removed) == (5, 4, 1, 0)
    assert accounted(result)
    assert rejects(db_path) == {("rows.csv", 3, "too_large")}
    # The row that could not be read keeps the article it held before.
    assert ids(db_path) == {"c1", "c2", "c3", "c4", "c5"}


def test_a_field_over_the_csv_module_default_is_read_when_max_bytes_allows_it(tmp_path):
    table = tmp_path / "rows.csv"
    write_csv(table, [TEXT, TEXT + " " + "word " * 40_000])
    result = build([table], tmp_path / "corpus.db")
    assert (result.new, result.rejected) == (2, 0)


def test_a_bare_carriage_return_in_an_unquoted_field_rejects_only_its_row(tmp_path):
    table = tmp_path / "rows.csv"
    table.write_bytes(
        b"id,text\nc1,One drone was downed.\nc2,Two drones\rwere downed.\n"
        b"c3,Three drones were downed.\nc4,Four drones were downed.\n"
    )
    result = build([table], tmp_path / "corpus.db")
    assert accounted(result)
    assert result.read == 4
    assert rejects(tmp_path / "corpus.db") == {("rows.csv", 3, "invalid_csv")}
    assert ids(tmp_path / "corpus.db") == {"c1", "c3", "c4"}


def test_a_csv_header_with_spaces_around_the_names_is_read(tmp_path):
    table = tmp_path / "rows.csv"
    table.write_text(f'id , text\nc1,"{TEXT}"\n')
    result = build([table], tmp_path / "corpus.db")
    assert (result.new, result.rejected) == (1, 0)


@pytest.fixture
def corpus(tmp_path, seeds_dir):
    folder = tmp_path / "corpus"
    sub = folder / "sub"
    sub.mkdir(parents=True)
    names = sorted(p.name for p in seeds_dir.glob("*.txt"))
    for name in names[:2]:
        shutil.copy(seeds_dir / name, folder / name)
    for name in names[2:]:
        shutil.copy(seeds_dir / name, sub / name)
    return folder


def test_an_unreadable_folder_is_a_reject_and_keeps_its_articles(tmp_path, corpus, monkeypatch):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    before = ids(db_path)
    assert len(before) == 5
    scandir = os.scandir

    def denied(path="."):
        if os.fspath(path) == str(corpus / "sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    result = build([corpus], db_path)
    assert accounted(result)
    assert (result.unchanged, result.rejected, result.removed) == (2, 1, 0)
    assert rejects(db_path) == {("sub", None, "unreadable")}
    assert ids(db_path) == before
    strict = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db_path), "--strict"])
    assert strict.exit_code == 1
    assert "sub: cannot read folder: Permission denied" in strict.stderr


def test_linked_folders_upper_case_names_and_broken_links_are_read_or_reported(tmp_path, corpus):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.txt").write_text(TEXT)
    (corpus / "link").symlink_to(outside, target_is_directory=True)
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "SHOUTED.TXT").write_text(TEXT)
    (corpus / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    db_path = tmp_path / "corpus.db"
    result = build([corpus], db_path)
    assert accounted(result)
    assert {"linked", "SHOUTED"} <= ids(db_path)
    assert rejects(db_path) == {("dangling.txt", None, "unreadable")}
    assert result.read == 8


def jsonl(path, lines):
    path.write_text("".join(line + "\n" for line in lines))


def test_jsonl_rows_that_python_cannot_take_are_rejects_naming_their_line(tmp_path):
    rows = tmp_path / "rows.jsonl"
    jsonl(
        rows,
        [
            json.dumps({"id": "ok1", "text": TEXT}),
            '{"id":"s","text":"Two drones ... \\ud800 today."}',
            '{"id":"\\udc00","text":"Two drones."}',
            '{"id":"deep","text":' + "[" * 100_000 + "]" * 100_000 + "}",
            '{"id":"big","text":"Two drones.","n":' + "9" * 5000 + "}",
            json.dumps({"id": "nul", "text": "Two drones\u0000 were downed."}),
            json.dumps({"id": "ok2", "text": TEXT}),
        ],
    )
    db_path = tmp_path / "corpus.db"
    result = build([rows], db_path, max_bytes=1_000_000)
    assert accounted(result)
    assert (result.read, result.new, result.rejected) == (7, 2, 5)
    assert rejects(db_path) == {
        ("rows.jsonl", 2, "not_utf8"),
        ("rows.jsonl", 3, "not_utf8"),
        ("rows.jsonl", 4, "invalid_json"),
        ("rows.jsonl", 5, "invalid_json"),
        ("rows.jsonl", 6, "binary"),
    }
    reasons = [r["reason"] for r in sqlite_utils.Database(db_path)["rejects"].rows]
    assert "text: a lone surrogate U+D800 is not text" in reasons
    assert "invalid JSON: nested too deeply" in reasons


def test_a_nul_in_csv_text_is_a_reject(tmp_path):
    table = tmp_path / "rows.csv"
    table.write_bytes(b'id,text\nc1,"Two drones\x00 were downed."\nc2,One drone.\n')
    db_path = tmp_path / "corpus.db"
    result = build([table], db_path)
    assert accounted(result)
    assert rejects(db_path) == {("rows.csv", 2, "binary")}


def test_utf16_text_without_a_byte_order_mark_is_read(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "le.txt").write_bytes(TEXT.encode("utf-16-le"))
    (folder / "be.txt").write_bytes(TEXT.encode("utf-16-be"))
    db_path = tmp_path / "corpus.db"
    result = build([folder], db_path)
    assert (result.new, result.rejected) == (2, 0)
    db = sqlite_utils.Database(db_path)
    assert {r["body"] for r in db["articles"].rows} == {TEXT}
