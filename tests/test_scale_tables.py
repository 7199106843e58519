"""The indexed join tables, the build-time summaries and the list facets that stand in for
JSON-array facets and per-request aggregates on a large corpus: they must say exactly what
the base tables say."""

import shutil

import sqlite_utils
from conftest import get, make_datasette

from corpusqa import summarise


def query(db: sqlite_utils.Database, sql: str) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(sql).fetchall())


def test_event_places_take_the_smallest_figure_of_each_place(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    assert query(db, "select * from event_places") == query(
        db,
        """
        select claims.event_id, claim_places.place_id, min(claim_places.quantity),
               min(claim_places.quantity), max(claim_places.quantity), count(*)
        from claim_places join claims on claims.id = claim_places.claim_id
        group by 1, 2
        """,
    )
    # The sample has events told by several articles, so the two ways of counting differ.
    retold = db.execute("select count(*) from event_places where n_reports > 1").fetchone()[0]
    assert retold > 0


def test_place_objects_count_events_once_and_all_reports_beside(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    assert query(db, "select * from place_objects") == query(
        db,
        """
        select claim_places.place_id, claims.object, count(distinct claims.event_id),
               (select sum(event_places.quantity) from event_places
                join events on events.id = event_places.event_id
                where event_places.place_id = claim_places.place_id
                  and events.object = claims.object),
               sum(claim_places.quantity), count(*), count(distinct claims.article_id)
        from claim_places join claims on claims.id = claim_places.claim_id
        group by 1, 2
        """,
    )
    smaller = db.execute(
        "select count(*) from place_objects where objects < objects_all_reports"
    ).fetchone()[0]
    assert smaller > 0


def test_period_objects_count_every_event_once_dated_or_not(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    assert db.execute("select sum(events), sum(objects) from period_objects").fetchone() == (
        db.execute("select count(*), sum(quantity) from events").fetchone()
    )
    undated = db.execute("select count(*) from events where date is null").fetchone()[0]
    assert (
        db.execute(
            "select coalesce(sum(events), 0) from period_objects where date = 'date unknown'"
        ).fetchone()[0]
        == undated
    )
    months = {r[0] for r in db.execute("select month from period_objects")}
    assert not any(m.startswith("--") for m in months)


def test_authorities_count_each_event_once_with_the_smallest_figure(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    assert query(db, "select * from authorities") == query(
        db,
        """
        select authority, authority_kind, max(authority_id), count(distinct event_id),
               (select sum(q) from (select min(c.quantity) as q from claims c
                                    where c.authority = claims.authority
                                      and c.authority_kind = claims.authority_kind
                                    group by c.event_id)),
               sum(quantity), count(*), count(distinct article_id)
        from claims where authority is not null group by 1, 2
        """,
    )
    assert db.execute("select count(*) from authorities").fetchone()[0] > 3


def test_article_join_tables_hold_the_name_arrays(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    for table, column, names, array in [
        ("article_places", "place_id", "places", "places"),
        ("article_persons", "person_id", "persons", "persons"),
        ("article_organizations", "organization_id", "organizations", "organizations"),
    ]:
        joined = query(
            db,
            f"select {table}.article_id, {names}.name from {table} "
            f"join {names} on {names}.id = {table}.{column}",
        )
        arrays = query(
            db,
            f"select articles.id, value from articles, json_each(articles.{array})",
        )
        assert joined == arrays, table
        assert joined


def test_places_facet_counts_claims_and_filters_by_index(sample_db_path):
    ds = make_datasette(sample_db_path)
    db = sqlite_utils.Database(sample_db_path)
    facet = get(ds, "/corpus/claims.json?_facet_size=100").json()["facet_results"]["places"]
    counted = {v["value"]: v["count"] for v in facet["results"]}
    assert counted == dict(
        db.execute("select place_id, count(*) from claim_places group by place_id").fetchall()
    )
    belgorod = next(v for v in facet["results"] if v["value"] == "belgorod-oblast")
    assert belgorod["label"] == "Belgorod Oblast"
    assert "_place=belgorod-oblast" in belgorod["toggle_url"]
    chosen = get(ds, "/corpus/claims.json?_place=belgorod-oblast&_shape=array&_size=max").json()
    assert sorted(c["id"] for c in chosen) == [
        r[0]
        for r in db.execute(
            "select claim_id from claim_places where place_id = 'belgorod-oblast' order by 1"
        )
    ]
    # Within the filtered rows the facets count only those rows.
    narrowed = get(ds, "/corpus/claims.json?_place=belgorod-oblast&object=drone").json()
    places = narrowed["facet_results"]["places"]["results"]
    selected = next(v for v in places if v["selected"])
    assert selected["value"] == "belgorod-oblast"
    assert selected["count"] == narrowed["filtered_table_rows_count"]


def test_articles_filter_by_person_through_the_join_table(sample_db_path):
    ds = make_datasette(sample_db_path)
    db = sqlite_utils.Database(sample_db_path)
    person, name = db.execute(
        "select person_id, persons.name from article_persons "
        "join persons on persons.id = person_id group by 1 order by count(*) desc limit 1"
    ).fetchone()
    found = get(ds, f"/corpus/articles.json?_person={person}&_shape=array&_size=max").json()
    assert sorted(a["id"] for a in found) == [
        r[0]
        for r in db.execute(
            "select article_id from article_persons where person_id = ? order by 1", [person]
        )
    ]
    assert len(found) > 1 and all(name in a["persons"] for a in found)


def test_an_updates_recount_of_a_period_reads_only_its_events_and_counts_them(
    sample_db_path, tmp_path
):
    """A recount of period_objects finds the events of each day and object it recounts
    through an index, undated ones too, rather than reading every event, and counts them
    as a full build does."""
    shutil.copy(sample_db_path, tmp_path / "corpus.db")
    db = sqlite_utils.Database(tmp_path / "corpus.db")
    full = query(db, "select * from period_objects")
    assert summarise.DATE_UNKNOWN in {date for date, *_ in full}
    db.execute(
        "create temp table scope_periods (date text, object text, primary key (date, object))"
    )
    db.execute("insert into temp.scope_periods select date, object from period_objects")
    # The statements that delete and recount the keys of temp.scope_periods.
    recount = [
        s
        for s in summarise.statements(scoped=True)
        if "delete from period_objects where true" in s or "insert into period_objects (" in s
    ]
    plan = [row[3] for row in db.execute(f"explain query plan {recount[1]}")]
    assert plan[:2] == [
        "SCAN scoped",
        "SEARCH events USING INDEX idx_events_day_object (<expr>=? AND object=?)",
    ], plan
    for statement in recount:
        db.execute(statement)
    assert query(db, "select * from period_objects") == full
