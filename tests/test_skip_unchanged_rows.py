"""A JSONL or CSV file whose size, mtime and ctime are unchanged is not read again (issue
16): its articles are taken as the database holds them, as with .txt files."""

import json
import os
import re

import sqlite_utils

import corpusqa.load
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


def test_an_unchanged_jsonl_file_is_skipped_without_listing_its_articles(
    tmp_path, seeds_dir, monkeypatch
):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    db_path = tmp_path / "corpus.db"
    build([source], db_path)
    more = tmp_path / "more.jsonl"
    body = (seeds_dir / "004_43c66da7383f6005.txt").read_text()
    more.write_text(json.dumps({"id": "later", "text": "1 " + body}) + "\n")
    listed, looked_up = [], []
    article_hashes = corpusqa.load.Loader.article_hashes
    article_hash = corpusqa.load.Loader.article_hash

    def listing(self, skip=()):
        rows = article_hashes(self, skip)
        listed.extend(rows)
        return rows

    def looking_up(self, article_id):
        looked_up.append(article_id)
        return article_hash(self, article_id)

    monkeypatch.setattr(corpusqa.load.Loader, "article_hashes", listing)
    monkeypatch.setattr(corpusqa.load.Loader, "article_hash", looking_up)
    items = []
    result = build([source, more], db_path, on_item=items.append)
    assert (result.read, result.new, result.unchanged, result.removed) == (6, 1, 5, 0)
    # Neither the stored hashes of the unchanged file's articles nor an item per row.
    assert (listed, looked_up) == ([], ["later"])
    assert [type(item).__name__ for item in items] == ["UnreadRows", "Prepared"]


def count_lookups(monkeypatch) -> list[str]:
    looked_up: list[str] = []
    article_hash = corpusqa.load.Loader.article_hash

    def looking_up(self, article_id):
        looked_up.append(article_id)
        return article_hash(self, article_id)

    monkeypatch.setattr(corpusqa.load.Loader, "article_hash", looking_up)
    return looked_up


def test_a_build_that_skips_no_row_file_looks_no_article_up(tmp_path, seeds_dir, monkeypatch):
    """Only an article of a row file skipped unread is looked up by id: a full build, or an
    update of .txt files, finds every stored article listed."""
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "tver.txt").write_text("Three drones were shot down over the Tver region.\n")
    db_path = tmp_path / "corpus.db"
    looked_up = count_lookups(monkeypatch)
    assert build([source, folder], db_path).new == 6
    (folder / "tula.txt").write_text("Two drones fell near Tula.\n")
    assert build([source, folder], db_path, rehash=True).new == 1
    assert build([folder], db_path, full=True).new == 2
    assert looked_up == []


def outcome(db_path):
    """The articles (id, file, line, hash) and the rejects of a database."""
    db = sqlite_utils.Database(db_path)
    articles = db.execute("select id, source_path, line, sha256 from articles order by id")
    rejects = db.execute("select source_path, line, article_id, kind, reason from rejects")
    found = (articles.fetchall(), rejects.fetchall())
    db.close()
    return found


def test_an_id_of_an_unread_file_read_elsewhere_is_a_duplicate_as_in_a_full_build(
    tmp_path, seeds_dir
):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    body = (seeds_dir / "004_43c66da7383f6005.txt").read_text()
    # The second seed's id with other text, once before the unread file and once after.
    before = tmp_path / "before.jsonl"
    before.write_text(json.dumps({"id": "001_dcd6d4f6ce8d0c56", "text": "1 " + body}) + "\n")
    after = tmp_path / "after.jsonl"
    after.write_text(json.dumps({"id": "003_c08869fd5a1e1dc1", "text": "2 " + body}) + "\n")
    db_path, full_path = tmp_path / "corpus.db", tmp_path / "full.db"
    build([source], db_path)
    inputs = [before, source, after]
    result = build(inputs, db_path)
    assert (result.read, result.changed, result.unchanged, result.rejected) == (7, 1, 4, 2)
    build(inputs, full_path)
    assert outcome(db_path) == outcome(full_path)
    # The unread file had a row rejected: it is read next time, and reports it again.
    assert build(inputs, db_path).rejected == 2
    assert outcome(db_path) == outcome(full_path)


def test_the_articles_of_a_jsonl_file_no_longer_given_are_removed(tmp_path, seeds_dir):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "other", "text": "Two drones fell near Tula."}) + "\n")
    os.utime(other, ns=(10**18, 10**18))
    db_path = tmp_path / "corpus.db"
    build([source, other], db_path)
    result = build([other], db_path)
    assert (result.read, result.unchanged, result.removed) == (1, 1, 5)
    assert [row[0] for row in outcome(db_path)[0]] == ["other"]


def update_steps(folder, n, monkeypatch) -> int:
    """The SQLite virtual-machine steps of an update that adds one article beside an
    unchanged JSONL file of N articles, built before."""
    folder.mkdir()
    skipped = folder / "articles.jsonl"
    skipped.write_text(
        "".join(
            json.dumps({"id": f"a{i:05d}", "text": f"Article number {i}."}) + "\n" for i in range(n)
        )
    )
    os.utime(skipped, ns=(10**18, 10**18))
    other = folder / "other.jsonl"
    other.write_text(json.dumps({"id": "zz", "text": "Two drones fell near Tula."}) + "\n")
    db_path = folder / "corpus.db"
    build([skipped], db_path)
    steps = [0]
    init = corpusqa.load.Loader.__init__

    def tick() -> int:
        steps[0] += 1
        return 0

    def counting(self, path, bulk=False):
        init(self, path, bulk)
        self.db.conn.set_progress_handler(tick, 1)
        self.db.conn.set_trace_callback(statements.append)

    statements: list[str] = []
    with monkeypatch.context() as patched:
        patched.setattr(corpusqa.load.Loader, "__init__", counting)
        result = build([skipped, other], db_path)
    assert (result.new, result.unchanged) == (1, n)
    # A count of a whole table is one step, however many rows it counts.
    assert not [s for s in statements if re.search(r"count\(\*\) from articles\b(?! where)", s)]
    return steps[0]


def test_an_unchanged_jsonl_file_has_not_one_of_its_articles_read(tmp_path, monkeypatch):
    """Not one of the skipped file's articles is visited by any statement, not even to
    count them: an update beside 2,000 of them runs fewer SQLite steps more than beside 5
    than there are articles more (reading a row takes several steps, and no statement
    counts the whole table)."""
    few = update_steps(tmp_path / "few", 5, monkeypatch)
    many = update_steps(tmp_path / "many", 2_000, monkeypatch)
    assert many - few < 2_000 - 5, (few, many)


def test_the_progress_estimate_reads_no_file(tmp_path, monkeypatch):
    """A row file is estimated from the count recorded for it when it is unchanged, else
    from its size, without being opened."""
    rows = tmp_path / "articles.jsonl"
    rows.write_text(
        "".join(json.dumps({"id": str(i), "text": "x" * 3000}) + "\n" for i in range(9))
    )
    txt = tmp_path / "one.txt"
    txt.write_text("One drone.\n")

    def no_open(*args, **kwargs):
        raise AssertionError(f"opened {args[0]}")

    monkeypatch.setattr(corpusqa.read, "open", no_open, raising=False)
    monkeypatch.setattr(corpusqa.read.Path, "open", no_open)
    status = rows.stat()
    file_stat = (status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    size_guess = status.st_size // corpusqa.read.ROW_BYTES
    assert corpusqa.read.estimate_items([rows, txt]) == size_guess + 1
    assert corpusqa.read.estimate_items([rows, txt], {"articles.jsonl": (file_stat, 7)}) == 8
    # A file changed since it was recorded is estimated by its size again.
    changed = ((file_stat[0] + 1, *file_stat[1:]), 7)
    assert corpusqa.read.estimate_items([rows], {"articles.jsonl": changed}) == size_guess


def test_the_progress_estimate_of_an_unchanged_file_is_its_recorded_count(tmp_path, seeds_dir):
    source = seeds_jsonl(seeds_dir, tmp_path / "articles.jsonl")
    db_path = tmp_path / "corpus.db"
    assert corpusqa.load.recorded_row_files(db_path) == {}
    build([source], db_path)
    recorded = corpusqa.load.recorded_row_files(db_path)
    assert recorded["articles.jsonl"][1] == 5
    assert corpusqa.read.estimate_items([source], recorded) == 5
