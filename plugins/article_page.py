"""The article page: the body with every mention and claim marked, and its claims listed.

Everything taken from an article is escaped before any markup is added around it: the text
is data, never HTML.
"""

from __future__ import annotations

import json

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

DATABASE = "corpus"
PREVIEW = 300
TABLE_OF = {"person": "persons", "place": "places", "organization": "organizations"}


def _row_url(datasette, table: str, pk: str) -> str:
    return datasette.urls.row(DATABASE, table, tilde_encode(pk))


# Nesting order of the marks: sentences outermost, then flags, then links.
SENTENCE, FLAG, LINK = 0, 1, 2


def highlight(
    body: str,
    mentions: list[dict],
    claims: list[dict],
    datasette,
    flags: list[dict] = (),
    place_numbers: list[dict] = (),
) -> Markup:
    """BODY as HTML: claim sentences and the sentences claims draw on marked, numbers linked
    to their claims, mentions linked to their entities, the spans quality flags point at
    marked with the flag, and each number a breakdown gives a place linked to its claim
    where it stands (or, when the text puts it elsewhere, after the place's name).
    Overlapping links keep the first; a flag that overlaps a sentence
    or a link is closed and reopened around it, so the HTML always nests."""
    links = []
    for m in mentions:
        if m["entity_id"]:
            url = _row_url(datasette, TABLE_OF[m["kind"]], m["entity_id"])
            links.append(
                (m["span_start"], m["span_end"], f"mention mention-{m['kind']}", url, m["kind"])
            )
    for c in claims:
        links.append(
            (
                c["quantity_start"],
                c["quantity_end"],
                "claim-number",
                _row_url(datasette, "claims", c["id"]),
                f"claim {c['id']}",
            )
        )
    # A breakdown's own number ("29 over the Bryansk region") is marked where it stands;
    # a place whose number the text does not write next to it gets it after its name.
    badges = []
    for number in place_numbers:
        if number.get("quantity_start") is None:
            badges.append(number)
            continue
        links.append(
            (
                number["quantity_start"],
                number["quantity_end"],
                "place-number-item",
                _row_url(datasette, "claims", number["claim_id"]),
                f"{number['quantity']} over {number['place']} (claim {number['claim_id']})",
            )
        )
    # Sentences never overlap; a claim's own sentence wins over its use as context.
    marked: dict[tuple[int, int], str] = {}
    for c in claims:
        for start, end in json.loads(c["context"] or "[]"):
            marked.setdefault((start, end), "claim-context")
    for c in claims:
        marked[(c["span_start"], c["span_end"])] = "claim-sentence"
    ranges = [
        (start, end, SENTENCE, f'<mark class="{css}">', "</mark>")
        for (start, end), css in marked.items()
    ]
    last_end = -1
    for start, end, css, url, title in sorted(links):
        if start < last_end:
            continue
        last_end = end
        ranges.append(
            (
                start,
                end,
                LINK,
                f'<a class="{css}" href="{escape(url)}" title="{escape(title)}">',
                "</a>",
            )
        )
    for flag in flags:
        start, end = flag["span_start"], flag["span_end"]
        if start is None or end is None or end <= start:
            continue
        title = escape(f"{flag['kind']}: {flag['detail']}")
        ranges.append(
            (
                start,
                end,
                FLAG,
                f'<mark class="flag flag-{escape(flag["kind"])}" title="{title}">',
                "</mark>",
            )
        )
    inserts: dict[int, list[str]] = {}
    for number in badges:
        url = escape(_row_url(datasette, "claims", number["claim_id"]))
        title = escape(f"{number['quantity']} over {number['place']} (claim {number['claim_id']})")
        inserts.setdefault(number["span_end"], []).append(
            f'<a class="place-number" href="{url}" title="{title}">{number["quantity"]}</a>'
        )
    return Markup(_nest(body, ranges, inserts))


def _nest(body: str, ranges: list[tuple], inserts: dict[int, list[str]]) -> str:
    """BODY, escaped, with every range's tags around its text and INSERTS' HTML at their
    positions. Ranges of a lower level enclose those of a higher; where two cross, the inner
    one is closed and reopened."""
    points = sorted({0, len(body), *inserts, *(r[0] for r in ranges), *(r[1] for r in ranges)})
    starting: dict[int, list[tuple]] = {}
    for r in ranges:
        if r[1] > r[0]:
            starting.setdefault(r[0], []).append(r)
    stack: list[tuple] = []
    parts: list[str] = []
    for i, at in enumerate(points):
        new = starting.get(at, [])
        outermost = min((r[2] for r in new), default=None)
        cut = next(
            (
                k
                for k, r in enumerate(stack)
                if r[1] <= at or (outermost is not None and r[2] > outermost)
            ),
            len(stack),
        )
        popped = stack[cut:]
        del stack[cut:]
        parts.extend(r[4] for r in reversed(popped))
        parts.extend(inserts.get(at, []))
        for r in sorted([r for r in popped if r[1] > at] + new, key=lambda r: (r[2], -r[1])):
            parts.append(r[3])
            stack.append(r)
        if i + 1 < len(points):
            parts.append(str(escape(body[at : points[i + 1]])))
    return "".join(parts)


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or database != DATABASE or table != "articles":
        return {}

    async def article_vars():
        article_id = request.url_vars.get("pks")
        db = datasette.get_database(DATABASE)
        from datasette.utils import tilde_decode

        article_id = tilde_decode(article_id)
        article = (await db.execute("select body from articles where id = ?", [article_id])).first()
        if article is None:
            return {}
        mentions = [
            dict(r)
            for r in await db.execute(
                "select kind, entity_id, span_start, span_end from mentions where article_id = ? "
                "order by span_start",
                [article_id],
            )
        ]
        claims = [
            dict(r)
            for r in await db.execute(
                "select * from claims where article_id = ? order by id", [article_id]
            )
        ]
        for claim in claims:
            claim["url"] = _row_url(datasette, "claims", claim["id"])
            claim["place_names"] = ", ".join(json.loads(claim["places"] or "[]"))
        flags = [
            dict(r)
            for r in await db.execute(
                "select id, kind, severity, detail, claim_id, span_start, span_end "
                "from qa_flags where article_id = ? order by span_start, id",
                [article_id],
            )
        ]
        for flag in flags:
            flag["claim_url"] = flag["claim_id"] and _row_url(datasette, "claims", flag["claim_id"])
        # A claim's only place has the claim's own number, already marked; the others are
        # the parts of a breakdown.
        place_numbers = [
            dict(r)
            for r in await db.execute(
                "select claim_places.claim_id, claim_places.quantity, places.name as place, "
                "claim_places.span_end, claim_places.quantity_start, claim_places.quantity_end "
                "from claim_places "
                "join places on places.id = claim_places.place_id "
                "where claim_places.article_id = ? and claim_places.quantity is not null "
                "and claim_places.basis != 'total' and claim_places.span_end is not null",
                [article_id],
            )
        ]
        same_story = [
            {**dict(r), "url": _row_url(datasette, "articles", r["id"])}
            for r in await db.execute(
                "select other.id, other.title from articles this "
                "join articles other on other.story_id = this.story_id and other.id != this.id "
                "where this.id = ? order by other.id",
                [article_id],
            )
        ]
        disagreeing = [
            {
                **dict(r),
                "url": _row_url(datasette, "articles", r["id"]),
                "event_url": _row_url(datasette, "events", r["event_id"]),
            }
            for r in await db.execute(
                "select distinct other.article_id as id, articles.title, mine.quantity as ours, "
                "other.quantity as theirs, mine.event_id from claims mine "
                "join events on events.id = mine.event_id and events.consistent = 0 "
                "join claims other on other.event_id = mine.event_id "
                "and other.article_id != mine.article_id "
                "join articles on articles.id = other.article_id "
                "where mine.article_id = ? order by other.article_id",
                [article_id],
            )
        ]
        return {
            "article_html": highlight(
                article["body"], mentions, claims, datasette, flags, place_numbers
            ),
            "article_claims": claims,
            "article_flags": flags,
            "same_story": same_story,
            "disagreeing": disagreeing,
        }

    return article_vars


@hookimpl
def render_cell(value, column, table, database):
    if database != DATABASE:
        return None
    if table == "articles" and column == "body" and isinstance(value, str):
        # The full text, highlighted, is on the article page; a table cell gets a preview.
        if len(value) > PREVIEW:
            return escape(value[:PREVIEW].rstrip()) + Markup("&nbsp;…")
        return None
    if table is None and column == "passage" and isinstance(value, str):
        # The search query's snippet() marks matches with <mark>: escape the article text,
        # then let exactly those two tags through.
        return Markup(
            str(escape(value)).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
        )
    return None
