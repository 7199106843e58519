"""The database schema, and the only module that writes to SQLite."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import groupby, islice, pairwise
from pathlib import Path

import sqlite_utils

from . import __version__, summarise
from .consolidate.events import ClaimRow, Event
from .consolidate.flags import Flag, PersonFlags, VariantMention
from .extract.article import Extraction
from .extract.organizations import OrganizationMention
from .gazetteer import lookup_names, organizations, place_names, places, subject_of
from .read import Document, Reject
from .resolve import Person, Spelling, slug, surname

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
    "persons": str,
    "places": str,
    "organizations": str,
    "story_id": str,
}

# Articles gathered before their rows are written: one insert per table per batch.
BATCH = 500
FLAG_COLUMNS = (
    "article_id",
    "claim_id",
    "kind",
    "severity",
    "detail",
    "span_start",
    "span_end",
    "scope",
)
# The tables one article's rows go to, in the order flush inserts them (foreign keys
# first), each with the columns of the tuples article_rows makes for it.
ARTICLE_TABLES: dict[str, tuple[str, ...]] = {
    "articles": (
        "id",
        "title",
        "body",
        "source_path",
        "line",
        "sha256",
        "word_count",
        "published",
        "url",
        "source",
        "ingest_notes",
        "build_id",
    ),
    "mentions": (
        "article_id",
        "kind",
        "entity_id",
        "surface",
        "span_start",
        "span_end",
        "name",
        "known",
        "role",
    ),
    "claims": (
        "id",
        "article_id",
        "quantity",
        "qualifier",
        "incremental",
        "object",
        "action",
        "date",
        "date_precision",
        "date_basis",
        "time_start",
        "time_end",
        "night",
        "authority",
        "authority_kind",
        "authority_id",
        "authority_start",
        "authority_end",
        "casualties",
        "damage",
        "sentence",
        "span_start",
        "span_end",
        "quantity_start",
        "quantity_end",
        "distributive",
        "cumulative",
        "breakdown_readings",
        "time_parts",
        "context",
        "places",
        "month",
    ),
    "claim_places": (
        "claim_id",
        "place_id",
        "quantity",
        "basis",
        "detail_place_id",
        "span_start",
        "span_end",
        "quantity_start",
        "quantity_end",
        "article_id",
    ),
    "article_signatures": ("article_id", "minhash"),
    "article_files": ("article_id", "size", "mtime_ns", "ctime_ns"),
    "qa_flags": FLAG_COLUMNS,
}
# One article's rows: a list of tuples per table of ARTICLE_TABLES, in its order.
ArticleRows = tuple[list[tuple], ...]
EVENT_COLUMNS = (
    "id",
    "object",
    "quantity",
    "quantity_min",
    "quantity_max",
    "places",
    "date",
    "time_start",
    "time_end",
    "authority",
    "n_claims",
    "n_articles",
    "consistent",
    "figures",
)
# Every index the publication needs: the faceted and joined columns, each with the step
# of a full build after which it is made in the new file (see Loader.index): "loaded",
# once the articles' rows are in; "persons", once mentions and claims name their persons;
# "entities", once the tables that join articles to entities are filled; "stories", once
# the articles' stories are set; "consolidated", once everything is written. An index
# made before the rows it covers are written is kept up to date row by row, which costs
# several times making it over them at once.
INDEXES: list[tuple[str, tuple[str, ...], str]] = [
    ("articles", ("build_id",), "loaded"),
    # Covering what an update reads of the articles it may skip: those of a file, without
    # their bodies (see Loader.article_hashes).
    ("articles", ("source_path", "line", "id", "sha256"), "loaded"),
    ("articles", ("source",), "loaded"),
    ("articles", ("published",), "loaded"),
    ("rejects", ("kind",), "loaded"),
    # A person's mentions of some spellings (see Loader.variant_mentions).
    ("mentions", ("kind", "entity_id", "surface", "article_id"), "persons"),
    # Covering a person's first articles with some spellings, read in article order (see
    # Loader.articles_with), and the about_person query's mentions.
    ("mentions", ("kind", "entity_id", "article_id", "surface"), "persons"),
    ("claims", ("article_id",), "loaded"),
    ("claims", ("authority_id", "article_id"), "consolidated"),
    # Covering the recounts of authorities' totals (see summarise.statements): read from
    # the index, not the claims' rows.
    (
        "claims",
        ("authority", "authority_kind", "event_id", "quantity", "article_id", "authority_id"),
        "consolidated",
    ),
    # Covering the claims a recount of place_objects joins to its claim_places.
    ("claims", ("id", "object", "event_id", "article_id", "quantity"), "consolidated"),
    ("claims", ("object",), "loaded"),
    ("claims", ("qualifier",), "loaded"),
    ("claims", ("date",), "loaded"),
    ("claims", ("month",), "loaded"),
    ("claims", ("action",), "loaded"),
    ("claim_places", ("place_id", "claim_id"), "loaded"),
    ("claim_places", ("article_id",), "loaded"),
    ("claim_places", ("detail_place_id",), "loaded"),
    ("places", ("kind",), "loaded"),
    ("places", ("parent_id",), "loaded"),
    ("places", ("subject_id",), "loaded"),
    ("articles", ("story_id",), "stories"),
    ("claims", ("event_id",), "consolidated"),
    ("qa_flags", ("kind",), "consolidated"),
    ("qa_flags", ("severity",), "consolidated"),
    ("qa_flags", ("article_id",), "consolidated"),
    ("qa_flags", ("claim_id",), "consolidated"),
    ("events", ("consistent",), "consolidated"),
    ("events", ("date",), "consolidated"),
    ("events", ("authority",), "consolidated"),
    ("events", ("n_articles",), "consolidated"),
    ("stories", ("n_articles",), "consolidated"),
    ("mentions", ("article_id", "kind", "span_start"), "loaded"),
    ("article_places", ("place_id", "article_id"), "entities"),
    ("article_persons", ("person_id", "article_id"), "entities"),
    ("article_organizations", ("organization_id", "article_id"), "entities"),
    ("place_objects", ("object",), "consolidated"),
    ("authorities", ("claims",), "consolidated"),
    ("event_places", ("place_id", "event_id"), "consolidated"),
    ("events", ("published",), "consolidated"),
    ("period_objects", ("month", "object"), "consolidated"),
    # What an update looks up to recompute only what its articles touch.
    # Covering: an update reads the stories' first articles filed under a key (see
    # heads_under) from the index alone.
    ("story_keys", ("key", "head", "article_id"), "consolidated"),
    # Covering: an update finds the claims of an event bucket from the index alone.
    ("event_keys", ("key", "claim_id"), "consolidated"),
    ("event_keys", ("article_id",), "consolidated"),
    ("person_keys", ("surname",), "consolidated"),
    ("person_keys", ("article_id",), "consolidated"),
]
JOIN_TABLES = [
    ("article_places", "place_id", "places"),
    ("article_persons", "person_id", "persons"),
    ("article_organizations", "organization_id", "organizations"),
]

# Bytes of WAL file kept after a checkpoint (see Loader).
WAL_SIZE_LIMIT = 64 * 2**20

# Tables whose rows are derived from one article and go when it changes.
DERIVED_TABLES: tuple[str, ...] = (
    "claim_places",
    "claims",
    "mentions",
    "qa_flags",
    "article_signatures",
    "article_files",
    "story_keys",
    "event_keys",
    "person_keys",
)


def recorded_row_files(path: Path) -> dict[str, tuple[tuple[int, int, int], int]]:
    """What the database at PATH records of the JSONL and CSV files a build may skip (see
    Loader.row_files), read without writing; empty when there is no such database."""
    if not path.is_file():
        return {}
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as conn:
            return _row_files(conn)
    except sqlite3.Error:
        return {}


def _row_files(conn: sqlite3.Connection) -> dict[str, tuple[tuple[int, int, int], int]]:
    return {
        path: ((size, mtime_ns, ctime_ns), n_articles)
        for path, size, mtime_ns, ctime_ns, n_articles in conn.execute(
            "select source_path, size, mtime_ns, ctime_ns, n_articles from row_files"
        )
    }


def previous_fingerprint(path: Path) -> str | None:
    """The fingerprint of the code and data that last built PATH, or None if unknown."""
    try:
        db = sqlite_utils.Database(path)
        row = db.execute(
            "select fingerprint from builds where finished is not null order by id desc limit 1"
        ).fetchone()
        db.close()
    except Exception:  # an old or foreign database: treat as unknown
        return None
    return row[0] if row else None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class _OneTransaction(sqlite3.Connection):
    """A connection whose writes all belong to the one transaction the loader began: the
    commits sqlite-utils makes after each insert or delete, and the rollback of a `with`
    block that fails, leave it open. The loader alone ends it (Loader.finish_build commits,
    Loader.abandon rolls back)."""

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def __exit__(self, *exc_info: object) -> bool:
        return False

    def executescript(self, script: str) -> sqlite3.Cursor:
        # sqlite3's executescript commits first; statement by statement, nothing does.
        cursor, statement = self.cursor(), ""
        for part in script.split(";"):
            statement += part + ";"
            # A trigger's body holds semicolons of its own.
            if sqlite3.complete_statement(statement):
                if statement.strip(" \t\n;"):
                    cursor.execute(statement)
                statement = ""
        return cursor


class Loader:
    """Writes one build into a database file.

    A new file (`bulk`) is private to its build until build.py publishes it, so it is
    written without a journal. An existing database is written where it is, in WAL mode and
    in one transaction that finish_build commits: readers see the previous build until that
    commit and the new one after, and a build that fails, is interrupted or is killed leaves
    the database as it was (SQLite ignores WAL frames no commit ended)."""

    def __init__(self, path: Path, bulk: bool = False) -> None:
        self.bulk = bulk
        self.finished = False
        if bulk:
            self.db = sqlite_utils.Database(path)
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
        else:
            connection = sqlite3.connect(path, factory=_OneTransaction, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            # The build's one commit is durable once finish_build returns.
            connection.execute("PRAGMA synchronous = FULL")
            # A server's readers keep the WAL file from being removed; once checkpointed it is
            # cut back to this size instead of keeping the size of the largest build.
            connection.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
            connection.execute("BEGIN IMMEDIATE")
            self.db = sqlite_utils.Database(connection)
        # The rows of the articles not yet written, a list per table of ARTICLE_TABLES.
        self._pending: list[list[tuple]] = [[] for _ in ARTICLE_TABLES]
        # Whether the full-text index exists yet: a bulk load creates it once its articles
        # are in (see index), and flush() keeps it up to date from then on.
        self._fts = False
        # The stored articles that the pending ones replace.
        self._replacing: list[str] = []
        # The articles this build wrote or deleted, and what their old rows pointed at:
        # what an update's consolidation starts from.
        self.touched: set[str] = set()
        self.dropped = Dropped()
        self.ensure_schema()
        if not bulk:
            self.index()

    def index(self, step: str | None = None) -> None:
        """Create the indexes of STEP (see INDEXES), or when None every index, where
        missing, and the full-text index with those of "loaded". A bulk load into a new file
        calls this once its rows of each step are written: indexing written rows in one
        pass costs a fraction of keeping every index up to date row by row. In a database
        that has them all, this changes nothing."""
        self.flush()
        db = self.db
        for table, columns, made_after in INDEXES:
            if step is None or made_after == step:
                db[table].create_index(list(columns), if_not_exists=True)
        if step is None:
            # The timeline lists full dates, then month-day ones, then undated events; with
            # this index it streams its first page instead of sorting every event.
            db.execute(
                "create index if not exists idx_events_timeline "
                "on events (date is null, length(date) desc, date, time_start)"
            )
            # An update's recount of period_objects finds the events of a day and object by
            # the day as the table's key spells it (see summarise.statements);
            # idx_events_date cannot serve coalesce(date, ...).
            db.execute(
                "create index if not exists idx_events_day_object "
                f"on events (coalesce(date, '{summarise.DATE_UNKNOWN}'), object)"
            )
        if step not in (None, "loaded"):
            return
        if "articles_fts" not in db.table_names():
            db["articles"].enable_fts(["title", "body"], tokenize="porter", create_triggers=True)
            # The build updates other columns of every article (names, story); only a new
            # title or body needs the index rewritten.
            db.execute("drop trigger articles_au")
            db.execute("""
                create trigger articles_au after update of title, body on articles begin
                  insert into articles_fts (articles_fts, rowid, title, body)
                    values ('delete', old.rowid, old.title, old.body);
                  insert into articles_fts (rowid, title, body)
                    values (new.rowid, new.title, new.body);
                end
            """)
        # FTS5 writes its pending terms out as a new segment at every savepoint, and a
        # trigger runs in one per row: with an insert trigger each new article cost a
        # segment and its merges (1.2 s for 200 articles into 20,000). flush() indexes each
        # batch of new articles in one statement instead.
        db.execute("drop trigger if exists articles_ai")
        self._fts = True

    def ensure_schema(self) -> None:
        db = self.db
        # Created before the tables whose columns point at them: adding a foreign key to
        # an existing table rebuilds it, which would drop its full-text triggers.
        db["stories"].create(
            {
                "id": str,
                "title": str,
                "n_articles": int,
                "first_article_id": str,
                "article_ids": str,
                "n_claims": int,
                "n_events": int,
            },
            pk="id",
            if_not_exists=True,
        )
        db["events"].create(
            {
                "id": str,
                "object": str,
                "quantity": int,
                "quantity_min": int,
                "quantity_max": int,
                "places": str,
                "date": str,
                "time_start": str,
                "time_end": str,
                "authority": str,
                "n_claims": int,
                "n_articles": int,
                "consistent": int,
                "figures": str,
                "quantity_all_reports": int,
                "published": str,
            },
            pk="id",
            if_not_exists=True,
        )
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
                "fingerprint": str,
                "stages": str,
            },
            pk="id",
            if_not_exists=True,
        )
        db["articles"].create(
            ARTICLE_COLUMNS,
            pk="id",
            # Every article comes from a file: an update lists the stored articles by it
            # (see article_hashes).
            not_null={"body", "sha256", "source_path"},
            foreign_keys=[("build_id", "builds", "id"), ("story_id", "stories", "id")],
            if_not_exists=True,
        )
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
        # The JSONL and CSV files read whole with no row rejected, as they were then, and
        # how many articles they held: a build skips one that still has that size, mtime
        # and ctime.
        db["row_files"].create(
            {"source_path": str, "size": int, "mtime_ns": int, "ctime_ns": int, "n_articles": int},
            pk="source_path",
            if_not_exists=True,
        )
        self._entity_schema()

    def _entity_schema(self) -> None:
        db = self.db
        db["places"].create(
            {
                "id": str,
                "name": str,
                "kind": str,
                "iso_code": str,
                "parent_id": str,
                "subject_id": str,
                "latitude": float,
                "longitude": float,
                "variants": str,
                "n_articles": int,
                "n_claims": int,
            },
            pk="id",
            if_not_exists=True,
        )
        db["place_names"].create(
            {"name": str, "place_id": str},
            pk="name",
            foreign_keys=[("place_id", "places", "id")],
            if_not_exists=True,
        )
        db["organizations"].create(
            {"id": str, "name": str, "kind": str, "variants": str, "n_articles": int},
            pk="id",
            if_not_exists=True,
        )
        db["persons"].create(
            {"id": str, "name": str, "role": str, "variants": str, "n_articles": int},
            pk="id",
            if_not_exists=True,
        )
        # One row per article and entity: faceting and filtering articles by place, person
        # or organisation through these uses an index, where a JSON-array facet scans.
        for table, column, target in JOIN_TABLES:
            db[table].create(
                {"article_id": str, column: str},
                pk=("article_id", column),
                foreign_keys=[("article_id", "articles", "id"), (column, target, "id")],
                if_not_exists=True,
            )
        db["mentions"].create(
            {
                "id": int,
                "article_id": str,
                "kind": str,
                "entity_id": str,
                "surface": str,
                "span_start": int,
                "span_end": int,
                "name": str,
                "known": str,
                "role": str,
            },
            pk="id",
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        db["claims"].create(
            {
                "id": str,
                "article_id": str,
                "quantity": int,
                "qualifier": str,
                "incremental": int,
                "object": str,
                "action": str,
                "date": str,
                "date_precision": str,
                "date_basis": str,
                "time_start": str,
                "time_end": str,
                "night": int,
                "authority": str,
                "authority_kind": str,
                "authority_id": str,
                "authority_start": int,
                "authority_end": int,
                "casualties": str,
                "damage": str,
                "sentence": str,
                "span_start": int,
                "span_end": int,
                "quantity_start": int,
                "quantity_end": int,
                "distributive": int,
                "cumulative": int,
                "breakdown_readings": str,
                "time_parts": str,
                "context": str,
                "places": str,
                "month": str,
                "event_id": str,
            },
            pk="id",
            foreign_keys=[("article_id", "articles", "id"), ("event_id", "events", "id")],
            if_not_exists=True,
        )
        db["claim_places"].create(
            {
                "claim_id": str,
                "place_id": str,
                "quantity": int,
                "basis": str,
                "detail_place_id": str,
                "span_start": int,
                "span_end": int,
                "quantity_start": int,
                "quantity_end": int,
                "article_id": str,
            },
            pk=("claim_id", "place_id"),
            foreign_keys=[
                ("claim_id", "claims", "id"),
                ("place_id", "places", "id"),
                ("detail_place_id", "places", "id"),
                ("article_id", "articles", "id"),
            ],
            if_not_exists=True,
        )

        self._consolidation_schema()

    def _consolidation_schema(self) -> None:
        db = self.db
        db["qa_flags"].create(
            {
                "id": int,
                "article_id": str,
                "claim_id": str,
                "kind": str,
                "severity": str,
                "detail": str,
                "span_start": int,
                "span_end": int,
                "scope": str,
            },
            pk="id",
            foreign_keys=[("article_id", "articles", "id"), ("claim_id", "claims", "id")],
            if_not_exists=True,
        )
        for table, (columns, pk, foreign_keys) in summarise.TABLES.items():
            db[table].create(columns, pk=pk, foreign_keys=foreign_keys, if_not_exists=True)
        db["article_signatures"].create(
            {"article_id": str, "minhash": bytes},
            pk="article_id",
            if_not_exists=True,
        )
        db["article_files"].create(
            {"article_id": str, "size": int, "mtime_ns": int, "ctime_ns": int},
            pk="article_id",
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        # The keys each article is filed under for stories, each claim for events and each
        # person mention for resolution (see consolidate.stories.story_keys,
        # consolidate.events.event_keys, resolve.surname).
        # head: 1 when the article begins its story, the only articles of a key a later
        # article is compared with.
        db["story_keys"].create(
            {"article_id": str, "key": int, "head": int},
            pk=("article_id", "key"),
            if_not_exists=True,
        )
        db["event_keys"].create(
            {"claim_id": str, "key": int, "article_id": str},
            pk=("claim_id", "key"),
            if_not_exists=True,
        )
        db["person_keys"].create(
            {"mention_id": int, "article_id": str, "surname": str},
            pk="mention_id",
            if_not_exists=True,
        )
        # The person mentions of each surname key counted by name, gazetteer name ('' for
        # none), role ('' for none) and surface, with the person they resolved to: what
        # resolution reads, so that an update resolves a common surname without reading
        # its mentions (see resolve.resolve_persons).
        db["person_spellings"].create(
            {
                "surname": str,
                "name": str,
                "known": str,
                "role": str,
                "surface": str,
                "mentions": int,
                "person_id": str,
            },
            pk=("surname", "name", "known", "role", "surface"),
            if_not_exists=True,
        )

    def article_hashes(self, skip: Iterable[str] = ()) -> dict[str, tuple[str, str, int | None]]:
        """(sha256, source_path, line) of every article already in the database, by id, but
        for those of the files SKIP (stored paths)."""
        # Read through the covering index on source_path, a range between two skipped files
        # at a time: neither the articles of those files nor their bodies are read.
        bounds: list[str | None] = [None, *sorted(set(skip)), None]
        rows = {}
        for low, high in pairwise(bounds):
            where = " and ".join(
                clause
                for clause, bound in (("source_path > ?", low), ("source_path < ?", high))
                if bound is not None
            )
            rows.update(
                (article_id, (sha256, source_path, line))
                for article_id, sha256, source_path, line in self.db.execute(
                    f"select id, sha256, source_path, line from articles where {where or 1}",
                    [b for b in (low, high) if b is not None],
                )
            )
        return rows

    def article_hash(self, article_id: str) -> tuple[str, str, int | None] | None:
        """(sha256, source_path, line) of the stored article ARTICLE_ID, or None."""
        return self.db.execute(
            "select sha256, source_path, line from articles where id = ?", [article_id]
        ).fetchone()

    def move_article(self, article_id: str, source_path: str, line: int | None) -> None:
        """Record that an unchanged article now comes from another file or line."""
        self.db["articles"].update(article_id, {"source_path": source_path, "line": line})

    def file_stats(self) -> dict[str, tuple[int, int, int]]:
        """(size, mtime_ns, ctime_ns) of the .txt file each article was last read from, by
        article id, for the articles whose file may be trusted by its stat."""
        return {
            article_id: (size, mtime_ns, ctime_ns)
            for article_id, size, mtime_ns, ctime_ns in self.db.execute(
                "select article_id, size, mtime_ns, ctime_ns from article_files"
            )
        }

    def set_file_stat(self, article_id: str, file_stat: tuple[int, int, int] | None) -> None:
        """Record the (size, mtime_ns, ctime_ns) an unchanged article's file has now; None
        forgets it, so that the file is read next time."""
        self.db.execute("delete from article_files where article_id = ?", [article_id])
        if file_stat is not None:
            self._insert(
                "article_files", ARTICLE_TABLES["article_files"], [(article_id, *file_stat)]
            )

    def row_files(self) -> dict[str, tuple[tuple[int, int, int], int]]:
        """Each JSONL or CSV file a build may skip, by path: its (size, mtime_ns, ctime_ns)
        and the number of articles recorded for it (see set_row_files)."""
        return _row_files(self.db.conn)

    def set_row_files(self, row_files: dict[str, tuple[tuple[int, int, int], int]]) -> None:
        """Replace the JSONL and CSV files a later build may skip with ROW_FILES: the
        (size, mtime_ns, ctime_ns) of each and how many articles it holds, by path."""
        self.db.execute("delete from row_files")
        self.db.conn.executemany(
            "insert into row_files (source_path, size, mtime_ns, ctime_ns, n_articles) "
            "values (?, ?, ?, ?, ?)",
            [(path, *file_stat, n) for path, (file_stat, n) in row_files.items()],
        )

    def start_build(self, inputs: Iterable[str], full: bool, fingerprint: str = "") -> int:
        table = self.db["builds"].insert(
            {
                "started": now(),
                "corpusqa_version": __version__,
                "inputs": json.dumps(list(inputs)),
                "full": int(full),
                "fingerprint": fingerprint,
            }
        )
        # A reject belongs to the build that read the input; the previous build's are stale.
        self.db.execute("delete from rejects")
        return table.last_pk

    def write_article(self, article_id: str, rows: ArticleRows, replacing: bool = False) -> None:
        """Insert the article ARTICLE_ID's ROWS (see article_rows); when `replacing`, its
        previous text and everything derived from it are deleted first (when its batch is
        written)."""
        if replacing:
            self._replacing.append(article_id)
        self.touched.add(article_id)
        for pending, table_rows in zip(self._pending, rows, strict=True):
            pending.extend(table_rows)
        if len(self._pending[0]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the rows gathered so far, a batch per table, in an order that satisfies the
        foreign keys, once the articles they replace are deleted."""
        # Deleted a batch at a time: some twenty statements each, whatever their number.
        replacing, self._replacing = self._replacing, []
        self.delete_articles(replacing)
        pending, self._pending = self._pending, [[] for _ in ARTICLE_TABLES]
        for (table, columns), rows in zip(ARTICLE_TABLES.items(), pending, strict=True):
            if rows:
                self._insert(table, columns, rows)
        if self._fts and pending[0]:
            self._index_text([row[0] for row in pending[0]])

    def _index_text(self, ids: list[str]) -> None:
        """Add the title and body of the stored articles IDS to the full-text index."""
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self.db.execute(
                "insert into articles_fts (rowid, title, body) "
                f"select rowid, title, body from articles where id in ({marks})",
                chunk,
            )

    def _insert(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        """Insert ROWS, tuples of plain values for COLUMNS, with one executemany:
        sqlite-utils' insert_all inspects every value, which costs more than the insert."""
        names = ", ".join(f"[{c}]" for c in columns)
        marks = ", ".join("?" * len(columns))
        with self.db.conn:
            self.db.conn.executemany(f"insert into [{table}] ({names}) values ({marks})", rows)

    def _insert_all(
        self, table: str, columns: tuple[str, ...], rows: Iterable[tuple], batch: int = 10_000
    ) -> None:
        """`_insert` over a stream of ROWS, BATCH at a time, so that memory does not grow
        with the corpus."""
        rows = iter(rows)
        while chunk := list(islice(rows, batch)):
            self._insert(table, columns, chunk)

    def person_spellings(self, surnames: set[str] | None = None) -> list[Spelling]:
        """The counted spellings of the person mentions filed under SURNAMES (every one
        when None), for resolution."""
        self.flush()
        where = ""
        if surnames is not None:
            self._scope("scope_surnames", ("surname",), ((s,) for s in surnames))
            where = "where surname in (select surname from temp.scope_surnames)"
        return [
            Spelling(name, known or None, role or None, surface, mentions)
            for name, known, role, surface, mentions in self.db.execute(
                f"select name, known, role, surface, mentions from person_spellings {where}"
            )
        ]

    def key_person_mentions(self, list_new: bool = True) -> set[str]:
        """File every person mention not yet filed under its surname key and count it in
        person_spellings; return the keys. With LIST_NEW (an update's resolution reads them),
        list the mentions in temp.new_mentions too."""
        self.flush()
        rows = []
        counts: Counter[tuple[str, str, str, str, str]] = Counter()
        for mention_id, article_id, name, known, role, surface in self.db.execute(
            "select id, article_id, name, known, role, surface from mentions "
            "where kind = 'person' and id not in (select mention_id from person_keys)"
        ):
            key = surname(known or name)
            rows.append((mention_id, article_id, key))
            counts[(key, name, known or "", role or "", surface)] += 1
        with self.db.conn:
            self.db.conn.executemany("insert into person_keys values (?, ?, ?)", rows)
            self.db.conn.executemany(
                "insert into person_spellings values (?, ?, ?, ?, ?, ?, null) "
                "on conflict do update set mentions = mentions + excluded.mentions",
                [(*spelling, n) for spelling, n in counts.items()],
            )
        if list_new:
            self._scope("new_mentions", ("id integer",), ((m,) for m, _, _ in rows))
        return {key for _, _, key in rows}

    def write_gazetteer(self) -> None:
        """Replace places, place names and organisations with the gazetteer's (a build that
        updates a database built with other gazetteers is a full one; see build.fingerprint)."""
        db = self.db
        db["places"].delete_where()
        db["places"].insert_all(
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "iso_code": p.iso_code,
                "parent_id": p.parent_id,
                "subject_id": subject_of(p.id),
                "latitude": p.latitude,
                "longitude": p.longitude,
                "variants": json.dumps(list(p.variants), ensure_ascii=False),
            }
            for p in places().values()
        )
        db["place_names"].delete_where()
        db["place_names"].insert_all(
            {"name": name, "place_id": place_id} for name, place_id in lookup_names().items()
        )
        db["organizations"].delete_where()
        db["organizations"].insert_all(
            {
                "id": slug(o.name),
                "name": o.name,
                "kind": o.kind,
                "variants": json.dumps(list(o.variants), ensure_ascii=False),
            }
            for o in organizations()
        )

    def write_persons(self, persons: list[Person], surnames: set[str] | None = None) -> set[str]:
        """Replace the persons of the mentions filed under SURNAMES (every person when None)
        with PERSONS, and the columns that name them: the mentions' person and the claims'
        person authority. An update sets the person of its new mentions and of those whose
        name now resolves to another person, and no other. Returns the claims whose
        authority changed."""
        db = self.db
        scoped = surnames is not None
        self._scope("person_of", ("name", "known", "person_id"), _person_of(persons))
        in_scope = "and article_id in (select id from temp.scope_articles)" if scoped else ""
        if scoped:
            old = {
                (name, known): person
                for name, known, person in db.execute(
                    "select distinct name, known, person_id from person_spellings "
                    "where person_id is not null "
                    "and surname in (select surname from temp.scope_surnames)"
                )
            }
            # The persons whose rows are replaced: write_article_entities counts them again.
            old_persons = set(old.values()) | self.dropped.persons.keys()
            self._scope("scope_persons", ("id",), ((i,) for i in old_persons | _ids(persons)))
            new = {(name, known): person for name, known, person in _person_of(persons)}
            moved = [names for names, person in old.items() if new.get(names) != person]
            self._scope("scope_mentions", ("id integer",), self._remapped(moved))
            # What names a person changes only in the articles where a mention now is
            # another person's, or where a person whose name changed is mentioned.
            old_names = dict(
                db.execute(
                    "select id, name from persons where id in (select id from temp.scope_persons)"
                ).fetchall()
            )
            renamed = [(p.id,) for p in persons if old_names.get(p.id, p.name) != p.name]
            self._scope("renamed", ("id",), renamed)
            self._scope(
                "scope_articles",
                ("id",),
                db.execute("""
                    select article_id from mentions
                    where id in (select id from temp.scope_mentions)
                    union
                    select article_id from mentions where kind = 'person'
                    and entity_id in (select id from temp.renamed)
                """).fetchall(),
            )
            db.execute("delete from persons where id in (select id from temp.scope_persons)")
            self._note_lost(
                "select entity_id, min(article_id) from mentions "
                "where id in (select id from temp.scope_mentions) and entity_id is not null "
                "group by entity_id"
            )
        else:
            self._scope("scope_articles", ("id",), [])
            db["persons"].delete_where()
        db["persons"].insert_all(
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "variants": json.dumps(p.variants, ensure_ascii=False),
            }
            for p in persons
        )
        # datasette-search-all searches every table with a full-text index.
        for table, columns in [
            ("persons", ["name", "role", "variants"]),
            ("places", ["name", "variants"]),
            ("organizations", ["name", "variants"]),
        ]:
            if f"{table}_fts" not in db.table_names():
                db[table].enable_fts(columns, create_triggers=True)
        db.execute(
            "update mentions set entity_id = (select person_id from temp.person_of "
            "where person_of.name = mentions.name "
            "and person_of.known = coalesce(mentions.known, '')) where kind = 'person' "
            + ("and id in (select id from temp.scope_mentions)" if scoped else "")
        )
        self.index("persons")
        db.execute(
            "update person_spellings set person_id = (select person_id from temp.person_of "
            "where person_of.name = person_spellings.name "
            "and person_of.known = person_spellings.known) "
            + ("where surname in (select surname from temp.scope_surnames)" if scoped else "")
        )
        authority = "select id, authority, article_id from claims where authority_kind = 'person' "
        before = (
            {claim: name for claim, name, _ in db.execute(authority + in_scope)} if scoped else {}
        )
        db.execute(f"""
            update claims set authority_id = (
                                  select entity_id from mentions
                                  where mentions.article_id = claims.article_id
                                    and mentions.kind = 'person'
                                    and mentions.span_start = claims.authority_start),
                              authority = (
                                  select persons.name from mentions
                                  join persons on persons.id = mentions.entity_id
                                  where mentions.article_id = claims.article_id
                                    and mentions.kind = 'person'
                                    and mentions.span_start = claims.authority_start)
            where authority_kind = 'person' {in_scope}
        """)
        if not scoped:
            return set()
        after = db.execute(authority + in_scope).fetchall()
        changed = {claim for claim, name, _ in after if before.get(claim) != name}
        # A stored claim given another authority has both recounted: the one it leaves and
        # the one it joins (see summarise._authority_differences). The claims of the
        # articles this build wrote are added by difference.
        self.dropped.authorities.update(
            (name, "person")
            for claim, now, article in after
            if claim in changed and article not in self.touched
            for name in (before.get(claim), now)
            if name is not None
        )
        return changed

    def _remapped(self, names: list[tuple[str, str]]) -> Iterator[tuple[int]]:
        """The person mentions whose person is set again: those new to this build
        (temp.new_mentions), and those of the surnames in temp.scope_surnames whose (name,
        gazetteer name or '') is one of NAMES."""
        yield from self.db.execute("select id from temp.new_mentions")
        if not names:
            return
        self._scope("moved_names", ("name", "known"), names)
        yield from self.db.execute("""
            select mentions.id from person_keys
            join mentions on mentions.id = person_keys.mention_id
            join temp.moved_names on moved_names.name = mentions.name
                and moved_names.known = coalesce(mentions.known, '')
            where person_keys.surname in (select surname from temp.scope_surnames)
        """)

    def write_article_entities(self, scoped: bool = False) -> None:
        """The articles' arrays of names, the tables that join articles to places, persons
        and organisations, and the entities' counts of articles and claims: for every
        article when not SCOPED, else for the articles this build wrote and those that
        mention a person `write_persons` replaced, and the entities they and the deleted
        articles name."""
        db = self.db
        if scoped:
            touched = [(a,) for a in self.touched]
            db.conn.executemany("insert or ignore into temp.scope_articles values (?)", touched)
            self._scope("scope_touched", ("id",), touched)
            mentioned = (
                "select distinct {} from mentions {} where mentions.kind = '{}' "
                "and mentions.article_id in (select id from temp.scope_touched)"
            )
            self._scope(
                "scope_places",
                ("id",),
                db.execute(
                    mentioned.format(
                        "places.subject_id",
                        "join places on places.id = mentions.entity_id",
                        "place",
                    )
                ).fetchall()
                + [(p,) for p in self.dropped.places],
            )
            self._scope(
                "scope_organizations",
                ("id",),
                db.execute(mentioned.format("entity_id", "", "organization")).fetchall()
                + [(o,) for o in self.dropped.organizations],
            )
            self._scope(
                "scope_claim_places",
                ("id",),
                db.execute(
                    "select distinct place_id from claim_places "
                    "where article_id in (select id from temp.scope_touched)"
                ).fetchall()
                + [(p,) for p, _ in self.dropped.place_objects],
            )

        def only(column: str, scope: str) -> str:
            return f"and {column} in (select id from temp.{scope})" if scoped else ""

        # Each summary is one grouped pass over mentions into a temporary table, then one
        # keyed update sets all three: a correlated subquery per row would rescan mentions
        # per row, and an update per column would rewrite every article, body and all,
        # three times.
        columns = []
        for kind, column, name, join in [
            (
                "person",
                "persons",
                "persons.name",
                "join persons on persons.id = mentions.entity_id",
            ),
            (
                "place",
                "places",
                "subject.name",
                "join places on places.id = mentions.entity_id "
                "join places subject on subject.id = places.subject_id",
            ),
            (
                "organization",
                "organizations",
                "organizations.name",
                "join organizations on organizations.id = mentions.entity_id",
            ),
        ]:
            db.execute(f"drop table if exists temp.{column}_of")
            db.execute(f"""
                create temp table {column}_of as
                select article_id, json_group_array(name) as names from (
                    select distinct mentions.article_id, {name} as name from mentions {join}
                    where mentions.kind = '{kind}' {only("mentions.article_id", "scope_articles")}
                    order by mentions.article_id, name)
                group by article_id
            """)
            db.execute(f"create unique index temp.{column}_of_article on {column}_of(article_id)")
            columns.append(
                f"{column} = coalesce((select names from temp.{column}_of "
                f"where {column}_of.article_id = articles.id), '[]')"
            )
        db.execute(f"""
            update articles set {", ".join(columns)}
            where true {only("id", "scope_articles")}
        """)
        for table, column, select in [
            (
                "article_places",
                "place_id",
                "select distinct mentions.article_id, places.subject_id from mentions "
                "join places on places.id = mentions.entity_id where mentions.kind = 'place'",
            ),
            (
                "article_persons",
                "person_id",
                "select distinct article_id, entity_id from mentions "
                "where kind = 'person' and entity_id is not null",
            ),
            (
                "article_organizations",
                "organization_id",
                "select distinct article_id, entity_id from mentions where kind = 'organization'",
            ),
        ]:
            db.execute(f"delete from {table} where true {only('article_id', 'scope_articles')}")
            db.execute(
                f"insert into {table} (article_id, {column}) {select} "
                f"{only('mentions.article_id', 'scope_articles')}"
            )
        self.index("entities")
        # Counted in the join tables' indexes: one article is one row there.
        for table, join, column, scope in [
            ("persons", "article_persons", "person_id", "scope_persons"),
            ("organizations", "article_organizations", "organization_id", "scope_organizations"),
            ("places", "article_places", "place_id", "scope_places"),
        ]:
            db.execute(f"""
                update {table} set n_articles = (
                    select count(*) from {join} where {join}.{column} = {table}.id)
                where true {only("id", scope)}
            """)
        db.execute(
            "update places set n_claims = (select count(*) from claim_places "
            "where claim_places.place_id = places.id) "
            f"where true {only('id', 'scope_claim_places')}"
        )

    def _scope(self, name: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        """Fill the temporary table NAME with ROWS (duplicates once): the keys an update's
        statements are restricted to. COLUMNS are text unless they name their type: a
        key compared with a column of another type would not be found through its index."""
        declared = ", ".join(c if " " in c else f"{c} text" for c in columns)
        names = ", ".join(c.split()[0] for c in columns)
        self.db.execute(
            f"create temp table if not exists {name} ({declared}, primary key ({names}))"
        )
        self.db.execute(f"delete from temp.{name}")
        marks = ", ".join("?" * len(columns))
        self.db.conn.executemany(f"insert or ignore into temp.{name} values ({marks})", rows)

    def delete_articles(self, ids: list[str]) -> None:
        """Delete the stored articles IDS and everything derived from them. Rows waiting in
        a batch are not touched: when flush calls this, the pending rows of IDS are their
        replacements, written afterwards."""
        self.delete_derived(ids)
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"delete from articles where id in ({marks})", chunk)

    def delete_derived(self, ids: list[str]) -> None:
        """Delete what was derived from the articles IDS, first noting in `dropped` what it
        pointed at."""
        self.touched.update(ids)
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self._note_dropped(chunk, marks)
            for table in DERIVED_TABLES:
                self.db.execute(f"delete from {table} where article_id in ({marks})", chunk)

    def _note_dropped(self, ids: list[str], marks: str) -> None:
        db, dropped = self.db, self.dropped
        # The deleted person mentions are counted out of their spellings.
        db.execute(
            f"""
            update person_spellings set mentions = mentions - gone.n
            from (select person_keys.surname, mentions.name,
                         coalesce(mentions.known, '') as known,
                         coalesce(mentions.role, '') as role, mentions.surface, count(*) as n
                  from person_keys join mentions on mentions.id = person_keys.mention_id
                  where person_keys.article_id in ({marks})
                  group by 1, 2, 3, 4, 5) as gone
            where person_spellings.surname = gone.surname
              and person_spellings.name = gone.name and person_spellings.known = gone.known
              and person_spellings.role = gone.role and person_spellings.surface = gone.surface
            """,
            ids,
        )
        db.execute(
            "delete from person_spellings where mentions <= 0 and surname in "
            f"(select surname from person_keys where article_id in ({marks}))",
            ids,
        )
        self._note_lost(
            "select entity_id, min(article_id) from mentions where kind = 'person' "
            f"and entity_id is not null and article_id in ({marks}) group by entity_id",
            ids,
        )
        for into, select in [
            (dropped.surnames, "select distinct surname from person_keys where article_id"),
            (
                dropped.places,
                "select distinct places.subject_id from mentions join places "
                "on places.id = mentions.entity_id where mentions.kind = 'place' "
                "and mentions.article_id",
            ),
            (
                dropped.organizations,
                "select distinct entity_id from mentions where kind = 'organization' "
                "and article_id",
            ),
            (
                dropped.stories,
                "select distinct story_id from articles where story_id is not null and id",
            ),
            (
                dropped.events,
                "select distinct event_id from claims where event_id is not null and article_id",
            ),
        ]:
            into.update(value for (value,) in db.execute(f"{select} in ({marks})", ids))
        dropped.place_objects.update(
            db.execute(
                "select distinct claim_places.place_id, claims.object from claim_places "
                "join claims on claims.id = claim_places.claim_id "
                f"where claims.article_id in ({marks})",
                ids,
            ).fetchall()
        )
        dropped.authorities.update(
            db.execute(
                "select distinct authority, authority_kind from claims "
                f"where authority is not null and article_id in ({marks})",
                ids,
            ).fetchall()
        )

    def _note_lost(self, select: str, values: Iterable[str] = ()) -> None:
        """Note in dropped.persons the (person, first article) pairs SELECT reads: mentions
        about to be deleted or given another person."""
        lost = self.dropped.persons
        for person, article_id in self.db.execute(select, list(values)):
            lost[person] = min(article_id, lost.get(person, article_id))

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

    def claim_rows(self) -> list[ClaimRow]:
        """Every stored claim, with its places and per-place numbers. Equal values are one
        object: a million claims repeat a few thousand articles' ids, places, dates and
        names, and holding each copy would take gigabytes."""
        self.flush()
        shared: dict = {}
        return [_claim_row(r, shared) for r in self.db.execute(_CLAIMS.format(where="true"))]

    def person_authorities(self) -> dict[str, str]:
        """The authority of every claim attributed to a person, by claim id, as write_persons
        named it (a claim whose person was not found has none)."""
        names: dict[str, str] = {}
        return {
            claim: names.setdefault(name, name)
            for claim, name in self.db.execute(
                "select id, authority from claims "
                "where authority_kind = 'person' and authority is not null"
            )
        }

    def signatures(self) -> Iterator[tuple[str, bytes | None]]:
        """(article id, MinHash or None) of every article."""
        self.flush()
        yield from self.db.execute("select article_id, minhash from article_signatures")

    # Reads of the stored corpus for an update (consolidate.stories.StoryIndex and
    # consolidate.events.EventIndex), each by a list of keys, a chunk at a time.

    def _by(self, select: str, values: Iterable, extra: tuple = ()) -> Iterator[tuple]:
        values = list(values)
        for chunk in _chunks(values, 500):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(select.format(marks=marks), [*chunk, *extra])

    def story_claims(self, ids: Iterable[str]) -> dict[str, list[ClaimRow]]:
        """The claims of each of the articles IDS that has any."""
        found: dict[str, list[ClaimRow]] = defaultdict(list)
        for claim, _ in self.event_claims("articles", ids):
            found[claim.article_id].append(claim)
        return found

    def minhashes(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The MinHash of each of the articles IDS that has one."""
        return dict(
            self._by(
                "select article_id, minhash from article_signatures "
                "where minhash is not null and article_id in ({marks})",
                ids,
            )
        )

    def heads_under(self, keys: Iterable[int], before: str) -> list[tuple[int, str]]:
        """(key, article id) of every article filed under one of the story KEYS whose id
        sorts before BEFORE and that is marked in story_keys as beginning its story: the one
        article of each story a later article is compared with, read from one index without
        the stories' other articles. The mark is the one stored before this update: for an
        article restory has already looked at it may be out of date, and a new or changed
        article is not filed yet: restory takes those from its own assignment."""
        return list(
            self._by(
                "select key, article_id from story_keys "
                "where key in ({marks}) and head = 1 and article_id < ?",
                keys,
                (before,),
            )
        )

    def filed_after(self, keys: Iterable[int], after: str) -> list[tuple[int, str]]:
        """(key, article id) of every article filed under one of the story KEYS whose id
        sorts after AFTER."""
        return list(
            self._by(
                # head in (0, 1): every article, as a range of the index on
                # (key, head, article_id) rather than a scan of the key's entries.
                "select key, article_id from story_keys "
                "where key in ({marks}) and head in (0, 1) and article_id > ?",
                keys,
                (after,),
            )
        )

    def stories(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The stored story of each of the articles IDS."""
        return dict(self._by("select id, story_id from articles where id in ({marks})", ids))

    def members(self, heads: Iterable[str]) -> list[str]:
        """The articles whose stored story is one of HEADS."""
        return [
            a for (a,) in self._by("select id from articles where story_id in ({marks})", heads)
        ]

    def present(self, ids: Iterable[str]) -> set[str]:
        """Those of the articles IDS that are stored."""
        return {a for (a,) in self._by("select id from articles where id in ({marks})", ids)}

    def event_claims(self, where: str, values: Iterable) -> list[tuple[ClaimRow, str | None]]:
        """(claim, its stored event) of every claim whose id, article, story, event key or
        stored event (WHERE: "claims", "articles", "stories", "keys", "events") is one of
        VALUES."""
        condition = {
            "claims": "claims.id in ({marks})",
            "articles": "claims.article_id in ({marks})",
            "stories": "claims.article_id in (select id from articles where story_id in ({marks}))",
            "keys": "claims.id in (select claim_id from event_keys where key in ({marks}))",
            "events": "claims.event_id in ({marks})",
        }[where]
        shared: dict = {}
        return [
            (_claim_row(row, shared), row[9])
            for row in self._by(_CLAIMS.format(where=condition), values)
        ]

    def write_story_keys(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """File articles under story keys: (article id, key, 1 if the article begins its
        story else 0) rows."""
        with self.db.conn:
            self.db.conn.executemany(
                "insert or ignore into story_keys (article_id, key, head) values (?, ?, ?)", rows
            )

    def write_event_keys(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """File claims under event keys: (claim id, key, article id) rows."""
        with self.db.conn:
            self.db.conn.executemany("insert or ignore into event_keys values (?, ?, ?)", rows)

    def person_surfaces(self, scoped: bool = False) -> list[tuple[str, str, list[str]]]:
        """Every person (when SCOPED, those write_persons replaced) with its canonical name
        and the distinct spellings of its mentions, read from the counted spellings."""
        only = "and persons.id in (select id from temp.scope_persons)" if scoped else ""
        rows = self.db.execute(f"""
            select distinct persons.id, persons.name, person_spellings.surface
            from person_spellings join persons on persons.id = person_spellings.person_id
            where true {only}
            order by persons.id, person_spellings.surface
        """).fetchall()
        return [
            (person, name, [surface for _, _, surface in spelt])
            for (person, name), spelt in groupby(rows, key=lambda row: row[:2])
        ]

    def variant_mentions(
        self, person: str, surfaces: list[str], scoped: bool = False
    ) -> Iterator[VariantMention]:
        """The mentions of PERSON spelt as one of SURFACES (when SCOPED, only those in the
        articles of temp.scope_articles), in article and span order."""
        marks = ",".join("?" * len(surfaces))
        among = "and article_id in (select id from temp.scope_articles)" if scoped else ""
        for row in self.db.execute(
            "select article_id, surface, span_start, span_end from mentions "
            f"where kind = 'person' and entity_id = ? and surface in ({marks}) {among} "
            "order by article_id, span_start",
            [person, *surfaces],
        ):
            yield VariantMention._make(row)

    def first_scope_articles(self) -> dict[str, str]:
        """The first, by id, of the articles whose person mentions this update wrote,
        deleted or gave another person or name (temp.scope_articles, once
        write_article_entities has run) that concern each person: that mention it now, or
        where it lost a mention (see Dropped)."""
        first = dict(self.dropped.persons)
        for person, article_id in self.db.execute("""
            select entity_id, min(article_id) from mentions
            where kind = 'person' and entity_id is not null
              and article_id in (select id from temp.scope_articles)
            group by entity_id
        """):
            first[person] = min(article_id, first.get(person, article_id))
        return first

    def articles_with(self, person: str, spellings: list[list[str]], first: int) -> list[str]:
        """The FIRST articles, by id, that have, for each list of SPELLINGS, a mention of
        PERSON spelt as one of them. Read from the index of mentions by person and article
        in article order, without the mentions' rows, and only up to the FIRST: a common
        name's articles are not all listed."""
        if not spellings or not all(spellings):
            return []
        every = sorted({surface for surfaces in spellings for surface in surfaces})
        having = " and ".join(
            f"max(surface in ({','.join('?' * len(surfaces))}))" for surfaces in spellings
        )
        return [
            a
            for (a,) in self.db.execute(
                "select article_id from mentions "
                "where kind = 'person' and entity_id = ? "
                f"and surface in ({','.join('?' * len(every))}) "
                f"group by article_id having {having} order by article_id limit ?",
                [person, *every, *(s for surfaces in spellings for s in surfaces), first],
            )
        ]

    def mark_story_heads(self, heads: dict[str, bool]) -> None:
        """Mark in story_keys whether each of the filed articles HEADS names begins its
        story (True) or not."""
        self.db.conn.executemany(
            "update story_keys set head = ? where article_id = ?",
            ((int(begins), a) for a, begins in heads.items()),
        )

    def write_story_ids(self, story_of: dict[str, str], scoped: bool = False) -> set[str]:
        """Set the articles' stories from STORY_OF (every article's when not SCOPED, else
        those it names). Returns the stories that gained or lost an article."""
        db = self.db
        old = self.stories(story_of) if scoped else {}
        moved = {a: s for a, s in story_of.items() if old.get(a) != s}
        self._scope("story_of", ("article_id", "story_id"), moved.items())
        db.execute(
            "update articles set story_id = (select story_id from temp.story_of "
            "where story_of.article_id = articles.id) "
            + ("where id in (select article_id from temp.story_of)" if scoped else "")
        )
        self.index("stories")
        return {s for s in old.values() if s} | set(moved.values()) | self.dropped.stories

    def story_members(self) -> dict[str, str]:
        """The story of every article of the stories in temp.scope_stories."""
        return dict(
            self.db.execute(
                "select id, story_id from articles "
                "where story_id in (select id from temp.scope_stories)"
            ).fetchall()
        )

    def write_consolidation(
        self,
        events: list[tuple],
        event_of: Iterable[tuple[str, str]],
        variants: Callable[[], Iterable[PersonFlags]],
        flags: Callable[[], Iterable[tuple]],
        replaced: set[str] | None = None,
        stories: set[str] | None = None,
    ) -> None:
        """Store EVENTS (rows of EVENT_COLUMNS, see event_row), the event of each claim
        (EVENT_OF: claim id, event id), the stories' rows, the summaries, the name_variant
        flags VARIANTS makes and the other corpus flags' rows (see flag_rows) FLAGS makes
        (each read once, as they are stored), after the articles' stories are set.

        In a full build (REPLACED None) every row is replaced. In an update EVENTS replace
        the stored events REPLACED, and only the stories STORIES and those of the claims of
        EVENTS, the summaries' rows those events and the deleted articles touch, and the
        flags of those stories and events are made again; VARIANTS are the flags of the
        persons write_persons replaced, of which only those that changed are written (see
        _write_variant_flags)."""
        db = self.db
        scoped = replaced is not None
        new_ids = {row[0] for row in events}
        if scoped:
            self._scope("scope_events", ("id",), ((e,) for e in replaced | new_ids))
            # What the events replaced counted in place_objects, taken away from its totals
            # (see summarise.statements).
            db.execute("drop table if exists temp.old_event_places")
            db.execute("""
                create temp table old_event_places as
                select event_places.place_id, events.object, count(*) as n,
                       sum(event_places.quantity) as objects,
                       count(event_places.quantity) as n_objects
                from event_places join events on events.id = event_places.event_id
                where event_places.event_id in (select id from temp.scope_events)
                group by event_places.place_id, events.object
            """)
            # And what they counted in period_objects and, through their claims (which
            # still name them), in authorities.
            db.execute("drop table if exists temp.old_periods")
            db.execute(f"""
                create temp table old_periods as
                select coalesce(date, '{summarise.DATE_UNKNOWN}') as date, object,
                       count(*) as n, sum(quantity) as objects, count(quantity) as n_objects,
                       sum(quantity_all_reports) as reports,
                       count(quantity_all_reports) as n_reports, sum(n_claims) as claims
                from events where id in (select id from temp.scope_events)
                group by 1, 2
            """)
            db.execute("drop table if exists temp.old_authority_events")
            db.execute("""
                create temp table old_authority_events as
                select name, kind, count(*) as n, sum(quantity) as objects,
                       count(quantity) as n_objects
                from (select authority as name, authority_kind as kind,
                             min(quantity) as quantity
                      from claims
                      where authority is not null
                        and event_id in (select id from temp.scope_events)
                      group by authority, authority_kind, event_id)
                group by name, kind
            """)
            self._scope("new_articles", ("id",), ((a,) for a in self.present(self.touched)))
            db.execute("delete from events where id in (select id from temp.scope_events)")
        else:
            db["events"].delete_where()
        self._insert_all("events", EVENT_COLUMNS, events)
        self._scope("event_of", ("claim_id", "event_id"), event_of)
        db.execute(
            "update claims set event_id = (select event_id from temp.event_of "
            "where event_of.claim_id = claims.id) "
            + ("where id in (select claim_id from temp.event_of)" if scoped else "")
        )
        if scoped:
            stories = set(stories or ()) | {
                s
                for (s,) in db.execute(
                    "select distinct articles.story_id from articles join claims "
                    "on claims.article_id = articles.id "
                    "where claims.id in (select claim_id from temp.event_of)"
                )
            }
            self._scope("scope_stories", ("id",), ((s,) for s in stories))
            # Recounted: the others are kept up to date by difference.
            self._scope("scope_place_objects", ("place_id", "object"), self.dropped.place_objects)
            self._scope("scope_periods", ("date", "object"), [])
            self._scope("scope_authorities", ("name", "kind"), self.dropped.authorities)
        only = "where id in (select id from temp.scope_stories)" if scoped else ""
        db.execute(f"delete from stories {only}")
        db.execute(f"""
            insert into stories (id, title, n_articles, first_article_id, article_ids, n_claims)
            select articles.story_id,
                   coalesce(first.title, substr(first.body, 1, instr(first.body || '.', '.'))),
                   count(*), articles.story_id,
                   -- In id order: the table's order differs between incremental and full builds.
                   (select json_group_array(id) from (select a.id from articles a
                     where a.story_id = articles.story_id order by a.id)),
                   (select count(*) from claims join articles a on a.id = claims.article_id
                    where a.story_id = articles.story_id)
            from articles join articles first on first.id = articles.story_id
            {"where articles.story_id in (select id from temp.scope_stories)" if scoped else ""}
            group by articles.story_id
        """)
        db.execute(f"""
            update stories set n_events = (
                select count(distinct claims.event_id) from claims
                join articles on articles.id = claims.article_id
                where articles.story_id = stories.id)
            {only}
        """)
        # Summaries the canned queries read, so that a page over a million claims does not
        # aggregate them on every request.
        for statement in summarise.statements(scoped):
            db.execute(statement)
        if scoped:
            # One statement per kind, each found through an index: an OR of the three
            # would read every flag.
            db.execute("""
                delete from qa_flags where kind = 'same_story' and article_id in (
                    select id from articles
                    where story_id in (select id from temp.scope_stories))
            """)
            db.execute("""
                delete from qa_flags where kind = 'conflicting_report'
                and claim_id in (select claim_id from temp.event_of)
            """)
            self._write_variant_flags(variants())
        else:
            db.execute("delete from qa_flags where scope = 'corpus'")
            self._insert_all(
                "qa_flags",
                FLAG_COLUMNS,
                flag_rows((f for person in variants() for f in person.flags), "corpus"),
            )
        self._insert_all("qa_flags", FLAG_COLUMNS, flags())

    def _write_variant_flags(self, persons: Iterable[PersonFlags]) -> None:
        """Make the stored name_variant flags of each person of PERSONS (in the articles of
        temp.scope_articles when scoped, else in all) its flags, deleting and
        inserting only those that differ: after an update most of a common person's flags
        are the same, and rewriting them cost as much as the corpus."""
        for person, scoped, variants, flags in persons:
            # Where its flags can be: on a mention spelt otherwise than its name, or on any
            # of its mentions in an article whose mentions changed (a flag there may be
            # left from another person or name).
            touched = ("mentions.article_id in (select id from temp.scope_articles)", [])
            spelt = (f"mentions.surface in ({','.join('?' * len(variants))})", variants)
            where = [touched] if scoped else [spelt, touched]
            found = " union ".join(
                "select qa_flags.rowid, qa_flags.article_id, qa_flags.span_start, "
                "qa_flags.span_end, qa_flags.detail from mentions join qa_flags "
                "on qa_flags.article_id = mentions.article_id "
                "and qa_flags.span_start = mentions.span_start "
                "and qa_flags.kind = 'name_variant' "
                f"where mentions.kind = 'person' and mentions.entity_id = ? and {condition}"
                for condition, _ in where
            )
            values = [value for _, extra in where for value in (person, *extra)]
            stored = {row[1:]: row[0] for row in self.db.execute(found, values)}
            rows = []
            for row in flag_rows(flags, "corpus"):
                article_id, _, _, _, detail, span_start, span_end, _ = row
                if stored.pop((article_id, span_start, span_end, detail), None) is None:
                    rows.append(row)
            self.db.conn.executemany(
                "delete from qa_flags where rowid = ?", [(rowid,) for rowid in stored.values()]
            )
            self._insert_all("qa_flags", FLAG_COLUMNS, rows)

    def finish_build(
        self,
        build_id: int,
        counts: dict[str, int],
        seconds: float,
        stages: dict[str, float] | None = None,
    ) -> None:
        self.flush()
        self.db["builds"].update(
            build_id,
            {
                "finished": now(),
                "seconds": round(seconds, 3),
                "stages": json.dumps(stages or {}),
                **counts,
            },
        )
        if self.bulk:
            self.db.conn.commit()
            self.db.execute("ANALYZE")
            # Published files are in WAL mode, so that later builds can update them in place.
            self.db.execute("PRAGMA journal_mode = WAL")
        else:
            # ANALYZE reads every index; an update changes the statistics little, and
            # `optimize` re-analyses, within a bounded number of rows, only a table whose
            # size changed much since it was last analysed.
            self.db.execute("PRAGMA analysis_limit = 1000")
            self.db.execute("PRAGMA optimize")
            self.db.execute("COMMIT")
        self.db.close()
        self.finished = True

    def abandon(self) -> None:
        """End a build that failed: nothing it wrote into an existing database remains.
        A build that failed after finish_build (publishing its new file) has nothing open."""
        if self.finished:
            return
        if not self.bulk and self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")
        self.db.close()


# A claim with its places and per-place numbers, and its stored event (see _claim_row).
_CLAIMS = """
    select claims.id, claims.article_id, claims.quantity, claims.object, claims.date,
           claims.time_start, claims.time_end, claims.authority, claims.incremental,
           claims.event_id,
           json_group_array(json_array(claim_places.place_id, claim_places.quantity))
               filter (where claim_places.place_id is not null) as breakdown
    from claims left join claim_places on claim_places.claim_id = claims.id
    where {where}
    group by claims.id
"""


def article_rows(
    doc: Document,
    word_count: int,
    build_id: int,
    extraction: Extraction,
    flags: Iterable[Flag] = (),
    signature: bytes | None = None,
) -> ArticleRows:
    """The rows of DOC and of what was extracted from it, for each table of ARTICLE_TABLES:
    a pure function, run where the article is extracted (a worker process), so that the
    one writer receives plain tuples and only inserts them."""
    article_id = doc.id
    article = (
        article_id,
        doc.title,
        doc.body,
        doc.source_path,
        doc.line,
        doc.sha256,
        word_count,
        doc.published,
        doc.url,
        doc.source,
        json.dumps(doc.notes) if doc.notes else None,
        build_id,
    )
    x = extraction
    mentions = [
        (article_id, "place", m.place_id, m.surface, m.start, m.end, None, None, None)
        # "Ukrainian drones", "Russian forces": a demonym says where something is from, not
        # that the article is about the place.
        for m in x.places
        if not m.adjectival
    ]
    mentions.extend(
        (article_id, "organization", slug(m.name), m.surface, m.start, m.end, m.name, None, None)
        for m in x.organizations
    )
    mentions.extend(
        (article_id, "person", None, m.surface, m.start, m.end, m.name, m.known, m.role)
        for m in x.persons
    )
    names = place_names()
    claims = []
    claim_places = []
    for number, c in enumerate(x.claims, start=1):
        claim_id = f"{article_id}-c{number}"
        authority = c.authority
        is_org = isinstance(authority, OrganizationMention)
        placed = authority is not None and not (is_org and authority.in_headline)
        claims.append(
            (
                claim_id,
                article_id,
                c.quantity,
                c.qualifier,
                int(c.incremental),
                c.object,
                c.action,
                c.date,
                c.date_precision,
                c.date_basis,
                c.time_start,
                c.time_end,
                int(c.night),
                # A person's canonical name is known only once the corpus is resolved.
                authority.name if is_org else None,
                None if authority is None else ("organization" if is_org else "person"),
                slug(authority.name) if is_org else None,
                # A source named only in the headline has no offsets in the body.
                authority.start if placed else None,
                authority.end if placed else None,
                c.casualties,
                c.damage,
                c.sentence,
                c.span_start,
                c.span_end,
                c.quantity_start,
                c.quantity_end,
                int(c.distributive),
                int(c.cumulative),
                json.dumps(c.breakdown_readings) if c.breakdown_readings else None,
                json.dumps([vars(t) for t in c.time_parts]) if c.time_parts else None,
                json.dumps(c.context) if c.context else None,
                json.dumps([names[cp.place_id] for cp in c.places]),
                _month(c.date),
            )
        )
        claim_places.extend(
            (
                claim_id,
                cp.place_id,
                cp.quantity,
                cp.basis,
                cp.detail_id,
                cp.span_start,
                cp.span_end,
                cp.quantity_start,
                cp.quantity_end,
                article_id,
            )
            for cp in c.places
        )
    files = [] if doc.file_stat is None else [(article_id, *doc.file_stat)]
    return (
        [article],
        mentions,
        claims,
        claim_places,
        [(article_id, signature)],
        files,
        list(flag_rows(flags, "article")),
    )


def event_row(event: Event) -> tuple:
    """The row (columns EVENT_COLUMNS) of EVENT."""
    return (
        event.id,
        event.claims[0].object,
        event.quantity,
        event.quantity_min,
        event.quantity_max,
        json.dumps([places()[p].name for p in event.places]),
        event.date,
        event.time_start,
        event.time_end,
        event.authority,
        len(event.claims),
        event.n_articles,
        int(event.consistent),
        json.dumps({c.id: c.quantity for c in event.claims}),
    )


def claim_events(events: Iterable[Event]) -> Iterator[tuple[str, str]]:
    """(claim id, event id) of every claim of EVENTS."""
    return ((c.id, e.id) for e in events for c in e.claims)


def flag_rows(flags: Iterable[Flag], scope: str) -> Iterator[tuple]:
    """The qa_flags rows (columns FLAG_COLUMNS) of FLAGS, raised in SCOPE."""
    return (
        (
            f.article_id,
            f.claim_id or (f"{f.article_id}-c{f.claim}" if f.claim else None),
            f.kind,
            f.severity,
            f.detail,
            f.span_start,
            f.span_end,
            scope,
        )
        for f in flags
    )


def _month(date: str | None) -> str | None:
    """YYYY-MM, or ISO 8601's --MM for a month whose year is not known."""
    if not date:
        return None
    return date[:7] if len(date) == 10 else f"--{date[:2]}"


def _claim_row(row: tuple, shared: dict) -> ClaimRow:
    """A ClaimRow from a row of _CLAIMS, whose values are taken from SHARED when an equal
    one is already there. Read from the row's tuple: a million claims are read at once."""
    claim_id, article_id, quantity, object_, date, time_start, time_end = row[:7]
    authority, incremental, _, breakdown = row[7:]
    intern = shared.setdefault

    def one(value):
        return value if value is None else intern(value, value)

    parts = [(intern(p, p), q) for p, q in json.loads(breakdown or "[]")]
    return ClaimRow(
        claim_id,
        one(article_id),
        quantity,
        one(object_),
        one(date),
        one(time_start),
        one(time_end),
        one(authority),
        one(frozenset(p for p, _ in parts)),
        one(tuple(parts)),
        bool(incremental),
    )


def _ids(persons: list[Person]) -> set[str]:
    return {p.id for p in persons}


def _person_of(persons: list[Person]) -> Iterator[tuple[str, str, str]]:
    """(name, gazetteer name or '', person id) of every name of PERSONS."""
    return ((name, known or "", p.id) for p in persons for name, known in p.names)


@dataclass
class Dropped:
    """What the rows an update deleted pointed at, read before they went: the persons,
    stories and events that lost a member, and the keys of the summaries that lost a row.

    PERSONS are the persons that lost a mention, deleted or given another person, each with
    the first article, by id, where it lost one."""

    surnames: set[str] = field(default_factory=set)
    persons: dict[str, str] = field(default_factory=dict)
    places: set[str] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    place_objects: set[tuple[str, str]] = field(default_factory=set)
    authorities: set[tuple[str, str]] = field(default_factory=set)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def publish(staging: Path, db_path: Path) -> None:
    """Make the finished file STAGING the database DB_PATH, whole or not at all.

    With no database there yet, STAGING is renamed into place. An existing database is
    never renamed over: a server may hold it open in WAL mode, and a new file under its
    name would be read with the old file's WAL. Its pages are replaced instead by SQLite's
    backup, one write transaction, which readers see commit like any other.
    """
    with open(staging, "rb") as handle:
        os.fsync(handle.fileno())
    if db_path.exists():
        source = sqlite3.connect(staging)
        target = sqlite3.connect(db_path)
        try:
            target.execute("PRAGMA synchronous = FULL")
            target.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
            source.backup(target)
        finally:
            target.close()
            source.close()
        staging.unlink()
        return
    for leftover in (f"{db_path.name}-wal", f"{db_path.name}-shm"):
        # Left by a database deleted while open; they would be read as this file's.
        db_path.with_name(leftover).unlink(missing_ok=True)
    os.replace(staging, db_path)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def serve_in_wal(db_path: Path) -> int:
    """Put DB_PATH in WAL mode, where readers and the build's writer do not wait for each
    other (a database from before builds wrote in place is in rollback mode), and return
    its number of articles; sqlite3.OperationalError when it is no corpus."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        return connection.execute("select count(*) from articles").fetchone()[0]
    finally:
        connection.close()
