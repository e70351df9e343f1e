"""The timeline page: a visual, year-by-year timeline of events and the articles reporting them.

Rendered as Markdown with HTML blocks (``md_in_html``), styled by ``assets/archive.css``;
it needs no JavaScript (``assets/archive.js`` only adds expand/collapse-all buttons and
opens every year before printing). Each year is a ``<details>`` element: open when it
holds few items, collapsed when it holds many, so a timeline of thousands stays usable.
Links are Markdown links, which MkDocs and Zensical both validate and rewrite.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .markup import escape, front_matter, link
from .records import Archive, Article, Event
from .render import article_date, event_dates, sort_key

OPEN_LIMIT = 40  # a year with more items than this starts collapsed
COVERAGE_SHOWN = 6  # an event card lists this many articles; the rest fold into "more"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Entry:
    """One card: an event with its coverage, or an article reporting no known event."""

    key: tuple  # (month, day, kind, id): events before articles on the same day
    event: Event | None
    articles: tuple[Article, ...]


def year_of(a: Article) -> int | None:
    return a.date.value.year if a.date.value else None


def group_by_year(archive: Archive) -> dict[int | None, list[Entry]]:
    """Cards per year: every event (in its start year) and every article with no event."""
    years: dict[int | None, list[Entry]] = defaultdict(list)
    events = {e.id for e in archive.events}
    ordered = sorted(archive.articles, key=sort_key)
    for e in archive.events:
        coverage = tuple(a for a in ordered if a.event == e.id)
        years[e.start.year].append(Entry((e.start.month, e.start.day, 0, e.id), e, coverage))
    for a in ordered:
        if a.event not in events:
            v = a.date.value
            key = ((v.month or 13), (v.day or 32), 1, a.id) if v else (13, 32, 1, a.id)
            years[year_of(a)].append(Entry(key, None, (a,)))
    return {y: sorted(entries, key=lambda e: e.key) for y, entries in years.items()}


def _anchor(year: int | None) -> str:
    return f"y{year}" if year is not None else f"y-{UNKNOWN}"


def _label(year: int | None) -> str:
    return str(year) if year is not None else "Date unknown"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def article_line(a: Article, prefix: str = "") -> str:
    """A coverage line: date (inferred ones visibly marked), linked title, outlet and agency."""
    date = article_date(a).removesuffix(" (inferred)")
    badge = ' <span class="tl-inferred">inferred</span>' if a.date.certainty == "inferred" else ""
    source = " · ".join(escape(s) for s in (a.outlet, a.agency) if s)
    tail = f' <span class="tl-source">{source}</span>' if source else ""
    return f'- <span class="tl-when">{date}</span>{badge} {link(a.title, f"{prefix}articles/{a.id}.md")}{tail}'


def event_card(entry: Entry) -> str:
    e = entry.event
    assert e is not None
    shown, rest = entry.articles[:COVERAGE_SHOWN], entry.articles[COVERAGE_SHOWN:]
    place = f" · {escape(e.place)}" if e.place else ""
    lines = ['<div class="tl-card tl-card--event" markdown="1">', "",
             f'<span class="tl-when">{event_dates(e)}</span> <span class="tl-kind">Event</span>', "",
             f"**{link(e.title, f'events/{e.id}.md')}**{place} · {_count(len(entry.articles), 'article')}", ""]
    if shown:
        lines += [article_line(a) for a in shown] + [""]
    else:
        lines += ["*No coverage yet.*", ""]
    if rest:
        lines += [f'<details class="tl-more" markdown="1">\n<summary>{len(rest)} more</summary>', "",
                  *(article_line(a) for a in rest), "", "</details>", ""]
    return "\n".join(lines + ["</div>"])


def article_card(entry: Entry) -> str:
    a = entry.articles[0]
    return "\n".join(['<div class="tl-card tl-card--article" markdown="1">', "",
                      '<span class="tl-kind">Article, no event linked</span>', "", article_line(a), "", "</div>"])


def year_section(year: int | None, entries: list[Entry]) -> str:
    n_events = sum(1 for e in entries if e.event)
    n_articles = sum(len(e.articles) for e in entries)
    is_open = " open" if len(entries) + n_articles <= OPEN_LIMIT else ""
    summary = f"{_count(n_events, 'event')}, {_count(n_articles, 'article')}"
    cards = [event_card(e) if e.event else article_card(e) for e in entries]
    return "\n\n".join([f"## {_label(year)} {{#{_anchor(year)}}}",
                        f'<details class="tl-year"{is_open} markdown="1">\n<summary>{summary}</summary>',
                        *cards, "</details>"])


def render_timeline(archive: Archive) -> str:
    """The timeline page (``timeline.md``)."""
    years = group_by_year(archive)
    order = sorted(years, key=lambda y: (y is None, y or 0))
    jump = " ".join(f"[{_label(y)}](#{_anchor(y)})" for y in order)
    parts = ["# Timeline",
             "Events and the articles reporting them, year by year. A date marked "
             '<span class="tl-inferred">inferred</span> was reasoned by the archive, not printed in the '
             "capture; the article page says how.",
             f'<nav class="tl-years" aria-label="Years" markdown="1">\n\n{jump}\n\n</nav>' if order else
             "Nothing to show yet: the archive has no articles.",
             '<div class="tl" markdown="1">', *(year_section(y, years[y]) for y in order), "</div>"]
    return front_matter({"title": "Timeline"}, "\n\n".join(parts))
