"""The archive's RSS 2.0 feed (``feed.xml``): its articles, newest first.

Dates are given only at the precision they are known: each item carries ``dc:date``
(W3C-DTF, which allows ``2023``, ``2023-07`` and ``2023-07-16``) and no ``pubDate``,
whose RFC 822 form would need a day and a time of day that the capture never stated.
An inferred date is said to be inferred in the item's description.
"""
from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from .cite import ArchiveInfo, CiteItem, cite_items, page_path
from .records import Archive, Article

FEED_PATH = "feed.xml"
FEED_ITEMS = 100  # the most recent articles; the data exports hold all of them
DC = "http://purl.org/dc/elements/1.1/"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("dc", DC)
ET.register_namespace("atom", ATOM)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def lead(a: Article, limit: int = 400) -> str:
    """The article's first paragraph, shortened on a word boundary."""
    text = next((b.text for b in a.blocks if b.kind == "paragraph" and b.text.strip()), "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _item(channel: ET.Element, item: CiteItem, a: Article) -> None:
    el = _sub(channel, "item")
    _sub(el, "title", item.title)
    _sub(el, "link", item.url or page_path(item.id))
    _sub(el, "guid", f"{item.archive}:{item.id}", isPermaLink="false")
    about = []
    if item.inferred:
        about.append(f"Date inferred by the archive: {item.date_basis or 'see the article page'}.")
    if item.event:
        about.append(f"Reports: {item.event.title}.")
    description = " ".join([lead(a), *about]).strip()
    if description:
        _sub(el, "description", html.escape(description, quote=False))  # RSS descriptions are HTML
    for tag in item.tags:
        _sub(el, "category", tag)
    if item.container:
        _sub(el, f"{{{DC}}}publisher", item.container)
    if item.date:
        _sub(el, f"{{{DC}}}date", item.date.iso())
    if item.language:
        _sub(el, f"{{{DC}}}language", item.language)


def rss(archive: Archive, info: ArchiveInfo, limit: int = FEED_ITEMS) -> str:
    """The feed as text; deterministic (no build time in it)."""
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", info.name)
    _sub(channel, "link", info.url or "./")
    _sub(channel, "description", info.description or info.name)
    if info.url:
        _sub(channel, f"{{{ATOM}}}link", href=info.absolute(FEED_PATH) or "", rel="self", type="application/rss+xml")
    _sub(channel, "generator", "build_scripts (news capture archive)")
    by_id = {a.id: a for a in archive.articles}
    items = cite_items(archive, info)
    newest_first = list(reversed([i for i in items if i.date]))
    undated = [i for i in items if not i.date]
    for item in (newest_first + undated)[:limit]:
        _item(channel, item, by_id[item.id])
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
