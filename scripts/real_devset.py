"""Score the extractor on the real development set (tests/real).

The set is real English news that nobody on the team wrote. Only the annotations and the
locators are committed (tests/real/gold/*.json); the texts are other people's writing and
live in the git-ignored tests/real/texts/, one <id>.txt per item, gathered as
docs/real-devset.md describes. This script:

  check   says which texts are present and whether each matches its recorded sha256;
  score   builds the present texts into a database (with their publication dates) and
          scores it against the gold, overall and by genre, "fully right" first;
  agree   scores the second annotations of held-out batches (tests/real/agreement/, made
          blind by another reader from the same texts) against the first, both ways: what
          one careful reader scores against another, the ceiling of "fully right".

    python scripts/real_devset.py check [--set heldout]
    python scripts/real_devset.py score [--set heldout] [--json report.json] [--errors]
                                        [--by-batch]
    python scripts/real_devset.py agree [--errors]

`--set dev` (the default) is the development set the rules were made on; `--set heldout`
is a set gathered and annotated later, that no rule was made on, scored once before any
rule looks at it (docs/real-devset.md). `--by-batch` scores each annotation file on its own
as well: a rule made on one batch is kept only if the batches it was not made on do not get
worse (docs/real-devset.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpusqa.build import build  # noqa: E402
from corpusqa.evaluate import agreement, evaluate  # noqa: E402
from corpusqa.normalise import normalise, split_title  # noqa: E402

REAL = ROOT / "tests" / "real"
SETS = {"dev": REAL / "gold", "heldout": REAL / "heldout"}
# The stored-page search tool prefixes each page with its crawl date: metadata, not text.
_TOOL_PREFIX = re.compile(r"^\s*date \d{4}-\d{2}-\d{2} ")


def gold_articles(folder: Path = REAL / "gold") -> list[dict]:
    """Every annotated item of the set, in id order."""
    articles = []
    for path in sorted(folder.glob("*.json")):
        articles.extend(json.loads(path.read_text(encoding="utf-8"))["articles"])
    return sorted(articles, key=lambda a: a["id"])


def batches(folder: Path) -> dict[str, str]:
    """The annotation file (its stem: "h17", "rb") each item of the set comes from."""
    return {
        article["id"]: path.stem
        for path in sorted(folder.glob("*.json"))
        for article in json.loads(path.read_text(encoding="utf-8"))["articles"]
    }


def text_status(article: dict, texts: Path = REAL / "texts") -> str:
    """ "ok", "missing", or "changed" (the file is there but its sha256 differs)."""
    path = texts / f"{article['id']}.txt"
    if not path.exists():
        return "missing"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return "ok" if digest == article["sha256"] else "changed"


def corpus_row(article: dict, texts: Path = REAL / "texts") -> dict:
    """The item as a JSONL row for `corpusqa build`: headline split off, crawl prefix dropped."""
    raw = (texts / f"{article['id']}.txt").read_text(encoding="utf-8")
    title, body = split_title(normalise(_TOOL_PREFIX.sub("", raw, count=1)).text)
    return {
        "id": article["id"],
        "title": title,
        "text": body,
        "published": article.get("published"),
        "url": article.get("url"),
        "source": article.get("outlet"),
    }


def check(articles: list[dict]) -> int:
    statuses = {a["id"]: text_status(a) for a in articles}
    for kind in ("missing", "changed"):
        ids = [i for i, s in statuses.items() if s == kind]
        if ids:
            print(f"{kind}: {len(ids)}: {' '.join(ids)}")
    present = sum(1 for s in statuses.values() if s == "ok")
    print(f"{present} of {len(articles)} texts present and unchanged")
    return 0 if present == len(articles) else 1


def score(
    articles: list[dict],
    json_path: Path | None,
    errors: bool,
    batch_of: dict[str, str] | None = None,
) -> int:
    """Build the present texts and score them: all, by genre, and by batch when BATCH_OF
    says which batch each item is from."""
    present = [a for a in articles if text_status(a) == "ok"]
    if not present:
        print("no texts present: see docs/real-devset.md", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "real.jsonl"
        corpus.write_text(
            "".join(json.dumps(corpus_row(a), ensure_ascii=False) + "\n" for a in present),
            encoding="utf-8",
        )
        db_path = Path(tmp) / "real.db"
        result = build([corpus], db_path)
        for reject in result.rejects:
            print(f"rejected: {reject}", file=sys.stderr)
        groups = {"all": present}
        for article in present:
            groups.setdefault(article.get("genre", "?"), []).append(article)
        for article in present if batch_of else ():
            groups.setdefault(f"batch {batch_of[article['id']]}", []).append(article)
        summary = {}
        for name, members in groups.items():
            gold = Path(tmp) / f"gold-{name}.json"
            gold.write_text(json.dumps({"articles": members}), encoding="utf-8")
            report = evaluate(db_path, gold)
            summary[name] = report.as_dict()
            print(
                f"{name:<10} {len(members):>3} items  fully right {report.fully_right_share:.3f}"
                f" ({report.fully_right[0]}/{report.fully_right[1]})"
                f"  claims F1 {report.claims.f1:.3f} (P {report.claims.precision:.3f}"
                f" R {report.claims.recall:.3f})  persons F1 {report.persons.f1:.3f}"
            )
            if name == "all":
                lines = report.lines()
                print("\n".join(lines if errors else lines[:6]))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


def agree(errors: bool) -> int:
    """Print how the second annotations agree with the first, both ways."""
    second_files = sorted((REAL / "agreement").glob("*.json"))
    if not second_files:
        print("no second annotations in tests/real/agreement/")
        return 0
    first: dict = {"articles": []}
    second: dict = {"articles": []}
    for path in second_files:
        second["articles"] += json.loads(path.read_text(encoding="utf-8"))["articles"]
        held_out = (REAL / "heldout" / path.name).read_text(encoding="utf-8")
        first["articles"] += json.loads(held_out)["articles"]
    batches_read = ", ".join(p.stem for p in second_files)
    labels = ("second against first", "first against second")
    for label, tally in zip(labels, agreement(first, second), strict=True):
        right, total = tally.fully_right, tally.claims.gold
        print(
            f"{batches_read}, {label}: fully right {right / total if total else 1:.3f} "
            f"({right}/{total})  claims F1 {tally.claims.f1:.3f} "
            f"(P {tally.claims.precision:.3f} R {tally.claims.recall:.3f})"
        )
        print(
            "  of matched claims, right: "
            + "  ".join(f"{k} {v:.3f}" for k, v in tally.attributes().items())
        )
        if errors:
            for title, items in (
                ("claims missed", tally.claims.misses),
                ("claims extra", tally.claims.extras),
                ("claim attributes wrong", tally.attribute_errors),
            ):
                if items:
                    print(f"{title}:")
                    print("\n".join(f"  {item}" for item in items))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    checking = sub.add_parser("check", help="which texts are present and unchanged")
    scoring = sub.add_parser("score", help="build the present texts and score them")
    for command in (checking, scoring):
        command.add_argument("--set", choices=sorted(SETS), default="dev", dest="which")
    scoring.add_argument("--json", type=Path, help="write every figure to this file")
    scoring.add_argument("--errors", action="store_true", help="list every miss and error")
    scoring.add_argument("--by-batch", action="store_true", help="score each batch too")
    agreeing = sub.add_parser("agree", help="score the second annotations against the first")
    agreeing.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    if args.command == "agree":
        return agree(args.errors)
    articles = gold_articles(SETS[args.which])
    if args.command == "check":
        return check(articles)
    batch_of = batches(SETS[args.which]) if args.by_batch else None
    return score(articles, args.json, args.errors, batch_of)


if __name__ == "__main__":
    sys.exit(main())
