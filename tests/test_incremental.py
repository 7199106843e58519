"""An incremental build skips what has not changed as cheaply as it can (a .txt file by its
size and times, a row by its hash, never through the workers), and ends with the database
a full build of the same inputs gives."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest
import sqlite_utils
from click.testing import CliRunner
from conftest import ROOT, SAMPLE

import corpusqa.build
import corpusqa.consolidate.events
import corpusqa.load
from corpusqa.build import build
from corpusqa.cli import cli


@pytest.fixture
def corpus(tmp_path, seeds_dir):
    """A copy of the seeds, keeping their modification times (days old, so trusted)."""
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


@pytest.fixture
def reads(monkeypatch, corpus):
    """The names of the corpus's files read, in order, as the reader reads them."""
    read_bytes = pathlib.Path.read_bytes
    names: list[str] = []

    def counted(path):
        if corpus in path.parents:
            names.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", counted)
    return names


def test_a_rebuild_with_nothing_changed_reads_no_file(tmp_path, corpus, reads):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    assert len(reads) == 5
    reads.clear()
    result = build([corpus], db_path)
    assert reads == []
    assert (result.read, result.unchanged) == (5, 5)
    assert sqlite_utils.Database(db_path)["articles"].count == 5


def test_a_file_given_new_text_is_read_again(tmp_path, corpus, reads):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    edited = corpus / "002_051ec335f6504a1c.txt"
    edited.write_text(edited.read_text() + "\nOne more sentence about Tula.\n")
    reads.clear()
    result = build([corpus], db_path)
    assert reads == [edited.name]
    assert (result.changed, result.unchanged) == (1, 4)
    db = sqlite_utils.Database(db_path)
    assert [r["id"] for r in db["articles"].search("Tula")] == ["002_051ec335f6504a1c"]


def test_a_file_rewritten_with_its_old_size_and_mtime_is_read_again(tmp_path, corpus, reads):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    edited = corpus / "003_c08869fd5a1e1dc1.txt"
    status = edited.stat()
    text = edited.read_text()
    assert "downed four Ukrainian" in text
    edited.write_text(text.replace("downed four Ukrainian", "downed nine Ukrainian"))
    # As a tool that keeps modification times would: only the change time tells.
    os.utime(edited, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert edited.stat().st_size == status.st_size
    reads.clear()
    result = build([corpus], db_path)
    assert reads == [edited.name]
    assert result.changed == 1
    quantities = sqlite_utils.Database(db_path).execute(
        "select quantity from claims where article_id = '003_c08869fd5a1e1dc1' order by id"
    )
    assert [q for (q,) in quantities] == [1, 9, 10]


def test_a_touched_file_is_read_once_then_trusted_by_its_new_times(tmp_path, corpus, reads):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    touched = corpus / "000_9d90c5170b0583bd.txt"
    status = touched.stat()
    os.utime(touched, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    reads.clear()
    assert build([corpus], db_path).unchanged == 5
    assert reads == [touched.name]
    reads.clear()
    assert build([corpus], db_path).unchanged == 5
    assert reads == []


def test_a_file_modified_just_now_is_not_trusted_by_its_times(tmp_path, corpus, reads):
    # Two writes within one tick of the file system's clock can leave size and mtime as
    # they were: a file this fresh is read again next time.
    fresh = corpus / "001_dcd6d4f6ce8d0c56.txt"
    fresh.write_bytes(fresh.read_bytes())
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    reads.clear()
    build([corpus], db_path)
    assert reads == [fresh.name]


def test_rehash_reads_every_file(tmp_path, corpus, reads):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    reads.clear()
    result = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db_path), "--rehash"])
    assert result.exit_code == 0, result.output
    assert sorted(reads) == sorted(p.name for p in corpus.glob("*.txt"))
    assert "unchanged 5" in result.output


def test_a_file_made_unreadable_is_reported_and_keeps_its_article(tmp_path, corpus, monkeypatch):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    locked = corpus / "004_43c66da7383f6005.txt"
    # A change of permissions leaves size and mtime alone; the change time tells. The tests
    # run as root, whom permissions do not stop, so the refusal itself is simulated.
    locked.chmod(0o200)
    read_bytes = pathlib.Path.read_bytes

    def denied(path):
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    result = build([corpus], db_path)
    assert (result.unchanged, result.rejected, result.removed) == (4, 1, 0)
    db = sqlite_utils.Database(db_path)
    assert [(r["source_path"], r["kind"]) for r in db["rejects"].rows] == [
        ("corpus/004_43c66da7383f6005.txt", "unreadable")
    ]
    assert db["articles"].count == 5


class CountingPool(corpusqa.build.ProcessPoolExecutor):
    """The build's process pool, counting the articles sent to its workers."""

    started = 0
    sent: list[str] = []

    def __init__(self, *args, **kwargs):
        CountingPool.started += 1
        super().__init__(*args, **kwargs)

    def submit(self, function, *args, **kwargs):
        CountingPool.sent.extend(item.id for item in args[1])
        return super().submit(function, *args, **kwargs)


def test_only_new_rows_go_through_the_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(corpusqa.build, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(CountingPool, "sent", [])
    text = "Two drones were shot down over the Kursk region, the governor said."
    rows = tmp_path / "rows.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": f"{text} Row {i}."}) for i in range(200)]
    rows.write_text("\n".join(lines) + "\n")
    db_path = tmp_path / "corpus.db"
    build([rows], db_path, workers=2)
    assert len(CountingPool.sent) == 200
    CountingPool.sent.clear()
    started = CountingPool.started
    result = build([rows], db_path, workers=2)
    assert (result.unchanged, CountingPool.sent, CountingPool.started) == (200, [], started)
    lines.insert(100, json.dumps({"id": "new", "text": text}))
    rows.write_text("\n".join(lines) + "\n")
    result = build([rows], db_path, workers=2)
    assert (result.new, result.unchanged, CountingPool.sent) == (1, 200, ["new"])


def dump(path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without the build that wrote it and without integer
    ids (mentions, flags: numbered in the order rows were written, and referenced only by
    the index of mentions' surnames)."""
    db = sqlite_utils.Database(path)
    tables = {}
    for name in db.table_names():
        if name in ("builds", "sqlite_stat1") or "_fts" in name:
            continue
        columns = [
            column
            for column, kind in db[name].columns_dict.items()
            if column != "build_id" and not (column in ("id", "mention_id") and kind is int)
        ]
        select = ", ".join(f"[{c}]" for c in columns)
        rows = db.execute(f"select {select} from [{name}]").fetchall()
        tables[name] = sorted(rows, key=repr)
    return tables


def derived(path) -> dict[str, list[tuple]]:
    """`dump` without the files' times: a file written in the seconds before a build has
    none (see test_a_file_modified_just_now_is_not_trusted_by_its_times), so which files
    have them depends on how fast the test runs."""
    tables = dump(path)
    del tables["article_files"]
    return tables


def test_an_incremental_build_gives_the_database_a_full_build_gives(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    samples = sorted(SAMPLE.glob("*.txt"))
    db_path = tmp_path / "updated.db"
    # Three updates: a first part; more articles and one edited; the rest and one removed.
    for path in seeds[:2] + samples[:8]:
        shutil.copy2(path, corpus / path.name)
    build([corpus], db_path)
    for path in seeds[2:4] + samples[8:16]:
        shutil.copy2(path, corpus / path.name)
    edited = corpus / samples[0].name
    edited.write_text(edited.read_text() + "\nTwo more drones were downed over Tula.\n")
    build([corpus], db_path)
    for path in seeds[4:] + samples[16:]:
        shutil.copy2(path, corpus / path.name)
    (corpus / samples[3].name).unlink()
    last = build([corpus], db_path)
    assert (last.new, last.removed) == (len(seeds[4:] + samples[16:]), 1)
    full = tmp_path / "full.db"
    build([corpus], full)
    assert dump(db_path) == dump(full)


def test_each_update_gives_what_a_full_build_of_its_inputs_gives(tmp_path, seeds_dir):
    """Updates that add a story's earlier telling (it becomes the story's first article),
    add a retelling to a story already stored, change an article's figures, and remove a
    story's first article; after each one the database is what a full build gives."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = {p.name[:3]: p for p in seeds_dir.glob("*.txt")}
    sample = {p.name[:3]: p for p in SAMPLE.glob("*.txt")}
    stored = tmp_path / "updated.db"

    def add(*paths):
        for path in paths:
            shutil.copy2(path, corpus / path.name)

    def same_as_full(step):
        full = tmp_path / f"full{step}.db"
        build([corpus], full)
        assert derived(stored) == derived(full)
        return sqlite_utils.Database(stored)

    add(seed["001"], seed["003"], *(sample[f"s{i:02d}"] for i in range(1, 12)))
    build([corpus], stored)
    same_as_full(1)
    # 000 tells the story 001 retells, and sorts before it: 001 joins it.
    add(seed["000"], seed["002"], *(sample[f"s{i:02d}"] for i in range(12, 19)))
    changed = corpus / seed["003"].name
    changed.write_text(changed.read_text().replace("downed four Ukrainian", "downed six Ukrainian"))
    result = build([corpus], stored)
    assert (result.new, result.changed) == (9, 1)
    db = same_as_full(2)
    story = dict(db.execute("select id, story_id from articles").fetchall())
    assert story[seed["001"].stem] == seed["000"].stem
    assert story["s15_three_regions_retold"] == "s02_three_regions_march"
    # The first telling of a story goes, and its retelling begins a story of its own; a
    # retelling goes, and its story's events lose a report.
    add(seed["004"], *(sample[f"s{i:02d}"] for i in range(19, 25)))
    (corpus / sample["s15"].name).unlink()
    (corpus / seed["000"].name).unlink()
    result = build([corpus], stored)
    assert result.removed == 2
    db = same_as_full(3)
    story = dict(db.execute("select id, story_id from articles").fetchall())
    assert story[seed["001"].stem] == seed["001"].stem
    assert db["stories"].get("s02_three_regions_march")["n_articles"] == 1


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """600 synthetic articles: stories retold across articles, events on busy days."""
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synth.py"), "--n", "600", "--seed", "4"]
        + ["--out", str(out)],
        check=True,
        capture_output=True,
    )
    (out / "gold.json").unlink()
    return sorted(out.glob("*.txt"))


def built_from(
    tmp_path: pathlib.Path, paths: list[pathlib.Path]
) -> tuple[pathlib.Path, pathlib.Path]:
    """A folder of copies of PATHS and the database a full build of it makes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in paths:
        shutil.copy2(path, corpus / path.name)
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    return corpus, db_path


def test_a_synthetic_corpus_built_in_three_updates_is_the_full_build(tmp_path, synthetic):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    stored = tmp_path / "updated.db"
    # Every third article first, then the rest in two parts, so that each update adds
    # articles before, among and after the stored ones; the second changes a few and the
    # third removes a few.
    parts = [synthetic[::3], synthetic[1::3], synthetic[2::3]]
    for step, part in enumerate(parts):
        for path in part:
            shutil.copy2(path, corpus / path.name)
        if step == 1:
            for path in synthetic[0:60:12]:
                text = (corpus / path.name).read_text()
                (corpus / path.name).write_text(text.replace(" drones", " UAVs", 1))
        if step == 2:
            for path in synthetic[3:90:9]:
                (corpus / path.name).unlink()
        build([corpus], stored)
    full = tmp_path / "full.db"
    build([corpus], full)
    assert derived(stored) == derived(full)


def test_a_build_with_nothing_new_consolidates_nothing(tmp_path, corpus):
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    before = dump(db_path)
    build([corpus], db_path)
    stages = (
        sqlite_utils.Database(db_path)
        .execute("select stages from builds order by id desc limit 1")
        .fetchone()[0]
    )
    assert list(json.loads(stages)) == ["read, extract, load", "index"]
    assert dump(db_path) == before


def test_an_update_regroups_only_the_stories_and_events_it_touches(
    tmp_path, monkeypatch, synthetic
):
    corpus, db_path = built_from(tmp_path, synthetic[:-1])
    grouped, looked_at = [], []
    group_events, restory = corpusqa.consolidate.events.group_events, corpusqa.build.restory

    def counted_events(claims, story_of):
        claims = list(claims)
        grouped.append(len(claims))
        return group_events(claims, story_of)

    def counted_stories(index, dirty, lost):
        assigned = restory(index, dirty, lost)
        looked_at.append(len(assigned))
        return assigned

    monkeypatch.setattr(corpusqa.consolidate.events, "group_events", counted_events)
    monkeypatch.setattr(corpusqa.build, "restory", counted_stories)
    shutil.copy2(synthetic[-1], corpus / synthetic[-1].name)
    assert build([corpus], db_path).new == 1
    claims = sqlite_utils.Database(db_path)["claims"].count
    # One new article: its own story and events, and those its claims share a bucket with.
    assert looked_at == [1]
    assert 0 < grouped[0] < claims / 20


SAID = "{} said two drones were shot down over the Belgorod region on Monday.\n"
CANONICAL, VARIANT = "Governor Vyacheslav Gladkov", "Governor Viacheslav Gladkov"


def gladkov_corpus(tmp_path):
    """Nine articles (a01-a09) with Gladkov's canonical spelling and two (v1, v2) with
    another, built; returns the folder and the database."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(1, 10):
        (corpus / f"a{n:02}.txt").write_text(SAID.format(CANONICAL))
    for n in (1, 2):
        (corpus / f"v{n}.txt").write_text(SAID.format(VARIANT))
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    return corpus, db_path


@pytest.fixture
def variant_writes(monkeypatch):
    """Start watching a database's name_variant flags: WATCH(db_path) adds triggers, and
    returns a function that gives, since it was last called, the flags SQLite inserted or
    deleted and the articles of the variant mentions an update (not a full build) read."""
    read: list[str] = []
    variant_mentions = corpusqa.load.Loader.variant_mentions

    def counted(self, *args):
        for mention in variant_mentions(self, *args):
            if not self.bulk:
                read.append(mention.article_id)
            yield mention

    monkeypatch.setattr(corpusqa.load.Loader, "variant_mentions", counted)

    def watch(db_path):
        sqlite_utils.Database(db_path).executescript("""
            create table written (change text, article_id text);
            create trigger flag_inserted after insert on qa_flags when new.kind = 'name_variant'
            begin insert into written values ('insert', new.article_id); end;
            create trigger flag_deleted after delete on qa_flags when old.kind = 'name_variant'
            begin insert into written values ('delete', old.article_id); end;
        """)
        read.clear()

        def changes():
            with sqlite_utils.Database(db_path).conn as conn:
                written = conn.execute("delete from written returning *").fetchall()
            reads = list(read)
            read.clear()
            return sorted(written), reads

        return changes

    return watch


def same_as_full(tmp_path, corpus, db_path) -> None:
    """Assert that DB_PATH, without the tables that watch it, is what a full build of
    CORPUS gives."""
    full = tmp_path / "full.db"
    full.unlink(missing_ok=True)
    build([corpus], full)
    updated = derived(db_path)
    updated.pop("written", None)
    assert updated == derived(full)


def test_an_update_writes_only_the_name_variant_flags_it_changes(tmp_path, variant_writes):
    corpus, db_path = gladkov_corpus(tmp_path)
    db = sqlite_utils.Database(db_path)
    assert db.execute(
        "select article_id, detail from qa_flags where kind = 'name_variant' order by article_id"
    ).fetchall() == [
        (
            v,
            "'Viacheslav' here for Vyacheslav Gladkov (Viacheslav Gladkov); "
            "'Vyacheslav' in a01, a02, a03, a04, a05 and others",
        )
        for v in ("v1", "v2")
    ]
    changes = variant_writes(db_path)
    # Another article with the canonical spelling, after the first seven by id, changes no
    # flag's text: none is made or written.
    (corpus / "a10.txt").write_text(SAID.format(CANONICAL))
    assert build([corpus], db_path).new == 1
    assert changes() == ([], [])
    # Another with the variant spelling adds its own flag and leaves the others.
    (corpus / "v3.txt").write_text(SAID.format(VARIANT))
    assert build([corpus], db_path).new == 1
    assert changes() == ([("insert", "v3")], ["v3"])
    same_as_full(tmp_path, corpus, db_path)


def test_an_update_remakes_a_persons_name_variant_flags_only_for_its_own_articles(
    tmp_path, variant_writes
):
    corpus, db_path = gladkov_corpus(tmp_path)
    changes = variant_writes(db_path)
    # An article sorting before all the others that does not name Gladkov leaves his
    # flags, though the same update adds an article that does: none is read or written.
    (corpus / "0001.txt").write_text(SAID.format("Governor Alexander Bogomaz"))
    (corpus / "a10.txt").write_text(SAID.format(CANONICAL))
    assert build([corpus], db_path).new == 2
    assert changes() == ([], [])
    same_as_full(tmp_path, corpus, db_path)
    # One with the canonical spelling sorting before the first seven changes the articles
    # every flag names.
    (corpus / "a00.txt").write_text(SAID.format(CANONICAL))
    assert build([corpus], db_path).new == 1
    flagged = [("delete", "v1"), ("delete", "v2"), ("insert", "v1"), ("insert", "v2")]
    assert changes() == (flagged, ["v1", "v2"])
    same_as_full(tmp_path, corpus, db_path)
    # So does the removal of one of them.
    (corpus / "a02.txt").unlink()
    assert build([corpus], db_path).removed == 1
    assert changes() == (flagged, ["v1", "v2"])
    same_as_full(tmp_path, corpus, db_path)
    # An article that drops the variant spelling loses its flag, and only it.
    (corpus / "v1.txt").write_text(SAID.format(CANONICAL))
    assert build([corpus], db_path).changed == 1
    assert changes() == ([("delete", "v1")], [])
    same_as_full(tmp_path, corpus, db_path)


def test_a_persons_first_articles_are_read_in_article_order_from_one_index(tmp_path):
    """The articles with a name's words are found up to the limit, without a temporary
    B-tree of all of the person's articles: a common name is in a large share of them."""
    _, db_path = gladkov_corpus(tmp_path)
    db = sqlite_utils.Database(db_path)
    queries = []

    class Recorded:
        def execute(self, sql, values):
            queries.append((sql, values))
            return db.execute(sql, values)

    # The articles with both words of "Vyacheslav Gladkov", each in any of its spellings.
    spellings = [["Vyacheslav Gladkov"], ["Viacheslav Gladkov", "Vyacheslav Gladkov"]]
    first = corpusqa.load.Loader.articles_with(
        SimpleNamespace(db=Recorded()), "vyacheslav-gladkov", spellings, 3
    )
    assert first == ["a01", "a02", "a03"]
    ((sql, values),) = queries
    plan = [row[3] for row in db.execute(f"explain query plan {sql}", values)]
    assert len(plan) == 1 and "COVERING INDEX" in plan[0], plan


def test_an_update_that_only_adds_keeps_the_totals_by_difference(tmp_path, synthetic):
    corpus, db_path = built_from(tmp_path, synthetic[:-2])
    # Every total row an update deletes (a recount deletes the rows of its keys first) or
    # changes, as SQLite writes them.
    triggers = "".join(
        f"""
        create trigger {table}_deleted after delete on {table}
        begin insert into written values ('{table}', 'delete'); end;
        create trigger {table}_updated after update on {table}
        begin insert into written values ('{table}', 'update'); end;
        """
        for table in ("authorities", "period_objects", "place_objects")
    )
    sqlite_utils.Database(db_path).executescript(
        f"create table written (total text, change text); {triggers}"
    )
    for path in synthetic[-2:]:
        shutil.copy2(path, corpus / path.name)
    assert build([corpus], db_path).new == 2
    db = sqlite_utils.Database(db_path)
    changes = set(db.execute("select total, change from written").fetchall())
    assert changes == {
        ("authorities", "update"),
        ("period_objects", "update"),
        ("place_objects", "update"),
    }
    db.executescript(
        "drop table written; "
        + " ".join(
            f"drop trigger {table}_deleted; drop trigger {table}_updated;"
            for table in ("authorities", "period_objects", "place_objects")
        )
    )
    full = tmp_path / "full.db"
    build([corpus], full)
    assert derived(db_path) == derived(full)
