"""What a capture states about itself: an HTML page's metadata, a Markdown capture's front matter.

Stated metadata outranks what extraction found or inferred from the text: a page that
says it was published on 2021-09-14 was, as far as the archive can know. ``apply_stated``
puts it on the Article; ``stated_facts`` shows what has no front-matter field of its own
(author, canonical URL) on the article page.
"""
from __future__ import annotations

from dataclasses import replace

from .extract import ExtractOptions
from .markup import escape
from .records import Article, Capture



def apply_stated(article: Article, capture: Capture, options: ExtractOptions) -> Article:
    """The article with the capture's stated title, date, outlet, agency and language."""
    meta = dict(capture.meta)
    if not meta:
        return article
    stated_keys = {k for k, _ in capture.meta}  # the page's own metadata first; a byline's author if it has none
    changes: dict = {"meta": capture.meta + tuple((k, v) for k, v in article.meta if k not in stated_keys)}
    if meta.get("title"):
        changes.update(title=meta["title"], title_source="capture")
    # a stated date is read by extract.extract_stated_date, so event matching sees it too
    if meta.get("outlet"):
        found = options.outlets.find(meta["outlet"]) if options.outlets else []
        changes["outlet"] = found[0][2].name if found else meta["outlet"]
    if meta.get("agency"):
        found = options.agencies.find(meta["agency"]) if options.agencies else []
        changes["agency"] = found[0][2].name if found else meta["agency"]
    if meta.get("language"):
        changes["language"] = meta["language"]
    return replace(article, **changes)


def stated_facts(a: Article) -> list[tuple[str, str]]:
    """Rows for the article's facts list: stated author and canonical URL, escaped (never a live link)."""
    meta = dict(a.meta)
    rows = []
    if meta.get("author"):
        rows.append(("Author", escape(meta["author"])))
    if meta.get("url"):
        rows.append(("Canonical URL", escape(meta["url"]) + " (as stated by the capture)"))
    return rows
