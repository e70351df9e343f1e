"""Data exports: ``data/articles.json``, one record per article."""
from __future__ import annotations

import json

from .ingest import raw_copy
from .records import Archive
from .render import article_meta, render_blocks


def articles_json(archive: Archive) -> str:
    """Every front-matter field plus ``text``: the article text exactly as on its page."""
    records = []
    for a in sorted(archive.articles, key=lambda a: a.id):
        record = article_meta(a)
        record["date_basis"] = a.date.basis
        record["event_basis"] = a.event_basis
        record["text"] = a.markdown if a.origin == "curator" else render_blocks(a.blocks)
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def captures_json(archive: Archive) -> str:
    """The fixity manifest: every capture, its SHA-256, size and when it entered the archive."""
    records = [{"seed": a.seed, "sha256": a.seed_sha256, "size": a.seed_size, "entered": a.entered,
                "article": a.id} for a in sorted(archive.articles, key=lambda a: a.seed) if a.origin == "capture"]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def sha256sums(archive: Archive) -> str:
    """``sha256sum -c`` compatible list of the raw captures published under captures/."""
    return "".join(f"{a.seed_sha256}  {raw_copy(a.seed)}\n" for a in sorted(archive.articles, key=lambda a: a.seed)
                   if a.origin == "capture")
