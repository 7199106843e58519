"""Properties of extract() over arbitrary text and arbitrary mixes of the corpus' phrases:
it never raises, every offset lies inside the body and names what it says, a sentence's
figures read nothing past its end, and its time grows linearly with the text."""

from conftest import SAMPLE, extract_seconds
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpusqa.extract.article import extract
from corpusqa.extract.figures import may_count, sentence_figures
from corpusqa.extract.places import find_places
from corpusqa.extract.text import new_article, sentences
from corpusqa.read import read_sources

PATHOLOGICAL = [
    "A.",
    "Mr.",
    "between 2:00 and 5:00 pm from 23:00 to 04:30",
    "on May 5, 2024 and on 5 May and on the night of May 4-5",
    "five drones were shot down over the Kursk region and",
]


def corpus_phrases() -> list[str]:
    phrases = set(PATHOLOGICAL)
    for doc in read_sources([SAMPLE]):
        for sentence in sentences(doc.body):
            phrases.add(sentence.text)
            phrases.update(part.strip() for part in sentence.text.split(",") if part.strip())
    return sorted(phrases)


PHRASES = corpus_phrases()
SEPARATORS = [" ", ". ", ", ", "\n", "\n\n", " and ", "; ", " — ", "", "\t"]
mixes = st.lists(
    st.tuples(st.sampled_from(PHRASES), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
).map(lambda parts: "".join(p + s for p, s in parts))
published = st.sampled_from([None, "2024-05-06", "2024-01", "2023-12-31"])
PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_offsets(body: str, published_on: str | None) -> None:
    found = extract(body, published_on)
    for mention in [*found.places, *found.persons, *found.organizations]:
        assert 0 <= mention.start < mention.end <= len(body)
        assert body[mention.start : mention.end] == mention.surface
    for claim in found.claims:
        assert 0 <= claim.span_start < claim.span_end <= len(body)
        assert body[claim.span_start : claim.span_end] == claim.sentence
        assert claim.span_start <= claim.quantity_start < claim.quantity_end <= claim.span_end
        for start, end in claim.context:
            assert 0 <= start <= end <= len(body)


@PROPERTIES
@given(st.text(max_size=400), published)
def test_arbitrary_text_never_raises_and_every_offset_names_its_text(body, published_on):
    check_offsets(body, published_on)


@PROPERTIES
@given(mixes, published)
def test_mixes_of_the_corpus_phrases_never_raise_and_every_offset_names_its_text(
    body, published_on
):
    check_offsets(body, published_on)


def first_paragraph_figures(first: str, rest: str) -> tuple[str, str]:
    """The figures of the sentences of FIRST, read once in FIRST + a paragraph break + REST
    and once in FIRST alone, with the same sentences and place mentions: what differs was
    read past a sentence's end."""
    new_article()
    body = f"{first}\n\n{rest}"
    limit = len(first)
    mentions = [m for m in find_places(body) if m.end <= limit and not m.named_only]
    within = [s for s in sentences(body) if s.end <= limit and may_count(s.text)]
    return (
        repr([sentence_figures(s, body, mentions) for s in within]),
        repr([sentence_figures(s, first, mentions) for s in within]),
    )


@PROPERTIES
@given(mixes, mixes)
# A line with no full stop, then a paragraph that opens with "Each" or "Elsewhere".
@example("Downed: three drones", "Each was hit over Kursk.")
@example("Downed: three drones", "Elsewhere, a fire broke out in Bryansk.")
# A rocket system's name, then a headline of capitalised words that holds a hedge.
@example("Air defences destroyed four missiles of the Vampire MLRS", "Kyiv Could Strike Again")
def test_a_sentences_figures_read_nothing_past_its_end(first, rest):
    in_article, alone = first_paragraph_figures(first, rest)
    assert in_article == alone


# Phrases that make no claim. The assembly of an article's claims (extract/reports.py) still
# looks through the article's place mentions once per claim, which grows with claims times
# mentions; the per-article time limit bounds that, and this property pins the rest.
CLAIMLESS = [p for p in PHRASES if not extract(p, "2024-05-06").claims]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CLAIMLESS), min_size=3, max_size=12), st.sampled_from(SEPARATORS))
def test_extraction_time_grows_linearly_with_a_repeated_mix(phrases, separator):
    unit = separator.join(phrases) + separator
    extract(unit, "2024-05-06")
    small = extract_seconds(unit * 20, runs=3)
    large = extract_seconds(unit * 160, runs=2)
    # Eight times the text: about eight times the time when linear, sixty-four times when
    # quadratic; the floor keeps a very quick small run from turning noise into a ratio.
    assert large < 20 * max(small, 0.05), (small, large)


def test_records_with_their_own_init_hold_every_field_as_a_dataclass_would():
    """Sentences and mentions set their fields themselves, for speed (text.py): a field
    added to the class but not to its __init__ would silently read the class default."""
    from dataclasses import fields, replace

    kinds = set()
    for doc in read_sources([SAMPLE]):
        found = extract(doc.body, doc.published, doc.title)
        records = [*sentences(doc.body), *found.places, *found.persons, *found.organizations]
        for record in records:
            kinds.add(type(record).__name__)
            names = [f.name for f in fields(record)]
            assert list(vars(record)) == names, type(record).__name__
            assert replace(record) == record and hash(replace(record)) == hash(record)
    assert kinds == {"Sentence", "PlaceMention", "PersonMention", "OrganizationMention"}
