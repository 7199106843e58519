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


def highlight(body: str, mentions: list[dict], claims: list[dict], datasette) -> Markup:
    """BODY as HTML: claim sentences marked, numbers linked to their claims, mentions
    linked to their entities. Overlapping marks keep the first."""
    inner = []
    for m in mentions:
        if m["entity_id"]:
            url = _row_url(datasette, TABLE_OF[m["kind"]], m["entity_id"])
            inner.append(
                (m["span_start"], m["span_end"], f"mention mention-{m['kind']}", url, m["kind"])
            )
    for c in claims:
        url = _row_url(datasette, "claims", c["id"])
        inner.append(
            (c["quantity_start"], c["quantity_end"], "claim-number", url, f"claim {c['id']}")
        )
    inner.sort()
    kept, last_end = [], -1
    for item in inner:
        if item[0] >= last_end:
            kept.append(item)
            last_end = item[1]
    sentences = sorted({(c["span_start"], c["span_end"]) for c in claims})
    events = sorted(
        [(s, 0, "open") for s, _ in sentences] + [(e, 1, "close") for _, e in sentences]
    )
    parts: list[str] = []
    position = 0
    marks = iter(events)
    pending = next(marks, None)
    for start, end, css, url, title in kept + [(len(body), len(body), None, None, None)]:
        while pending is not None and pending[0] <= start:
            parts.append(str(escape(body[position : pending[0]])))
            position = pending[0]
            parts.append('<mark class="claim-sentence">' if pending[2] == "open" else "</mark>")
            pending = next(marks, None)
        parts.append(str(escape(body[position:start])))
        position = start
        if css is None:
            break
        parts.append(
            f'<a class="{css}" href="{escape(url)}" title="{escape(title)}">'
            f"{escape(body[start:end])}</a>"
        )
        position = end
    while pending is not None:
        parts.append(str(escape(body[position : pending[0]])))
        position = pending[0]
        parts.append('<mark class="claim-sentence">' if pending[2] == "open" else "</mark>")
        pending = next(marks, None)
    parts.append(str(escape(body[position:])))
    return Markup("".join(parts))


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
        return {
            "article_html": highlight(article["body"], mentions, claims, datasette),
            "article_claims": claims,
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
