"""What a person types in a search box, searched as words.

FTS5 reads `air-raid` as the column filter `air` minus `raid` and fails on `S-300`,
`Gladkov's` or `10:40`. The ranked search passes its text through search_words(), which
makes every whitespace-separated word a quoted phrase: FTS5 then splits it into tokens as
it split the articles, so `air-raid` finds "air-raid" and "air raid", and no input is an
error. The articles table's own search box keeps Datasette's escaping, and its
`_searchmode=raw` the full FTS5 syntax.
"""

from __future__ import annotations

from datasette import hookimpl


def search_words(text: str | None) -> str:
    """TEXT as an FTS5 query in which every word must occur, each as a quoted phrase; ''
    for text with no words."""
    if not text:
        return ""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


@hookimpl
def prepare_connection(conn):
    conn.create_function("search_words", 1, search_words, deterministic=True)
