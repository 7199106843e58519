"""Allocation limits on every connection Datasette opens, for a server open to the internet.

SQLite's time limit does not bound memory: `select zeroblob(1000000000)` makes a 1 GB value
in a moment, and Datasette then copies and encodes it many times over (a 24 GB process).
So no value a query makes may be longer than VALUE_LIMIT (an article body is at most the
build's --max-bytes, 5 MB by default), SQLite's own heap is capped, and the rows one query
hands to Python may hold at most RESULT_LIMIT bytes of values, which a thousand values under
VALUE_LIMIT could otherwise multiply.
"""

from __future__ import annotations

import sqlite3
import weakref

from datasette import hookimpl

VALUE_LIMIT = 8 * 1024 * 1024
RESULT_LIMIT = 64 * 1024 * 1024
HEAP_LIMIT = 1024 * 1024 * 1024


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, VALUE_LIMIT)
    # Process-wide: what every connection's sorts, caches and values may hold together.
    conn.execute(f"pragma hard_heap_limit = {HEAP_LIMIT}")
    conn.row_factory = _budgeted(conn.row_factory)


def _budgeted(make_row):
    """A row factory that counts the bytes of the values each cursor has fetched and fails
    the query once they pass RESULT_LIMIT (Datasette runs each query on a new cursor)."""
    spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def row_factory(cursor: sqlite3.Cursor, row: tuple):
        size = sum(len(v) for v in row if isinstance(v, str | bytes))
        total = spent.get(cursor, 0) + size
        if total > RESULT_LIMIT:
            raise sqlite3.OperationalError(
                f"the result is over {RESULT_LIMIT // (1024 * 1024)} MB: "
                "ask for fewer rows or shorter values"
            )
        spent[cursor] = total
        return make_row(cursor, row) if make_row is not None else row

    return row_factory
