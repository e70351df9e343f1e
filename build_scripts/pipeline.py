"""The build, as one linear script: gather everything, link it, render it, write it.

    knowledge = load the curated files
    articles  = discover + read + decode + clean + extract every capture (a bad one is skipped)
    articles += what curators wrote in docs/ (edited fields, hand-written article pages)
    archive   = link the whole index (events, people, related articles)
    pages     = render every page from the archive
    write     = merge with hand edits, atomic writes of changed files only

``build.build`` runs it when some input changed since the last build.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sys
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from tqdm import tqdm

from . import render, render_analysis, state, timeline
from .build import BuildReport
from .cache import fingerprint, load_memo, save_memo
from .cite import ArchiveInfo, citation_files, default_info
from .curate import curate
from .duplicates import mark_duplicates
from .export import data_files, sha256sums
from .feeds import FEED_PATH, rss
from .extract import ExtractOptions
from .features import Features
from .forked import Forked, worth_forking
from .ingest import raw_copy
from .knowledge import load_knowledge, slugify
from .link import LINK_STEPS, link_archive
from .options import BuildOptions
from .parallel import StageOptions, extract_all
from .pagekeys import PageKeys
from .records import Archive, Article
from .reuse import PairMemo
from .writer import DocsWriter, KnownFiles, Lazy

log = logging.getLogger(__name__)
ASSETS = Path(__file__).parent / "assets"
CAPTURES_STATE = "data/captures.json"  # also the state of when each capture entered


def full_build(options: BuildOptions, paths: list[Path], started: float,
               seen: list[tuple[str, int, int]] | None = None) -> BuildReport:
    """``seen``: ``state.tree(docs)`` as walked when the build began (lets the writer keep
    files without a stat each)."""
    report = BuildReport()
    knowledge = load_knowledge(options.knowledge)
    extract_options = ExtractOptions.from_knowledge(knowledge)
    report.lap("load", started)
    ids = assign_ids([p.relative_to(options.seeds).as_posix() for p in paths], previous_ids(options.docs))
    articles, feats = extract_captures(paths, ids, options, extract_options, report)
    articles = stamp_entered(articles, options.docs)
    articles, duplicates = mark_duplicates(articles)  # exact copies: kept, linked to the original
    report.warnings += duplicates
    report.captures, report.articles = len(paths), len(articles)
    report.lap("extract", started)
    known = KnownFiles(options.docs, state.files_index(options.cache, options.docs), seen)
    curation = curate(options.docs, articles, extract_options, known)
    report.hand_written = len(curation.hand_written)
    report.warnings += curation.errors
    pairs_at, pairs_tag = state.memo_file(options.cache, "reuse-pairs"), fingerprint(options.knowledge, entry="reuse")
    pairs = PairMemo(load_memo(pairs_at, pairs_tag))  # text-reuse pairs verified by the last build
    workers = options.workers or os.cpu_count() or 1  # more than one: some steps run in forked processes
    with progress(LINK_STEPS, "steps", size=len(curation.articles), desc="linking") as bar:
        archive = link_archive(curation.articles, knowledge, options.link, feats, lambda: bar.update(1), pairs,
                               fork=workers > 1)
    save_memo(pairs_at, pairs_tag, pairs.used)
    report.uncurated = sum(1 for e in (*archive.people, *archive.organizations) if not e.curated)
    report.lap("link", started)
    info = default_info()  # the archive's name and public URL, for citations, feed and data package
    data = Forked(data_files, archive, info, {i: f.markdown for i, f in feats.items()},
                  enabled=workers > 1 and worth_forking(len(archive.articles)))
    writer = DocsWriter(options.docs, check=options.check, known=known)
    for rel, content in render_pages(archive, options.seeds, curation.pristine, fingerprint(options.knowledge), info,
                                     feats):
        writer.add(rel, content)
    with progress(len(writer.outputs), "files", desc="writing") as bar:  # the data files are made meanwhile
        report.write = writer.apply(workers, tick=bar.update, later=data.result)
    report.warnings += [f"conflict: {c}" for c in report.write.conflicts] + report.write.errors
    report.lap("render+write", started)
    report.seconds = time.perf_counter() - started
    return report


RESERVED_IDS = frozenset({"index"})  # articles/index.md is the articles index


def assign_ids(rels: list[str], previous: dict[str, str] | None = None) -> dict[str, str]:
    """Stable, unique, URL-safe page ids from capture paths.

    The id is the slug of the path; captures whose paths slugify alike (``a b.txt``,
    ``a_b.txt``) get the slug plus a hash of their path. An id a capture had in the last
    build (``previous``: seed -> id) stays with it, so a new capture whose name slugifies
    like an old one never renames the old page.
    """
    slugs = {rel: slugify(re.sub(r"\.[^./]+$", "", rel).replace("/", "-")) or "capture" for rel in rels}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(rels):
        old = (previous or {}).get(rel)
        if old in (slugs[rel], _hashed(slugs[rel], rel)) and old not in RESERVED_IDS and old not in taken:
            ids[rel] = old
            taken.add(old)
    rest = sorted(rel for rel in rels if rel not in ids)
    counts: dict[str, int] = {}
    for rel in rest:
        counts[slugs[rel]] = counts.get(slugs[rel], 0) + 1
    for rel in rest:
        s = slugs[rel]
        new, width = (s if counts[s] == 1 and s not in taken and s not in RESERVED_IDS else _hashed(s, rel)), 8
        while new in taken:
            width += 4
            new = _hashed(s, rel, width)
        ids[rel] = new
        taken.add(new)
    return ids


def _hashed(slug: str, rel: str, width: int = 8) -> str:
    return f"{slug}-{hashlib.sha1(rel.encode()).hexdigest()[:width]}"


def previous_ids(docs: Path) -> dict[str, str]:
    """seed -> article id, as the last build assigned them (from its captures.json)."""
    try:
        return {r["seed"]: r["article"] for r in json.loads((docs / CAPTURES_STATE).read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def extract_captures(paths: list[Path], ids: dict[str, str], options: BuildOptions,
                     extract_options: ExtractOptions, report: BuildReport) -> tuple[list[Article], dict[str, Features]]:
    """Read, decode, clean and extract every capture (cached, parallel), with each article's
    linking features. Bad ones are named and skipped."""
    stage = StageOptions(options.ingest, options.clean)
    with progress(len(paths), "captures", desc="extracting") as bar:
        results = extract_all(paths, options.seeds, ids, stage, extract_options, options.knowledge,
                              options.cache, options.workers, tick=lambda: bar.update(1), remember=options.remember)
    articles, feats = [], {}
    for rel, (status, value) in results:
        if status == "ok":
            article, feats[article.id] = value  # type: ignore[misc]
            articles.append(article)
            continue
        report.skipped.append(str(value))
        report.warnings.append(f"skipped {value}")
        log.warning("skipped %s", value)
    return articles, feats


def progress(total: int, unit: str, size: int | None = None, desc: str | None = None):
    """A progress bar on a terminal for long builds (``size``, or ``total``, of 200 or
    more); silent otherwise (CI, pipes, tests)."""
    return tqdm(total=total, unit=unit, desc=desc, disable=None if (size or total) >= 200 else True, leave=False,
                file=sys.stderr)


def today() -> str:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.date().isoformat()


def stamp_entered(articles: list[Article], docs: Path) -> list[Article]:
    """When each capture entered the archive: kept from earlier builds, today for new ones."""
    try:
        known = {r["seed"]: r["entered"] for r in json.loads((docs / CAPTURES_STATE).read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    date = today()
    return [replace(a, entered=known.get(a.seed) or date) for a in articles]


def render_pages(archive: Archive, seeds: Path, pristine: dict[str, Article], fingerprint: str = "",
                 info: ArchiveInfo | None = None, feats: dict[str, Features] | None = None):
    """Every generated file of ``docs/`` but the data files (``export.data_files``), as
    (path relative to docs, content).

    An article's own page is rendered as extracted (``pristine``), not with its curator's
    edits applied: the writer's three-way merge puts those edits back, and the merge base
    must be what the build itself produces. The pages made once per article or entity are
    ``Lazy``: rendered only when their inputs (``pagekeys``) changed since the last build.
    ``info``: the archive's name and public URL (citations, feed). ``feats``: each article's
    features from the per-capture stage, whose digest of its text fields and text as
    Markdown (``Features.page_text``, ``Features.markdown``) are used, not made again.
    """
    info = info or default_info()
    feats = feats or {}
    keys = PageKeys(archive, fingerprint, info, {i: f.page_text for i, f in feats.items()})
    for a in archive.articles:
        if a.origin == "capture":
            page = pristine.get(a.id, a)
            text = feats[a.id].markdown if a.id in feats else None
            yield f"articles/{a.id}.md", Lazy(keys.article(page), partial(render.render_article, page, archive, text))
            yield f"captures/{raw_copy(a.seed)}", Lazy(a.seed_sha256, (seeds / a.seed).read_bytes)
    for e in archive.events:
        yield f"events/{e.id}.md", render.render_event(e, archive)
    for field_, entities in (("people", archive.people), ("organizations", archive.organizations)):
        for e in entities:
            yield f"{field_}/{e.id}.md", Lazy(keys.entity(e, field_), partial(render.render_entity, e, archive, field_))
    yield "articles/index.md", render.render_articles_index(archive)
    yield "events/index.md", render.render_events_index(archive)
    yield "people/index.md", render.render_entity_index(archive.people, archive, "people", "People")
    yield "organizations/index.md", render.render_entity_index(archive.organizations, archive, "organizations",
                                                               "Organizations")
    for f in archive.formulations:  # issue 4: formulations tracker
        yield f"formulations/{f.id}.md", render_analysis.render_formulation(f, archive)
    yield "formulations/index.md", render_analysis.render_formulations_index(archive)
    yield "timeline.md", timeline.render_timeline(archive)
    yield "index.md", render.render_home(archive)
    yield "tags.md", render.render_tags()
    yield "captures/SHA256SUMS", sha256sums(archive)
    for rel, key, make in citation_files(archive, info, keys.citation):
        yield rel, Lazy(key, make)
    yield FEED_PATH, rss(archive, info)
    for asset in sorted(ASSETS.iterdir()):
        yield f"assets/{asset.name}", asset.read_bytes()
