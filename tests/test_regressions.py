"""Inputs that once broke a build or gave wrong results, pinned."""

from operator import attrgetter

import pytest
import sqlite_utils

import corpusqa.build
from corpusqa.build import build
from corpusqa.consolidate.events import ClaimRow, group_events
from corpusqa.extract.article import extract
from corpusqa.extract.dates import dates
from corpusqa.extract.persons import find_persons
from corpusqa.extract.text import sentences


def write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


def test_two_claims_in_one_sentence_then_an_undated_claim_do_not_crash(tmp_path):
    corpus = tmp_path / "in"
    write(
        corpus,
        "a.txt",
        "On July 20, 5 drones were destroyed over Kursk. Air defences shot "
        "down 20 drones and two missiles over Belgorod. Three more drones fell over Oryol.",
    )
    result = build([corpus], tmp_path / "corpus.db")
    assert (result.new, result.rejected) == (1, 0)
    assert sqlite_utils.Database(tmp_path / "corpus.db")["claims"].count >= 3


def test_a_failing_extraction_is_a_reject_not_a_crash(tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    write(corpus, "good.txt", "Five drones were shot down over Kursk.")
    write(corpus, "bad.txt", "Six drones were shot down over Oryol.")
    real = corpusqa.build.extract

    def fail_on_oryol(body, published=None, title=None):
        if "Oryol" in body:
            raise ValueError("boom")
        return real(body, published, title)

    monkeypatch.setattr(corpusqa.build, "extract", fail_on_oryol)
    result = build([corpus], tmp_path / "corpus.db")
    assert (result.new, result.rejected) == (1, 1)
    reject = next(iter(sqlite_utils.Database(tmp_path / "corpus.db")["rejects"].rows))
    assert (reject["kind"], reject["article_id"]) == ("extract_error", "bad")
    assert "ValueError: boom" in reject["reason"]


def test_two_cities_of_one_region_add_up(tmp_path):
    claims = extract(
        "The Ministry of Defense said 9 drones were destroyed: four over "
        "Shebekino, three over Graivoron and two over Kursk."
    ).claims
    assert [(p.place_id, p.quantity) for p in claims[0].places] == [
        ("belgorod-oblast", 7),
        ("kursk-oblast", 2),
    ]


def test_person_names_do_not_depend_on_build_order(tmp_path):
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "Governor Ivan Petrov said 5 drones were shot down over Kursk.")
    write(corpus, "b.txt", "Governor Ivan Petrow said 3 drones were shot down over Oryol.")
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    first = [r["id"] for r in sqlite_utils.Database(db_path)["persons"].rows]
    write(corpus, "a.txt", "Governor Ivan Petrov said 6 drones were shot down over Kursk.")
    build([corpus], db_path)
    assert [r["id"] for r in sqlite_utils.Database(db_path)["persons"].rows] == first


def test_a_database_built_by_other_code_is_rebuilt_from_nothing(tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "Five drones were shot down over Kursk.")
    db_path = tmp_path / "corpus.db"
    build([corpus], db_path)
    monkeypatch.setattr(corpusqa.build, "fingerprint", lambda: "other-code")
    result = build([corpus], db_path)
    assert (result.new, result.unchanged) == (1, 0)


def test_a_quoted_first_sentence_is_not_a_title(tmp_path):
    corpus = tmp_path / "in"
    write(
        corpus,
        "a.txt",
        'Governor Vyacheslav Gladkov said: "Five drones were shot down over '
        'Belgorod overnight."\n\nNo one was hurt.\n',
    )
    build([corpus], tmp_path / "corpus.db")
    db = sqlite_utils.Database(tmp_path / "corpus.db")
    assert db["articles"].get("a")["title"] is None
    assert db["claims"].count == 1


def test_a_csv_without_a_header_row_is_rejected_whole(tmp_path):
    table = tmp_path / "rows.csv"
    table.write_text("a1,Five drones over Kursk.\na2,Six drones over Oryol.\n")
    result = build([table], tmp_path / "corpus.db")
    assert (result.new, result.rejected) == (0, 1)
    reject = next(iter(sqlite_utils.Database(tmp_path / "corpus.db")["rejects"].rows))
    assert (reject["kind"], reject["line"]) == ("invalid_csv", 1)


def test_an_undated_report_does_not_chain_two_days_into_one_event():
    def claim(cid, article, quantity, date):
        return ClaimRow(
            cid,
            article,
            quantity,
            "drone",
            date,
            "01:00",
            "03:00",
            None,
            frozenset({"kursk-oblast"}),
        )

    events = group_events(
        [
            claim("a-c1", "a", 5, "07-20"),
            claim("b-c1", "b", 6, None),
            claim("c-c1", "c", 7, "07-21"),
        ],
        # One story: claims of different stories need a day to be one event.
        {"a": "a", "b": "a", "c": "a"},
    )
    assert sorted(len(e.claims) for e in events) == [1, 2]


def _report(article: str, quantity: int, date: str | None, window: str | None = None):
    start, end = window.split("-") if window else (None, None)
    return ClaimRow(
        f"{article}-c1", article, quantity, "drone", date, start, end, None, frozenset({"kursk"})
    )


def _events(claims: list[ClaimRow], story_of: dict[str, str]) -> list[list[str]]:
    return sorted([c.article_id for c in e.claims] for e in group_events(claims, story_of))


def test_reports_of_other_stories_are_one_event_only_with_the_same_day_and_window():
    own_stories = {"a": "a", "b": "b", "c": "c"}
    # A busy region reports several attacks a day: a day alone is not one event.
    assert _events([_report("a", 5, "2024-07-20"), _report("b", 6, "2024-07-20")], {}) == [
        ["a"],
        ["b"],
    ]
    same_window = [
        _report("a", 5, "2024-07-20", "01:00-03:00"),
        _report("b", 6, "07-20", "01:00-03:00"),
        _report("c", 7, None, "01:00-03:00"),
    ]
    assert _events(same_window, own_stories) == [["a", "b"], ["c"]]
    # Retellings of one story need only the day.
    one_story = {"a": "a", "b": "a"}
    assert _events([_report("a", 5, "2024-07-20"), _report("b", 6, "07-20")], one_story) == [
        ["a", "b"]
    ]


def test_the_same_day_of_another_year_is_another_event():
    one_story = {"a": "a", "b": "a", "c": "a"}
    claims = [
        _report("a", 5, "2023-07-20", "01:00-03:00"),
        _report("b", 6, "2025-07-20", "01:00-03:00"),
        # A day without its year joins one of them, and cannot chain the two.
        _report("c", 5, "07-20", "01:00-03:00"),
    ]
    assert _events(claims, one_story) == [["a", "c"], ["b"]]


def test_a_possessive_is_not_part_of_a_name():
    found = find_persons("Ivan Petrov's office said two drones fell. Petrov added nothing.")
    assert {m.name for m in found} == {"Ivan Petrov"}
    assert len(found) == 2


def test_impossible_days_are_not_dates():
    assert dates("on February 31 and on 30 February") == []
    assert [d.resolve() for d in dates("on 29 February")] == ["02-29"]


def test_moving_an_unchanged_row_updates_where_it_comes_from(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"id": "j1", "text": "Five drones were shot down over Kursk."}\n')
    db_path = tmp_path / "corpus.db"
    build([rows], db_path)
    rows.write_text(
        '{"id": "j0", "text": "Nothing."}\n'
        '{"id": "j1", "text": "Five drones were shot down over Kursk."}\n'
    )
    result = build([rows], db_path)
    assert result.unchanged == 1
    assert sqlite_utils.Database(db_path)["articles"].get("j1")["line"] == 2


def test_a_known_officials_surname_alone_is_that_official():
    found = find_persons("The drones flew on while Putin met his security council.")
    assert [(m.surface, m.known) for m in found] == [("Putin", "Vladimir Putin")]


# Each case: a text, the attributes of every person mention, and what they must be.
PERSON_CASES = {
    "a_ship_named_after_a_person_is_no_person": (
        "Sea drones were sunk by the patrol ship The Yegor Lapin. Kyiv claimed a hit on the "
        "Pavel Smirnov corvette. Governor Ivan Petrov said nothing.",
        "name",
        ["Ivan Petrov"],
    ),
    "a_titled_name_cut_short_is_the_official_of_that_title_and_region": (
        "A drone fell in the Novgorod region, Governor Alexander Dron said.",
        ("surface", "known"),
        [("Alexander Dron", "Alexander Dronov")],
    ),
    "a_ukrainian_given_name_finds_a_known_official_by_its_surname": (
        "The region's governor, Glib Nikitin, said five drones were downed.",
        "known",
        ["Gleb Nikitin"],
    ),
    "a_byline_or_a_photo_credit_names_a_person_whatever_the_given_name": (
        "Drones downed over Kursk\n\nby Wren Halloway June 2, 2024 6:10 AM\n"
        "Air defences shot down two drones. (Tamsin Okafor/Some Agency via Getty Images)\n"
        "(Reporting by Reuters; Writing by Priya NandakumarEditing by Olu Bankole)\n"
        "By Associated Press",
        "name",
        ["Wren Halloway", "Tamsin Okafor", "Priya Nandakumar", "Olu Bankole"],
    ),
    "a_byline_of_several_writers_names_each": (
        "By Wren Halloway, Tamsin Okafor and Priya Nandakumar, CNN\n\nText.",
        "name",
        ["Wren Halloway", "Tamsin Okafor", "Priya Nandakumar"],
    ),
    "a_title_with_its_region_before_a_garbled_name_is_that_regions_official": (
        "Governor of Tver Oblast Igor Rudnya said a drone fell near Bologoye.",
        ("surface", "known"),
        [("Igor Rudnya", "Igor Rudenya")],
    ),
    "a_world_leader_named_by_surname_alone_is_known": (
        "The call between President Trump and Putin lasted two hours.",
        "known",
        ["Donald Trump", "Vladimir Putin"],
    ),
    "a_western_given_name_before_a_surname_names_a_person": (
        "The footage was geolocated by Keith Marlowe, an analyst, and Gavin Ostby said so.",
        "name",
        ["Keith Marlowe", "Gavin Ostby"],
    ),
    "an_outlet_credited_in_brackets_at_the_head_of_its_copy_is_no_person": (
        "(Dan Hoa) - The ministry said 12 drones were shot down.\n(Vera Vale) said so too.",
        "name",
        ["Vera Vale"],
    ),
    "a_yo_written_io_in_ukrainian_style_is_the_known_officials_name": (
        "Sergei Aksionov said a drone was downed at sea.",
        ("surface", "known"),
        [("Sergei Aksionov", "Sergei Aksyonov")],
    ),
    "a_photographer_credited_after_an_agency_is_a_person_in_capitals_or_not": (
        "A crater near Kherson. AGENCY/WREN HALLOWAY / POOL\n"
        "Firefighters at work. NEWSWIRE/Tamsin Okafor\nLIBKOS/AP PHOTO; AFP/Getty Images\n",
        ("name", "credit", "role"),
        [
            ("Wren Halloway", True, "named in a byline or photo credit"),
            ("Tamsin Okafor", True, "named in a byline or photo credit"),
        ],
    ),
    "an_officials_surname_before_a_place_noun_names_the_place": (
        "Shelling hit the Kherson and Nikolaev regions and the Voskresensky district; "
        "Putin met Nikolaev.",
        ("surface", "known"),
        [("Putin", "Vladimir Putin"), ("Nikolaev", "Oleg Nikolaev")],
    ),
    "names_common_in_european_and_turkish_news_are_given_names": (
        "Analysts Federico Lanza and Andrej Kovacic spoke; Alperen Demir and Mick Harlow did not.",
        "name",
        ["Federico Lanza", "Andrej Kovacic", "Alperen Demir", "Mick Harlow"],
    ),
    "credits_with_a_label_or_a_bar_name_their_writer_but_an_outlet_is_none": (
        "By The Associated Press\nWren Halloway  | 03.02.2025 - Update\n"
        "A crater. (Image credit: Tamsin Okafor/AP)\n",
        ("name", "credit"),
        [("Wren Halloway", True), ("Tamsin Okafor", True)],
    ),
    "an_author_line_glued_to_its_date_names_the_author": (
        "Drones over Kursk\n\nOksana PetrenkoMonday, 3 March 2025, 08:10\n",
        "name",
        ["Oksana Petrenko"],
    ),
}


@pytest.mark.parametrize("body, fields, expected", PERSON_CASES.values(), ids=PERSON_CASES.keys())
def test_persons_found_in_ways_real_news_writes_them(body, fields, expected):
    read = attrgetter(*fields) if isinstance(fields, tuple) else attrgetter(fields)
    assert [read(m) for m in find_persons(body)] == expected


def test_sentences_glued_by_a_missing_space_are_two_and_abbreviations_stay_whole():
    body = (
        "It said so on Monday.Kyiv denied it. Talks in the U.S.Capitol and St.Petersburg went on."
    )
    assert [s.text for s in sentences(body)] == [
        "It said so on Monday.",
        "Kyiv denied it.",
        "Talks in the U.S.Capitol and St.Petersburg went on.",
    ]


def test_a_letter_the_patterns_read_without_case_is_read_as_that_letter():
    # A long s matches "s" in the case-insensitive verb pattern; looking the verb up by its
    # plain lower case raised a KeyError and lost the whole article.
    text = "Air defences ſhot down five drones over the Kursk region."
    claims = extract(text, "2024-05-06").claims
    assert [(c.quantity, c.action, c.object) for c in claims] == [(5, "shot down", "drone")]


def test_place_guesses_do_not_depend_on_the_hash_seed():
    import subprocess
    import sys

    script = (
        "from corpusqa.extract.places import _lower_names, _respelling\n"
        "words = ['Kaskira', 'Arhcangelsk', 'Sevostopol', 'Briansk', 'Voronej', 'Gorlovka']\n"
        "print([_respelling(w, False) for w in words])\n"
        "print(sorted(_lower_names().items()))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(outputs) == 1


def test_a_wires_dateline_is_a_place_the_article_names_but_no_claim_reads():
    body = (
        "KALUGA, March 3 (Agency) - Four drones were downed overnight, the ministry said.\n"
        "ST. PETERSBURG, March 3 /Agency/. More news.\n"
        "BRYANSK is where it ends, NOT A PLACE, and SOMEWHERE - is no place either."
    )
    x = extract(body, "2025-03-03")
    assert [(p.place_id, p.surface, p.named_only) for p in x.places] == [
        ("kaluga", "KALUGA", True),
        ("saint-petersburg", "ST. PETERSBURG", True),
    ]
    assert [(c.quantity, c.places) for c in x.claims] == [(4, [])]


def test_a_dateline_in_title_case_before_the_agencys_bracket_is_named_only():
    body = (
        "Kaluga, (Agency - Desk - 3rd March, 2025) Four drones were downed overnight.\n"
        "Kursk, Belgorod and Bryansk, (the three regions) reported no damage."
    )
    x = extract(body, "2025-03-03")
    assert [(p.place_id, p.named_only) for p in x.places][:1] == [("kaluga", True)]
    assert [p.place_id for p in x.places if p.named_only] == ["kaluga"]


def test_a_capital_after_a_part_of_it_is_a_place_named():
    body = "Tula lies 180 km south of central Moscow; drones fell over northern Crimea."
    assert {p.place_id for p in extract(body, "2025-03-03").places} >= {"moscow", "crimea"}


def test_a_writer_a_byline_names_is_no_source_of_a_claim():
    body = (
        "Russia claims 70 drones intercepted overnight\n\n"
        "Governor reports fires at a refinery\n\n"
        "Federico Lanza  | 03.02.2025 - Update : 03.02.2025\n"
        "Russia claims 70 drones intercepted overnight\n\n"
        "Air defences destroyed 70 drones overnight, the defence ministry said on Monday.\n\n"
        "The ministry said 40 were shot down over the Rostov region and 30 over Volgograd."
    )
    [claim] = extract(body, "2025-02-03").claims
    assert claim.authority.name == "Russian Ministry of Defense"


def test_a_known_officials_given_name_garbled_before_the_surname_is_still_that_official():
    body = "Debris fell on a barn near the city, according to Governor Vitalli Kim."
    assert [(p.surface, p.known) for p in extract(body, "2025-03-03").persons] == [
        ("Vitalli Kim", "Vitalii Kim")
    ]


def test_a_short_surname_alone_is_no_known_official():
    body = "The North Korean leader Kim Jong Un met the envoy. Kim said nothing of drones."
    assert [p.known for p in extract(body, "2025-03-03").persons if p.known] == ["Kim Jong Un"]
    body = "Kim said nothing of the drones, the envoy reported."
    assert [p.known for p in extract(body, "2025-03-03").persons if p.known] == []


def test_a_surname_alone_is_the_person_the_article_named_in_full():
    body = (
        "The mayor of the port, Andrey Kravchenko, told residents to take shelter. "
        "Kravchenko said two drones had been shot down over the bay."
    )
    persons = extract(body, "2025-03-03").persons
    assert [(p.name, p.known) for p in persons] == [("Andrey Kravchenko", None)] * 2
