"""Command line: ``python -m build_scripts build``. A thin layer over ``build.build``."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from .build import BuildOptions, BuildReport, build
from .errors import ArchiveError
from .ingest import IngestOptions

FAST_EXIT = False  # set by ``python -m build_scripts``; never in tests, which call ``main`` in-process


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress and decisions.")
def main(verbose: bool) -> None:
    """Static-site digital archive generator."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@main.command("build")
@click.option("--seeds", type=click.Path(file_okay=False, path_type=Path), default=Path("seeds"),
              show_default=True, help="Folder of raw captures (read recursively).")
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True, help="Folder of Markdown pages to write.")
@click.option("--knowledge", type=click.Path(file_okay=False, path_type=Path), default=Path("knowledge"),
              show_default=True, help="Folder of curated YAML files.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) when there are warnings.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if docs/ differs from what the build produces.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=Path(".cache/archive"),
              show_default=True, help="Folder of the per-capture cache (safe to delete).")
@click.option("--no-cache", is_flag=True, help="Process every capture afresh and keep no cache.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for per-capture stages and for rendering and writing pages [default: one per core].")
@click.option("--max-bytes", type=click.IntRange(min=1), default=IngestOptions().max_bytes, show_default=True,
              help="Skip (and name) captures larger than this many bytes.")
def build_command(seeds: Path, docs: Path, knowledge: Path, strict: bool, check: bool, cache_dir: Path,
                  no_cache: bool, jobs: int | None, max_bytes: int) -> None:
    """Build docs/ from the captures in seeds/."""
    if not seeds.is_dir():
        raise click.UsageError(f"seeds folder not found: {seeds}")
    try:
        report = build(BuildOptions(seeds=seeds, docs=docs, knowledge=knowledge, strict=strict, check=check,
                                    ingest=IngestOptions(max_bytes=max_bytes), workers=jobs,
                                    cache=None if no_cache else cache_dir / "captures.sqlite"))
    except ArchiveError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the boundary: no traceback reaches a user
        logging.getLogger(__name__).info("internal error", exc_info=True)
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with -v for details)", err=True)
        sys.exit(1)
    print_report(report, check)
    finish(1 if (check and report.write.differs) or (strict and report.warnings) else 0)


def finish(code: int) -> None:
    """End the build command with ``code``. Run as ``python -m build_scripts``, the process
    ends at once once its output is flushed: freeing a large archive's million objects one
    by one at interpreter exit takes seconds (about 2 s at 10,000 captures) and changes
    nothing, as every file was written and closed before the report was printed."""
    if FAST_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    if code:
        sys.exit(code)


@main.command("serve")
@click.option("--seeds", type=click.Path(file_okay=False, path_type=Path), default=Path("seeds"), show_default=True)
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"), show_default=True)
@click.option("--knowledge", type=click.Path(file_okay=False, path_type=Path), default=Path("knowledge"),
              show_default=True)
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="MkDocs configuration.")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--dirty/--no-dirty", default=None,
              help="After an edit, MkDocs rebuilds only the changed pages (faster; Pagefind re-indexes in the "
                   "background; Material's tags page stays as first built) [default: above 500 article pages].")
def serve_command(seeds: Path, docs: Path, knowledge: Path, config_file: Path, dev_addr: str,
                  dirty: bool | None) -> None:
    """Build, serve the site, and rebuild whenever a capture, a knowledge file or a page changes."""
    from .serve import serve, wants_dirty

    def on_report(report: BuildReport) -> None:
        w = report.write
        click.echo(f"rebuilt in {report.seconds:.2f}s: {len(w.written)} written, {len(w.deleted)} deleted, "
                   f"{len(report.warnings)} warning(s)", err=True)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)

    if dirty is None:
        dirty = wants_dirty(docs)
    if dirty:
        click.echo("mkdocs serve --dirty: after an edit only the changed pages are rebuilt (search is "
                   "re-indexed in the background; the tags page stays as first built until a restart)", err=True)
    options = BuildOptions(seeds=seeds, docs=docs, knowledge=knowledge, remember=True)  # rebuilds reuse memory
    sys.exit(serve(options, config_file, dev_addr, on_report, dirty))


def print_report(report: BuildReport, check: bool) -> None:
    w = report.write
    click.echo(f"{report.captures} captures, {report.articles} articles, {len(report.skipped)} skipped, "
               f"{report.hand_written} hand-written pages, {report.uncurated} uncurated names")
    if check:
        state = "up to date" if not w.differs else f"{len(w.differs)} file(s) differ"
        click.echo(f"check: docs/ {state}")
        for rel in w.differs:
            click.echo(f"  differs: {rel}")
    else:
        click.echo(f"docs: {len(w.written)} written, {len(w.unchanged)} unchanged, {len(w.deleted)} deleted, "
                   f"{len(w.merged)} with hand edits merged, {len(w.kept)} hand-written kept")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.stages.items())
    click.echo(f"done in {report.seconds:.2f}s ({stages})")
