"""The database schema, and the only module that writes to SQLite."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from . import __version__
from .read import Document, Reject

ARTICLE_COLUMNS = {
    "id": str,
    "title": str,
    "body": str,
    "source_path": str,
    "line": int,
    "sha256": str,
    "word_count": int,
    "published": str,
    "url": str,
    "source": str,
    "ingest_notes": str,
    "build_id": int,
}

# Tables whose rows are derived from one article and go when it changes.
DERIVED_TABLES: tuple[str, ...] = ()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Loader:
    """Writes one build into a database file that nobody else is reading."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite_utils.Database(path)
        # The file is a private copy that replaces the published one only when complete,
        # so crash safety comes from the rename and the journal can be skipped.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.ensure_schema()

    def ensure_schema(self) -> None:
        db = self.db
        db["builds"].create(
            {
                "id": int,
                "started": str,
                "finished": str,
                "corpusqa_version": str,
                "inputs": str,
                "full": int,
                "read": int,
                "new": int,
                "changed": int,
                "unchanged": int,
                "rejected": int,
                "removed": int,
                "seconds": float,
            },
            pk="id",
            if_not_exists=True,
        )
        db["articles"].create(
            ARTICLE_COLUMNS,
            pk="id",
            not_null={"body", "sha256"},
            foreign_keys=[("build_id", "builds", "id")],
            if_not_exists=True,
        )
        if "articles_fts" not in db.table_names():
            db["articles"].enable_fts(["title", "body"], tokenize="porter", create_triggers=True)
        db["rejects"].create(
            {
                "id": int,
                "build_id": int,
                "source_path": str,
                "line": int,
                "article_id": str,
                "kind": str,
                "reason": str,
            },
            pk="id",
            foreign_keys=[("build_id", "builds", "id")],
            if_not_exists=True,
        )
        for table, column in [
            ("articles", "build_id"),
            ("articles", "source"),
            ("articles", "published"),
            ("rejects", "kind"),
        ]:
            db[table].create_index([column], if_not_exists=True)

    def article_hashes(self) -> dict[str, str]:
        """The sha256 of every article already in the database, by id."""
        return {
            row["id"]: row["sha256"] for row in self.db.query("select id, sha256 from articles")
        }

    def start_build(self, inputs: Iterable[str], full: bool) -> int:
        table = self.db["builds"].insert(
            {
                "started": now(),
                "corpusqa_version": __version__,
                "inputs": json.dumps(list(inputs)),
                "full": int(full),
            }
        )
        # A reject belongs to the build that read the input; the previous build's are stale.
        self.db.execute("delete from rejects")
        return table.last_pk

    def write_article(self, doc: Document, word_count: int, build_id: int) -> None:
        """Insert or replace an article, dropping everything derived from its previous text."""
        self.delete_derived([doc.id])
        self.db["articles"].upsert(
            {
                "id": doc.id,
                "title": doc.title,
                "body": doc.body,
                "source_path": doc.source_path,
                "line": doc.line,
                "sha256": doc.sha256,
                "word_count": word_count,
                "published": doc.published,
                "url": doc.url,
                "source": doc.source,
                "ingest_notes": json.dumps(doc.notes) if doc.notes else None,
                "build_id": build_id,
            },
            pk="id",
        )

    def delete_articles(self, ids: list[str]) -> None:
        self.delete_derived(ids)
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"delete from articles where id in ({marks})", chunk)

    def delete_derived(self, ids: list[str]) -> None:
        for table in DERIVED_TABLES:
            if table in self.db.table_names():
                for chunk in _chunks(ids, 500):
                    marks = ",".join("?" * len(chunk))
                    self.db.execute(f"delete from {table} where article_id in ({marks})", chunk)

    def write_reject(self, reject: Reject, build_id: int) -> None:
        self.db["rejects"].insert(
            {
                "build_id": build_id,
                "source_path": reject.source_path,
                "line": reject.line,
                "article_id": reject.article_id,
                "kind": reject.kind,
                "reason": reject.reason,
            }
        )

    def finish_build(self, build_id: int, counts: dict[str, int], seconds: float) -> None:
        self.db["builds"].update(
            build_id, {"finished": now(), "seconds": round(seconds, 3), **counts}
        )
        self.db.conn.commit()
        self.db.execute("ANALYZE")
        self.db.close()


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
