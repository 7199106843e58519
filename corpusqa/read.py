"""Read articles from sources: directories of .txt files, .jsonl files and .csv files.

`read_sources` yields a `Document` for every article it can load and a `Reject`
for every input it cannot, with the file, the line and the reason, so that every
input is accounted for.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from .normalise import normalise, split_title

DEFAULT_MAX_BYTES = 5_000_000


class SourceError(Exception):
    """A SOURCE argument that is neither a directory, a .jsonl file nor a .csv file."""


@dataclass
class Document:
    """One article, normalised: `body` is the reference for character offsets."""

    id: str
    title: str | None
    body: str
    source_path: str
    line: int | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    notes: dict[str, int] = field(default_factory=dict)
    # (size, mtime_ns, ctime_ns) of the .txt file read, when a later build may trust it to
    # tell whether the file changed (see _trusted).
    file_stat: tuple[int, int, int] | None = None

    @cached_property
    def sha256(self) -> str:
        """Hash of everything stored about the article, so any change re-ingests it."""
        payload = json.dumps(
            [self.title, self.body, self.published, self.url, self.source], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Unread:
    """The article of a .txt file whose size and modification and change times are those
    recorded when it was last read: the article is taken as it is in the database, and the
    file is not read."""

    id: str
    sha256: str
    source_path: str
    file_stat: tuple[int, int, int] | None


@dataclass
class KnownFile:
    """What the database holds about a .txt file it has read: its (size, mtime_ns, ctime_ns)
    then, and the id and hash of the article it held."""

    file_stat: tuple[int, int, int]
    article_id: str
    sha256: str


@dataclass
class KnownRows:
    """A JSONL or CSV file the database read whole with no row rejected, found with the
    (size, mtime_ns, ctime_ns) it had then: it is not read, and its `n_articles` articles
    are taken as the database holds them."""

    file_stat: tuple[int, int, int]
    n_articles: int


@dataclass
class UnreadRows:
    """The articles of a JSONL or CSV file that was not read (see KnownRows), counted rather
    than listed: what they are is what the database holds."""

    source_path: str
    n_articles: int


@dataclass
class Reject:
    """An input that could not be loaded, and why."""

    source_path: str
    line: int | None
    kind: str
    reason: str
    article_id: str | None = None

    def __str__(self) -> str:
        where = self.source_path if self.line is None else f"{self.source_path}:{self.line}"
        return f"{where}: {self.reason}"


def input_files(sources: Iterable[Path]) -> list[Path]:
    """Expand SOURCE arguments into input files: .txt files found recursively, in sorted order."""
    return [p for p in inputs(sources) if isinstance(p, Path)]


def inputs(sources: Iterable[Path]) -> list[Path | Reject]:
    """Every input file SOURCES name, and a Reject for each folder or link that cannot be
    read, so that a permission or a broken link never hides articles."""
    found: list[Path | Reject] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted(_walk(source, set()), key=_input_key))
        elif source.is_file() and source.suffix.lower() in (".jsonl", ".csv", ".txt"):
            found.append(source)
        elif not source.exists():
            raise SourceError(f"{source}: no such file or directory")
        else:
            raise SourceError(f"{source}: not a directory, .txt, .jsonl or .csv file")
    return found


def _input_key(item: Path | Reject) -> tuple[str, ...]:
    return Path(item.source_path if isinstance(item, Reject) else item).parts


def _walk(folder: Path, visited: set[tuple[int, int]]) -> Iterator[Path | Reject]:
    """The .txt files (any case) under FOLDER, following links to folders once each."""
    try:
        status = folder.stat()
        if (status.st_dev, status.st_ino) in visited:
            return
        visited.add((status.st_dev, status.st_ino))
        entries = list(os.scandir(folder))
    except OSError as exc:
        yield Reject(str(folder), None, "unreadable", f"cannot read folder: {exc.strerror or exc}")
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError as exc:
            yield Reject(str(path), None, "unreadable", f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            yield from _walk(path, visited)
        elif path.suffix.lower() != ".txt":
            continue
        elif is_file:
            yield path
        elif entry.is_symlink():
            yield Reject(
                str(path), None, "unreadable", f"broken symbolic link to {os.readlink(path)}"
            )


def source_label(source: Path) -> str:
    """How SOURCE is named in the database: its last component, never the build machine's
    absolute path ("seeds" for /home/x/corpus/seeds, "articles.jsonl" for a file)."""
    return source.name or source.resolve().name


def stored_path(source: Path, path: Path) -> str:
    """PATH, an input file found in SOURCE, as stored: relative to the source's label
    ("seeds/000_x.txt" for a file in the directory seeds, "articles.jsonl" for the file
    given itself)."""
    if path == source:
        return source_label(source)
    return (Path(source_label(source)) / path.relative_to(source)).as_posix()


def unchanged_row_files(
    sources: Iterable[Path], recorded: Mapping[str, tuple[tuple[int, int, int], int]]
) -> dict[str, tuple[int, int, int]]:
    """The JSONL and CSV files among SOURCES whose (size, mtime_ns, ctime_ns) are those
    RECORDED for them by stored path (with their number of articles, see
    Loader.row_files), with that stat: the files a build need not read. A name given twice
    is not among them, since its second reading is all duplicates."""
    files = [s for s in sources if s.suffix.lower() in (".jsonl", ".csv") and s.is_file()]
    names = Counter(source_label(s) for s in files)
    unchanged = {}
    for source in files:
        name = source_label(source)
        if names[name] > 1 or name not in recorded:
            continue
        try:
            status = source.stat()
        except OSError:
            continue
        file_stat = (status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        if file_stat == recorded[name][0]:
            unchanged[name] = file_stat
    return unchanged


# (sha256, source_path, line) of a stored article, by id.
StoredArticle = Callable[[str], "tuple[str, str, int | None] | None"]


def read_sources(
    sources: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Mapping[str, KnownFile | KnownRows] | None = None,
    row_files: dict[str, tuple[int, int, int]] | None = None,
    stored: StoredArticle | None = None,
) -> Iterator[Document | Reject | Unread | UnreadRows]:
    """Yield a Document or a Reject for every article in SOURCES, each naming its file
    relative to the source it was found in (see stored_path).

    A .txt file that KNOWN (by stored path) records with its present size, mtime and ctime
    is not read: it yields Unread for its article. A JSONL or CSV file that KNOWN holds as
    KnownRows is not read either (the caller found it unchanged, see unchanged_row_files):
    it yields one UnreadRows. An id seen a second time is rejected, naming where it was
    first seen; STORED, the stored article of an id, tells which ids such a file holds. ROW_FILES
    receives the stat of every JSONL or CSV file read (or skipped) with no row rejected, by
    stored path: the files a later build may skip.
    """
    known = known or {}
    if row_files is None:
        row_files = {}
    seen: dict[str, tuple[str, str]] = {}
    # The rows of unread files that an article read earlier already took the id of, by
    # file: (id, line, stored sha256). Only ids read from other files are looked up.
    taken: dict[str, list[tuple[str, int | None, str]]] = {}
    skipped: set[str] = set()
    skipping = stored is not None and any(isinstance(k, KnownRows) for k in known.values())
    for source in sources:
        for path in inputs([source]):
            if isinstance(path, Reject):
                name = stored_path(source, Path(path.source_path))
                items: Iterable[Document | Reject | Unread | UnreadRows] = [
                    replace(path, source_path=name)
                ]
            else:
                name = stored_path(source, path)
                entry = known.get(name)
                if isinstance(entry, KnownRows):
                    skipped.add(name)
                    items = _unread_rows(name, entry, taken.pop(name, []), seen, row_files)
                else:
                    items = _read_file(path, name, max_bytes, entry, row_files)
            for item in items:
                if isinstance(item, Reject):
                    row_files.pop(item.source_path, None)
                if isinstance(item, Document | Unread):
                    first = seen.get(item.id)
                    old = stored(item.id) if skipping and first is None else None
                    if old is not None and isinstance(known.get(old[1]), KnownRows):
                        sha256, where, line = old
                        if where in skipped:
                            first = (sha256, f"{where}:{line}")
                        else:
                            taken.setdefault(where, []).append((item.id, line, sha256))
                    # An Unread article is a .txt file's: it has no line.
                    at = item.line if isinstance(item, Document) else None
                    if first is not None:
                        item = _duplicate(item.source_path, at, item.id, item.sha256, *first)
                        row_files.pop(item.source_path, None)
                    else:
                        where = item.source_path if at is None else f"{item.source_path}:{at}"
                        seen[item.id] = (item.sha256, where)
                yield item


def _unread_rows(
    name: str,
    known: KnownRows,
    taken: list[tuple[str, int | None, str]],
    seen: dict[str, tuple[str, str]],
    row_files: dict[str, tuple[int, int, int]],
) -> Iterator[Reject | UnreadRows]:
    """The unread file NAME: a duplicate_id Reject, in line order, for each of its rows
    TAKEN (id, line, stored sha256): those whose id an article read before this file
    already had. Then its other articles as one UnreadRows."""
    row_files[name] = known.file_stat
    for article_id, line, sha256 in sorted(taken, key=lambda row: row[1] or 0):
        yield _duplicate(name, line, article_id, sha256, *seen[article_id])
    yield UnreadRows(name, known.n_articles - len(taken))


def _duplicate(
    name: str, line: int | None, article_id: str, sha256: str, first_sha256: str, first: str
) -> Reject:
    """The duplicate_id Reject of the article ARTICLE_ID (hashed SHA256) at NAME:LINE, whose
    id was first read at FIRST with the hash FIRST_SHA256."""
    same = "the same" if first_sha256 == sha256 else "different"
    return Reject(
        name,
        line,
        "duplicate_id",
        f"id {article_id!r} already read from {first}, with {same} text",
        article_id,
    )


def _read_file(
    path: Path,
    name: str,
    max_bytes: int,
    known: KnownFile | None,
    row_files: dict[str, tuple[int, int, int]],
) -> Iterator[Document | Reject | Unread]:
    suffix = path.suffix.lower()
    try:
        # Taken before reading: a file written meanwhile shows a newer mtime next time. The
        # ctime also changes when the file's permissions do, or when a tool rewrites it and
        # sets its old mtime back.
        status = path.stat()
        size = status.st_size
        file_stat = (size, status.st_mtime_ns, status.st_ctime_ns)
        if suffix in (".jsonl", ".csv"):
            if _trusted(status.st_mtime_ns):
                row_files[name] = file_stat
            # Row files can be far larger than memory: stream them, limiting each row.
            with open(path, "rb") as handle:
                rows = _read_jsonl if suffix == ".jsonl" else _read_csv
                yield from rows(name, handle, max_bytes)
            return
        if isinstance(known, KnownFile) and known.file_stat == file_stat:
            yield Unread(known.article_id, known.sha256, name, file_stat)
            return
        if size > max_bytes:
            yield Reject(
                name, None, "too_large", f"{size:,} bytes, over the limit of {max_bytes:,}"
            )
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield Reject(name, None, "unreadable", f"cannot read: {exc.strerror or exc}")
        return
    text = _decode(name, raw)
    if isinstance(text, Reject):
        yield text
    else:
        for item in _read_txt(name, path.stem, text):
            if isinstance(item, Document) and _trusted(status.st_mtime_ns):
                item.file_stat = file_stat
            yield item


# A file can change twice within one tick of the file system's clock and keep its size; a
# file modified this recently is read again next time rather than trusted by its stat.
RACY_NS = 2_000_000_000


def _trusted(mtime_ns: int) -> bool:
    return mtime_ns < time.time_ns() - RACY_NS


def _decode(name: str, raw: bytes) -> str | Reject:
    if not raw.strip():
        return Reject(name, None, "empty", "empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            return Reject(name, None, "not_utf8", f"invalid UTF-16 text: {exc.reason}")
    if b"\x00" in raw:
        text = _utf16_without_bom(raw)
        if text is not None:
            return text
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return Reject(name, line, "binary", "binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Reject(
            name,
            line,
            "not_utf8",
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at line {line}, column {column}",
        )


def _utf16_without_bom(raw: bytes) -> str | None:
    """RAW as UTF-16 text when it has no BOM but reads as such: Latin-script UTF-16 has a
    NUL in every other byte, on the odd bytes (little-endian) or the even (big-endian)."""
    if len(raw) % 2:
        return None
    for encoding, high in (("utf-16-le", raw[1::2]), ("utf-16-be", raw[0::2])):
        if high.count(0) * 2 >= len(high):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    return None


def _read_txt(name: str, stem: str, text: str) -> Iterator[Document | Reject]:
    normalised = normalise(text)
    title, body = split_title(normalised.text)
    if not body.strip():
        yield Reject(name, None, "missing_text", "no article text after the title", stem)
        return
    yield Document(stem, title, body, name, notes=normalised.notes)


def _read_jsonl(name: str, handle: BinaryIO, max_bytes: int) -> Iterator[Document | Reject]:
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield Reject(
                name,
                number,
                "too_large",
                f"row of {len(raw):,} bytes, over the limit of {max_bytes:,}",
            )
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(
                name,
                number,
                "not_utf8",
                f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at line {number}, "
                f"column {exc.start + 1}",
            )
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(
                name, number, "invalid_json", f"invalid JSON: {exc.msg} (column {exc.colno})"
            )
            continue
        except RecursionError:
            yield Reject(name, number, "invalid_json", "invalid JSON: nested too deeply")
            continue
        except ValueError as exc:
            # An integer of thousands of digits (Python refuses to convert it).
            yield Reject(name, number, "invalid_json", f"invalid JSON: {exc}")
            continue
        if not isinstance(row, dict):
            yield Reject(name, number, "invalid_json", "a JSON line must be an object")
            continue
        yield _from_row(name, number, row)


def _read_csv(name: str, handle: BinaryIO, max_bytes: int) -> Iterator[Document | Reject]:
    bad_lines: dict[int, str] = {}

    def lines() -> Iterator[str]:
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                bad_lines[number] = f"byte 0x{raw[exc.start]:02x} at line {number}"
                yield raw.decode("utf-8", errors="replace")

    # The limit is the module's, not the reader's: a field longer than a row may be is
    # reported as too large rather than as a CSV error.
    csv.field_size_limit(max(max_bytes, 1))
    reader = csv.DictReader(lines())
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        yield Reject(name, 1, "invalid_csv", f"invalid CSV header: {exc}")
        return
    if fieldnames is None:
        yield Reject(name, None, "empty", "empty file")
        return
    reader.fieldnames = [f.strip() for f in fieldnames]
    header = set(reader.fieldnames)
    if "id" not in header or not header & {"text", "body"}:
        yield Reject(
            name,
            1,
            "invalid_csv",
            "the header row must name an id column and a text (or body) column",
        )
        return
    start = reader.line_num + 1
    while True:
        # A row the csv module cannot parse is reported and reading goes on with the next
        # line, so that one bad row never drops the rest of the file.
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                yield Reject(
                    name, start, "too_large", f"a field over the limit of {max_bytes:,} bytes"
                )
            else:
                yield Reject(name, start, "invalid_csv", f"invalid CSV: {exc}")
            start = reader.line_num + 1
            continue
        end = reader.line_num
        bad = [bad_lines[n] for n in range(start, end + 1) if n in bad_lines]
        if bad:
            yield Reject(name, start, "not_utf8", f"not valid UTF-8: {bad[0]}")
        elif sum(len(v.encode()) for v in row.values() if isinstance(v, str)) > max_bytes:
            yield Reject(name, start, "too_large", f"row over the limit of {max_bytes:,} bytes")
        else:
            yield _from_row(name, start, row)
        start = end + 1


def _from_row(name: str, line: int, row: dict) -> Document | Reject:
    for key in ("id", "text", "body", "title", "published", "url", "source"):
        problem = _text_problem(row.get(key))
        if problem:
            kind, reason = problem
            return Reject(name, line, kind, f"{key}: {reason}")
    article_id = row.get("id")
    if article_id is None or not str(article_id).strip():
        return Reject(name, line, "missing_id", "row has no id")
    article_id = str(article_id).strip()
    text = row.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        text = row.get("body")
    if not isinstance(text, str) or not text.strip():
        return Reject(name, line, "missing_text", "row has no text (or body)", article_id)
    published = _optional(row.get("published"))
    if published is not None:
        published = parse_published(published)
        if published is None:
            return Reject(
                name,
                line,
                "invalid_date",
                f"published {_optional(row.get('published'))!r} is not an ISO date"
                " (YYYY-MM-DD, or YYYY-MM when only the month is known)",
                article_id,
            )
    normalised = normalise(text)
    title = _optional(row.get("title"))
    return Document(
        article_id,
        normalise(title).text.strip() if title else None,
        normalised.text,
        name,
        line=line,
        published=published,
        url=_optional(row.get("url")),
        source=_optional(row.get("source")),
        notes=normalised.notes,
    )


def _text_problem(value: object) -> tuple[str, str] | None:
    """Why VALUE cannot be stored as text: a NUL (SQLite's string functions stop at it) or a
    lone surrogate (JSON allows one; UTF-8 has none)."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return "binary", "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return "not_utf8", f"a lone surrogate U+{ord(value[exc.start]):04X} is not text"
    return None


_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{2})$")


def parse_published(value: str) -> str | None:
    """An ISO publication date kept at its precision: "2024-10-08" (a timestamp is cut to
    its day) or "2024-10" (feeds often give only the month); None when it is neither."""
    month = _MONTH_ONLY.match(value)
    if month:
        return value if 1 <= int(month.group(2)) <= 12 else None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _optional(value: object) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


# Bytes per article assumed to estimate the rows of a JSONL or CSV file without reading it.
ROW_BYTES = 2048


def estimate_items(
    files: Iterable[Path], recorded: Mapping[str, tuple[tuple[int, int, int], int]] | None = None
) -> int:
    """An estimate of the articles in FILES, for a progress bar, made without reading them:
    one per .txt file; for a JSONL or CSV file, the number RECORDED for it (by stored path,
    see Loader.row_files) when its stat is the one recorded, since a build skips it and
    counts that many, else one per ROW_BYTES of its size."""
    recorded = recorded or {}
    total = 0
    for path in files:
        if path.suffix.lower() not in (".jsonl", ".csv"):
            total += 1
            continue
        try:
            status = path.stat()
        except OSError:
            total += 1
            continue
        file_stat, n_articles = recorded.get(source_label(path), (None, 0))
        if file_stat == (status.st_size, status.st_mtime_ns, status.st_ctime_ns):
            total += n_articles
        else:
            total += max(1, status.st_size // ROW_BYTES)
    return total
