"""Run the pipeline over a corpus and swap the finished database into place.

A build works on a private copy of the database (or a new file with `full`) and
renames it over the target only when it is complete, so a crash, a kill or Ctrl-C
leaves the previous database exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .consolidate.events import group_events
from .consolidate.flags import article_flags, event_flags, name_variant_flags, story_flags
from .consolidate.stories import group_stories, signature
from .extract.article import extract
from .load import Loader, previous_fingerprint
from .normalise import word_count
from .read import DEFAULT_MAX_BYTES, Document, Reject, read_sources
from .resolve import resolve_persons


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
    on_item: Callable[[Document | Reject], None] | None = None,
) -> BuildResult:
    """Build DB_PATH from SOURCES, incrementally unless `full`.

    An article whose sha256 is unchanged is skipped; a changed one is replaced with
    everything derived from it; one no longer in the sources is removed.
    """
    sources = list(sources)
    started = time.perf_counter()
    db_path = Path(db_path)
    if db_path.exists() and not full and previous_fingerprint(db_path) != fingerprint():
        # Unchanged articles are never re-extracted, so a database built by other code or
        # other gazetteers is rebuilt from nothing rather than mixed with new extractions.
        full = True
    _remove_stale_staging(db_path)
    staging = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    if db_path.exists() and not full:
        shutil.copyfile(db_path, staging)
    elif staging.exists():
        staging.unlink()
    result = BuildResult()
    try:
        loader = Loader(staging)
        build_id = loader.start_build([str(s) for s in sources], full, fingerprint())
        previous = loader.article_hashes()
        seen: set[str] = set()
        for item in read_sources(sources, max_bytes=max_bytes):
            result.read += 1
            if isinstance(item, Document):
                item = _load(item, previous.get(item.id), loader, build_id, result, seen)
            if isinstance(item, Reject):
                result.rejected += 1
                result.rejects.append(item)
                loader.write_reject(item, build_id)
            if on_item is not None:
                on_item(item)
        gone = sorted(set(previous) - seen)
        loader.delete_articles(gone)
        result.removed = len(gone)
        loader.write_entities(resolve_persons(loader.person_mentions()))
        claims = loader.claim_rows()
        story_of = group_stories(loader.signatures(), claims)
        events = group_events(claims, story_of)
        loader.write_consolidation(
            story_of,
            events,
            name_variant_flags(loader.spelling_rows())
            + event_flags(events)
            + story_flags(story_of),
        )
        result.seconds = time.perf_counter() - started
        loader.finish_build(build_id, result.counts(), result.seconds)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, db_path)
        directory = os.open(db_path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    return result


def _load(
    doc: Document,
    old: tuple[str, str, int | None] | None,
    loader: Loader,
    build_id: int,
    result: BuildResult,
    seen: set[str],
) -> Document | Reject:
    """Load one article unless it is unchanged; a failure to extract becomes a reject."""
    if old is not None and old[0] == doc.sha256:
        seen.add(doc.id)
        result.unchanged += 1
        if old[1:] != (doc.source_path, doc.line):
            loader.move_article(doc.id, doc.source_path, doc.line)
        return doc
    try:
        extraction = extract(doc.body, doc.published)
        flags = article_flags(doc.id, doc.body, doc.notes, extraction)
        minhash = signature(doc.body)
    except Exception as exc:  # one article's failure must not stop the build
        return Reject(
            doc.source_path,
            doc.line,
            "extract_error",
            f"extraction failed ({type(exc).__name__}: {exc})",
            doc.id,
        )
    seen.add(doc.id)
    if old is None:
        result.new += 1
    else:
        result.changed += 1
    loader.write_article(
        doc,
        word_count(doc.body),
        build_id,
        extraction,
        replacing=old is not None,
        flags=flags,
        signature=minhash,
    )
    return doc


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
