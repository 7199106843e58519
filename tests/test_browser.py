"""What a person sees, in headless Chromium, against `corpusqa serve` on 127.0.0.1.

Each test saves a screenshot under build/screenshots/ (git-ignored); `make screenshots`
copies the README's from there.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlite_utils
import yaml
from conftest import ROOT, SAMPLE

from corpusqa.build import build

METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text())
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served_db(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("served") / "corpus.db"
    build([SAMPLE], db_path)
    return db_path


@contextmanager
def serving(db_path: Path):
    """`corpusqa serve` over DB_PATH on a free port, yielding its address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "corpusqa.cli", "serve", str(db_path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"corpusqa serve did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(served_db):
    with serving(served_db) as url:
        yield url


@pytest.fixture(scope="module")
def seeds_server(seeds_db_path):
    with serving(seeds_db_path) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make browser` (it installs "
            f"Debian's chromium package) or set CHROMIUM to its path."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_home_page_answers_belgorod_in_two_clicks(page, server, served_db):
    expected = (
        sqlite_utils.Database(served_db)
        .execute(
            "select sum(event_places.quantity) from event_places "
            "join events on events.id = event_id "
            "where place_id = 'belgorod-oblast' and object = 'drone'"
        )
        .fetchone()[0]
    )
    page.goto(server + "/")
    assert "drone attack reports" in page.title()
    shot(page, "home")
    page.get_by_role("link", name="How many drones were claimed destroyed, per region?").click()
    page.wait_for_selector("td.col-region")
    row = page.locator("table.rows-and-columns tr", has_text="Belgorod Oblast")
    assert row.count() == 1
    assert row.locator("td.col-drones").inner_text() == str(expected)
    shot(page, "drones_per_region")


def test_per_region_page_counts_a_retold_event_once(page, seeds_server):
    page.goto(seeds_server + "/corpus/drones_per_region")
    shown = {}
    for row in page.locator("table.rows-and-columns tbody tr").all():
        region = row.locator("td.col-region").inner_text()
        shown[region] = (
            row.locator("td.col-drones").inner_text(),
            row.locator("td.col-drones_all_reports").inner_text(),
        )
    # Kaluga: one event of 93 told by two articles. Smolensk: 13 (told twice) + 1 + 3.
    assert shown["Kaluga Oblast"] == ("93", "186")
    assert shown["Smolensk Oblast"] == ("17", "30")
    assert "drones_all_reports" in page.locator("table.rows-and-columns thead").inner_text()


def test_first_row_of_every_saved_question_links_somewhere_that_answers(page, server, served_db):
    db = sqlite_utils.Database(served_db)
    retold = db.execute("select id from stories where n_articles > 1 limit 1").fetchone()[0]
    person = db.execute("select name from persons order by n_articles desc limit 1").fetchone()[0]
    params = {"place": "Belgorod Oblast", "article": retold, "person": person, "q": "drone"}
    for name, query in METADATA["databases"]["corpus"]["queries"].items():
        given = {p: v for p, v in params.items() if f":{p}" in query["sql"]}
        page.goto(f"{server}/corpus/{name}?{urlencode(given)}")
        first_row = page.locator("table.rows-and-columns tbody tr").first
        links = first_row.locator("a")
        assert links.count() >= 1, name
        for href in links.evaluate_all("links => links.map(a => a.href)"):
            assert page.request.get(href).status == 200, (name, href)


def test_faceted_claims_page_narrows_by_place(page, server):
    page.goto(server + "/corpus/claims")
    facet = page.locator(".facet-info", has_text="places")
    assert facet.count() >= 1
    facet.get_by_role("link", name="Bryansk Oblast").first.click()
    page.wait_for_load_state()
    assert "6 rows" in page.locator("h3").first.inner_text()
    shot(page, "claims_faceted")


def test_canned_query_with_a_parameter(page, server):
    page.goto(server + "/corpus/claims_over_place?place=Crimea")
    assert page.locator("h1").inner_text().startswith("What was claimed over")
    cells = page.locator("table.rows-and-columns td.col-claim")
    assert cells.count() == 3
    shot(page, "claims_over_place")


def test_map_shows_a_marker_per_place(page, server):
    page.goto(server + "/corpus/claims_map")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_timeout(500)
    markers = page.locator(".leaflet-marker-icon, .marker-cluster")
    assert markers.count() >= 5
    shot(page, "map")


def test_dashboard_draws_charts(page, server):
    page.goto(server + "/-/dashboards/claims")
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=15000)
    assert "29" in page.locator("body").inner_text()
    shot(page, "dashboard")


def test_a_dashboard_map_marker_links_to_its_places_claims(page, server):
    page.goto(server + "/-/dashboards/claims")
    marker = page.locator(".leaflet-marker-icon").first
    marker.wait_for(timeout=15000)
    marker.click()
    link = page.locator(".leaflet-popup-content a").first
    link.wait_for(timeout=5000)
    href = link.get_attribute("href")
    assert href.startswith("/corpus/claims_over_place?place=")
    with urllib.request.urlopen(server + href) as answer:
        assert answer.status == 200


def test_article_page_highlights_what_was_extracted(page, server):
    page.goto(server + "/corpus/articles/s02_three_regions_march")
    text = page.locator(".article-text")
    assert text.locator("mark.claim-sentence").count() == 1
    assert "12 drones were destroyed" in text.locator("mark.claim-context").first.inner_text()
    assert text.locator("a.mention-person", has_text="Alexander Bogomaz").count() == 1
    number = text.locator("a.claim-number").first
    assert number.inner_text() == "dozen"
    shot(page, "article")
    number.click()
    page.wait_for_load_state()
    assert "s02_three_regions_march-c1" in page.url


def test_article_page_shows_flags_and_per_place_numbers(page, server):
    page.goto(server + "/corpus/articles/s18_central_mismatch")
    text = page.locator(".article-text")
    flag = text.locator("mark.flag-breakdown_mismatch")
    assert flag.count() == 1 and flag.is_visible()
    assert "7 + 6 + 4 = 17" in page.locator("ul.article-flags").inner_text()
    numbers = text.locator("a.place-number-item")
    assert [numbers.nth(i).inner_text() for i in range(numbers.count())] == ["seven", "six", "four"]
    assert "7 over" in numbers.first.get_attribute("title")
    assert page.locator("details.stored-row").get_attribute("open") is None
    numbers.first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/corpus/claims/s18_central_mismatch-c1")


def test_article_page_reads_at_400_pixels(browser, server):
    context = browser.new_context(viewport={"width": 400, "height": 900})
    narrow = context.new_page()
    narrow.goto(server + "/corpus/articles/s02_three_regions_march")
    labels = (
        narrow.locator("table.article-claims tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    )
    assert labels[:3] == ['"claim: "', '"quantity: "', '"object: "']
    wide = narrow.evaluate("document.documentElement.scrollWidth")
    assert wide <= 400, wide
    shot(narrow, "article_400px")
    context.close()


def test_home_page_search_finds_a_hyphenated_word(page, server):
    page.goto(server + "/")
    page.fill("#search-articles-q", "air-raid")
    page.locator("form.search-articles input[type=submit]").click()
    page.wait_for_load_state()
    assert "/corpus/search?q=air-raid" in page.url
    results = page.locator("table.rows-and-columns tbody tr")
    assert results.count() >= 1
    assert results.first.locator("td.col-passage mark").count() >= 1
    # The saved question hides its SQL.
    assert "articles_fts" not in page.locator("body").inner_text()
    results.first.locator("td.col-article a").click()
    page.wait_for_load_state()
    assert "/corpus/articles/" in page.url
    shot(page, "search")
