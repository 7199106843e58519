"""A bounded load test of `corpusqa serve` on 127.0.0.1.

Serves a database (--db, a file named corpus.db) or builds the sample corpus scaled to
--scale articles (each sample article copied under new ids, as JSONL), then sends requests
from --concurrency threads until --requests have been sent or --seconds have passed, round
robin over: the table pages with their facets, the ranked search, every saved question of
metadata.yml and article pages. Prints p50, p95 and max in milliseconds and the errors, per
kind of page and overall, and exits with status 1 if any request failed.

    python scripts/loadtest.py --scale 20000 --requests 2000 --concurrency 20

Every bound is capped, so that no argument turns it into a flood: it is for a server of
one's own, on this machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import BIN, start_server  # noqa: E402

MAX_REQUESTS = 20_000
MAX_CONCURRENCY = 50
MAX_SECONDS = 600
PARAMETERS = {
    "place": "Belgorod Oblast",
    "person": "Vyacheslav Gladkov",
    "q": "drones",
}


def scaled_sample(n: int, folder: Path) -> Path:
    """The sample corpus copied under new ids until it holds N articles, as one JSONL file."""
    articles = []
    for path in sorted((ROOT / "data" / "sample").glob("*.txt")):
        title, _, body = path.read_text().partition("\n\n")
        articles.append((path.stem, title.strip(), body))
    rows = folder / "scaled.jsonl"
    with open(rows, "w") as out:
        for i in range(n):
            stem, title, body = articles[i % len(articles)]
            row = {"id": f"{stem}-{i // len(articles):05d}", "title": title, "text": body}
            out.write(json.dumps(row) + "\n")
    return rows


def pages(db: Path) -> list[tuple[str, str]]:
    """(kind, path) of every page the test sends requests to."""
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    name = db.stem
    with sqlite3.connect(f"file:{db}?immutable=1", uri=True) as connection:
        articles = [r[0] for r in connection.execute("select id from articles limit 5")]
    found = [
        (f"table {table}", f"/{name}/{table}")
        for table in ("claims", "articles", "events", "qa_flags", "places", "stories")
    ]
    found.append(("table claims over a place", f"/{name}/claims?_place=belgorod-oblast"))
    found.append(("ranked search", f"/{name}/search?q=drones"))
    for query, spec in metadata["databases"][name]["queries"].items():
        params = {p: v for p, v in PARAMETERS.items() if f":{p}" in spec["sql"]}
        if ":article" in spec["sql"]:
            params["article"] = articles[0]
        found.append((f"query {query}", f"/{name}/{query}?{urllib.parse.urlencode(params)}"))
    found.extend(("article page", f"/{name}/articles/{urllib.parse.quote(a)}") for a in articles)
    return found


def percentile(times: list[float], share: float) -> float:
    """Nearest rank: the smallest time at least SHARE of the requests took no longer than."""
    return times[max(0, math.ceil(len(times) * share) - 1)]


def load(
    base: str, targets: list[tuple[str, str]], requests: int, concurrency: int, seconds: float
) -> dict[str, tuple[list[float], list[str]]]:
    """Send up to REQUESTS GETs over TARGETS from CONCURRENCY threads for up to SECONDS."""
    results: dict[str, tuple[list[float], list[str]]] = {k: ([], []) for k, _ in targets}
    lock = threading.Lock()
    order = itertools.islice(itertools.cycle(targets), requests)
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                target = next(order, None)
            if target is None:
                return
            kind, path = target
            started = time.perf_counter()
            error = None
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                error = f"{path}: HTTP {exc.code}"
            except OSError as exc:
                error = f"{path}: {exc}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                results[kind][0].append(elapsed)
                if error:
                    results[kind][1].append(error)

    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    return results


def report(results: dict[str, tuple[list[float], list[str]]]) -> int:
    """Print the table of times and errors; the number of errors."""
    print(f"{'page':44} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    everything: list[float] = []
    errors: list[str] = []
    for kind, (times, failed) in results.items():
        if not times:
            continue
        times.sort()
        everything.extend(times)
        errors.extend(failed)
        print(
            f"{kind:44} {len(times):6d} {percentile(times, 0.5):8.0f} "
            f"{percentile(times, 0.95):8.0f} {times[-1]:8.0f} {len(failed):6d}"
        )
    everything.sort()
    print(
        f"{'all':44} {len(everything):6d} {percentile(everything, 0.5):8.0f} "
        f"{percentile(everything, 0.95):8.0f} {everything[-1]:8.0f} {len(errors):6d}"
    )
    for error in errors[:10]:
        print("error:", error)
    return len(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", type=Path, help="serve this database (named corpus.db)")
    source.add_argument("--scale", type=int, help="build the sample corpus scaled to N articles")
    parser.add_argument("--dir", type=Path, help="where --scale builds (default: a temp dir)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args()
    requests = max(1, min(args.requests, MAX_REQUESTS))
    concurrency = max(1, min(args.concurrency, MAX_CONCURRENCY))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None:
            folder = args.dir or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            db = folder / "corpus.db"
            started = time.perf_counter()
            subprocess.run(
                [
                    str(BIN / "corpusqa"),
                    "build",
                    str(scaled_sample(args.scale, folder)),
                    "--db",
                    str(db),
                    "--quiet",
                ],
                check=True,
            )
            print(f"built {args.scale:,} articles in {time.perf_counter() - started:.0f} s")
        process, base = start_server(db, seconds=600)
        try:
            targets = pages(db)
            print(
                f"{requests:,} requests at most, {concurrency} at a time, for {seconds:.0f} s at "
                f"most, over {len(targets)} pages"
            )
            started = time.perf_counter()
            results = load(base, targets, requests, concurrency, seconds)
            print(f"in {time.perf_counter() - started:.1f} s")
            failed = report(results)
        finally:
            process.terminate()
            process.wait(timeout=30)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
