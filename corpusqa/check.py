"""The corpus QA report: every quality flag, grouped by kind, with its evidence."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import sqlite_utils

KINDS = (
    "conflicting_report",
    "breakdown_mismatch",
    "ambiguous_breakdown",
    "name_variant",
    "untranslated_word",
    "unattributed_claim",
    "formatting",
    "same_story",
)
EVIDENCE_WIDTH = 160


def _evidence(row: dict) -> str | None:
    if row["claim_sentence"]:
        text = row["claim_sentence"]
    elif row["span_start"] is not None and row["span_end"] > row["span_start"]:
        body = row["body"]
        margin = (EVIDENCE_WIDTH - (row["span_end"] - row["span_start"])) // 2
        start = max(body.rfind("\n", 0, row["span_start"]) + 1, row["span_start"] - margin)
        end = body.find("\n", row["span_end"])
        end = min(end if end >= 0 else len(body), row["span_end"] + margin)
        text = ("…" if start > 0 and body[start - 1] != "\n" else "") + body[start:end]
    else:
        return None
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_WIDTH else text[: EVIDENCE_WIDTH - 1] + "…"


def report(db_path: Path) -> tuple[list[str], Counter[str]]:
    """The report's lines, and how many flags of each kind there are."""
    db = sqlite_utils.Database(db_path)
    rows = list(
        db.query("""
        select qa_flags.*, articles.body, claims.sentence as claim_sentence
        from qa_flags
        join articles on articles.id = qa_flags.article_id
        left join claims on claims.id = qa_flags.claim_id
        order by qa_flags.kind, qa_flags.article_id, qa_flags.span_start
    """)
    )
    counts = Counter(row["kind"] for row in rows)
    stories = db.execute("select count(*) from stories where n_articles > 1").fetchone()[0]
    conflicts = db.execute("select count(*) from events where consistent = 0").fetchone()[0]
    lines = [
        f"{db['articles'].count} articles, {db['claims'].count} claims, "
        f"{db['events'].count} events ({conflicts} inconsistent), "
        f"{stories} stories told by more than one article, {len(rows)} flags",
    ]
    order = [k for k in KINDS if k in counts] + sorted(set(counts) - set(KINDS))
    for kind in order:
        lines.append("")
        lines.append(f"{kind} ({counts[kind]})")
        for row in (r for r in rows if r["kind"] == kind):
            where = row["claim_id"] or row["article_id"]
            lines.append(f"  [{row['severity']}] {where}: {row['detail']}")
            evidence = _evidence(row)
            if evidence:
                lines.append(f"      “{evidence}”")
    return lines, counts
