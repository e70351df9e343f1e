"""Automatic events: captures that report the same thing, which no curated event covers.

When no curated event fits an article but several captures report the same story --
published within ``MAX_DAYS_APART`` day of each other, with overlapping content (their
TF-IDF profiles are similar -- less similar will do when they name the same people -- or
they share passages word for word) -- they are grouped
under an *automatic event*, an uncurated event page (``curated: false``) that says how
to promote it: copy the entry it shows into ``knowledge/events.yaml``. From the next
build on it is a curated event like any other, matched by its keywords, dates and people.

Never forced: an article with no day-precise date, or with no similar capture within a
day, stays unlinked; a group needs two captures that are not copies of one capture
(near-duplicates count once) and spans at most ``MAX_SPAN_DAYS`` days.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Sequence

from .knowledge import slugify
from .records import Article, Event, Knowledge, Reuse

SAME_STORY = 0.3  # least profile cosine of two reports of one story
SAME_STORY_NAMED = 0.2  # or this much, when both name the same person (or two organizations)
SAME_STORY_REUSE = 0.2  # or: least share of text one takes word for word from the other
MAX_DAYS_APART = 1  # publication days of two linked reports
MAX_SPAN_DAYS = 3  # a group spanning more days is a chain of stories, not one event
KEYWORDS = 6
AUTO_PREFIX = "auto-"

Neighbours = dict[str, list[tuple[str, float]]]


def day(a: Article) -> dt.date | None:
    """The article's publication day, when known to the day (stated or inferred)."""
    v = a.date.value
    return v.as_date() if v is not None and a.date.certainty != "unknown" else None


def group(articles: Sequence[Article], knowledge: Knowledge, neighbours: Neighbours,
          reuse: dict[str, tuple[Reuse, ...]], profiles: dict[str, dict[str, float]] | None = None,
          ) -> tuple[list[Article], tuple[Event, ...]]:
    """The articles with their automatic event set, and the automatic events."""
    eligible = {a.id: a for a in articles if a.event is None and day(a) is not None}
    parent = {aid: aid for aid in eligible}
    for a, b, _ in _edges(eligible, neighbours, reuse):
        ra, rb = sorted((_root(parent, a), _root(parent, b)))
        parent[rb] = ra
    groups: dict[str, list[Article]] = {}
    for aid in sorted(eligible):
        groups.setdefault(_root(parent, aid), []).append(eligible[aid])
    events: dict[str, Event] = {}
    assigned: dict[str, tuple[str, str]] = {}
    taken = {e.id for e in knowledge.events}
    for members in groups.values():
        if not _is_event(members, reuse):
            continue
        event = make_event(members, profiles or {}, taken)
        taken.add(event.id)
        events[event.id] = event
        why = (f"grouped automatically with {len(members) - 1} other capture(s) published within a day "
               f"that share its content; uncurated event")
        assigned.update({m.id: (event.id, why) for m in members})
    out = [replace(a, event=assigned[a.id][0], event_basis=assigned[a.id][1]) if a.id in assigned else a
           for a in articles]
    return out, tuple(sorted(events.values(), key=lambda e: (e.start, e.id)))


def _root(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _edges(eligible: dict[str, Article], neighbours: Neighbours, reuse: dict[str, tuple[Reuse, ...]]):
    """(a, b, why) for eligible articles within a day of each other that share content."""
    for aid in sorted(eligible):
        d = day(eligible[aid])
        linked = [(o, "similar text") for o, sim in neighbours.get(aid, ())
                  if sim >= SAME_STORY or (sim >= SAME_STORY_NAMED and o in eligible
                                           and _name_the_same(eligible[aid], eligible[o]))]
        linked += [(r.article_id, "shared passages") for r in reuse.get(aid, ()) if r.share >= SAME_STORY_REUSE]
        for other, why in linked:
            if other in eligible and abs((day(eligible[other]) - d).days) <= MAX_DAYS_APART:  # type: ignore[operator]
                yield aid, other, why


def _name_the_same(a: Article, b: Article) -> bool:
    """Both name a same person, or two same organizations."""
    if {m.entity_id for m in a.people} & {m.entity_id for m in b.people}:
        return True
    return len({m.entity_id for m in a.organizations} & {m.entity_id for m in b.organizations}) >= 2


def _is_event(members: list[Article], reuse: dict[str, tuple[Reuse, ...]]) -> bool:
    if len(members) < 2:
        return False
    days = [day(m) for m in members]
    if (max(days) - min(days)).days > MAX_SPAN_DAYS:  # type: ignore[type-var, operator]
        return False
    ids = {m.id for m in members}
    copies = {frozenset((m.id, r.article_id)) for m in members for r in reuse.get(m.id, ())
              if r.kind != "reuse" and r.article_id in ids}
    independent = len(members) - _merged(ids, copies)
    return independent >= 2


def _merged(ids: set[str], copies: set[frozenset[str]]) -> int:
    """How many members disappear when each set of copies counts once."""
    parent = {i: i for i in ids}
    merged = 0
    for pair in sorted(copies, key=sorted):
        a, b = sorted(pair)
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
            merged += 1
    return merged


def make_event(members: list[Article], profiles: dict[str, dict[str, float]], taken: set[str]) -> Event:
    """An uncurated event from its reports: dates, place, shared keywords and people."""
    members = sorted(members, key=lambda a: (day(a), a.id))
    start, end = day(members[0]), max(day(m) for m in members)  # type: ignore[type-var]
    keywords = shared_keywords(members, profiles)
    base = f"{AUTO_PREFIX}{start.isoformat()}-{slugify(' '.join(keywords[:3])) or 'report'}"  # type: ignore[union-attr]
    event_id, n = base, 2
    while event_id in taken:
        event_id, n = f"{base}-{n}", n + 1
    places = Counter(a.places[0] for a in members if a.places)
    people = Counter(pid for a in members for pid in {m.entity_id for m in a.people if m.curated})
    expected = [pid for pid, k in sorted(people.items(), key=lambda x: (-x[1], x[0])) if 2 * k >= len(members)]
    return Event(
        id=event_id, title=members[0].title, start=start, end=end,  # type: ignore[arg-type]
        place=sorted(places.items(), key=lambda x: (-x[1], x[0]))[0][0] if places else None,
        keywords=tuple(keywords), people=tuple(expected[:6]),
        description=f"Grouped automatically from {len(members)} captures that report the same story.",
        curated=False)


def shared_keywords(members: list[Article], profiles: dict[str, dict[str, float]]) -> list[str]:
    """Terms most members' profiles have, strongest first: what the reports have in common."""
    weight: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for a in members:
        for term, w in profiles.get(a.id, {}).items():
            if term.isalpha() and len(term) > 3:
                weight[term] += w
                seen[term] += 1
    need = max(2, (2 * len(members) + 2) // 3)
    ranked = sorted((t for t in weight if seen[t] >= need), key=lambda t: (-weight[t], t))
    return ranked[:KEYWORDS]
