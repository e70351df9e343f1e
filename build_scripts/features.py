"""What linking needs from each article on its own, computed once per capture.

Linking compares articles with each other, but most of its work is per article: the
article's words as shingle hashes (text reuse), its term counts (TF-IDF profiles), its
uses of the tracked formulations. Those depend only on the article's title and text and
on the curated formulations, so they are computed in the per-capture stage, next to
extraction: in the worker processes, and kept in the content-hash cache with the
article. Linking then only does the cross-article part.

Each ``Features`` records the digest of the title and text it was computed from; an
article a curator has retitled (or written by hand) no longer matches, and linking
computes its features afresh (``features_for``).
"""
from __future__ import annotations

import functools
import hashlib
import operator
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .cache import digest
from .markup import render_blocks
from .records import Article, Formulation, FormulationUse

SHINGLE = 8  # words per shingle (text reuse)
SAMPLE_MASK = 3  # text reuse indexes the shingles whose hash & SAMPLE_MASK == 0: one in four
WORD = re.compile(r"\w+(?:['’]\w+)?")  # a word, for text reuse: positions count these
_TERM = re.compile(r"[a-z][a-z'-]{2,}|[\u3400-\u9fff]")  # a term, for similarity
_STOP = frozenset("""the and for that with this from have has had was were are been will would should could
its their his her they them there which who whom what when where while said also into over under more most
than then such other about after before between during through against among upon not but all any each
some can may must our out one two new""".split())


@dataclass(frozen=True)
class Features:
    digest: str  # of the title and text these were computed from
    words: int  # words of the text (as text reuse counts them)
    shingles: array  # hash of every run of SHINGLE words, by start position ('q': 8 bytes each)
    sampled: array  # the distinct shingles text reuse indexes (hash & SAMPLE_MASK == 0), sorted
    starts: array  # where each word starts in the text ('I'), to cut shared passages out of it
    terms: tuple[tuple[str, int], ...]  # term counts of title and text, by term
    uses: tuple[tuple[str, FormulationUse], ...]  # (formulation id, use), by formulation id
    page_text: str = ""  # ``text_key``: for the key of the article's own page (``pagekeys``)
    markdown: str = ""  # the text as its page and data/articles.json show it (``markup.render_blocks``)


TEXT_FIELDS = ("blocks", "removed", "markdown")  # what only an article's own page shows of it


def article_text(a: Article) -> str:
    """The cleaned text of an article: one paragraph (or list item) per line."""
    out: list[str] = []
    for b in a.blocks:
        out.extend(b.items if b.kind == "list" else (b.text,))
    return "\n".join(out)


def text_key(a: Article) -> str:
    """A digest of all of an article's ``TEXT_FIELDS``. Curators' edits never change them
    (they edit its other fields), so it is computed once per capture, here, and cached."""
    return digest(*(getattr(a, n) for n in TEXT_FIELDS))


def text_digest(a: Article, text: str | None = None) -> str:
    body = article_text(a) if text is None else text
    return hashlib.blake2b(f"{a.title}\0{body}".encode(), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=1 << 17)
def word_id(word: str) -> int:
    """A word's id: a hash of the word itself, the same in every corpus and every run."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")


def words_of(text: str) -> list[str]:
    """The text's words, lower-cased, curly apostrophes straight."""
    if text.isascii():  # lower() keeps every ASCII word a word: one call for the whole text
        return WORD.findall(text.lower())
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def shingles(ids: Sequence[int]) -> array:
    """Hash of every run of SHINGLE words, by start position (compact: 8 bytes each)."""
    return array("q", map(hash, zip(*(ids[i:] for i in range(SHINGLE)))))


def terms(title: str, text: str) -> Counter[str]:
    return Counter(t for t in _TERM.findall((title + "\n" + text).lower()) if t not in _STOP)


def compute(a: Article, tracked: Sequence[Formulation]) -> Features:
    """The features of one article (pure: the same article gives the same features)."""
    from .formulations import flat, uses_in  # noqa: PLC0415 - formulations imports this module's users

    text = article_text(a)
    with_title = f"{a.title}\n{text}"
    flat_text = flat(with_title)
    uses = tuple((f.id, use) for f in sorted(tracked, key=lambda f: f.id)
                 if (use := uses_in(a, f, with_title, flat_text)))
    counts = terms(a.title, text)
    return Features(text_digest(a, text), *reuse_parts(text), tuple(sorted(counts.items())), uses, text_key(a),
                    render_blocks(a.blocks))


def reuse_parts(text: str) -> tuple[int, array, array, array]:
    """What text reuse needs of a text: (words, shingles, sampled shingles, word starts)."""
    words = words_of(text)
    hashes = shingles([word_id(w) for w in words])
    return len(words), hashes, sampled(hashes), word_starts(text)


def sampled(hashes: Sequence[int]) -> array:
    return array("q", sorted({h for h in hashes if not h & SAMPLE_MASK}))


def word_starts(text: str) -> array:
    return array("I", map(_START, WORD.finditer(text)))


_START = operator.methodcaller("start")


def features_for(articles: Sequence[Article], tracked: Sequence[Formulation],
                 known: dict[str, Features] | None = None) -> dict[str, Features]:
    """article id -> features: the precomputed ones that still match, the others computed now."""
    out = {}
    for a in articles:
        f = (known or {}).get(a.id)
        out[a.id] = f if f is not None and f.digest == text_digest(a) else compute(a, tracked)
    return out
