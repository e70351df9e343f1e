"""Linking the whole corpus: events, people and organizations pages, related articles.

Works from the complete index of extracted articles (gather everything, then link).
Related articles are ranked by TF-IDF cosine similarity, found through an inverted
index of each article's strongest terms (no all-pairs comparison), plus a bonus for
reporting the same event and for naming the same people.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .extract import unique_mentions
from .records import Archive, Article, Entity, Knowledge, Mention, Related

_TOKEN = re.compile(r"[a-z][a-z'-]{2,}|[\u3400-\u9fff]")
_STOP = frozenset("""the and for that with this from have has had was were are been will would should could
its their his her they them there which who whom what when where while said also into over under more most
than then such other about after before between during through against among upon not but all any each
some can may must our out one two new""".split())
TOP_TERMS = 25


@dataclass(frozen=True)
class LinkOptions:
    related_max: int = 5
    event_bonus: float = 0.25
    person_bonus: float = 0.05


def link_archive(articles: list[Article], knowledge: Knowledge, options: LinkOptions = LinkOptions()) -> Archive:
    articles = sorted(articles, key=lambda a: a.id)
    return Archive(
        articles=tuple(articles),
        events=tuple(sorted((e for e in knowledge.events if any(a.event == e.id for a in articles)),
                            key=lambda e: (e.start, e.id))),
        people=collect_entities(articles, "people", knowledge.people, "person"),
        organizations=collect_entities(articles, "organizations", knowledge.organizations, "organization"),
        related=related_articles(articles, options),
    )


def collect_entities(articles: list[Article], field: str, curated: tuple[Entity, ...], kind: str) -> tuple[Entity, ...]:
    """Every entity named in some article: the curated record, or an uncurated stub."""
    known = {e.id: e for e in curated}
    named: dict[str, Mention] = {}
    for a in articles:
        for m in getattr(a, field):
            named.setdefault(m.entity_id, m)
    out = [known.get(i) or Entity(i, kind, m.name, curated=False) for i, m in named.items()]  # type: ignore[arg-type]
    return tuple(sorted(out, key=lambda e: e.id))


def _tokens(a: Article) -> Counter[str]:
    text = " ".join([a.title, *(b.text for b in a.blocks), *(i for b in a.blocks for i in b.items)]).lower()
    return Counter(t for t in _TOKEN.findall(text) if t not in _STOP)


def _vectors(articles: list[Article]) -> dict[str, dict[str, float]]:
    counts = {a.id: _tokens(a) for a in articles}
    df: Counter[str] = Counter(t for c in counts.values() for t in c)
    n = len(articles)
    vectors = {}
    for aid, c in counts.items():
        v = {t: (1 + math.log(k)) * math.log((1 + n) / (1 + df[t])) for t, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[aid] = {t: x / norm for t, x in v.items() if x > 0}
    return vectors


def related_articles(articles: list[Article], options: LinkOptions) -> dict[str, tuple[Related, ...]]:
    vectors = _vectors(articles)
    top = {aid: sorted(v, key=lambda t: (-v[t], t))[:TOP_TERMS] for aid, v in vectors.items()}
    postings: dict[str, list[str]] = defaultdict(list)
    for aid, terms in top.items():
        for t in terms:
            postings[t].append(aid)
    by_id = {a.id: a for a in articles}
    by_event: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        if a.event:
            by_event[a.event].append(a.id)
    out = {}
    for a in articles:
        candidates = {o for t in top[a.id] for o in postings[t]} | set(by_event.get(a.event or "", ()))
        candidates.discard(a.id)
        scored = [_score(a, by_id[o], vectors, options) for o in sorted(candidates)]
        scored.sort(key=lambda r: (-r.score, r.article_id))
        out[a.id] = tuple(r for r in scored[: options.related_max] if r.score > 0.1)
    return out


def _score(a: Article, b: Article, vectors: dict[str, dict[str, float]], options: LinkOptions) -> Related:
    va, vb = vectors[a.id], vectors[b.id]
    small, large = (va, vb) if len(va) < len(vb) else (vb, va)
    cosine = sum(x * large.get(t, 0.0) for t, x in small.items())
    reasons = [f"text similarity {cosine:.2f}"]
    score = cosine
    if a.event and a.event == b.event:
        score += options.event_bonus
        reasons.append("same event")
    shared = sorted({m.name for m in unique_mentions(a.people)} & {m.name for m in unique_mentions(b.people)})
    if shared:
        score += options.person_bonus * min(len(shared), 4)
        reasons.append("both name " + ", ".join(shared[:3]) + (" and others" if len(shared) > 3 else ""))
    return Related(b.id, round(score, 4), "; ".join(reasons))
