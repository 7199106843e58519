"""Benchmark the full build against the simplest thing a user could do instead, and an
update against the full build.

All in one run, on one synthetic corpus (scripts/synth.py):

  (a) baseline: `sqlite-utils insert` of the raw articles, then `sqlite-utils enable-fts`;
  (b) `corpusqa build`: extraction, resolution, stories, events, flags, full-text index;
  (c) an update of (b): the same articles and --grow percent new ones (a second JSONL file);
  (d) the same update again, with nothing new.

Prints articles per second for (a) and (b), the ratio of their times (b/a) and of their CPU
seconds (steadier on a shared machine; (a) is timed --baseline-runs times, 3 by default, and
its fastest run kept), the times of (c) and (d) as ratios of (b), the time of each stage
of (b), (c) and (d), the size of each database and the peak resident memory of each
process. With --serve it also serves (b) and times a bounded loop of requests on
127.0.0.1. With --retellings N it also builds 5 * N .txt files that are N copies of each
seed article (../shared/corpus/seeds) and as many distinct synthetic articles, and prints
the ratio of their times (issue 16: under 3).

    python scripts/bench.py --n 100000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class Timing(NamedTuple):
    """What one command cost: wall-clock seconds, CPU seconds (user and system, its
    workers included) and peak RSS in MiB (its largest process)."""

    seconds: float
    cpu: float
    rss: int


def run(command: list[str]) -> Timing:
    """Run COMMAND and time it."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    # wait4's usage covers the command's own children once it has waited for them: the
    # build's workers and its grouping process.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return Timing(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)


def baseline_build(articles: Path, db: Path, runs: int) -> tuple[Timing, Timing]:
    """Time `sqlite-utils insert` of ARTICLES into DB, then `enable-fts`, RUNS times from an
    empty file; return the fastest run's two timings. The baseline is two short commands,
    and on a shared machine one slow run of them moves the ratio more than the build does:
    the fastest run is the figure the build is held to."""
    insert = [str(BIN / "sqlite-utils"), "insert", str(db), "articles", str(articles)]
    fts = [str(BIN / "sqlite-utils"), "enable-fts", str(db), "articles", "title", "text"]

    def once() -> tuple[Timing, Timing]:
        db.unlink(missing_ok=True)
        return (
            run([*insert, "--nl", "--pk", "id"]),
            run([*fts, "--tokenize", "porter", "--create-triggers"]),
        )

    return min((once() for _ in range(runs)), key=lambda pair: pair[0].seconds + pair[1].seconds)


def mib(path: Path) -> float:
    return path.stat().st_size / 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, seconds: float = 1800) -> tuple[subprocess.Popen, str]:
    """`corpusqa serve` over DB on a free port, once it answers: the process and its address.
    The server counts the facets of a new database before it answers (a minute or two at a
    million articles; DB.facets.json keeps them for the next start)."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "corpusqa"), "serve", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2)
            return process, base
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("corpusqa serve did not start") from None
            time.sleep(0.5)


def timed_requests(url: str, count: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of COUNT sequential GETs of URL; an error status (a query
    over Datasette's time limit, say) stops the loop with SystemExit naming the page."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise PageError(f"{url}: HTTP {error.code} {error.read()[:300]!r}") from None
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    # Nearest rank: the smallest time at least 95% of the requests took no longer than.
    return statistics.median(times), times[math.ceil(len(times) * 0.95) - 1]


def facets_missing(url: str, wanted: list[str]) -> list[str]:
    """The WANTED facets a table page did not return: Datasette drops a facet that runs
    over its time limit (the JSON does not list them, the HTML says so)."""
    try:
        page = json.loads(urllib.request.urlopen(url, timeout=60).read())
    except urllib.error.HTTPError:
        return []
    return [name for name in wanted if name not in (page.get("facet_results") or {})]


def facet_names(metadata: dict, table: str) -> list[str]:
    names = []
    for facet in metadata["databases"]["corpus"]["tables"][table].get("facets", []):
        if isinstance(facet, str):
            names.append(facet)
        else:
            config = next(iter(facet.values()))
            names.append(config if isinstance(config, str) else config["name"])
    return names


class PageError(Exception):
    """A served page answered with an error status."""


def json_path(path: str) -> str:
    """The JSON form of a table page's PATH."""
    page, _, query = path.partition("?")
    return f"{page}.json?{query}"


def serve_and_measure(
    db: Path, count: int
) -> tuple[float, list[tuple[str, float, float, list[str]]]]:
    """Seconds until `corpusqa serve` answered, and p50 and p95 of each page."""
    started = time.monotonic()
    process, base = start_server(db)
    try:
        ready = time.monotonic() - started
        results = []
        metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
        tables = metadata["databases"]["corpus"]["tables"]
        name = db.stem
        with closing(sqlite3.connect(db)) as connection:
            article = connection.execute(
                "select id from stories order by n_articles desc limit 1"
            ).fetchone()[0]
        pages = [
            ("claims table with facets", f"/{name}/claims"),
            ("claims over one place, with facets", f"/{name}/claims?_place=belgorod-oblast"),
            ("articles table with facets", f"/{name}/articles"),
            ("articles about one place, with facets", f"/{name}/articles?_place=belgorod-oblast"),
            ("table search (3% of articles match)", f"/{name}/articles?_search=airport"),
            ("events table with facets", f"/{name}/events"),
            ("quality flags with facets", f"/{name}/qa_flags"),
            ("ranked search (3% match)", f"/{name}/search.json?q=airport"),
            ("ranked search (a third match)", f"/{name}/search.json?q=Belgorod"),
        ]
        for query, spec in metadata["databases"]["corpus"]["queries"].items():
            params = {
                p: v
                for p, v in [
                    ("place", "Belgorod Oblast"),
                    ("article", article),
                    ("person", "Vyacheslav Gladkov"),
                    ("q", "airport"),
                ]
                if f":{p}" in spec["sql"]
            }
            pages.append(
                (f"query {query}", f"/{name}/{query}.json?{urllib.parse.urlencode(params)}")
            )
        timed_out = {
            label: facets_missing(base + json_path(path), facet_names(metadata, table))
            for label, path in pages
            if (table := path.split("/")[2].split("?")[0]) in tables
        }
        for label, path in pages:
            try:
                late = timed_out.get(label)
                notes = [f"facets over the time limit: {', '.join(late)}"] if late else []
                results.append((label, *timed_requests(base + path, count), notes))
            except PageError as error:
                results.append((label, float("nan"), float("nan"), [str(error)]))
        return ready, results
    finally:
        process.terminate()
        process.wait(timeout=30)


def last_stages(db_path: Path) -> dict[str, float]:
    """Seconds of each stage of the latest build of DB_PATH."""
    # closing(): sqlite3's own `with` commits but leaves the connection open.
    with closing(sqlite3.connect(db_path)) as db:
        row = db.execute("select stages from builds order by id desc limit 1").fetchone()
    return json.loads(row[0])


def synthesise(out: Path, n: int, seed: int, form: str, quiet: bool = True) -> None:
    """Write N synthetic articles made with SEED into the folder OUT, as FORM ("jsonl" or
    "txt"), with scripts/synth.py."""
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synth.py"), "--n", str(n), "--seed", str(seed)]
        + ["--out", str(out), "--format", form],
        check=True,
        stderr=subprocess.DEVNULL if quiet else None,
    )


def new_corpus(folder: Path, n: int, seed: int, after: int) -> Path:
    """A JSONL file of N synthetic articles for an update: made with another seed than the
    corpus, and numbered on from its AFTER articles ("syn100001" after "syn100000"), as a
    feed numbers the day's new articles, so that every one of them is new.

    Ids that all sorted before the corpus's (an earlier "new000001") would be a worst case
    no feed makes: a name_variant flag names the first articles by id with a spelling, so
    such an update rewrites the flags of every common name. It stops when the new numbers
    need more digits than the corpus's ids, since they would sort among them."""
    # The corpus's ids have synth.py's width for AFTER articles; the new ones are as
    # wide, or as wide as the last new number needs. Wider ids sort by their first
    # digits: "syn1000000" comes before "syn999999", in the middle of the corpus.
    width = max(6, len(str(after)))
    wide = max(width, len(str(after + n)))
    if f"syn{after + 1:0{wide}d}" <= f"syn{after:0{width}d}":
        raise SystemExit(
            f"{n} new articles after {after} would be numbered past syn{'9' * width} "
            "and sort among the corpus's ids: take fewer, or a corpus that many larger"
        )
    path = folder / "new.jsonl"
    made_with = folder / "made-with.json"
    wanted = {"n": n, "seed": seed, "after": after}
    if path.exists() and made_with.exists() and json.loads(made_with.read_text()) == wanted:
        return path
    generated = folder / "generated"
    # Not the corpus's own seed: its first articles would be copies of the corpus's.
    synthesise(generated, n, seed + 1_000_003, "jsonl")
    with (
        open(generated / "articles.jsonl", encoding="utf-8") as rows,
        open(path, "w", encoding="utf-8") as out,
    ):
        for number, line in enumerate(rows, after + 1):
            row = json.loads(line)
            row["id"] = f"syn{number:0{wide}d}"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    shutil.rmtree(generated)
    made_with.write_text(json.dumps(wanted))
    return path


def retellings(work: Path, copies: int, seed: int, workers: int) -> None:
    """Time full builds of COPIES copies of each seed article, one .txt file each, and of as
    many distinct synthetic articles; print both and their ratio."""
    seeds = sorted((ROOT.parent / "shared" / "corpus" / "seeds").glob("*.txt"))
    n = copies * len(seeds)
    copied = work / f"retellings-{copies}"
    if not (copied / "done").exists():
        shutil.rmtree(copied, ignore_errors=True)
        copied.mkdir(parents=True)
        for article in seeds:
            text = article.read_text(encoding="utf-8")
            for k in range(copies):
                (copied / f"{article.stem}-copy{k:05d}.txt").write_text(text, encoding="utf-8")
        (copied / "done").touch()
    distinct = work / f"distinct-{n}"
    if not (distinct / "done").exists():
        shutil.rmtree(distinct, ignore_errors=True)
        synthesise(distinct, n, seed, "txt")
        (distinct / "done").touch()
    times = {}
    for label, folder in (("retellings", copied), ("distinct", distinct)):
        db = work / f"{label}.db"
        db.unlink(missing_ok=True)
        command = [str(BIN / "corpusqa"), "build", str(folder), "--db", str(db), "--quiet"]
        timed = times[label] = run([*command, "--workers", str(workers)])
        stages = last_stages(db)
        print(
            f"{label:<11} {n:,} files  {timed.seconds:8.1f} s  peak RSS {timed.rss} MiB  "
            + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items())
        )
    ratio = times["retellings"].seconds / times["distinct"].seconds
    print(f"ratio retellings/distinct {ratio:8.2f}  ({copies:,} copies of each of {len(seeds)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--grow", type=float, default=1.0, metavar="PERCENT", help="new articles of the update"
    )
    parser.add_argument("--dir", type=Path, help="keep the corpus and databases here")
    parser.add_argument(
        "--baseline-runs",
        type=int,
        default=3,
        metavar="N",
        help="time the baseline N times and keep the fastest",
    )
    parser.add_argument(
        "--serve",
        type=int,
        default=0,
        metavar="REQUESTS",
        help="also serve the build and time this many requests per page",
    )
    parser.add_argument(
        "--serve-db",
        type=Path,
        metavar="DB",
        help="only serve DB (a database named corpus.db) and time the pages",
    )
    parser.add_argument(
        "--retellings",
        type=int,
        default=0,
        metavar="COPIES",
        help="also time COPIES copies of each seed against as many distinct articles",
    )
    args = parser.parse_args()
    if args.baseline_runs < 1:
        parser.error("--baseline-runs must be 1 or more")
    if args.serve_db:
        print_serving(args.serve_db, args.serve or 20)
        return

    work = args.dir or Path(tempfile.mkdtemp(prefix="corpusqa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    # A corpus kept from an earlier run is reused only if it was made for the same figures.
    made_with = corpus / "made-with.json"
    wanted = {"n": args.n, "seed": args.seed}
    if (corpus / "articles.jsonl").exists():
        found = json.loads(made_with.read_text()) if made_with.exists() else None
        if found != wanted:
            sys.exit(
                f"{corpus} holds a corpus made with {found or 'unknown settings'}, not "
                f"{wanted}: pass another --dir, or delete it"
            )
    else:
        synthesise(corpus, args.n, args.seed, "jsonl", quiet=False)
        made_with.write_text(json.dumps(wanted))
    articles = corpus / "articles.jsonl"
    baseline, built, updated = work / "baseline.db", work / "corpus.db", work / "updated.db"
    for path in (baseline, built, updated):
        path.unlink(missing_ok=True)
    n_new = max(1, round(args.n * args.grow / 100))
    new_articles = new_corpus(work / "new", n_new, args.seed, args.n)

    a_insert, a_fts = baseline_build(articles, baseline, args.baseline_runs)
    a = a_insert.seconds + a_fts.seconds
    a_cpu = a_insert.cpu + a_fts.cpu
    b, b_cpu, b_rss = run(
        [
            str(BIN / "corpusqa"),
            "build",
            str(articles),
            "--db",
            str(built),
            "--workers",
            str(args.workers),
            "--quiet",
        ]
    )
    stages = last_stages(built)
    # The update starts from the full build, as a day's update starts from yesterday's.
    shutil.copyfile(built, updated)
    update_command = [
        str(BIN / "corpusqa"),
        "build",
        str(articles),
        str(new_articles),
        "--db",
        str(updated),
        "--workers",
        str(args.workers),
        "--quiet",
    ]
    c, _, c_rss = run(update_command)
    c_stages = last_stages(updated)
    d, _, d_rss = run(update_command)
    d_stages = last_stages(updated)
    with closing(sqlite3.connect(built)) as db:
        counts = dict(
            db.execute(
                "select 'claims', count(*) from claims union all select 'events', count(*) "
                "from events union all select 'stories', count(*) from stories"
            )
        )

    print(
        f"corpus: {args.n:,} synthetic articles (seed {args.seed}), "
        f"{mib(articles):.1f} MiB of JSONL; {os.cpu_count()} cores, "
        f"{args.workers} workers"
    )
    print(
        f"(a) baseline  {a:8.1f} s  {args.n / a:8.0f} articles/s  "
        f"(insert {a_insert.seconds:.1f} s, enable-fts {a_fts.seconds:.1f} s; the fastest "
        f"of {args.baseline_runs})  CPU {a_cpu:.1f} s  db {mib(baseline):.1f} MiB  "
        f"peak RSS {max(a_insert.rss, a_fts.rss)} MiB"
    )
    print(
        f"(b) corpusqa  {b:8.1f} s  {args.n / b:8.0f} articles/s  CPU {b_cpu:.1f} s  "
        f"db {mib(built):.1f} MiB  peak RSS {b_rss} MiB (largest process)"
    )
    print(f"ratio b/a     {b / a:8.2f}")
    # CPU seconds move less than wall time when other work shares the machine. The target
    # is the wall-clock ratio: about half of this one when the build keeps two cores busy.
    print(f"CPU b/a       {b_cpu / a_cpu:8.2f}")
    print("stages of (b): " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    print(
        f"(c) update    {c:8.1f} s  {n_new:,} new articles ({args.grow:g}%)  "
        f"peak RSS {c_rss} MiB (largest process)"
    )
    print(f"ratio c/b     {c / b:8.3f}")
    print("stages of (c): " + ", ".join(f"{k} {v:.1f} s" for k, v in c_stages.items()))
    print(f"(d) no change {d:8.1f} s  peak RSS {d_rss} MiB (largest process)")
    print(f"ratio d/b     {d / b:8.3f}")
    print("stages of (d): " + ", ".join(f"{k} {v:.1f} s" for k, v in d_stages.items()))
    print("extracted: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    if args.retellings:
        retellings(work, args.retellings, args.seed, args.workers)
    if args.serve:
        print_serving(built, args.serve)


def print_serving(db: Path, count: int) -> None:
    ready, results = serve_and_measure(db, count)
    print(f"serving {db}: ready after {ready:.1f} s; {count} requests per page, milliseconds")
    for label, p50, p95, problems in results:
        note = f"  {'; '.join(problems)}" if problems else ""
        print(f"  {label:<40} p50 {p50:7.1f}  p95 {p95:7.1f}{note}", flush=True)


if __name__ == "__main__":
    main()
