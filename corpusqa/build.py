"""Run the pipeline over a corpus and publish the finished database.

An update writes the database where it is, in one SQLite transaction (see Loader): its
cost follows what changed, not the size of the file. A full build (`full`, a new database,
or one built by other code) loads a new private file and publishes it whole. Either way a
crash, a kill or Ctrl-C leaves the previous database exactly as it was.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
import time
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import accumulate, chain, islice
from multiprocessing.connection import Connection
from pathlib import Path

from .consolidate.events import (
    ClaimRow,
    Event,
    cluster_claims,
    event_authority,
    event_keys,
    make_event,
    regroup,
)
from .consolidate.flags import (
    Flag,
    article_flags,
    event_flags,
    name_variant_flags,
    story_flags,
)
from .consolidate.stories import Signatures, group_stories, restory, signature, story_keys
from .extract.article import Extraction, extract
from .load import (
    EVENT_COLUMNS,
    ArticleRows,
    Loader,
    article_rows,
    claim_events,
    event_row,
    flag_rows,
    previous_fingerprint,
    publish,
)
from .normalise import word_count
from .read import (
    DEFAULT_MAX_BYTES,
    Document,
    KnownFile,
    KnownRows,
    Reject,
    Unread,
    UnreadRows,
    read_sources,
    source_label,
    unchanged_row_files,
)
from .resolve import resolve_persons

# Every article of the real corpus extracts in well under a second; one that runs over
# this is text that would stall the build, and is reported rather than waited for.
EXTRACT_SECONDS = 10.0


@dataclass
class BuildResult:
    """What a build did. read == new + changed + unchanged + rejected, always."""

    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    removed: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "removed": self.removed,
        }

    def summary(self) -> str:
        return (
            f"read {self.read}, new {self.new}, changed {self.changed}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}, removed {self.removed} "
            f"in {self.seconds:.2f}s"
        )


def build(
    sources: Iterable[Path],
    db_path: Path,
    *,
    full: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_item: Callable[[object], None] | None = None,
    workers: int = 1,
    extract_seconds: float = EXTRACT_SECONDS,
    rehash: bool = False,
) -> BuildResult:
    """Build DB_PATH from SOURCES, incrementally unless `full`.

    A .txt file whose size, mtime and ctime are those recorded when its article was stored is
    not read (unless `rehash`); an article whose sha256 is unchanged is skipped without being
    extracted; a changed one is replaced with everything derived from it; one no longer in
    the sources is removed. Extraction runs on WORKERS processes; the one writer stores
    results in input order, so the database does not depend on the number of workers. An
    article whose extraction runs over EXTRACT_SECONDS is an `extract_timeout` reject.
    """
    sources = list(sources)
    started = time.perf_counter()
    db_path = Path(db_path)
    with _build_lock(db_path):
        return _build(
            sources, db_path, full, rehash, max_bytes, on_item, workers, extract_seconds, started
        )


def _build(
    sources: list[Path],
    db_path: Path,
    full: bool,
    rehash: bool,
    max_bytes: int,
    on_item: Callable[[object], None] | None,
    workers: int,
    extract_seconds: float,
    started: float,
) -> BuildResult:
    if db_path.exists() and not full and previous_fingerprint(db_path) != fingerprint():
        # Unchanged articles are never re-extracted, so a database built by other code or
        # other gazetteers is rebuilt from nothing rather than mixed with new extractions.
        full = True
    _remove_stale_staging(db_path)
    incremental = db_path.exists() and not full
    staging = db_path if incremental else _staging(db_path)
    result = BuildResult()
    clock = _Clock()
    try:
        # A new file is loaded first and indexed after (see Loader.index).
        loader = Loader(staging, bulk=not incremental)
    except BaseException:
        if not incremental:
            staging.unlink(missing_ok=True)
        raise
    try:
        build_id = loader.start_build([source_label(s) for s in sources], full, fingerprint())
        # The JSONL and CSV files found unchanged are not read, and neither are the stored
        # hashes of their articles: the articles of the other files are listed (`listed`),
        # and one of theirs is looked up by id when a file read names it. With no file
        # skipped every stored article is listed, so no id is looked up.
        recorded = loader.row_files()
        unchanged = {} if rehash else unchanged_row_files(sources, recorded)
        listed = loader.article_hashes(skip=unchanged)
        previous = _Stored(listed, loader.article_hash if unchanged else None)
        stats = loader.file_stats()
        known = {} if rehash else _known_files(listed, stats, unchanged, recorded)
        seen: set[str] = set()
        # The articles stored from each file, for the row files a later build may skip.
        stored_from: Counter[str] = Counter()
        row_files: dict[str, tuple[int, int, int]] = {}
        reader = read_sources(
            sources, max_bytes=max_bytes, known=known, row_files=row_files, stored=previous.get
        )
        # Workers complete a batch's articles once all are extracted (see _complete).
        prepare = partial(
            _prepare, build_id=build_id, seconds=extract_seconds, complete=workers <= 1
        )
        complete = partial(_complete, build_id=build_id)
        tasks = _tasks(reader, previous)
        for item in _ordered_map(prepare, tasks, workers, _needs_work, finish=complete):
            if isinstance(item, UnreadRows):
                result.read += item.n_articles
                result.unchanged += item.n_articles
                stored_from[item.source_path] += item.n_articles
                if on_item is not None:
                    on_item(item)
                continue
            result.read += 1
            if isinstance(item, Unchanged):
                seen.add(item.id)
                stored_from[item.source_path] += 1
                result.unchanged += 1
                if previous[item.id][1:] != (item.source_path, item.line):
                    loader.move_article(item.id, item.source_path, item.line)
                if stats.get(item.id) != item.file_stat:
                    loader.set_file_stat(item.id, item.file_stat)
            elif isinstance(item, Prepared):
                seen.add(item.id)
                stored_from[item.source_path] += 1
                replacing = item.id in previous
                if replacing:
                    result.changed += 1
                else:
                    result.new += 1
                loader.write_article(item.id, item.rows, replacing=replacing)
            else:
                result.rejected += 1
                result.rejects.append(item)
                loader.write_reject(item, build_id)
            if on_item is not None:
                on_item(item)
        # A file with a row that failed extraction is read again next time, to retry it.
        rejected = {r.source_path for r in result.rejects}
        loader.set_row_files(
            {k: (v, stored_from[k]) for k, v in row_files.items() if k not in rejected}
        )
        # An article of an unread file is there still: only a listed one may be gone.
        gone = sorted(set(listed) - seen - _unread(listed, result.rejects))
        loader.delete_articles(gone)
        result.removed = len(gone)
        clock.lap("read, extract, load")
        if incremental:
            loader.index()
            clock.lap("index")
            if loader.touched:
                _update_consolidation(loader, clock)
        else:
            _consolidate(loader, clock, parallel=workers > 1, directory=db_path.parent)
        result.seconds = time.perf_counter() - started
        loader.finish_build(build_id, result.counts(), result.seconds, clock.laps)
        if not incremental:
            publish(staging, db_path)
    except BaseException:
        loader.abandon()
        if not incremental:
            staging.unlink(missing_ok=True)
        raise
    return result


def _consolidate(loader: Loader, clock: _Clock, parallel: bool, directory: Path) -> None:
    """Index the loaded corpus, resolve persons, group stories and events and raise the
    corpus flags over the whole corpus, filing every article, claim and mention under the
    keys an update looks up. When PARALLEL, stories and events are grouped in a second
    process while this one indexes and resolves persons (see _Grouping), which passes its
    results through temporary files in DIRECTORY."""
    # Read before the persons are resolved: a claim's person authority, which grouping
    # does not read, is set on these rows once it is known.
    claims = loader.claim_rows()
    # The signatures are the grouping's alone: this process lets go of them once it starts.
    with _Grouping(Signatures(loader.signatures()), claims, parallel, directory) as grouping:
        clock.lap("read claims, group stories")
        loader.index("loaded")
        clock.lap("index")
        loader.write_gazetteer()
        # A full build resolves every mention: it needs no list of the new ones.
        loader.key_person_mentions(list_new=False)
        loader.write_persons(resolve_persons(loader.person_spellings()))
        loader.write_article_entities()
        clock.lap("resolve persons")
        for keys in grouping.story_keys():
            loader.write_story_keys(keys)
        story_of = grouping.story_of()
        loader.write_story_ids(story_of)
        clock.lap("stories")
        for keys in grouping.event_keys():
            loader.write_event_keys(keys)
        # The second process made the events before the persons were resolved: their
        # authorities are counted again with the persons' names.
        named = loader.person_authorities()
        groups = grouping.events(claims)
        events, event_of = [], []
        for rows in grouping.made("event rows"):
            for row in rows:
                group = next(groups)
                authority = event_authority(group, named)
                events.append((*row[:_AUTHORITY], authority, *row[_AUTHORITY + 1 :]))
                event_of.extend((claim.id, row[0]) for claim in group)
        clock.lap("events")
        loader.write_consolidation(
            events,
            event_of,
            # Made as they are stored: a million articles have a million corpus flags.
            lambda: name_variant_flags(loader.person_surfaces(), loader),
            lambda: chain.from_iterable(grouping.made("flags")),
        )
        clock.lap("flags, write consolidation")
    loader.index()
    clock.lap("index consolidation")


_AUTHORITY = EVENT_COLUMNS.index("authority")


class _Grouping:
    """The stories and events of a full build: group_stories over HASHES and CLAIMS, with
    the story keys it files each article under, then the claims of each event
    (cluster_claims) and the event keys of each claim; then the events' rows (but for
    the persons' names among their authorities) and the corpus flags of events and
    stories.

    When PARALLEL it runs in a second process, forked so that it inherits the claims and
    signatures rather than receiving a copy, while this one goes on writing the database
    (the one writer); otherwise it runs here and now. Either way its results pass through
    two anonymous temporary files, a batch at a time, so that neither process holds every
    key or flag of a large corpus at once (the files are in DIRECTORY); they are read in
    the order they are made: story keys, stories, event keys, events from the first once
    the second process says they are all there, then event rows and flags from the second
    once it has ended. The events' rows and flags are made while this process writes the
    stories, which it cannot do earlier. Leaving the `with` block ends the process if it
    is still running (the build failed)."""

    # Keys written to the file at a time: a million articles are filed under millions.
    BATCH = 100_000

    def __init__(
        self, hashes: Signatures, claims: list[ClaimRow], parallel: bool, directory: Path
    ) -> None:
        # Beside the database, on the disk chosen for it: at a million articles the keys
        # take over a hundred megabytes, more than a small /tmp may hold.
        self._file = tempfile.TemporaryFile(dir=directory)
        self._made_file = tempfile.TemporaryFile(dir=directory)
        # The next record of _made_file, once its reading has begun.
        self._next: tuple[str, object] | None = None
        # Where the second process says that the first file is complete.
        self._grouped: Connection | None = None
        self._story_of: dict[str, str] | None = None
        self._events: tuple[array, array] | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._inputs: tuple[Signatures, list[ClaimRow]] | None = (hashes, claims)
        if parallel:
            context = multiprocessing.get_context("fork")
            self._grouped, grouped = context.Pipe(duplex=False)
            self._process = context.Process(target=self._group_apart, args=(grouped,), daemon=True)
            self._process.start()
            grouped.close()
        else:
            self._group()
        # The second process has its own copy; this one needs the signatures no more.
        self._inputs = None
        self._read = False

    def _group_apart(self, grouped: Connection) -> None:
        # Ctrl-C reaches the whole process group: the first process handles it and ends
        # this one, which would otherwise print a traceback of its own.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        assert self._grouped is not None
        self._grouped.close()
        self._group(lambda: grouped.send_bytes(b"grouped"))

    def _group(self, grouped: Callable[[], None] = lambda: None) -> None:
        assert self._inputs is not None
        hashes, claims = self._inputs
        keys: list[tuple] = []

        def write(kind: str, value: object) -> None:
            pickle.dump((kind, value), self._file, pickle.HIGHEST_PROTOCOL)

        def filed(article_id: str, article_keys: dict[int, float], begins: bool) -> None:
            keys.extend((article_id, key, int(begins)) for key in article_keys)
            if len(keys) >= self.BATCH:
                write("story keys", keys)
                keys.clear()

        story_of = group_stories(hashes, claims, filed)
        write("story keys", keys)
        write("stories", story_of)
        keys.clear()
        for claim in claims:
            keys.extend((claim.id, key, claim.article_id) for key in event_keys(claim))
            if len(keys) >= self.BATCH:
                write("event keys", keys)
                keys.clear()
        write("event keys", keys)
        # Each event's claims as their positions in CLAIMS, all in one array, and where
        # each event's end: a million claims would otherwise come back as a million ids.
        position = {claim.id: i for i, claim in enumerate(claims)}
        groups = cluster_claims(claims, story_of)
        write(
            "events",
            (
                array("q", (position[claim.id] for group in groups for claim in group)),
                array("q", accumulate(len(group) for group in groups)),
            ),
        )
        self._file.flush()
        grouped()

        def made(kind: str, rows: Iterable[tuple]) -> None:
            batch = list(islice(rows, self.BATCH))
            while batch:
                pickle.dump((kind, batch), self._made_file, pickle.HIGHEST_PROTOCOL)
                batch = list(islice(rows, self.BATCH))

        conflicting: list[Event] = []

        def event_rows() -> Iterator[tuple]:
            for group in groups:
                event = make_event(group)
                if event.conflicts:
                    conflicting.append(event)
                yield event_row(event)

        made("event rows", event_rows())
        made("flags", flag_rows(chain(event_flags(conflicting), story_flags(story_of)), "corpus"))
        pickle.dump(("end", None), self._made_file, pickle.HIGHEST_PROTOCOL)
        self._made_file.flush()

    def _records(self, kind: str) -> Iterator[object]:
        """The values of the records of KIND that come next in the file, then the value of
        the record that ends them."""
        if not self._read:
            self._read = True
            if self._grouped is not None:
                # The second process says when the file is complete; if it dies first, its
                # end of the pipe is closed and nothing comes.
                try:
                    self._grouped.recv_bytes()
                except EOFError:
                    self._fail()
            self._file.seek(0)
        while True:
            found, value = pickle.load(self._file)
            yield value
            if found != kind:
                return

    def story_keys(self) -> Iterator[list[tuple[str, int, int]]]:
        """The (article id, key, 1 if the article begins its story else 0) rows of the
        story keys, a batch at a time, once grouping is done."""
        for value in self._records("story keys"):
            if isinstance(value, dict):
                self._story_of = value
            else:
                yield value

    def story_of(self) -> dict[str, str]:
        """Every article's story, once story_keys() has been read to its end."""
        if self._story_of is None:
            raise RuntimeError("story keys not read")
        return self._story_of

    def event_keys(self) -> Iterator[list[tuple[str, int, str]]]:
        """The (claim id, key, article id) rows of the event keys, a batch at a time, once
        story_of() is read."""
        for value in self._records("event keys"):
            if isinstance(value, list):
                yield value
            else:
                self._events = value

    def made(self, kind: str) -> Iterator[list[tuple]]:
        """The batches of KIND ("event rows", then "flags") of the second file, read once
        the second process has ended: the events' rows, in the order of events(), and the
        corpus flags' rows of events and stories."""
        if self._next is None:
            if self._process is not None:
                self._process.join()
                if self._process.exitcode != 0:
                    self._fail()
            self._made_file.seek(0)
            self._next = pickle.load(self._made_file)
        while self._next[0] == kind:
            yield self._next[1]
            self._next = pickle.load(self._made_file)

    def _fail(self) -> None:
        assert self._process is not None
        self._process.join()
        raise RuntimeError(
            f"grouping stories and events failed in process {self._process.pid} "
            f"(exit code {self._process.exitcode})"
        )

    def events(self, claims: list[ClaimRow]) -> Iterator[list[ClaimRow]]:
        """The claims of each event, taken from CLAIMS (the rows grouped, in their order,
        possibly with other authorities), once event_keys() has been read to its end."""
        if self._events is None:
            raise RuntimeError("event keys not read")
        positions, ends = self._events
        start = 0
        for end in ends:
            yield [claims[i] for i in positions[start:end]]
            start = end

    def __enter__(self) -> _Grouping:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()
        if self._grouped is not None:
            self._grouped.close()
        self._file.close()
        self._made_file.close()


def _update_consolidation(loader: Loader, clock: _Clock) -> None:
    """Consolidate what the articles this build wrote or deleted touch, and nothing else:
    the persons of their mentions' surnames, the stories and events their claims join or
    leave, and the flags and totals of those. Gives the database `_consolidate` gives."""
    dropped = loader.dropped
    surnames = loader.key_person_mentions() | dropped.surnames
    spellings = loader.person_spellings(surnames)
    reattributed = loader.write_persons(resolve_persons(spellings), surnames)
    loader.write_article_entities(scoped=True)
    clock.lap("resolve persons")
    dirty = loader.present(loader.touched)
    claims = loader.story_claims(dirty)
    story_of = restory(loader, dirty, dropped.stories & loader.touched)
    before = loader.stories(story_of)
    # The new and changed articles are filed once restory has told which begin a story
    # (their old keys went with their old text); a stored article keeps its keys, and only
    # one that began a story and no longer does, or the reverse, is marked anew.
    loader.write_story_keys(
        (article_id, key, int(story_of[article_id] == article_id))
        for article_id, rows in claims.items()
        for key in story_keys(rows)
    )
    loader.mark_story_heads(
        {
            a: story == a
            for a, story in story_of.items()
            if a not in dirty and (before.get(a) == a) != (story == a)
        }
    )
    stories = loader.write_story_ids(story_of, scoped=True)
    clock.lap("stories")
    loader.write_event_keys(
        (c.id, key, c.article_id) for rows in claims.values() for c in rows for key in event_keys(c)
    )
    moved = [a for a, story in story_of.items() if before.get(a) != story]
    seeds = {c.id for rows in claims.values() for c in rows} | reattributed
    seeds |= {c.id for c, _ in loader.event_claims("articles", moved)}
    events, replaced = regroup(loader, seeds, dropped.events, loader.stories)
    clock.lap("events")
    loader.write_consolidation(
        [event_row(e) for e in events],
        claim_events(events),
        lambda: name_variant_flags(
            loader.person_surfaces(scoped=True), loader, loader.first_scope_articles()
        ),
        lambda: flag_rows(
            chain(event_flags(events), story_flags(loader.story_members())), "corpus"
        ),
        replaced=replaced,
        stories=stories,
    )
    clock.lap("flags, write consolidation")


def _staging(db_path: Path) -> Path:
    """A new, empty file beside DB_PATH for a full build, named after this process."""
    staging = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    staging.unlink(missing_ok=True)
    return staging


def _known_files(
    listed: dict[str, tuple[str, str, int | None]],
    stats: dict[str, tuple[int, int, int]],
    unchanged: dict[str, tuple[int, int, int]],
    recorded: dict[str, tuple[tuple[int, int, int], int]],
) -> dict[str, KnownFile | KnownRows]:
    """The files the database has read, by stored path, for read_sources to skip: .txt
    files by their articles' STATS, and the UNCHANGED JSONL and CSV files with the number
    of articles RECORDED for them (see Loader.row_files)."""
    known: dict[str, KnownFile | KnownRows] = {}
    for article_id, file_stat in stats.items():
        if article_id in listed:
            sha256, source_path, _ = listed[article_id]
            known[source_path] = KnownFile(file_stat, article_id, sha256)
    for path, file_stat in unchanged.items():
        known[path] = KnownRows(file_stat, recorded[path][1])
    return known


class _Stored:
    """The stored (sha256, source_path, line) of an article by id: from LISTED, or else
    looked up with LOOKUP once (an article of a file that is not read, named by a file that
    is). What a lookup finds is what the database held before this build wrote. Without
    LOOKUP (no file was skipped, so LISTED holds every stored article) an id not listed is
    not stored, and nothing is looked up or kept."""

    def __init__(
        self,
        listed: dict[str, tuple[str, str, int | None]],
        lookup: Callable[[str], tuple[str, str, int | None] | None] | None,
    ) -> None:
        self._listed = listed
        self._lookup = lookup
        # Kept, misses too: an id read is asked for again by _tasks and by the writer.
        self._found: dict[str, tuple[str, str, int | None] | None] = {}

    def get(self, article_id: str) -> tuple[str, str, int | None] | None:
        row = self._listed.get(article_id)
        if row is not None or self._lookup is None:
            return row
        if article_id not in self._found:
            self._found[article_id] = self._lookup(article_id)
        return self._found[article_id]

    def __contains__(self, article_id: str) -> bool:
        return self.get(article_id) is not None

    def __getitem__(self, article_id: str) -> tuple[str, str, int | None]:
        row = self.get(article_id)
        if row is None:
            raise KeyError(article_id)
        return row


def _unread(previous: dict[str, tuple], rejects: list[Reject]) -> set[str]:
    """The articles of PREVIOUS whose input is still there but could not be read this time:
    the one a reject names, those at a rejected row, and all those in a rejected file or
    folder. They are kept as they were, since only an input that is gone removes one."""
    ids = {r.article_id for r in rejects if r.article_id in previous}
    rows = {(r.source_path, r.line) for r in rejects if r.line is not None}
    wholes = tuple(r.source_path for r in rejects if r.line is None)
    # Stored paths are relative and use "/" (see read.stored_path).
    folders = tuple(w + "/" for w in wholes)
    for article_id, (_, source_path, line) in previous.items():
        if (source_path, line) in rows or source_path in wholes:
            ids.add(article_id)
        elif folders and source_path.startswith(folders):
            ids.add(article_id)
    return ids


class BuildLocked(Exception):
    """Another build is writing the same database."""


@contextmanager
def _build_lock(db_path: Path) -> Iterator[None]:
    """Hold DB_PATH's build lock (a POSIX lock on a file beside it, released by the kernel
    when the holder dies), or raise BuildLocked at once: two builds would each rename their
    staging file over the database, and the first one's build would be lost. A POSIX lock,
    unlike flock, is not shared with the forked extraction workers, so a killed build's
    lingering workers cannot keep the next build out."""
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    # A POSIX lock does not keep out the process that holds it: a second build in this
    # same process is kept out here.
    key = lock_path.resolve()
    if key in _BUILDING:
        raise BuildLocked(
            f"{db_path}: another build (process {os.getpid()}) is writing this database; "
            "wait for it to finish"
        )
    with open(lock_path, "a+") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            raise BuildLocked(
                f"{db_path}: another build (process {holder}) is writing this database; "
                "wait for it to finish"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        _BUILDING.add(key)
        try:
            yield
        finally:
            _BUILDING.discard(key)


_BUILDING: set[Path] = set()


class _Clock:
    """Seconds spent in each stage of a build, for the build log and the benchmark."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 3)
        self._last = now


# Text that reaches every lazily compiled pattern and word list, so that the workers fork
# with them built: a worker that builds one on its first article can run over the time limit.
WARM_UP = (
    "Governor Vasily Anokhin said five drones were shot down over the Kursk region on May 5 "
    "between 2:00 and 5:00 pm, the Ministry of Defense said. There were no casualties. "
    "Ivan Petrov, head of the local council, said two more fell near Moscow and over the "
    "Belgorod and Voronezh regions, according to TASS. Governor Anohine said another drone "
    "was destroyed."
)


@dataclass
class Unchanged:
    """An article whose text is what the database already holds: nothing to extract."""

    id: str
    source_path: str
    line: int | None
    file_stat: tuple[int, int, int] | None = None


@dataclass
class Prepared:
    """An extracted article: the rows the loader stores for it (see load.article_rows)."""

    id: str
    source_path: str
    rows: ArticleRows


def _tasks(
    items: Iterable[Document | Reject | Unread | UnreadRows], previous: _Stored
) -> Iterator[Document | Reject | Unchanged | UnreadRows]:
    """The read stream, with unchanged articles reduced to their id and provenance so that
    their text is not shipped to a worker."""
    for item in items:
        if isinstance(item, Unread):
            yield Unchanged(item.id, item.source_path, None, item.file_stat)
            continue
        if isinstance(item, Document):
            old = previous.get(item.id)
            if old is not None and old[0] == item.sha256:
                yield Unchanged(item.id, item.source_path, item.line, item.file_stat)
                continue
        yield item


def _needs_work(item: Document | Reject | Unchanged) -> bool:
    """Only a new or changed article is extracted; rejects and unchanged articles pass by
    the workers."""
    return isinstance(item, Document)


class _Overrun(BaseException):
    """Raised in an extraction that runs over its time (a BaseException, so that no
    `except Exception` in an extractor swallows it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _Overrun in the block after SECONDS. Signals reach only the main thread, which
    is where workers extract; a build run from another thread extracts without a limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def overrun(signum: int, frame: object) -> None:
        raise _Overrun

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _prepare(
    item: Document | Reject | Unchanged,
    build_id: int,
    seconds: float = EXTRACT_SECONDS,
    complete: bool = True,
) -> Prepared | Reject | Unchanged | _Extracted:
    """Extract one article and, when COMPLETE, make its rows for build BUILD_ID (see
    _complete); a failure or an overrun becomes a reject. In a worker, which sends back
    only plain tuples (the writer's process does no work per row), COMPLETE is false and
    _complete makes the rows of a whole batch once its articles are extracted."""
    if not isinstance(item, Document):
        return item
    try:
        with _time_limit(seconds):
            extracted = _Extracted(item, extract(item.body, item.published, item.title))
            if not complete:
                return extracted
            results: list = [extracted]
            _complete([item], results, build_id)
        return results[0]
    except _Overrun:
        return Reject(
            item.source_path,
            item.line,
            "extract_timeout",
            f"extraction ran over the limit of {seconds:g} seconds",
            item.id,
        )
    except Exception as exc:  # one article's failure must not stop the build
        return _failed(item, exc)


def _failed(item: Document, exc: Exception) -> Reject:
    return Reject(
        item.source_path,
        item.line,
        "extract_error",
        f"extraction failed ({type(exc).__name__}: {exc})",
        item.id,
    )


@dataclass
class _Extracted:
    """An article's extraction, before the steps of _complete: never leaves its worker."""

    item: Document
    extraction: Extraction
    flags: list[Flag] = field(default_factory=list)
    words: int = 0
    minhash: bytes | None = None


def _complete(items: list, results: list, build_id: int) -> None:
    """Replace each _Extracted of RESULTS (of _prepare over ITEMS, without `complete`) with
    the article's rows for build BUILD_ID: its flags, word count, MinHash (only an article
    with claims is ever compared for stories, see group_stories) and rows, a failure
    making a reject as in _prepare. Each step runs over the whole batch before the next:
    made between two extractions, these steps cost a worker two to three times what they
    cost in a loop of their own (the MinHash 0.16 against 0.08 ms an article, measured in
    the workers), their code and tables pushed out of the processor's caches by the
    extraction's."""
    todo = [i for i, result in enumerate(results) if isinstance(result, _Extracted)]

    def each(step: Callable[[_Extracted], None]) -> None:
        nonlocal todo
        kept = []
        for i in todo:
            try:
                step(results[i])
                kept.append(i)
            except Exception as exc:  # one article's failure must not stop the build
                results[i] = _failed(items[i], exc)
        todo = kept

    def flags(x: _Extracted) -> None:
        x.flags = article_flags(x.item.id, x.item.body, x.item.notes, x.extraction)

    def words(x: _Extracted) -> None:
        x.words = word_count(x.item.body)

    def sign(x: _Extracted) -> None:
        if x.extraction.claims:
            x.minhash = signature(x.item.body)

    each(flags)
    each(words)
    each(sign)
    for i in todo:
        x = results[i]
        try:
            rows = article_rows(x.item, x.words, build_id, x.extraction, x.flags, x.minhash)
            results[i] = Prepared(x.item.id, x.item.source_path, rows)
        except Exception as exc:  # one article's failure must not stop the build
            results[i] = _failed(items[i], exc)


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit when the build process is gone (killed with SIGKILL, say), rather
    than wait forever for work that will never come."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _run_batch(
    function: Callable, batch: list, finish: Callable[[list, list], None] | None = None
) -> list:
    results = [function(item) for item in batch]
    if finish is not None:
        finish(batch, results)
    return results


def _ordered_map(
    function: Callable,
    items: Iterable,
    workers: int,
    needs_work: Callable[[object], bool] = lambda item: True,
    batch: int = 64,
    finish: Callable[[list, list], None] | None = None,
) -> Iterator:
    """FUNCTION over the ITEMS that need work, on WORKERS processes, the others passed
    through as they are; results in input order, with a bounded number of items in flight
    so that memory does not grow with the corpus. The workers start only once an item
    needs work, so a build with nothing new starts none. On the workers, FINISH is given
    each batch of items and its results, to complete them in place."""
    if workers <= 1:
        for item in items:
            yield function(item) if needs_work(item) else item
        return
    iterator = iter(items)
    in_flight: deque = deque()
    with ExitStack() as stack:
        pool = None
        while True:
            while len(in_flight) < 4 * workers:
                # A chunk holds up to BATCH items to work on, so that an update whose few new
                # articles lie among many unchanged ones still sends workers full batches,
                # and at most BATCH * 64 items in all, so that memory stays bounded.
                chunk, work = [], []
                for item in iterator:
                    chunk.append(item)
                    if needs_work(item):
                        work.append(item)
                    if len(work) == batch or len(chunk) == batch * 64:
                        break
                if not chunk:
                    break
                future = None
                if work:
                    if pool is None:
                        pool = stack.enter_context(_pool(workers))
                    future = pool.submit(_run_batch, function, work, finish)
                in_flight.append((chunk, future))
            if not in_flight:
                return
            chunk, future = in_flight.popleft()
            done = iter(future.result() if future is not None else ())
            for item in chunk:
                yield next(done) if needs_work(item) else item


def _pool(workers: int) -> ProcessPoolExecutor:
    # Compile the patterns and load the word lists once, before the workers fork from this
    # process, instead of once in every worker.
    _prepare(Document("warm-up", None, WARM_UP, ""), build_id=0)
    return ProcessPoolExecutor(
        max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),)
    )


@cache
def fingerprint() -> str:
    """A hash of the package's code and data files: what extraction depends on."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yml", ".csv", ".txt") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _remove_stale_staging(db_path: Path) -> None:
    """Delete staging files left by builds that were killed (their process is gone)."""
    for path in db_path.parent.glob(f".{db_path.name}.*.building"):
        pid = path.name[len(db_path.name) + 2 : -len(".building")]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
