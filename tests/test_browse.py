"""The publication's questions, exports and article page, through Datasette's test client,
on the seeds."""

import importlib.util
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import sqlite_utils
import yaml
from conftest import ROOT, get, make_datasette

from corpusqa.build import build

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text())
_spec = importlib.util.spec_from_file_location("search_words", ROOT / "plugins" / "search_words.py")
_plugin = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_plugin)
search_words = _plugin.search_words


def rows(datasette, path):
    response = get(datasette, path + ("&" if "?" in path else "?") + "_shape=array")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def ds(seeds_db_path):
    return make_datasette(seeds_db_path)


def test_drones_per_region_counts_each_event_once(ds):
    by_region = {r["region"]: r for r in rows(ds, "/corpus/drones_per_region.json")}
    # 9 (more than 10, Nov 30) + 2 (two each, Jul 10) + 11 (a further 11) + 2 (Oct 8)
    assert by_region["Belgorod Oblast"]["drones"] == 24
    assert by_region["Belgorod Oblast"]["reports"] == 4
    # 13 (one event told by two articles) + 1 + 3; adding up the reports gives 30
    assert by_region["Smolensk Oblast"]["drones"] == 17
    assert by_region["Smolensk Oblast"]["drones_all_reports"] == 30
    assert by_region["Smolensk Oblast"]["events"] == 3
    # One event of 93 told twice
    assert by_region["Kaluga Oblast"]["drones"] == 93
    assert by_region["Kaluga Oblast"]["drones_all_reports"] == 186
    assert by_region["Kaluga Oblast"]["events"] == 1
    assert by_region["Penza Oblast"]["drones"] is None


def test_per_day_counts_each_event_once_and_keeps_the_undated(ds):
    days = {(r["day"], r["object"]): r for r in rows(ds, "/corpus/per_day.json")}
    # July 20: the one event of 93 that two articles tell
    assert (days[("07-20", "drone")]["objects"], days[("07-20", "drone")]["events"]) == (93, 1)
    assert days[("07-20", "drone")]["objects_all_reports"] == 186
    undated = days[("date unknown", "drone")]
    # 13 (told twice) + 1 + 4 + 3, never dropped
    assert (undated["events"], undated["objects"], undated["objects_all_reports"]) == (4, 21, 34)
    listed = [r["day"] for r in rows(ds, "/corpus/per_day.json")]
    assert listed[-1] == "date unknown"
    link = get(ds, "/corpus/per_day").text
    assert 'href="/corpus/events?date=07-20"' in link
    assert 'href="/corpus/events?date__isnull=1"' in link


def test_what_was_claimed_over_a_place(ds):
    found = rows(ds, "/corpus/claims_over_place.json?place=Belgorod+Oblast")
    assert sorted((r["claim"], r["quantity"]) for r in found) == [
        ("002_051ec335f6504a1c-c1", 2),
        ("003_c08869fd5a1e1dc1-c3", 9),
        ("004_43c66da7383f6005-c2", 2),
        ("004_43c66da7383f6005-c3", 11),
    ]
    assert rows(ds, "/corpus/claims_over_place.json?place=kaluga-oblast")[0]["claim_total"] == 93


def test_a_place_is_found_by_any_name_or_code(ds):
    kursk = {
        typed: sorted(r["claim"] for r in rows(ds, f"/corpus/claims_over_place.json?place={typed}"))
        for typed in ("Kursk+Oblast", "Kursk", "Kursk+region", "RU-KRS", "kursk-oblast", "+KURSK+")
    }
    assert kursk["Kursk+Oblast"] == ["002_051ec335f6504a1c-c1", "004_43c66da7383f6005-c2"]
    assert all(found == kursk["Kursk+Oblast"] for found in kursk.values()), kursk
    assert rows(ds, "/corpus/claims_over_place.json?place=Atlantis") == []


def test_timeline_orders_events_by_day_and_keeps_the_undated(ds):
    found = rows(ds, "/corpus/timeline.json")
    dates = [r["date"] for r in found]
    assert dates == ["07-10", "07-10", "07-20", "10-08", "11-30"] + ["date unknown"] * 4
    kaluga = next(r for r in found if r["date"] == "07-20")
    assert (kaluga["quantity"], kaluga["reports"]) == (93, 2)


def test_no_reports_disagree_in_the_seeds(ds):
    assert rows(ds, "/corpus/disagreements.json") == []


def test_who_is_quoted_counts_events_and_reports(ds):
    quoted = {
        r["authority"]: (r["events"], r["objects"], r["reports"], r["objects_all_reports"])
        for r in rows(ds, "/corpus/who_is_quoted.json")
    }
    assert quoted == {
        # 93 (told twice) + 8 + 10
        "Russian Ministry of Defense": (3, 111, 4, 204),
        # 13 (told twice) + 1 + 3
        "Vasily Anokhin": (3, 17, 4, 30),
        "Alexander Drozdenko": (1, 4, 1, 4),
    }


def test_same_story_as(ds):
    same = rows(ds, "/corpus/same_story_as.json?article=000_9d90c5170b0583bd")
    assert [r["article"] for r in same] == ["001_dcd6d4f6ce8d0c56"]
    assert rows(ds, "/corpus/same_story_as.json?article=002_051ec335f6504a1c") == []


def test_about_a_person_by_any_spelling(ds):
    found = rows(ds, "/corpus/about_person.json?person=Anohin")
    mentions = [r for r in found if r["what"] == "mention"]
    claims = [r for r in found if r["what"] == "claim"]
    assert {r["article"] for r in mentions} == {
        "000_9d90c5170b0583bd",
        "001_dcd6d4f6ce8d0c56",
        "002_051ec335f6504a1c",
        "003_c08869fd5a1e1dc1",
        "004_43c66da7383f6005",
    }
    assert {r["as_written"] for r in mentions} >= {"Vasily Anohin", "Anohin", "Anokhin"}
    assert len(claims) == 4


def test_ranked_search_highlights_and_guards_an_empty_query(ds):
    found = rows(ds, "/corpus/search.json?q=Kaluga")
    assert sorted(r["article"] for r in found) == ["000_9d90c5170b0583bd", "001_dcd6d4f6ce8d0c56"]
    assert all("<mark>Kaluga</mark>" in r["passage"] for r in found)
    assert found[0]["rank"] <= found[1]["rank"]
    assert rows(ds, "/corpus/search.json?q=") == []
    page = get(ds, "/corpus/search?q=Kaluga").text
    assert "<mark>Kaluga</mark>" in page


def test_ranked_search_ranks_only_the_10000_matches_loaded_last():
    db = sqlite_utils.Database(memory=True)
    # The 100 articles loaded first match best, and are past the limit.
    db["articles"].insert_all(
        {"id": f"a{n:05}", "title": None, "body": "airport " * (5 if n < 100 else 1) + "x" * n}
        for n in range(10_100)
    )
    db["articles"].enable_fts(["title", "body"])
    db.conn.create_function("search_words", 1, search_words)
    sql = METADATA["databases"]["corpus"]["queries"]["search"]["sql"]
    ranked = [r[0] for r in db.execute(sql, {"q": "airport"})]
    assert len(ranked) == 50 and min(ranked) >= "a00100"
    # A search with fewer matches than the limit ranks every match.
    db.execute("update articles set body = 'a runway' where id >= 'a00100'")
    db.execute("insert into articles_fts(articles_fts) values ('rebuild')")
    # The shortest bodies first: bm25 favours them.
    assert [r[0] for r in db.execute(sql, {"q": "airport"})] == [f"a{n:05}" for n in range(50)]


def test_search_reads_what_a_person_types_as_words(ds):
    # Each of these was an FTS5 syntax error (HTTP 400) when passed to MATCH as typed.
    for typed in ("anti-aircraft", "Anokhin's", "23:30", 'say "hello', "AND", "NEAR(", "*", "-"):
        response = get(ds, "/corpus/search.json?_shape=array&q=" + quote(typed))
        assert response.status_code == 200, (typed, response.text)
    hyphenated = rows(ds, "/corpus/search.json?q=anti-aircraft")
    assert hyphenated and all("<mark>anti-aircraft</mark>" in r["passage"] for r in hyphenated)
    # Every word must occur: "Kaluga drones" finds the two Kaluga articles only.
    both = {r["article"] for r in rows(ds, "/corpus/search.json?q=Kaluga+drones")}
    assert both == {"000_9d90c5170b0583bd", "001_dcd6d4f6ce8d0c56"}


def test_search_words_quotes_every_word_as_a_phrase():
    assert search_words('air-raid S-300 say "hi') == '"air-raid" "S-300" "say" """hi"'
    assert search_words("   ") == ""
    assert search_words(None) == ""


def test_home_page_search_box_runs_the_ranked_search(ds):
    page = get(ds, "/").text
    assert 'action="/corpus/search"' in page
    assert 'action="/-/search"' not in page


def test_about_page_explains_and_its_curl_examples_answer(ds):
    page = get(ds, "/about")
    assert page.status_code == 200
    for term in ("Claim", "Report", "Event", "Story", "Flag", "most conservative figure"):
        assert term in page.text
    assert "fictional" in page.text and "date unknown" in page.text
    assert 'href="/about"' in get(ds, "/").text
    examples = re.findall(r"curl (?:-G )?'http://127\.0\.0\.1:8001([^']+)'", page.text)
    assert len(examples) == 4
    for path in examples:
        response = get(ds, path.replace("&amp;", "&"))
        assert response.status_code == 200, path
        assert response.text.strip() not in ("", "[]"), path


def test_home_page_links_the_questions(ds):
    page = get(ds, "/").text
    assert 'href="/corpus/drones_per_region"' in page
    assert 'href="/-/dashboards/claims"' in page
    assert 'href="/corpus/search"' in page


def test_every_canned_query_answers(ds):
    for name, query in METADATA["databases"]["corpus"]["queries"].items():
        params = "&".join(
            f"{p}=x" for p in ("place", "article", "person", "q") if f":{p}" in query["sql"]
        )
        response = get(ds, f"/corpus/{name}.json?{params}")
        assert response.status_code == 200, (name, response.text)


def test_exports_feed_download_and_search_all(ds):
    csv = get(ds, "/corpus/claims.csv")
    assert csv.status_code == 200 and csv.text.startswith("id,article_id,quantity")
    assert get(ds, "/corpus/drones_per_region.csv").text.startswith("region,place_id,iso_code")
    atom = get(ds, "/corpus/newest_events.atom")
    assert atom.status_code == 200 and "<feed" in atom.text
    # One entry for the event two articles tell, with its figure once.
    assert atom.text.count("93 drones over Kaluga Oblast (2 reports)") == 1
    download = get(ds, "/corpus.db")
    assert download.status_code == 200 and download.content[:15] == b"SQLite format 3"
    search_all = get(ds, "/-/search.json?q=Anokhin")
    assert search_all.status_code == 200
    assert get(ds, "/-/dashboards/claims").status_code == 200


def test_facets_on_claims_and_articles(ds):
    claims = get(ds, "/corpus/claims.json?_facet_size=50").json()
    facets = claims["facet_results"]
    assert {"places", "authority", "object", "qualifier", "month"} <= set(facets)
    belgorod = next(v for v in facets["places"]["results"] if v["label"] == "Belgorod Oblast")
    assert belgorod["count"] == 4
    articles = get(ds, "/corpus/articles.json").json()["facet_results"]
    assert {"story_id", "persons", "places", "organizations"} <= set(articles)


def test_article_page_marks_mentions_and_claims(ds):
    page = get(ds, "/corpus/articles/003_c08869fd5a1e1dc1").text
    assert '<mark class="claim-sentence">' in page
    assert 'href="/corpus/persons/alexander-drozdenko"' in page
    assert 'href="/corpus/places/kirishsky-district"' in page
    assert 'href="/corpus/claims/003_c08869fd5a1e1dc1-c3"' in page
    assert "Claims in this article (3)" in page


def test_nationality_adjectives_are_not_place_mentions(seeds_db):
    bodies = " ".join(r[0] for r in seeds_db.execute("select body from articles"))
    assert "Ukrainian drones" in bodies and "Russian forces" in bodies
    followed = [
        r[0].split()[1].strip(".,")
        for r in seeds_db.execute(
            "select substr(articles.body, span_start + 1, span_end - span_start + 10) "
            "from mentions join articles on articles.id = mentions.article_id "
            "where kind = 'place' and surface in ('Russian', 'Ukrainian')"
        )
    ]
    # Only the demonym that names the country's ground is the country.
    assert set(followed) <= {"territory", "soil", "airspace", "skies"}, followed


def test_claim_page_links_its_article_event_authority_and_places(ds):
    page = get(ds, "/corpus/claims/002_051ec335f6504a1c-c1").text
    assert 'href="/corpus/articles/002_051ec335f6504a1c"' in page
    assert 'href="/corpus/events/e-002_051ec335f6504a1c-c1"' in page
    assert 'href="/corpus/organizations/russian-ministry-of-defense"' in page
    for place in ("Belgorod%20Oblast", "Bryansk%20Oblast", "Kursk%20Oblast"):
        assert f'href="/corpus/claims_over_place?place={place}"' in page


def test_answers_link_regions_authorities_and_ids(ds):
    regions = get(ds, "/corpus/drones_per_region").text
    assert '<a href="/corpus/claims_over_place?place=kaluga-oblast">Kaluga Oblast</a>' in regions
    quoted = get(ds, "/corpus/who_is_quoted").text
    assert '<a href="/corpus/persons/vasily-anokhin">Vasily Anokhin</a>' in quoted
    found = get(ds, "/corpus/search?q=Kaluga").text
    assert 'href="/corpus/articles/000_9d90c5170b0583bd"' in found


def test_map_popups_link_to_the_place_claims(ds):
    points = rows(ds, "/corpus/claims_map.json")
    assert points
    for point in points:
        popup = json.loads(point["popup"])
        assert popup["title"] == point["name"]
        linked = rows(ds, popup["link"].replace("claims_over_place?", "claims_over_place.json?"))
        assert linked, popup["link"]


class _Nesting(HTMLParser):
    """Counts closing tags that do not close the innermost open mark or link."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.crossed = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("mark", "a"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in ("mark", "a") and (not self.open or self.open.pop() != tag):
            self.crossed += 1


def test_article_page_marks_flags_and_per_place_numbers(ds, seeds_db):
    mismatch = get(ds, "/corpus/articles/003_c08869fd5a1e1dc1").text
    assert '<mark class="flag flag-breakdown_mismatch"' in mismatch
    assert "Quality flags (" in mismatch
    breakdown = get(ds, "/corpus/articles/002_051ec335f6504a1c").text
    # 5 over Bryansk, 2 over Belgorod, 1 over Kursk: each number marked where it stands.
    words = {"5 over Bryansk Oblast": "five", "2 over Belgorod Oblast": "two"}
    words["1 over Kursk Oblast"] = "one"
    for number, word in words.items():
        assert (
            '<a class="place-number-item" href="/corpus/claims/002_051ec335f6504a1c-c1" '
            f'title="{number} (claim 002_051ec335f6504a1c-c1)">{word}</a>'
        ) in breakdown
    for (article,) in seeds_db.execute("select id from articles"):
        checker = _Nesting()
        checker.feed(get(ds, f"/corpus/articles/{article}").text)
        assert checker.crossed == 0 and not checker.open, article


def test_article_page_lists_the_same_story_and_folds_the_stored_row(ds):
    page = get(ds, "/corpus/articles/000_9d90c5170b0583bd").text
    assert (
        '<li class="same-story">Same story: <a href="/corpus/articles/001_dcd6d4f6ce8d0c56">'
        in page
    )
    assert '<details class="stored-row">' in page


def test_article_page_lists_articles_that_disagree(sample_db_path):
    page = get(make_datasette(sample_db_path), "/corpus/articles/s16_south_27").text
    assert (
        '<li class="disagreeing">Disagrees: <a href="/corpus/articles/s17_south_29">'
        "s17_south_29</a> reports 29 where this article reports 27"
    ) in page


def test_article_text_is_escaped_everywhere(tmp_path):
    corpus = tmp_path / "evil"
    corpus.mkdir()
    (corpus / "x.txt").write_text(
        "<script>alert('t')</script> Five drones were shot down over the Kursk region, "
        "Governor <b>Alexander Khinshtein</b> said. <img src=x onerror=alert(1)> & more.\n"
    )
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    ds = make_datasette(db_path)
    for path in (
        "/corpus/articles/x",
        "/corpus/articles",
        "/corpus/claims",
        "/corpus/search?q=drones",
        "/corpus/claims/x-c1",
    ):
        page = get(ds, path).text
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page, path
        assert "<b>Alexander" not in page, path
    article = get(ds, "/corpus/articles/x").text
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
