import shutil

import sqlite_utils
from conftest import SAMPLE

from corpusqa.build import build


def story_articles(db_path) -> dict[str, str]:
    db = sqlite_utils.Database(db_path)
    return {r["id"]: r["article_ids"] for r in db.query("select id, article_ids from stories")}


def test_a_storys_articles_are_listed_in_the_same_order_by_incremental_and_full_builds(
    tmp_path,
):
    corpus = tmp_path / "sample"
    shutil.copytree(SAMPLE, corpus)
    incremental = tmp_path / "incremental.db"
    build([corpus], incremental)
    # Re-inserted by the next build, the changed article comes after its story's first.
    first = corpus / "s02_three_regions_march.txt"
    first.write_text(first.read_text() + "\nThe governor gave no further details.\n")
    build([corpus], incremental)
    full = tmp_path / "full.db"
    build([corpus], full)
    stories = story_articles(full)
    assert stories["s02_three_regions_march"] == (
        '["s02_three_regions_march","s15_three_regions_retold"]'
    )
    assert story_articles(incremental) == stories
