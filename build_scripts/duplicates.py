"""Exact duplicates: the same bytes dropped in twice under different names.

Neither copy is dropped. The capture that entered the archive first (then the first by
path) is the original; every other copy keeps its own page, marked "exact duplicate of"
the original and linked to it, and the build report names it. (Near-duplicates, the same
story with different page furniture, are a matter for linking, not for this module.)
"""
from __future__ import annotations

from dataclasses import replace

from .markup import escape, link
from .records import Archive, Article


def mark_duplicates(articles: list[Article]) -> tuple[list[Article], list[str]]:
    """The articles with ``duplicate_of`` set on every copy but the original, and one note per copy."""
    originals: dict[str, Article] = {}
    for a in sorted(articles, key=lambda a: (a.entered or "", a.seed)):
        if a.origin == "capture" and a.seed_sha256:
            originals.setdefault(a.seed_sha256, a)
    out, notes = [], []
    for a in articles:
        first = originals.get(a.seed_sha256) if a.origin == "capture" else None
        if first is None or first.id == a.id:
            out.append(replace(a, duplicate_of=None) if a.duplicate_of else a)
            continue
        out.append(replace(a, duplicate_of=first.id))
        notes.append(f"{a.seed}: exact duplicate of {first.seed} (same bytes); "
                     "kept, and its page links to the original")
    return out, notes


def duplicate_facts(a: Article, archive: Archive) -> list[tuple[str, str]]:
    """The row of the article's facts list that links a duplicate to its original."""
    if not a.duplicate_of:
        return []
    original = archive.by_id.get(a.duplicate_of)
    if original is None:
        return [("Duplicate", f"exact duplicate of {escape(a.duplicate_of)}")]
    return [("Duplicate", f"exact duplicate of {link(original.title, f'{original.id}.md')} "
                          f"(the same bytes as {escape(original.seed)})")]
