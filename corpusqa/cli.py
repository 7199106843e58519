"""The `corpusqa` command line."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from . import __version__
from .build import BuildLocked
from .build import build as run_build
from .load import recorded_row_files, serve_in_wal
from .read import (
    DEFAULT_MAX_BYTES,
    Reject,
    SourceError,
    UnreadRows,
    estimate_items,
    input_files,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROGRESS_THRESHOLD = 500
# Above this many articles, serve turns off Datasette's facet suggestions.
LARGE_CORPUS = 10_000


@click.group()
@click.version_option(__version__, prog_name="corpusqa")
def cli() -> None:
    """Turn a folder of news articles into a Datasette publication."""


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--db",
    "db_path",
    default="corpus.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Database file to build.",
)
@click.option("--full", is_flag=True, help="Rebuild from nothing instead of incrementally.")
@click.option(
    "--rehash",
    is_flag=True,
    help="Read and hash every input, even files whose size and mtime are unchanged.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 if any input was rejected.")
@click.option(
    "--max-bytes",
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    type=int,
    help="Reject input files larger than this.",
)
@click.option(
    "--workers",
    "-w",
    default=os.cpu_count() or 1,
    show_default="number of cores",
    type=click.IntRange(min=1),
    help="Processes that extract articles in parallel.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print neither rejects nor the summary.")
def build(
    sources: tuple[Path, ...],
    db_path: Path,
    full: bool,
    rehash: bool,
    strict: bool,
    max_bytes: int,
    workers: int,
    quiet: bool,
) -> None:
    """Build DB from SOURCES: directories of .txt files, .jsonl files or .csv files.

    Re-running is incremental: files whose size and mtime are unchanged are not
    read again (unless --rehash), unchanged articles are skipped, changed ones are
    replaced, and articles no longer in SOURCES are removed. The database
    changes only when the build completes: a failed build leaves it as it was.
    """
    try:
        files = input_files(sources)
    except SourceError as exc:
        raise click.UsageError(str(exc)) from exc
    show_progress = not quiet and sys.stderr.isatty()
    # Estimated without reading a file: a row file the build will skip counts what the
    # database recorded for it, any other its size in rows (see estimate_items).
    total = 0
    if show_progress:
        recorded = {} if full or rehash else recorded_row_files(db_path)
        total = estimate_items(files, recorded)
    show_progress = show_progress and total >= PROGRESS_THRESHOLD
    with click.progressbar(
        length=total, label="Building", file=sys.stderr, hidden=not show_progress
    ) as bar:

        def on_item(item: object) -> None:
            step = item.n_articles if isinstance(item, UnreadRows) else 1
            # The total is an estimate: a file with more rows than its size suggested grows it.
            bar.length = max(bar.length, bar.pos + step)
            bar.update(step)
            if isinstance(item, Reject) and not quiet:
                click.echo(f"rejected {item}", err=True)

        try:
            result = run_build(
                sources,
                db_path,
                full=full,
                rehash=rehash,
                max_bytes=max_bytes,
                on_item=on_item,
                workers=workers,
            )
        except BuildLocked as exc:
            raise click.ClickException(str(exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            # A full disk, say: the build left the database as it was, and says so plainly.
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
            raise click.ClickException(
                f"build failed, {db_path} is unchanged: {reason}{where}"
            ) from exc
    if not quiet:
        click.echo(f"{db_path}: {result.summary()}")
    if strict and result.rejected:
        raise click.ClickException(f"{result.rejected} input(s) rejected (--strict)")


@cli.command()
@click.argument(
    "db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--metadata",
    default=PROJECT_ROOT / "metadata.yml",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Datasette metadata file.",
)
@click.option(
    "--template-dir",
    default=PROJECT_ROOT / "templates",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Datasette templates directory.",
)
@click.option(
    "--plugins-dir",
    default=PROJECT_ROOT / "plugins",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Datasette plugins directory.",
)
def serve(
    db_path: Path, host: str, port: int, metadata: Path, template_dir: Path, plugins_dir: Path
) -> None:
    """Publish DB with Datasette, with the project's metadata, templates and plugins.

    A build updates DB in place in one SQLite transaction, in WAL mode: every query sees
    the build committed when it started, never part of one, and a build that commits while
    serving is served from its next query on. Above 10,000 articles facet suggestions are
    turned off: each one scans a column.
    """
    articles = _prepare_for_serving(db_path)
    datasette = [sys.executable, "-m", "datasette"]
    # Facet suggestion runs a query per column on every table page: fine for a sample,
    # a scan of every column at a million articles.
    settings = ["--setting", "suggest_facets", "off"] if articles > LARGE_CORPUS else []
    command = [
        *datasette,
        "serve",
        *settings,
        str(db_path),
        "--metadata",
        str(metadata),
        "--template-dir",
        str(template_dir),
        "--plugins-dir",
        str(plugins_dir),
        "--host",
        host,
        "--port",
        str(port),
    ]
    click.echo(f"Serving {db_path} on http://{host}:{port}/", err=True)
    os.execv(sys.executable, command)


def _prepare_for_serving(db_path: Path) -> int:
    try:
        return serve_in_wal(db_path)
    except sqlite3.OperationalError as exc:
        raise click.ClickException(f"{db_path}: cannot serve it ({exc})") from exc


@cli.command()
@click.argument(
    "db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Gold annotations, in the format of shared/gold/seeds.json.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures, misses and extras to this JSON file.",
)
@click.option(
    "--min-f1",
    type=float,
    default=None,
    help="Exit with status 1 if any F1 or attribute accuracy is below this.",
)
def evaluate(db_path: Path, gold_path: Path, json_path: Path | None, min_f1: float | None) -> None:
    """Score DB against gold annotations: precision, recall and F1 for claims, persons and
    places, the accuracy of each claim attribute, and every miss and extra."""
    from .evaluate import evaluate as run_evaluation

    report = run_evaluation(db_path, gold_path)
    for line in report.lines():
        click.echo(line)
    if json_path is not None:
        json_path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    if min_f1 is not None and report.worst_f1() < min_f1:
        raise click.ClickException(f"a score is below --min-f1 {min_f1}")


@cli.command()
@click.argument(
    "db_path", metavar="DB", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--fail-on",
    default="",
    metavar="KIND,...",
    help="Exit with status 1 if any flag of these kinds (comma-separated) is raised.",
)
def check(db_path: Path, fail_on: str) -> None:
    """Print the corpus QA report for DB: every quality flag, grouped by kind, with the
    article, the claim and the evidence text."""
    from .check import KINDS, report

    wanted = {k.strip() for k in fail_on.split(",") if k.strip()}
    unknown = wanted - set(KINDS)
    if unknown:
        raise click.BadParameter(
            f"unknown kind(s): {', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}",
            param_hint="--fail-on",
        )
    lines, counts = report(db_path)
    for line in lines:
        click.echo(line)
    failing = sorted(k for k in wanted if counts[k])
    if failing:
        raise click.ClickException(f"flags raised: {', '.join(failing)}")


if __name__ == "__main__":
    cli()
