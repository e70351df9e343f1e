"""Linking an article to the curated event it reports.

Each curated event is scored against the evidence an article gives: the event's
keywords, dates (stated, dateline, month-day and weekday mentions), the people it
expects, and whether the officials and organizations named were in office in the
event's year. The best event wins only when it clears a floor and beats the runner-up;
otherwise the article stays unlinked. An article is never forced into an event.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from . import dates
from .phrases import PhraseMatcher
from .records import Cleaned, Event, Knowledge, Mention, PartialDate

MIN_SCORE = 4.0
MIN_MARGIN = 1.5
TITLE_SCORE = 2.0  # the article names the event by its title, which no other event has
STATED_WINDOW_DAYS = (-2, 60)  # a report is published from just before to two months after


@dataclass(frozen=True)
class Evidence:
    text: str  # lower-cased headline and body
    stated: PartialDate | None
    dateline: dates.Dateline | None
    month_days: tuple[tuple[int, int], ...]
    weekdays: tuple[int, ...]
    people: tuple[Mention, ...]
    titled: tuple[tuple[str, str], ...]  # (person id, title used before the name)
    organizations: tuple[Mention, ...]
    knowledge_roles: dict  # person/org id -> roles

    @classmethod
    def gather(cls, cleaned: Cleaned, stated: PartialDate | None, people: tuple[Mention, ...],
               orgs: tuple[Mention, ...], knowledge: Knowledge) -> Evidence:
        body = cleaned.body_text
        lead = next((b.text for b in cleaned.blocks if b.kind == "paragraph"), "")
        titled = tuple((m.entity_id, m.surface[: -len(m.name)].strip()) for m in people
                       if m.curated and m.surface.endswith(m.name) and m.surface != m.name)
        roles = {e.id: e.roles for e in (*knowledge.people, *knowledge.organizations)}
        return cls(((cleaned.headline or "") + "\n" + body).lower(), stated, dates.dateline(lead),
                   tuple(dates.month_days(body)), tuple(dates.weekdays(body)), people, titled, orgs, roles)

    def tenure_years(self) -> range | None:
        """Years in which every official named with a title held that office."""
        lo, hi = 1900, dt.date.today().year
        found = False
        for pid, title in self.titled:
            spans = [r for r in self.knowledge_roles.get(pid, ()) if r.is_titled(title)]
            if not spans:
                continue
            found = True
            lo = max(lo, min(r.start or 1900 for r in spans))
            hi = min(hi, max(r.end or dt.date.today().year for r in spans))
        return range(lo, hi + 1) if found and lo <= hi else None


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@functools.lru_cache(maxsize=4096)
def keyword_regex(keywords: tuple[str, ...]) -> PhraseMatcher:
    """A matcher for a set of keyword phrases, lower-cased, longest first (``.findall(text)``)."""
    return PhraseMatcher(k.lower() for k in keywords)


def _keywords(ev: Evidence, event: Event) -> list[str]:
    found = set(keyword_regex(event.keywords).findall(ev.text))
    return [k for k in event.keywords if k.lower() in found]


def _date_score(ev: Evidence, event: Event) -> tuple[float, list[str]]:
    """Positive when the article's dates fit the event, strongly negative when they cannot."""
    if ev.stated and ev.stated.as_date():
        delta = (ev.stated.as_date() - event.end).days  # type: ignore[operator]
        lo, hi = STATED_WINDOW_DAYS
        if not (lo - (event.end - event.start).days <= delta <= hi):
            return -100.0, ["published outside the event's window"]
        score, why = 2.0, ["publication date fits"]
    elif ev.stated and ev.stated.year not in (event.start.year, event.end.year):
        return -100.0, ["published in another year"]
    else:
        score, why = 0.0, []
    days = {event.start + dt.timedelta(days=i) for i in range((event.end - event.start).days + 1)}
    named = [d for m, d in ev.month_days for y in {event.start.year} if _safe(y, m, d) in days]
    if named:
        score += 3.0
        why.append("names the event's dates")
    if ev.dateline and ev.dateline.month and ev.dateline.day and not ev.dateline.year:
        day = _safe(event.start.year, ev.dateline.month, ev.dateline.day)
        fits = day is not None and 0 <= (day - event.start).days <= (event.end - event.start).days + 10
        score += 2.0 if fits else -4.0
        why.append("dateline fits" if fits else "dateline does not fit")
    if ev.weekdays:
        on_days = {d.weekday() for d in days}
        fits = set(ev.weekdays) <= on_days
        score += 1.0 if fits else -1.0
        why.append("weekdays fit" if fits else "weekdays do not fit")
    return score, why


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _office_score(ev: Evidence, event: Event) -> tuple[float, list[str]]:
    """People expected at the event, and whether those named held office that year."""
    year = event.start.year
    named = {m.entity_id for m in ev.people}
    expected = sorted(named & set(event.people))
    score = min(len(expected), 3) * 1.0
    why = [f"{len(expected)} expected participant(s) named"] if expected else []
    for pid, title in ev.titled:
        roles = [r for r in ev.knowledge_roles.get(pid, ()) if r.is_titled(title)]
        if roles and not any(r.covers(year) for r in roles):
            score -= 3.0
            why.append(f"{pid} was not {title} in {year}")
    for entity_id in sorted({m.entity_id for m in (*ev.people, *ev.organizations)}):
        roles = ev.knowledge_roles.get(entity_id, ())
        if roles and not any(r.covers(year) for r in roles):
            score -= 2.0
            why.append(f"{entity_id} not active in {year}")
    return score, why


def score_event(ev: Evidence, event: Event, unique_title: bool = False) -> tuple[float, str]:
    """``unique_title``: no other curated event has this one's title, so naming it names this
    occurrence ("the Fifth World Internet Conference"), which ties the article to it as a
    fitting date does."""
    keywords = _keywords(ev, event)
    if not keywords:
        return float("-inf"), "no keyword of the event"
    date_score, date_why = _date_score(ev, event)
    office, office_why = _office_score(ev, event)
    titled = TITLE_SCORE if unique_title and _short_title(event.title) in ev.text else 0.0
    score = min(len(keywords), 4) + date_score + office + titled
    if date_score <= 0 and office < 2 and not titled:
        return float("-inf"), "keywords only, nothing ties the article to this occurrence"
    reasons = [f"keywords: {', '.join(keywords[:4])}", *(["names the event by its title"] if titled else []),
               *date_why, *office_why]
    return score, "; ".join(reasons)


def _short_title(title: str) -> str:
    """An event's title as a text names it: lower-cased, without a parenthesis ("First World
    Internet Conference (Wuzhen Summit)" -> "first world internet conference")."""
    return re.sub(r"\s*\([^)]*\)", "", title).strip().lower()


@functools.lru_cache(maxsize=16)
def _unique_titles(events: tuple[Event, ...]) -> frozenset[str]:
    """Ids of the events no other event shares a title with (as a text names it)."""
    titles = [_short_title(e.title) for e in events]
    return frozenset(e.id for e, t in zip(events, titles) if titles.count(t) == 1)


def match_event(ev: Evidence, knowledge: Knowledge) -> tuple[Event | None, str]:
    """The curated event the article reports, with the reason; or None and why not."""
    unique = _unique_titles(tuple(knowledge.events))
    scored = sorted(((score_event(ev, e, e.id in unique), e) for e in knowledge.events),
                    key=lambda x: (-x[0][0], x[1].id))
    if not scored or scored[0][0][0] < MIN_SCORE:
        return None, "no curated event fits"
    (best, why), event = scored[0]
    runner_up = scored[1][0][0] if len(scored) > 1 else float("-inf")
    if best - runner_up < MIN_MARGIN:
        return None, f"ambiguous between {event.id} and {scored[1][1].id}"
    return event, why
