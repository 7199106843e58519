"""The publication, through Datasette's own test client, configured as `corpusqa serve` does."""

import pytest
import yaml
from conftest import ROOT, get, make_datasette


@pytest.fixture
def datasette(seeds_db_path):
    return make_datasette(seeds_db_path)


def test_articles_json_lists_the_five_seeds(datasette):
    response = get(datasette, "/corpus/articles.json?_shape=array&_col=title")
    assert response.status_code == 200
    assert sorted(row["id"] for row in response.json()) == [
        "000_9d90c5170b0583bd",
        "001_dcd6d4f6ce8d0c56",
        "002_051ec335f6504a1c",
        "003_c08869fd5a1e1dc1",
        "004_43c66da7383f6005",
    ]


def test_search_parameter_uses_the_fts_index(datasette):
    response = get(datasette, "/corpus/articles.json?_search=Kaluga&_shape=array")
    assert sorted(row["id"] for row in response.json()) == [
        "000_9d90c5170b0583bd",
        "001_dcd6d4f6ce8d0c56",
    ]


def test_table_page_has_a_search_box_and_the_descriptions(datasette):
    response = get(datasette, "/corpus/articles")
    assert response.status_code == 200
    assert 'name="_search"' in response.text
    assert "normalised text" in response.text


def test_every_table_and_column_has_a_description(datasette, seeds_db):
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    tables = metadata["databases"]["corpus"]["tables"]
    for name in seeds_db.table_names():
        if "_fts" in name or name.startswith("sqlite_"):
            continue
        assert tables.get(name, {}).get("description"), f"table {name} has no description"
        described = tables[name].get("columns", {})
        for column in seeds_db[name].columns_dict:
            if column != "id":
                assert described.get(column), f"column {name}.{column} has no description"


def test_internal_tables_are_hidden(datasette):
    response = get(datasette, "/corpus.json")
    visible = {t["name"] for t in response.json()["tables"] if not t["hidden"]}
    assert "builds" not in visible
    assert not any("_fts" in name for name in visible)
    assert {"articles", "rejects"} <= visible


def test_table_pages_fold_the_column_descriptions(datasette):
    response = get(datasette, "/corpus/claims")
    assert response.status_code == 200
    assert 'class="column-descriptions"' in response.text
    assert "What the columns mean" in response.text


def test_descriptions_are_plain_text(datasette):
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    # Datasette prints table and column descriptions as text: Markdown would show its marks.
    for name, table in metadata["databases"]["corpus"]["tables"].items():
        texts = [table.get("description", ""), *table.get("columns", {}).values()]
        assert not any("`" in text for text in texts), name


def test_untitled_articles_are_not_labelled_none(datasette):
    for path in ("/corpus/claims", "/corpus/mentions", "/corpus/qa_flags", "/corpus/claim_places"):
        page = get(datasette, path).text
        assert ">None<" not in page, path
        assert 'href="/corpus/articles/000_9d90c5170b0583bd">000_9d90c5170b0583bd<' in page, path
