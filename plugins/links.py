"""Every row links onward: ids in the saved questions' answers to their pages, a region to
its claims, an authority to its person or organisation, a list of places to each place's
claims. Values are escaped; only the markup around them is ours."""

from __future__ import annotations

import json
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from corpusqa.summarise import DATE_UNKNOWN

DATABASE = "corpus"
# A saved question's column that holds the id of a row of this table.
ROW_COLUMNS = {"article": "articles", "claim": "claims", "event": "events", "story": "stories"}
# A table's column that points at a row of another table. Datasette 0.65 links foreign keys
# on table pages but not on a row's own page, so a claim's page led nowhere.
ID_COLUMNS = {
    "article_id": "articles",
    "claim_id": "claims",
    "event_id": "events",
    "story_id": "stories",
    "first_article_id": "articles",
    "place_id": "places",
    "detail_place_id": "places",
    "subject_id": "places",
    "parent_id": "places",
    "person_id": "persons",
    "organization_id": "organizations",
}
AUTHORITY_TABLES = {"person": "persons", "organization": "organizations"}
# Tables whose column holds a JSON array of canonical place or person names.
PLACE_LISTS = {("claims", "places"), ("events", "places"), ("articles", "places")}
PERSON_LISTS = {("articles", "persons")}


def _link(url: str, text: object) -> Markup:
    return Markup(f'<a href="{escape(url)}">{escape(str(text))}</a>')


def _id_link(datasette, table: str, value) -> Markup:
    """A link to the row VALUE of TABLE, followed by its label when it has one. On a table
    page Datasette passes an expanded foreign key as {"value", "label"}; a missing label (an
    untitled article) is left out rather than printed as None."""
    label = None
    if isinstance(value, dict):
        value, label = value.get("value"), value.get("label")
    link = _link(datasette.urls.row(DATABASE, table, tilde_encode(str(value))), value)
    if label is None or str(label) == str(value):
        return link
    return link + Markup("&nbsp;<em>") + escape(str(label)) + Markup("</em>")


def _get(row, key: str):
    """ROW's KEY, or None when the row has no such column."""
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def place_claims_url(datasette, place: str) -> str:
    """The claims over PLACE (any of its names or codes)."""
    return datasette.urls.table(DATABASE, "claims_over_place") + "?place=" + quote(place)


def _authority_url(datasette, authority_id: str | None, kind: str | None) -> str | None:
    table = AUTHORITY_TABLES.get(kind or "")
    if not authority_id or not table:
        return None
    return datasette.urls.row(DATABASE, table, tilde_encode(authority_id))


def _name_list(value: str, url_of) -> Markup | None:
    try:
        names = json.loads(value)
    except ValueError:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return Markup(", ").join(_link(url_of(name), name) for name in names)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != DATABASE or value is None or value == "":
        return None
    if table is None:
        return _query_cell(row, value, column, datasette)
    if column in ID_COLUMNS:
        return _id_link(datasette, ID_COLUMNS[column], value)
    if (table, column) in PLACE_LISTS and isinstance(value, str):
        return _name_list(value, lambda name: place_claims_url(datasette, name))
    if (table, column) in PERSON_LISTS and isinstance(value, str):
        about = datasette.urls.table(DATABASE, "about_person") + "?person="
        return _name_list(value, lambda name: about + quote(name))
    if table == "claims" and column == "authority":
        url = _authority_url(datasette, _get(row, "authority_id"), _get(row, "authority_kind"))
        return _link(url, value) if url else None
    if table == "places" and column == "n_claims" and value:
        return _link(
            datasette.urls.table(DATABASE, "claims") + "?_place=" + quote(row["id"]), value
        )
    return None


def _query_cell(row, value, column: str, datasette) -> Markup | None:
    """A cell of a saved question's answer, linked by its column's name."""
    if column in ROW_COLUMNS:
        return _link(
            datasette.urls.row(DATABASE, ROW_COLUMNS[column], tilde_encode(str(value))), value
        )
    if column == "title" and _get(row, "article"):
        return _link(datasette.urls.row(DATABASE, "articles", tilde_encode(row["article"])), value)
    if column == "region" and _get(row, "place_id"):
        return _link(place_claims_url(datasette, row["place_id"]), value)
    if column == "name" and _get(row, "latitude") is not None:
        return _link(place_claims_url(datasette, value), value)
    if column == "places" and isinstance(value, str):
        return _name_list(value, lambda name: place_claims_url(datasette, name))
    if column == "day":
        undated = value == DATE_UNKNOWN
        query = "?date__isnull=1" if undated else "?date=" + quote(str(value))
        return _link(datasette.urls.table(DATABASE, "events") + query, value)
    if column == "authority":
        kind = _get(row, "authority_kind") or _get(row, "kind")
        url = _authority_url(datasette, _get(row, "authority_id"), kind)
        return _link(url, value) if url else None
    return None
