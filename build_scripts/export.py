"""Data exports: ``data/articles.json``, one record per article."""
from __future__ import annotations

import json

from .records import Archive
from .render import article_meta, render_blocks


def articles_json(archive: Archive) -> str:
    """Every front-matter field plus ``text``: the article text exactly as on its page."""
    records = []
    for a in sorted(archive.articles, key=lambda a: a.id):
        record = article_meta(a)
        record["date_basis"] = a.date.basis
        record["event_basis"] = a.event_basis
        record["text"] = render_blocks(a.blocks)
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
