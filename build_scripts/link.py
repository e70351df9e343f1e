"""Linking the whole corpus: events, people and organizations pages, related articles.

Works from the complete index of extracted articles (gather everything, then link):

1. text reuse: passages shared word for word, near-duplicates (``reuse.py``);
2. content similarity: each article's *profile* is its ``TOP_TERMS`` strongest TF-IDF
   terms; similar articles are found term-at-a-time through an inverted index of the
   profiles whose posting lists are capped by document frequency (a term in more than
   ``POSTING_CAP`` profiles says little and is skipped), so the work per article is
   bounded and linking grows linearly with the corpus;
3. automatic events: articles no curated event fits, published within a day of each
   other with overlapping content, grouped under an uncurated event (``autoevents.py``);
4. related articles: similarity plus a bonus for the same event and for shared people,
   each with its reason; near-duplicates are shown as such, not as related;
5. formulations: tracked official phrases and recurring phrases (``formulations.py``).
"""
from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from operator import itemgetter
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from scipy import sparse

from . import autoevents, formulations
from .extract import unique_mentions
from .records import Archive, Article, Entity, Knowledge, Mention, Related, Reuse
from .features import Features, features_for
from .forked import Forked, worth_forking
from .options import LinkOptions
from .reuse import PairMemo, find_reuse

TOP_TERMS = 40  # terms in an article's profile
QUERY_TERMS = 20  # its strongest terms, used to look for similar articles
POSTING_CAP = 25  # a term's posting list keeps the articles where it weighs most, this many
NEIGHBOURS = 20  # most similar articles kept per article
SAME_EVENT_CANDIDATES = 20  # same-event articles considered per article (nearest in date)

Profile = dict[str, float]


LINK_STEPS = 6  # the ticks link_archive gives (a progress bar's total)


def link_archive(articles: list[Article], knowledge: Knowledge, options: LinkOptions = LinkOptions(),
                 precomputed: dict[str, Features] | None = None,
                 tick: Callable[[], object] = lambda: None, pairs: PairMemo | None = None,
                 fork: bool = False) -> Archive:
    """``precomputed``: per-article features from the per-capture stage (``features.py``);
    those that no longer match their article, and missing ones, are computed here.
    ``tick()`` is called after each of the LINK_STEPS steps (a progress bar). ``pairs``:
    text-reuse pairs verified by an earlier build (the result is the same without).
    ``fork``: text reuse is found in a forked process while this one finds similar
    articles, and formulations are analysed in one while related articles are ranked
    (the result is the same)."""
    articles = sorted(articles, key=lambda a: a.id)
    feats = features_for(articles, knowledge.formulations, precomputed)
    reuse_job = Forked(_reuse, articles, feats, pairs, enabled=fork and worth_forking(len(articles)))
    profiles = build_profiles(articles, feats)
    tick()
    exact: dict[tuple[str, str], float] = {}
    neighbours = similar_articles(profiles, exact)
    tick()
    reuse, used = reuse_job.result()
    if pairs is not None:
        pairs.used = used
    tick()
    articles, auto = autoevents.group(articles, knowledge, neighbours, reuse, profiles)
    events = [e for e in knowledge.events if any(a.event == e.id for a in articles)] + list(auto)
    tick()
    tracked = Forked(formulations.analyse, articles, knowledge, reuse, feats,
                     enabled=fork and worth_forking(len(articles)))
    related = related_articles(articles, profiles, neighbours, reuse, options, exact)
    tick()
    uses, phrases = tracked.result()
    tick()
    return Archive(
        articles=tuple(articles),
        events=tuple(sorted(events, key=lambda e: (e.start, e.id))),
        people=collect_entities(articles, "people", knowledge.people, "person"),
        organizations=collect_entities(articles, "organizations", knowledge.organizations, "organization"),
        related=related, reuse=reuse, formulations=knowledge.formulations, formulation_uses=uses, phrases=phrases,
    )


def _reuse(articles: list[Article], feats: dict[str, Features], pairs: PairMemo | None,
           ) -> tuple[dict[str, tuple[Reuse, ...]], dict]:
    """Text reuse, with the pairs verified on the way (what ``pairs.used`` holds after)."""
    return find_reuse(articles, feats, pairs), (pairs.used if pairs is not None else {})


def collect_entities(articles: list[Article], field: str, curated: tuple[Entity, ...], kind: str) -> tuple[Entity, ...]:
    """Every entity named in some article: the curated record, or an uncurated stub."""
    known = {e.id: e for e in curated}
    named: dict[str, Mention] = {}
    for a in articles:
        for m in getattr(a, field):
            named.setdefault(m.entity_id, m)
    out = [known.get(i) or Entity(i, kind, m.name, curated=False) for i, m in named.items()]  # type: ignore[arg-type]
    return tuple(sorted(out, key=lambda e: e.id))


# --------------------------------------------------------------------------- similarity
def build_profiles(articles: list[Article], feats: dict[str, Features] | None = None) -> dict[str, Profile]:
    """Each article's strongest TF-IDF terms, normalised to unit length, strongest first."""
    feats = feats or features_for(articles, ())
    counts = {a.id: feats[a.id].terms for a in articles}
    df: Counter[str] = Counter()
    term = itemgetter(0)
    for c in counts.values():
        df.update(map(term, c))
    n = len(articles)
    idf = {t: math.log((1 + n) / (1 + k)) for t, k in df.items()}
    tf = [0.0] + [1 + math.log(k) for k in range(1, 64)]  # (1 + log k), looked up for the usual counts
    profiles = {}
    for aid, c in counts.items():
        weighted = [(-(tf[k] if k < 64 else 1 + math.log(k)) * idf[t], t) for t, k in c]
        weighted.sort()  # strongest first; what heapq.nsmallest gives, in C
        top = [wt for wt in weighted[:TOP_TERMS] if wt[0] < 0]  # (a word in every article weighs 0)
        norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
        profiles[aid] = {t: -w / norm for w, t in top}
    return profiles


def similar_articles(profiles: dict[str, Profile], exact: dict[tuple[str, str], float] | None = None,
                     ) -> dict[str, list[tuple[str, float]]]:
    """article id -> its most similar articles with their cosine, best first.

    Impact-ordered postings, truncated: each term lists only the ``POSTING_CAP`` articles
    where it weighs most, and an article looks up its ``QUERY_TERMS`` strongest terms, so
    finding candidates costs at most QUERY_TERMS x POSTING_CAP steps per article, whatever
    the size of the corpus (``candidate_scores``). Each article's ``NEIGHBOURS`` best-scored
    candidates (ties: the first id), itself left out, are then scored by their full cosine,
    all at once (``pair_cosines``), also kept in ``exact``, unrounded, when given."""
    import numpy as np

    ids, scores, matrix = candidate_scores(profiles)
    starts, columns, values = scores.indptr, scores.indices, scores.data
    firsts, seconds = [], []
    for i in range(len(ids)):
        cols, vals = columns[starts[i]:starts[i + 1]], values[starts[i]:starts[i + 1]]
        others = cols != i
        cols, vals = cols[others], vals[others]
        seconds.append(cols[np.lexsort((cols, -vals))[:NEIGHBOURS]])
        firsts.append(np.full(len(seconds[-1]), i))
    first, second = (np.concatenate(x) if x else np.zeros(0, dtype=np.int64) for x in (firsts, seconds))
    out: dict[str, list[tuple[str, float]]] = {aid: [] for aid in ids}
    for i, j, c in zip(first.tolist(), second.tolist(), pair_cosines(matrix, first, second).tolist()):
        out[ids[i]].append((ids[j], round(c, 4)))
        if exact is not None:
            exact[ids[i], ids[j]] = c
    for found in out.values():
        found.sort(key=lambda kv: (-kv[1], kv[0]))
    return out


def pair_cosines(matrix: sparse.csr_matrix, first, second):
    """Cosines of the unit profiles of rows ``first[k]`` and ``second[k]`` of ``matrix``,
    each a sum of products over the terms in column order: the same for (a, b) and (b, a),
    and in every build of the same corpus (equal to ``cosine`` to within rounding)."""
    import numpy as np

    if not len(first):
        return np.zeros(0)
    return np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()


def candidate_scores(profiles: dict[str, Profile]) -> tuple[list[str], sparse.csr_matrix, sparse.csr_matrix]:
    """(the article ids, sorted; a sparse matrix of their candidates' scores, row by row;
    their profiles as a sparse matrix, a row per article, columns in term order).

    The score of a candidate is the sum, over the article's query terms, of the products
    of their weights in the article's profile and in the term's capped posting list: one
    sparse matrix product (queries x postings). Each row's products are added in the
    order of the article's profile, strongest term first, as a loop over the terms would."""
    import numpy as np  # imported when needed: a build whose inputs are unchanged never links,
    from scipy import sparse  # and importing them would be a third of its time

    ids = sorted(profiles)
    column: dict[str, int] = {}
    terms = np.fromiter((column.setdefault(t, len(column)) for aid in ids for t in profiles[aid]), dtype=np.int64)
    weights = np.fromiter((w for aid in ids for w in profiles[aid].values()), dtype=np.float64, count=len(terms))
    sizes = np.fromiter((len(profiles[aid]) for aid in ids), dtype=np.int64, count=len(ids))
    rows = np.repeat(np.arange(len(ids)), sizes)
    rank = np.arange(len(terms)) - np.repeat(np.cumsum(sizes) - sizes, sizes)  # a term's place in its profile
    asked = rank < QUERY_TERMS  # profiles are strongest first
    queries = sparse.csr_matrix((weights[asked], terms[asked], np.cumsum(np.r_[0, np.minimum(sizes, QUERY_TERMS)])),
                                shape=(len(ids), len(column)))
    order = np.lexsort((rows, -weights, terms))  # by term, then strongest first, then first id
    by_term = terms[order]
    place = np.arange(len(order)) - np.searchsorted(by_term, by_term)  # place in the term's posting list
    kept = order[place < POSTING_CAP]
    postings = sparse.csr_matrix((weights[kept], (terms[kept], rows[kept])), shape=(len(column), len(ids)))
    matrix = sparse.csr_matrix((weights, terms, np.r_[0, np.cumsum(sizes)]), shape=(len(ids), len(column)))
    matrix.sort_indices()
    return ids, queries @ postings, matrix


def term_sets(profiles: dict[str, Profile]) -> dict[str, frozenset[str]]:
    """Each profile's terms as a set, built once: intersecting two is then one C call."""
    return {aid: frozenset(p) for aid, p in profiles.items()}


def cosine(a: Profile, b: Profile, shared: Iterable[str] | None = None) -> float:
    """Cosine of two unit profiles, over their shared terms only (``shared``, when the
    caller has intersected their term sets). ``math.fsum`` is exact, so the result does
    not depend on the order of the terms."""
    return math.fsum([a[t] * b[t] for t in (a.keys() & b.keys() if shared is None else shared)])


# --------------------------------------------------------------------------- related
def related_articles(articles: list[Article], profiles: dict[str, Profile],
                     neighbours: dict[str, list[tuple[str, float]]], reuse: dict[str, tuple[Reuse, ...]],
                     options: LinkOptions, exact: dict[tuple[str, str], float] | None = None,
                     ) -> dict[str, tuple[Related, ...]]:
    """Each article's related articles, best first; ``exact``: cosines already computed."""
    by_id = {a.id: a for a in articles}
    same_event = _same_event_candidates(articles)
    keys = term_sets(profiles)
    names = {a.id: frozenset(m.name for m in unique_mentions(a.people)) for a in articles}
    exact = exact if exact is not None else {}
    out = {}
    for a in articles:
        copies = {r.article_id for r in reuse.get(a.id, ()) if r.kind != "reuse"}
        candidates = {o for o, _ in neighbours.get(a.id, ())} | set(same_event.get(a.id, ()))
        candidates |= {r.article_id for r in reuse.get(a.id, ())}
        candidates -= copies | {a.id}
        scored = []  # (-score, id, similarity): the scores first, the reasons only for the kept
        for o in candidates:
            similarity = exact[a.id, o] if (a.id, o) in exact else _cosine(a.id, o, profiles, keys)
            score = _total(similarity, bool(a.event) and a.event == by_id[o].event, len(names[a.id] & names[o]), options)
            scored.append((-score, o, similarity))
        kept = heapq.nsmallest(options.related_max, scored)
        out[a.id] = tuple(r for r in (_score(a, by_id[o], sim, names[a.id] & names[o], options)
                                      for _, o, sim in kept) if r.score > options.min_score)
    return out


def _cosine(a: str, b: str, profiles: dict[str, Profile], keys: dict[str, frozenset[str]]) -> float:
    return cosine(profiles[a], profiles[b], keys[a] & keys[b])


def _same_event_candidates(articles: list[Article]) -> dict[str, list[str]]:
    """For each article, the same-event articles nearest in date (a bounded number)."""
    by_event: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        if a.event:
            by_event[a.event].append(a)
    out: dict[str, list[str]] = {}
    half = SAME_EVENT_CANDIDATES // 2
    for members in by_event.values():
        members.sort(key=lambda a: a.sort_key)
        for i, a in enumerate(members):
            out[a.id] = [o.id for o in members[max(0, i - half): i + half + 1] if o.id != a.id]
    return out


def _total(similarity: float, same_event: bool, shared: int, options: LinkOptions) -> float:
    """A related article's score: similarity, plus a bonus for the same event and for each shared person (up to 4)."""
    score = similarity
    if same_event:
        score += options.event_bonus
    if shared:
        score += options.person_bonus * min(shared, 4)
    return round(score, 4)


def _score(a: Article, b: Article, similarity: float, shared_names: frozenset[str], options: LinkOptions) -> Related:
    same_event = bool(a.event) and a.event == b.event
    shared = sorted(shared_names)
    reasons = [f"text similarity {similarity:.2f}"] + (["same event"] if same_event else [])
    if shared:
        reasons.append("both name " + ", ".join(shared[:3]) + (" and others" if len(shared) > 3 else ""))
    return Related(b.id, _total(similarity, same_event, len(shared), options), "; ".join(reasons))
