"""The indexed join tables, the build-time summaries and the list facets that stand in for
JSON-array facets and per-request aggregates on a large corpus: they must say exactly what
the base tables say."""

import sqlite_utils
from conftest import get, make_datasette


def query(db: sqlite_utils.Database, sql: str) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(sql).fetchall())


def test_place_objects_sum_the_claims_per_place(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    assert query(db, "select * from place_objects") == query(
        db,
        """
        select claim_places.place_id, claims.object, count(*), sum(claim_places.quantity),
               count(distinct claims.event_id), count(distinct claims.article_id)
        from claim_places join claims on claims.id = claim_places.claim_id
        group by 1, 2
        """,
    )


def test_authorities_count_the_claims_of_each_source(sample_db_path):
    db = sqlite_utils.Database(sample_db_path)
    assert query(db, "select name, kind, claims, articles, objects_claimed from authorities") == (
        query(
            db,
            """
            select authority, authority_kind, count(*), count(distinct article_id), sum(quantity)
            from claims where authority is not null group by 1, 2
            """,
        )
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
