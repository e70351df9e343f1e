"""Text reuse: passages two articles share word for word, and near-duplicate captures.

Wire copy travels: one agency story is printed by many outlets, whole or in part, with
other furniture around it. This module finds, for every article, the others it shares
passages with, how much of its text they cover, and the passages themselves.

Method (sub-quadratic, deterministic):

1. every article's cleaned text becomes a sequence of word ids; a *shingle* is a run of
   ``SHINGLE`` (8) consecutive words, hashed (tuples of ints hash the same in every run);
2. a fixed quarter of all shingles (those whose hash is 0 mod 4) is indexed: shingle ->
   articles. Any passage of ~16 words or more almost surely has a sampled shingle;
3. candidate pairs are the articles that share sampled shingles. A shingle found in more
   than ``POSTING_CAP`` articles (boilerplate, or hundreds of copies of one story) adds
   only the pairs of neighbours in its posting list, so the work stays linear in the
   corpus: copies still chain together, and no list is expanded pairwise;
4. each candidate pair sharing ``MIN_SAMPLED`` sampled shingles is verified on all its
   shingles: the words of each article covered by a shared shingle form the shared
   passages; their share of the article's words is the reuse figure.

Two captures each covering ``NEAR_DUPLICATE`` of the other are near-duplicates: the same
story captured twice with different page furniture (byte-identical captures are marked
by ``duplicates.py``; here they are "exact duplicate").
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import compress, count
from typing import Iterable, Sequence

from .features import SHINGLE, WORD, Features, article_text, reuse_parts, text_digest
from .records import Article, Reuse

POSTING_CAP = 32  # a shingle in more articles than this only links neighbours
MIN_SAMPLED = 3  # sampled shingles two articles must share to be compared in full (~20 words)
MIN_WORDS = 20  # shared words below which two articles are not said to share text
NEAR_DUPLICATE = 0.8  # each covers this share of the other: the same story, twice
KEEP = 10  # reuse relations kept per article (the largest shares)


@dataclass(frozen=True)
class Doc:
    """An article's text and its shingles (the i-th word is the i-th match of ``features.WORD``)."""

    id: str
    sha256: str
    digest: str  # of the title and text (features.text_digest): what a verified pair is remembered by
    text: str
    words: int
    hashes: Sequence[int]
    sampled: Sequence[int]
    starts: Sequence[int]


def documents(articles: Sequence[Article], feats: dict[str, Features] | None = None) -> list[Doc]:
    """Every article's text and shingle hashes (from its features when precomputed)."""
    feats = feats or {}
    docs = []
    for a in articles:
        text = article_text(a)
        f = feats.get(a.id)
        digest = text_digest(a, text)
        if f is None or f.digest != digest:
            docs.append(Doc(a.id, a.seed_sha256, digest, text, *reuse_parts(text)))
        else:
            docs.append(Doc(a.id, a.seed_sha256, digest, text, f.words, f.shingles, f.sampled, f.starts))
    return docs


def candidate_pairs(samples: Sequence[Sequence[int]], at_least: int = 1) -> Counter[tuple[int, int]]:
    """(i, j) -> sampled shingles shared, for articles i < j sharing ``at_least``; linear in
    the corpus. A shingle in up to ``POSTING_CAP`` articles pairs them all; one in more
    pairs each with the next (NumPy: the pairs of every posting list of one size at once)."""
    import numpy as np  # as in link.py: imported by the step that needs it

    shingle, member = _postings(samples)
    starts = np.flatnonzero(np.r_[True, shingle[1:] != shingle[:-1]])
    sizes = np.diff(np.r_[starts, len(shingle)])
    firsts, seconds = [], []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= POSTING_CAP)]).tolist():
        lists = member[starts[sizes == size][:, None] + np.arange(size)]  # one row per posting list
        a, b = np.triu_indices(size, 1)
        firsts.append(lists[:, a].ravel())
        seconds.append(lists[:, b].ravel())
    long = np.repeat(sizes > POSTING_CAP, sizes)[:-1] & (shingle[1:] == shingle[:-1])
    firsts.append(member[:-1][long])
    seconds.append(member[1:][long])
    codes, counts = np.unique(np.concatenate(firsts) * len(samples) + np.concatenate(seconds), return_counts=True)
    keep = counts >= at_least
    firsts, seconds = divmod(codes[keep], len(samples))
    return Counter(dict(zip(zip(firsts.tolist(), seconds.tolist()), counts[keep].tolist())))


def _postings(samples: Sequence[Sequence[int]]) -> tuple:
    """(shingle, article) of every article's distinct sampled shingles, by shingle then article."""
    import numpy as np

    sets = [np.unique(np.asarray(hs, dtype=np.int64)) for hs in samples]
    shingle = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64)
    member = np.repeat(np.arange(len(samples), dtype=np.int64), [len(x) for x in sets])
    order = np.lexsort((member, shingle))
    return shingle[order], member[order]


def covered(shared: set[int], hashes: Sequence[int]) -> list[tuple[int, int]]:
    """Maximal runs [first, last) of an article's words covered by a shingle in ``shared``."""
    runs: list[tuple[int, int]] = []
    for pos in compress(count(), map(shared.__contains__, hashes)):  # the positions, found in C
        if runs and pos <= runs[-1][1]:
            runs[-1] = (runs[-1][0], pos + SHINGLE)
        else:
            runs.append((pos, pos + SHINGLE))
    return runs


@dataclass(frozen=True)
class _Shared:
    """One direction of a verified pair: ``doc``'s words that ``other`` also has."""

    doc: int
    other: int
    runs: tuple[tuple[int, int], ...]
    words: int
    share: float
    kind: str


Verified = tuple  # (runs, words, share) of each side and the kind; or None: not a pair


def _verify(a: Doc, b: Doc) -> Verified | None:
    """What two texts share, from their contents alone (so it can be remembered, ``PairMemo``)."""
    shared = set(a.hashes).intersection(b.hashes)
    runs_a, runs_b = covered(shared, a.hashes), covered(shared, b.hashes)
    words_a, words_b = sum(e - s for s, e in runs_a), sum(e - s for s, e in runs_b)
    if min(words_a, words_b) < MIN_WORDS:
        return None
    share_a, share_b = words_a / a.words, words_b / b.words
    kind = "reuse"
    if share_a >= NEAR_DUPLICATE and share_b >= NEAR_DUPLICATE:
        kind = "exact duplicate" if a.sha256 and a.sha256 == b.sha256 else "near-duplicate"
    return tuple(runs_a), words_a, share_a, tuple(runs_b), words_b, share_b, kind


class PairMemo:
    """Pairs verified by an earlier build, by the digests of both texts (and captures): after
    one capture changed, only the pairs it is part of are compared again. ``used`` holds
    this build's pairs, to be kept for the next one. Results are the same with or without it."""

    def __init__(self, known: dict | None = None) -> None:
        self.known = known or {}
        self.used: dict[tuple[str, str, str, str], Verified | None] = {}

    def verify(self, a: Doc, b: Doc) -> Verified | None:
        key = (a.digest, a.sha256, b.digest, b.sha256)
        found = self.known[key] if key in self.known else _verify(a, b)
        self.used[key] = found
        return found


def _relation(i: int, j: int, docs: Sequence[Doc], memo: PairMemo | None = None) -> tuple[_Shared, _Shared] | None:
    found = memo.verify(docs[i], docs[j]) if memo is not None else _verify(docs[i], docs[j])
    if found is None:
        return None
    runs_a, words_a, share_a, runs_b, words_b, share_b, kind = found
    return _Shared(i, j, runs_a, words_a, share_a, kind), _Shared(j, i, runs_b, words_b, share_b, kind)


def _passages(d: Doc, runs: Iterable[tuple[int, int]], spans: dict[int, tuple[int, int]]) -> tuple[str, ...]:
    """The text of each run, as it stands in the article, longest first."""
    texts = [d.text[spans[s][0]:spans[e - 1][1]] for s, e in runs]
    return tuple(sorted(texts, key=lambda t: (-len(t), t)))


def _word_spans(d: Doc, needed: set[int]) -> dict[int, tuple[int, int]]:
    """Character spans of the words at ``needed`` positions (where they start is known)."""
    return {i: (d.starts[i], WORD.match(d.text, d.starts[i]).end()) for i in needed}  # type: ignore[union-attr]


def find_reuse(articles: Sequence[Article], feats: dict[str, Features] | None = None,
               memo: PairMemo | None = None) -> dict[str, tuple[Reuse, ...]]:
    """Every article's reuse relations, largest share first (at most KEEP each)."""
    docs = documents(sorted(articles, key=lambda a: a.id), feats)
    found: dict[int, list[_Shared]] = defaultdict(list)
    for i, j in sorted(candidate_pairs([d.sampled for d in docs], MIN_SAMPLED)):
        if pair := _relation(i, j, docs, memo):
            found[i].append(pair[0])
            found[j].append(pair[1])
    out = {}
    for i in sorted(found, key=lambda n: docs[n].id):
        kept = sorted(found[i], key=lambda r: (-round(r.share, 4), docs[r.other].id))[:KEEP]
        spans = _word_spans(docs[i], {p for r in kept for s, e in r.runs for p in (s, e - 1)})
        out[docs[i].id] = tuple(Reuse(docs[r.other].id, round(r.share, 4), r.words,
                                      _passages(docs[i], r.runs, spans), r.kind) for r in kept)
    return out


def families(article_ids: Iterable[str], reuse: dict[str, tuple[Reuse, ...]], share: float = 0.5) -> dict[str, str]:
    """article id -> id of its family: articles that copy one text (half or more) count once."""
    parent = {a: a for a in article_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for aid, relations in reuse.items():
        for r in relations:
            if r.share >= share and aid in parent and r.article_id in parent:
                a, b = sorted((root(aid), root(r.article_id)))
                parent[b] = a
    return {a: root(a) for a in sorted(parent)}
