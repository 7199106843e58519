import json
import shutil

import sqlite_utils

import corpusqa.load
from corpusqa.build import build


def test_seeds_build_five_articles(seeds_db):
    assert seeds_db["articles"].count == 5
    assert [r["read"] for r in seeds_db.query("select read from builds")] == [5]


def test_paths_are_stored_relative_to_the_source_given(seeds_db, seeds_dir):
    assert seeds_dir.is_absolute()
    paths = {
        r["id"]: r["source_path"] for r in seeds_db.query("select id, source_path from articles")
    }
    assert paths["000_9d90c5170b0583bd"] == "seeds/000_9d90c5170b0583bd.txt"
    assert all(p.startswith("seeds/") for p in paths.values())
    assert [r["inputs"] for r in seeds_db.query("select inputs from builds")] == ['["seeds"]']


def test_title_is_a_first_line_followed_by_a_blank_line(seeds_db):
    titles = {r["id"]: r["title"] for r in seeds_db.query("select id, title from articles")}
    assert titles.pop("001_dcd6d4f6ce8d0c56") == (
        "Russia’s Smolensk Region Successfully Intercepts 13 Ukrainian Drones "
        "in Escalating Border Tensions"
    )
    assert set(titles.values()) == {None}


def test_body_excludes_the_title_and_starts_at_the_first_paragraph(seeds_db):
    body = seeds_db["articles"].get("001_dcd6d4f6ce8d0c56")["body"]
    assert body.startswith("In a recent escalation of tensions along Russia’s western borders")


def test_word_counts_count_dash_joined_words_apart(seeds_db):
    # Whitespace-separated tokens once em dashes are spaces: checked by hand against `wc -w`,
    # which counts "safety—they" as one word.
    counts = dict(seeds_db.execute("select id, word_count from articles").fetchall())
    assert counts == {
        "000_9d90c5170b0583bd": 624,
        "001_dcd6d4f6ce8d0c56": 564,
        "002_051ec335f6504a1c": 508,
        "003_c08869fd5a1e1dc1": 548,
        "004_43c66da7383f6005": 503,
    }


def test_trailing_blank_lines_are_trimmed_and_noted(seeds_db, seeds_dir):
    row = seeds_db["articles"].get("003_c08869fd5a1e1dc1")
    assert not row["body"].endswith("\n")
    assert row["body"].endswith("far-reaching implications.")
    raw = (seeds_dir / "003_c08869fd5a1e1dc1.txt").read_text()
    assert raw.endswith("\n\n\n")
    assert '"trailing_blank_lines": 9' in row["ingest_notes"]


def test_fts_search_kaluga_finds_exactly_000_and_001(seeds_db):
    ids = sorted(r["id"] for r in seeds_db["articles"].search("Kaluga"))
    assert ids == ["000_9d90c5170b0583bd", "001_dcd6d4f6ce8d0c56"]


def test_fts_search_uses_porter_stemming(seeds_db):
    # "intercepting" appears nowhere; stemming matches intercepted/intercepts.
    assert len(list(seeds_db["articles"].search("intercepting"))) == 5


def test_second_build_of_same_input_skips_everything(tmp_path, seeds_dir):
    db_path = tmp_path / "corpus.db"
    first = build([seeds_dir], db_path)
    second = build([seeds_dir], db_path)
    assert (first.new, first.unchanged) == (5, 0)
    assert second.counts() == {
        "read": 5,
        "new": 0,
        "changed": 0,
        "unchanged": 5,
        "rejected": 0,
        "removed": 0,
    }


def test_editing_one_file_reingests_only_that_one(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    before = {r["id"]: r["build_id"] for r in sqlite_utils.Database(db_path)["articles"].rows}
    edited = corpus / "002_051ec335f6504a1c.txt"
    edited.write_text(edited.read_text() + "\nOne more sentence about Tula.\n")
    result = build([corpus], db_path)
    assert (result.new, result.changed, result.unchanged) == (0, 1, 4)
    db = sqlite_utils.Database(db_path)
    after = {r["id"]: r["build_id"] for r in db["articles"].rows}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"002_051ec335f6504a1c"}
    assert [r["id"] for r in db["articles"].search("Tula")] == ["002_051ec335f6504a1c"]


def test_an_update_indexes_its_articles_text_a_batch_at_a_time(tmp_path, seeds_dir, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    edited = corpus / "002_051ec335f6504a1c.txt"
    edited.write_text(edited.read_text().replace("Kaluga", "Tula") + "\nAbout Tula.\n")
    (corpus / "new.txt").write_text("Three drones were shot down over the Tver region.\n")
    statements: list[str] = []
    init = corpusqa.load.Loader.__init__

    def tracing(self, path, bulk=False):
        init(self, path, bulk)
        self.db.conn.set_trace_callback(statements.append)

    monkeypatch.setattr(corpusqa.load.Loader, "__init__", tracing)
    build([corpus], db_path)
    # The two articles' text is indexed by one statement, with the batch they are written
    # in, and no trigger adds an article to the full-text index row by row (see
    # Loader.index).
    indexing = [s for s in statements if s.startswith("insert into articles_fts")]
    assert len(indexing) == 1
    assert "'new'" in indexing[0] and "'002_051ec335f6504a1c'" in indexing[0]
    db = sqlite_utils.Database(db_path)
    assert "articles_ai" not in {t.name for t in db["articles"].triggers}
    assert [r["id"] for r in db["articles"].search("Tver")] == ["new"]
    assert "002_051ec335f6504a1c" in {r["id"] for r in db["articles"].search("Tula")}
    # The index holds exactly the stored titles and bodies.
    db.execute("insert into articles_fts (articles_fts) values ('integrity-check')")


def test_a_removed_file_is_removed_from_the_database(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    (corpus / "004_43c66da7383f6005.txt").unlink()
    result = build([corpus], db_path)
    assert result.removed == 1
    db = sqlite_utils.Database(db_path)
    assert "004_43c66da7383f6005" not in {r["id"] for r in db["articles"].rows}
    assert list(db["articles"].search("Podolyak")) == []


def test_full_rebuild_starts_from_nothing(tmp_path, seeds_dir):
    db_path = tmp_path / "corpus.db"
    build([seeds_dir], db_path)
    result = build([seeds_dir], db_path, full=True)
    assert (result.new, result.unchanged) == (5, 0)
    assert sqlite_utils.Database(db_path)["builds"].count == 1


def test_crlf_bom_and_nfc_are_normalised(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    decomposed = "Cafe\u0301 in Belgorod"
    (corpus / "a.txt").write_bytes(
        ("\ufeffHeadline here\r\n\r\n" + decomposed + " was hit.\r\nSecond line.\r\n\r\n").encode()
    )
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    row = sqlite_utils.Database(db_path)["articles"].get("a")
    assert row["title"] == "Headline here"
    assert row["body"] == "Café in Belgorod was hit.\nSecond line."
    assert "\r" not in row["body"]


def test_a_first_sentence_followed_by_a_blank_line_is_not_a_title(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Eleven drones were shot down over Kursk.\n\nNo more details.\n")
    build([corpus], tmp_path / "corpus.db")
    row = sqlite_utils.Database(tmp_path / "corpus.db")["articles"].get("a")
    assert row["title"] is None
    assert row["body"].startswith("Eleven drones")


def test_sample_corpus_titles_match_its_gold(sample_db_path):
    import json

    from conftest import SAMPLE

    gold = json.loads((SAMPLE / "gold.json").read_text())
    db = sqlite_utils.Database(sample_db_path)
    titles = {r["id"]: r["title"] for r in db.query("select id, title from articles")}
    assert titles == {a["id"]: a["title"] for a in gold["articles"]}
    assert len(titles) >= 20


def test_a_changed_article_replaces_its_claims_and_mentions(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    edited = corpus / "003_c08869fd5a1e1dc1.txt"
    edited.write_text(edited.read_text().replace("downed four Ukrainian", "downed six Ukrainian"))
    build([corpus], db_path)
    db = sqlite_utils.Database(db_path)
    quantities = [
        r["quantity"]
        for r in db.query(
            "select quantity from claims where article_id = '003_c08869fd5a1e1dc1' order by id"
        )
    ]
    assert quantities == [1, 6, 10]
    assert db["claims"].count == 11
    duplicated = list(
        db.query(
            "select article_id, span_start, kind, count(*) n from mentions "
            "group by article_id, span_start, kind having n > 1"
        )
    )
    assert duplicated == []


def test_an_update_deletes_the_articles_it_replaces_a_batch_at_a_time(
    tmp_path, seeds_dir, monkeypatch
):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    for path in corpus.glob("*.txt"):
        path.write_text(path.read_text() + "\nOne more sentence about Tula.\n")
    deleted = []
    delete_articles = corpusqa.load.Loader.delete_articles

    def deleting(self, ids):
        deleted.append(sorted(ids))
        delete_articles(self, ids)

    monkeypatch.setattr(corpusqa.load.Loader, "delete_articles", deleting)
    assert build([corpus], db_path).changed == 5
    assert [ids for ids in deleted if ids] == [sorted(p.stem for p in corpus.glob("*.txt"))]
    db = sqlite_utils.Database(db_path)
    assert len(list(db["articles"].search("Tula"))) == 5
    assert db.execute("select count(distinct article_id) from claims").fetchone()[0] == 5
    db.execute("insert into articles_fts (articles_fts) values ('integrity-check')")


def test_the_database_does_not_depend_on_the_number_of_workers(tmp_path):
    from conftest import SAMPLE

    def dump(path):
        db = sqlite_utils.Database(path)
        skip = {"builds", "sqlite_stat1"}
        return {
            name: list(db.execute(f"select * from [{name}]").fetchall())
            for name in db.table_names()
            if name not in skip
        }

    build([SAMPLE], tmp_path / "one.db", workers=1)
    build([SAMPLE], tmp_path / "two.db", workers=2)
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")


def test_a_source_named_only_in_the_headline_has_no_body_offsets(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "h1.txt").write_text(
        "Ministry of Defense: drones downed over Kursk\n\n"
        "Overnight, air defences destroyed 12 drones over the Kursk region.\n",
        encoding="utf-8",
    )
    build([corpus], tmp_path / "corpus.db")
    db = sqlite_utils.Database(tmp_path / "corpus.db")
    [claim] = db.query("select authority, authority_start, authority_end from claims")
    assert claim == {
        "authority": "Russian Ministry of Defense",
        "authority_start": None,
        "authority_end": None,
    }


def test_a_war_long_tally_is_marked_cumulative_and_counts_under_no_day_or_region(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    text = (
        "Since the start of the special military operation, air defences have shot down "
        "24,551 drones, the defence ministry said on Monday. Overnight, 12 drones were "
        "destroyed over the Kursk region, the ministry said."
    )
    row = {"id": "tally", "text": text, "published": "2024-05-06"}
    corpus.write_text(json.dumps(row) + "\n", encoding="utf-8")
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    db = sqlite_utils.Database(db_path)
    claims = {
        row["quantity"]: row
        for row in db.query("select id, quantity, cumulative, date from claims")
    }
    assert claims[24551]["cumulative"] == 1 and claims[24551]["date"] is None
    assert claims[12]["cumulative"] == 0
    placed = [r["claim_id"] for r in db.query("select claim_id from claim_places")]
    assert claims[24551]["id"] not in placed
    dated = db.execute("select sum(objects) from period_objects where date like '2%'")
    assert dated.fetchone()[0] == 12
