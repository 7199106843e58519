import json

import pytest
import sqlite_utils
from click.testing import CliRunner

from corpusqa.build import build
from corpusqa.cli import cli


@pytest.fixture
def messy(tmp_path, seeds_dir):
    """Two good seeds next to one input of every bad kind."""
    corpus = tmp_path / "messy"
    corpus.mkdir()
    for name in ["000_9d90c5170b0583bd.txt", "002_051ec335f6504a1c.txt"]:
        (corpus / name).write_bytes((seeds_dir / name).read_bytes())
    (corpus / "latin1.txt").write_bytes("First line\nDrones over Bry\xe4nsk\n".encode("latin-1"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b"  \n\n \n")
    (corpus / "binary.txt").write_bytes(b"GIF89a\x00\x01\x02\x03")
    (corpus / "huge.txt").write_text("drone " * 2000)
    sub = corpus / "nested"
    sub.mkdir()
    (sub / "000_9d90c5170b0583bd.txt").write_text("A different article with the same id.")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "j1",
                        "text": "Five drones were shot down over Kursk.",
                        "published": "2024-05-03",
                        "source": "wire",
                    }
                ),
                "{not json",
                json.dumps({"id": "j2", "title": "No text here"}),
                json.dumps({"id": "j3", "body": "Body works as well.", "url": "https://x.test/3"}),
                json.dumps({"id": "j4", "text": "Bad date.", "published": "yesterday"}),
            ]
        )
        + "\n"
    )
    table = tmp_path / "rows.csv"
    table.write_text(
        'id,text,title\nc1,"Two drones over Oryol, the governor said.",Oryol\nc2,,Empty\n'
    )
    return [corpus, rows, table]


def test_each_kind_of_bad_input_is_rejected_with_its_reason(tmp_path, messy):
    db_path = tmp_path / "corpus.db"
    result = build(messy, db_path, max_bytes=10_000)
    db = sqlite_utils.Database(db_path)
    stored = [r["source_path"] for r in db.query("select source_path from rejects")]
    # Named relative to the sources given, whose absolute paths stay on the build machine.
    assert stored and not any(str(tmp_path) in p or p.startswith("/") for p in stored)
    rejects = {
        (r["source_path"].split("/")[-1], r["line"], r["kind"])
        for r in db.query("select source_path, line, kind from rejects")
    }
    assert rejects == {
        ("latin1.txt", 2, "not_utf8"),
        ("empty.txt", None, "empty"),
        ("blank.txt", None, "empty"),
        ("binary.txt", 1, "binary"),
        ("huge.txt", None, "too_large"),
        ("000_9d90c5170b0583bd.txt", None, "duplicate_id"),
        ("rows.jsonl", 2, "invalid_json"),
        ("rows.jsonl", 3, "missing_text"),
        ("rows.jsonl", 5, "invalid_date"),
        ("rows.csv", 3, "missing_text"),
    }
    loaded = {r["id"] for r in db["articles"].rows}
    assert loaded == {"000_9d90c5170b0583bd", "002_051ec335f6504a1c", "j1", "j3", "c1"}
    assert result.read == result.new + result.changed + result.unchanged + result.rejected
    assert result.read == 15


def test_reject_reasons_name_what_is_wrong(tmp_path, messy):
    build(messy, tmp_path / "corpus.db", max_bytes=10_000)
    reasons = {
        r["kind"]: r["reason"]
        for r in sqlite_utils.Database(tmp_path / "corpus.db").query("select * from rejects")
    }
    assert "byte 0xe4 at line 2, column 16" in reasons["not_utf8"]
    assert "over the limit of 10,000" in reasons["too_large"]
    assert "different text" in reasons["duplicate_id"]
    assert "'yesterday' is not an ISO date" in reasons["invalid_date"]


def test_jsonl_and_csv_fields_are_loaded(tmp_path, messy):
    build(messy, tmp_path / "corpus.db", max_bytes=10_000)
    db = sqlite_utils.Database(tmp_path / "corpus.db")
    j1 = db["articles"].get("j1")
    assert (j1["published"], j1["source"], j1["line"]) == ("2024-05-03", "wire", 1)
    assert db["articles"].get("j3")["url"] == "https://x.test/3"
    c1 = db["articles"].get("c1")
    assert (c1["title"], c1["body"], c1["line"]) == (
        "Oryol",
        "Two drones over Oryol, the governor said.",
        2,
    )


def test_cli_reports_rejects_on_stderr_and_strict_fails(tmp_path, messy):
    runner = CliRunner()
    db = str(tmp_path / "corpus.db")
    args = ["build", *map(str, messy), "--db", db, "--max-bytes", "10000"]
    ok = runner.invoke(cli, args)
    assert ok.exit_code == 0, ok.output
    assert "latin1.txt:2: not valid UTF-8" in ok.stderr
    assert "rows.jsonl:2: invalid JSON" in ok.stderr
    assert "read 15, new 0, changed 0, unchanged 5, rejected 10" not in ok.stdout
    assert "read 15, new 5, changed 0, unchanged 0, rejected 10, removed 0" in ok.stdout
    strict = runner.invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "10 input(s) rejected" in strict.stderr


def test_a_missing_source_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        cli, ["build", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_publication_month_is_kept_with_its_precision(tmp_path):
    corpus = tmp_path / "feed.jsonl"
    rows = [
        {
            "id": "m",
            "text": "Five drones were shot down over the Kursk region.",
            "published": "2024-10",
        },
        {"id": "bad", "text": "Two drones were shot down.", "published": "2024-13"},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db_path = tmp_path / "corpus.db"
    result = build([corpus], db_path)
    assert (result.new, result.rejected) == (1, 1)
    assert "2024-13" in result.rejects[0].reason and result.rejects[0].line == 2
    db = sqlite_utils.Database(db_path)
    assert db["articles"].get("m")["published"] == "2024-10"
