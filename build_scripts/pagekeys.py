"""Keys of the inputs of the pages rendered once per article or per entity.

A page whose key is the one it was last generated from is not rendered again (the
writer keeps it, ``writer.Lazy``): after one capture changed, only the pages that show
something of it are. A key digests everything its renderer reads: the code and the
knowledge (``fingerprint``, so any change to either renders everything again), the
page's own records, and a digest of every other article the page shows (``card``: all
of the article but its text, which only its own page shows).

When a renderer starts reading something new from the archive, its key here must cover
it; ``tests/test_incremental.py`` checks incremental builds against cold ones after
many kinds of change.
"""
from __future__ import annotations

import dataclasses

from .cache import digest
from .cite import ArchiveInfo, CiteItem
from .features import TEXT_FIELDS, text_key
from .records import Archive, Article, Entity
from .render import RELATED_SHOWN, nearest_coverage
from .render_analysis import archive_uses_by_article


_CARD_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name not in TEXT_FIELDS)


def _card(a: Article) -> str:
    """A digest of all of an article but its text (``TEXT_FIELDS``)."""
    return digest(*(getattr(a, n) for n in _CARD_FIELDS))


class PageKeys:
    """``text_keys``: article id -> ``features.text_key`` of its text, as the per-capture
    stage computed it (the others are computed here)."""

    def __init__(self, archive: Archive, fingerprint: str, info: ArchiveInfo,
                 text_keys: dict[str, str] | None = None) -> None:
        self.archive, self.base, self.text_keys = archive, (fingerprint, info), text_keys or {}
        self.formulations = digest(archive.formulations)
        self.cards = {a.id: _card(a) for a in archive.articles}

    def card(self, article_id: str) -> str | None:
        return self.cards.get(article_id)

    def article(self, pristine: Article) -> str:
        """``render.render_article``: the article as extracted and as curated, its event,
        the same-event coverage it lists, related articles, shared text, formulations."""
        archive, a = self.archive, pristine
        curated = archive.by_id.get(a.id, a)
        card = (self.cards.get(a.id) if curated is a else None) or _card(a)  # with the text: every field
        coverage = archive.by_event.get(a.event or "", ())
        same = [self.card(o.id) for o in nearest_coverage(a, coverage)]
        related = [(r.article_id, r.reason) for r in archive.related.get(a.id, ())[:RELATED_SHOWN]]  # not the score
        reuse = archive.reuse.get(a.id, ())
        return digest(self.base, card, self.text_keys.get(a.id) or text_key(a), None if curated is a else curated,
                      archive.event_by_id.get(a.event or ""),
                      same, len(coverage),
                      related, [self.card(r) for r, _ in related],
                      reuse, [self.card(r.article_id) for r in reuse],
                      archive_uses_by_article(archive).get(a.id, ()), self.formulations,
                      self.card(a.duplicate_of) if a.duplicate_of else None)

    def entity(self, e: Entity, field: str) -> str:
        """``render.render_entity``: the entity, the articles naming it and their mentions
        (which a card covers: they are the article's ``people`` or ``organizations``)."""
        found = self.archive.mentions.get((field, e.id), ())
        return digest(self.base, e, field, [self.card(a.id) for a, _ in found])

    def citation(self, item: CiteItem) -> str:
        """A per-article citation file: the item is all it reads."""
        return digest(self.base, item)
