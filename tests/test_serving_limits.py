from urllib.parse import quote

from conftest import get, make_datasette

# Just above the plugin's limits: enough to show a limit holds, small enough that without it
# the test only allocates some tens of megabytes (the 1,000,000,000 would take the
# machine's memory).
OVER_VALUE_LIMIT = 8 * 1024 * 1024 + 1


def query(datasette, sql: str):
    return get(datasette, f"/corpus.json?sql={quote(sql)}")


def test_a_query_that_makes_a_huge_value_is_refused_and_the_server_answers_the_next(
    sample_db_path,
):
    datasette = make_datasette(sample_db_path)
    response = query(datasette, f"select zeroblob({OVER_VALUE_LIMIT})")
    assert response.status_code == 400
    assert "too big" in response.text
    for sql in ("select randomblob(9000000)", "select replace(hex(zeroblob(4500000)), '0', 'x')"):
        assert query(datasette, sql).status_code == 400
    after = query(datasette, "select count(*) as n from articles")
    assert after.status_code == 200
    assert after.json()["rows"] == [[24]]


def test_many_values_under_the_limit_cannot_add_up_to_a_huge_result(sample_db_path):
    datasette = make_datasette(sample_db_path)
    response = query(
        datasette,
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 20) "
        "select zeroblob(4000000) from n",
    )
    assert response.status_code == 400
    assert "fewer rows" in response.text


def test_the_longest_article_and_a_full_page_of_articles_are_still_served(sample_db_path):
    datasette = make_datasette(sample_db_path)
    longest = query(datasette, "select id, body from articles order by length(body) desc")
    assert longest.status_code == 200
    assert len(longest.json()["rows"]) == 24
    page = get(datasette, "/corpus/articles.json?_size=max")
    assert page.status_code == 200
