"""Benchmark retellings: a corpus where every story is told many times against one of as
many distinct articles, in one run.

  (r) the seeds (../shared/corpus/seeds) copied --copies times each under new names, as
      .txt files: five stories, each syndicated to thousands of sites;
  (s) as many distinct synthetic articles (scripts/synth.py), as .txt files.

Both are built from nothing with `corpusqa build`; the script prints each time, the ratio
r/s (issue 16's target: under 3 at 3,000 copies) and the stages of each build.

    python scripts/retellings.py --copies 3000
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import BIN, ROOT, last_stages, run

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def copies(folder: Path, n: int) -> None:
    """N copies of every seed in FOLDER, named after the seed and the copy's number."""
    folder.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_bytes()
        for i in range(n):
            (folder / f"{seed.stem}-{i:05d}.txt").write_bytes(text)


def counts(db_path: Path) -> str:
    with sqlite3.connect(db_path) as db:
        found = dict(
            db.execute(
                "select 'articles', count(*) from articles union all select 'claims', "
                "count(*) from claims union all select 'events', count(*) from events "
                "union all select 'stories', count(*) from stories union all select "
                "'flags', count(*) from qa_flags"
            )
        )
    return ", ".join(f"{v:,} {k}" for k, v in found.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=3000, help="copies of each seed")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, help="keep the corpora and databases here")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="corpusqa-retellings-"))
    work.mkdir(parents=True, exist_ok=True)
    n = args.copies * len(list(SEEDS.glob("*.txt")))
    retold, distinct = work / f"retold-{args.copies}", work / f"synthetic-{n}"
    if not retold.exists():
        copies(retold, args.copies)
    if not distinct.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "synth.py"),
                "--n",
                str(n),
                "--seed",
                "1",
                "--out",
                str(distinct),
                "--format",
                "txt",
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        # The gold is no article.
        for path in distinct.glob("*.json"):
            path.unlink()
    results = {}
    for name, folder in (("s", distinct), ("r", retold)):
        db_path = work / f"{name}.db"
        db_path.unlink(missing_ok=True)
        seconds, rss = run(
            [
                str(BIN / "corpusqa"),
                "build",
                str(folder),
                "--db",
                str(db_path),
                "--workers",
                str(args.workers),
                "--quiet",
            ]
        )
        results[name] = seconds
        print(
            f"({name}) {seconds:8.1f} s  peak RSS {rss} MiB  {counts(db_path)}\n"
            f"    stages: {json.dumps(last_stages(db_path))}",
            flush=True,
        )
    print(f"{n:,} files; ratio r/s {results['r'] / results['s']:.2f}")


if __name__ == "__main__":
    main()
