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
    """BODY as HTML: claim sentences and the sentences claims draw on marked, numbers linked
    to their claims, mentions linked to their entities. Overlapping links keep the first."""
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
    # Sentences never overlap; a claim's own sentence wins over its use as context.
    marked: dict[tuple[int, int], str] = {}
    for c in claims:
        for start, end in json.loads(c["context"] or "[]"):
            marked.setdefault((start, end), "claim-context")
    for c in claims:
        marked[(c["span_start"], c["span_end"])] = "claim-sentence"
    # (position, order, html): at one position links close, then marks close, then marks
    # open, then links open, so that every link nests inside its sentence's mark.
    events = []
    for (start, end), css in marked.items():
        events += [(start, 2, f'<mark class="{css}">'), (end, 1, "</mark>")]
    last_end = -1
    for start, end, css, url, title in sorted(links):
        if start < last_end:
            continue
        last_end = end
        events += [
            (start, 3, f'<a class="{css}" href="{escape(url)}" title="{escape(title)}">'),
            (end, 0, "</a>"),
        ]
    parts: list[str] = []
    position = 0
    for at, _, html in sorted(events):
        parts.append(str(escape(body[position:at])))
        parts.append(html)
        position = at
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
