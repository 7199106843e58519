"""Counted facets (plugins/facets.py): the counts a database computes once per build must
be the counts each page would compute for its own rows, and a new build makes them stale."""

import json
import shutil

import sqlite_utils
import yaml
from conftest import ROOT, SAMPLE, get, make_datasette
from datasette.app import Datasette
from datasette.plugins import pm

from corpusqa.build import build

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text())
TABLES = METADATA["databases"]["corpus"]["tables"]


def counted(table: str) -> list:
    return [f["counted"] for f in TABLES[table].get("facets", []) if "counted" in f]


def facet_pages(db: sqlite_utils.Database) -> list[str]:
    """Every table with counted facets, unfiltered and filtered by each join-table value."""
    pages = []
    for table in TABLES:
        specs = counted(table)
        if not specs:
            continue
        pages.append(f"/corpus/{table}.json")
        for spec in specs:
            if isinstance(spec, dict):
                values = db.execute(f"select distinct {spec['value']} from {spec['through']}")
                pages += [f"/corpus/{table}.json?{spec['param']}={v}" for (v,) in values]
    return pages


def facets(datasette: Datasette, path: str) -> dict:
    return get(datasette, path).json()["facet_results"]


def facets_and_rows(datasette: Datasette, path: str) -> tuple[dict, int]:
    page = get(datasette, path).json()
    return page["facet_results"], page["filtered_table_rows_count"]


def copy_of(path, directory):
    directory.mkdir()
    shutil.copy(path, directory / "corpus.db")
    return directory / "corpus.db"


def test_precounted_facets_and_row_counts_equal_those_each_page_counts(sample_db_path, monkeypatch):
    precounted = Datasette(
        files=[str(sample_db_path)],
        metadata=METADATA,
        plugins_dir=str(ROOT / "plugins"),
        # On a busy machine a live facet can run past Datasette's 200 ms and come back
        # empty; the comparison is of counts, not of speed.
        settings={"facet_time_limit_ms": 60_000, "sql_time_limit_ms": 60_000},
    )
    pages = facet_pages(sqlite_utils.Database(sample_db_path))
    assert len(pages) > 50
    # A value no row has keeps no rows.
    nowhere = "/corpus/claims.json?_place=atlantis"
    assert facets_and_rows(precounted, nowhere)[1] == 0
    shown = {path: facets_and_rows(precounted, path) for path in [*pages, nowhere]}
    assert (sample_db_path.parent / "corpus.db.facets.json").exists()
    # The same server with no counts to use: every page counts its own rows.
    monkeypatch.setattr(facets_plugin(), "current_counts", no_counts)
    for path in [*pages, nowhere]:
        assert facets_and_rows(precounted, path) == shown[path], path


def facets_plugin():
    """plugins/facets.py as Datasette loaded it (not as an importable module)."""
    return next(p for p in pm.get_plugins() if getattr(p, "__name__", "") == "facets.py")


async def no_counts(datasette, name):
    return None


def test_places_facet_shows_the_most_frequent_places_first(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    results = facets(make_datasette(sample_db_path), "/corpus/claims.json")["places"]["results"]
    expected = db.execute(
        "select place_id, count(*) from claim_places group by 1 order by 2 desc, 1 limit 30"
    ).fetchall()
    assert [(r["value"], r["count"]) for r in results] == expected
    assert results[0]["label"] == db["places"].get(expected[0][0])["name"]


def test_a_counts_file_made_for_the_database_is_read_not_recounted(sample_db_path, tmp_path):
    path = copy_of(sample_db_path, tmp_path / "db")
    get(make_datasette(path), "/corpus/claims.json")
    sidecar = path.with_name("corpus.db.facets.json")
    saved = json.loads(sidecar.read_text())
    saved["tables"]["claims"]["facets"][""]["object"] = [["kite", 7]]
    saved["tables"]["claims"]["rows"]["_place=belgorod-oblast"] = 12345
    saved["tables"]["claims"]["rows"][""] = 54321
    person = next(iter(saved["tables"]["articles"]["rows"].keys() & _person_keys(path)))
    saved["tables"]["articles"]["rows"][person] = 678
    sidecar.write_text(json.dumps(saved))
    datasette = make_datasette(path)
    shown = facets(datasette, "/corpus/claims.json")["object"]["results"]
    assert [(r["value"], r["count"]) for r in shown] == [("kite", 7)]
    # The number of rows of a page filtered by one value is the counted one, not a count(*).
    page = get(datasette, "/corpus/claims.json?_place=belgorod-oblast").json()
    assert page["filtered_table_rows_count"] == 12345
    page = get(datasette, f"/corpus/articles.json?{person}").json()
    assert page["filtered_table_rows_count"] == 678
    assert get(datasette, "/corpus/claims.json").json()["filtered_table_rows_count"] == 54321
    tables = {t["name"]: t["count"] for t in get(datasette, "/corpus.json").json()["tables"]}
    assert tables["claims"] == 54321
    # Two filters are not a counted page: they are counted by the database.
    page = get(datasette, "/corpus/claims.json?_place=belgorod-oblast&object=drone").json()
    assert (
        0
        < page["filtered_table_rows_count"]
        == _count(
            path,
            "select count(*) from claims where object = 'drone' and id in "
            "(select claim_id from claim_places where place_id = 'belgorod-oblast')",
        )
    )
    # A build that commits while serving makes the counts stale: the pages count their own
    # rows while the new build's counts are made, and a new server does not read them.
    build([SAMPLE], path)
    shown = facets(datasette, "/corpus/claims.json")["object"]["results"]
    assert "kite" not in [r["value"] for r in shown]
    page = get(datasette, "/corpus/claims.json?_place=belgorod-oblast").json()
    assert page["filtered_table_rows_count"] != 12345
    page = get(datasette, "/corpus/claims.json").json()
    assert page["filtered_table_rows_count"] == _count(path, "select count(*) from claims")
    shown = facets(make_datasette(path), "/corpus/claims.json")["object"]["results"]
    assert "kite" not in [r["value"] for r in shown]
    assert "kite" not in sidecar.read_text()


def _person_keys(path) -> set[str]:
    db = sqlite_utils.Database(path)
    return {f"_person={v}" for (v,) in db.execute("select distinct person_id from article_persons")}


def _count(path, sql: str) -> int:
    return sqlite_utils.Database(path).execute(sql).fetchone()[0]


def test_a_search_counts_its_own_rows(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    page = get(make_datasette(sample_db_path), "/corpus/articles.json?_search=airport").json()
    places = {r["value"]: r["count"] for r in page["facet_results"]["places"]["results"]}
    expected = db.execute(
        """
        select place_id, count(*) from article_places where article_id in (
          select id from articles where rowid in (
            select rowid from articles_fts where articles_fts match 'airport'))
        group by 1
        """
    ).fetchall()
    assert places == dict(expected) and expected
    assert sum(places.values()) < db.execute("select count(*) from article_places").fetchone()[0]
