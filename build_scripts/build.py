"""The build, as one linear script: gather everything, link it, render it, write it.

    knowledge = load the curated files
    captures  = discover + read + decode + clean + extract every capture (one bad file is skipped)
    archive   = link the whole index (events, people, related articles)
    pages     = render every page from the archive
    write     = atomic writes of changed files only, hand edits kept
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .clean import CleanOptions, clean
from .errors import CaptureError
from .export import articles_json
from .extract import ExtractOptions, extract
from .ingest import IngestOptions, decode, discover, read_source
from .knowledge import load_knowledge, slugify
from .link import LinkOptions, link_archive
from .records import Archive, Article
from . import render
from .writer import DocsWriter, WriteReport

log = logging.getLogger(__name__)
ASSETS = Path(__file__).parent / "assets"


@dataclass(frozen=True)
class BuildOptions:
    seeds: Path = Path("seeds")
    docs: Path = Path("docs")
    knowledge: Path = Path("knowledge")
    strict: bool = False
    check: bool = False
    ingest: IngestOptions = IngestOptions()
    clean: CleanOptions = CleanOptions()
    link: LinkOptions = LinkOptions()


@dataclass
class BuildReport:
    captures: int = 0
    articles: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    uncurated: int = 0
    write: WriteReport = field(default_factory=WriteReport)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


def build(options: BuildOptions) -> BuildReport:
    report, clock = BuildReport(), time.perf_counter()
    knowledge = load_knowledge(options.knowledge)
    extract_options = ExtractOptions.from_knowledge(knowledge)
    report.stages["load"] = time.perf_counter() - clock
    paths = discover(options.seeds, options.ingest)
    ids = assign_ids([p.relative_to(options.seeds).as_posix() for p in paths])
    articles = [a for p in paths if (a := process_capture(p, ids, options, extract_options, report))]
    report.captures, report.articles = len(paths), len(articles)
    report.stages["extract"] = time.perf_counter() - clock - sum(report.stages.values())
    archive = link_archive(articles, knowledge, options.link)
    report.uncurated = sum(1 for e in (*archive.people, *archive.organizations) if not e.curated)
    report.stages["link"] = time.perf_counter() - clock - sum(report.stages.values())
    writer = DocsWriter(options.docs, check=options.check)
    for rel, content in render_pages(archive):
        writer.add(rel, content)
    report.write = writer.apply()
    report.warnings += [f"{rel}: edited by hand, kept as is" for rel in report.write.kept_edits]
    report.stages["render+write"] = time.perf_counter() - clock - sum(report.stages.values())
    report.seconds = time.perf_counter() - clock
    return report


def assign_ids(rels: list[str]) -> dict[str, str]:
    """Stable, unique, URL-safe page ids from capture paths."""
    slugs = {rel: slugify(re.sub(r"\.[^./]+$", "", rel).replace("/", "-")) or "capture" for rel in rels}
    counts: dict[str, int] = {}
    for s in slugs.values():
        counts[s] = counts.get(s, 0) + 1
    return {rel: s if counts[s] == 1 else f"{s}-{hashlib.sha1(rel.encode()).hexdigest()[:8]}"
            for rel, s in slugs.items()}


def process_capture(path: Path, ids: dict[str, str], options: BuildOptions,
                    extract_options: ExtractOptions, report: BuildReport) -> Article | None:
    """Read, decode, clean and extract one capture. A bad capture is named and skipped."""
    rel = path.relative_to(options.seeds).as_posix()
    try:
        capture = decode(read_source(path, options.seeds, options.ingest))
        cleaned = clean(capture, options.clean)
        if not cleaned.blocks:
            raise CaptureError("no article text found after cleaning", path=rel)
        return extract(cleaned, ids[rel], extract_options)
    except CaptureError as exc:
        report.skipped.append(str(exc))
        report.warnings.append(f"skipped {exc}")
        log.warning("skipped %s", exc)
        return None


def render_pages(archive: Archive):
    """Every generated file of ``docs/``, as (path relative to docs, content)."""
    for a in archive.articles:
        yield f"articles/{a.id}.md", render.render_article(a, archive)
    for e in archive.events:
        yield f"events/{e.id}.md", render.render_event(e, archive)
    for p in archive.people:
        yield f"people/{p.id}.md", render.render_entity(p, archive, "people")
    for o in archive.organizations:
        yield f"organizations/{o.id}.md", render.render_entity(o, archive, "organizations")
    yield "articles/index.md", render.render_articles_index(archive)
    yield "events/index.md", render.render_events_index(archive)
    yield "people/index.md", render.render_entity_index(archive.people, archive, "people", "People")
    yield "organizations/index.md", render.render_entity_index(archive.organizations, archive, "organizations", "Organizations")
    yield "timeline.md", render.render_timeline(archive)
    yield "index.md", render.render_home(archive)
    yield "tags.md", render.render_tags()
    yield "data/articles.json", articles_json(archive)
    for asset in sorted(ASSETS.iterdir()):
        yield f"assets/{asset.name}", asset.read_bytes()
