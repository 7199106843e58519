import json

import pytest
from conftest import get, make_datasette

from corpusqa.build import build

TEXT = "Five drones were shot down over the Kursk region, the governor said."


@pytest.mark.parametrize("published", ["2024-05-03", "2024-10"])
def test_the_atom_feed_answers_when_articles_have_a_publication_date(tmp_path, published):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": "dated", "text": TEXT, "published": published})
        + "\n"
        + json.dumps({"id": "undated", "text": TEXT.replace("Five", "Six")})
        + "\n"
    )
    db_path = tmp_path / "corpus.db"
    build([rows], db_path)
    feed = get(make_datasette(db_path), "/corpus/newest_events.atom")
    assert feed.status_code == 200, feed.text[:500]
    day = published if len(published) == 10 else f"{published}-01"
    assert f"<updated>{day}T00:00:00+00:00</updated>" in feed.text
    assert feed.text.count("<entry>") >= 1
