"""Rendering the linked archive into Markdown pages with YAML front matter.

Every function here is pure: records in, page text out. Paths are relative to
``docs/``; links between pages are relative Markdown links that MkDocs validates.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from urllib.parse import quote

from .cite import citation_box, default_info, head_fields
from .duplicates import duplicate_facts
from .extract import unique_mentions
from .ingest import raw_copy
from .markup import details_list, escape, escape_block, front_matter, html_text, link, render_blocks
from .records import Archive, Article, Entity, Event, Mention, PartialDate
from .stated import stated_facts
from . import render_analysis

TEXT_START = "<!-- archive:text:start -->"
TEXT_END = "<!-- archive:text:end -->"
RELATED_SHOWN = 5
SAME_EVENT_SHOWN = 10


# --------------------------------------------------------------------------- helpers
def human_date(pd: PartialDate | None) -> str:
    if pd is None:
        return "date unknown"
    if pd.month is None:
        return str(pd.year)
    if pd.day is None:
        return f"{calendar.month_name[pd.month]} {pd.year}"
    return f"{pd.day} {calendar.month_name[pd.month]} {pd.year}"


def article_date(a: Article) -> str:
    text = human_date(a.date.value)
    return f"{text} (inferred)" if a.date.certainty == "inferred" else text


def event_dates(e: Event) -> str:
    if e.start == e.end:
        return human_date(PartialDate(e.start.year, e.start.month, e.start.day))
    if (e.start.year, e.start.month) == (e.end.year, e.end.month):
        return f"{e.start.day}–{e.end.day} {calendar.month_name[e.end.month]} {e.end.year}"
    return f"{human_date(_pd(e.start))} – {human_date(_pd(e.end))}"


def _pd(d: dt.date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def sort_key(a: Article) -> tuple:
    return a.sort_key


def article_item(a: Article, prefix: str) -> str:
    source = " · ".join(escape(s) for s in (a.outlet, a.agency) if s)
    tail = f" — {source}" if source else ""
    return f"- {article_date(a)}: {link(a.title, f'{prefix}articles/{a.id}.md')}{tail}"


# --------------------------------------------------------------------------- article
def article_meta(a: Article) -> dict:
    return {
        "id": a.id, "title": a.title, "title_source": a.title_source,
        "date": a.date.value.iso() if a.date.value else None,
        "date_precision": a.date.value.precision if a.date.value else None,
        "date_certainty": a.date.certainty, "outlet": a.outlet, "agency": a.agency, "event": a.event,
        "people": [m.name for m in unique_mentions(a.people)],
        "organizations": [m.name for m in unique_mentions(a.organizations)],
        "places": list(a.places), "tags": list(a.tags), "language": a.language,
        "seed": a.seed, "seed_sha256": a.seed_sha256, "seed_size": a.seed_size, "entered": a.entered,
        "words": a.words,
    }


def _entity_links(mentions: tuple[Mention, ...], folder: str) -> str:
    items = []
    for m in unique_mentions(mentions):
        mark = "" if m.curated else " (uncurated)"
        items.append(link(m.name, f"../{folder}/{m.entity_id}.md") + mark)
    return ", ".join(items) or "none found"


def article_facts(a: Article, archive: Archive) -> str:
    event = archive.event_by_id.get(a.event or "")
    rows = [
        ("Date", f"{article_date(a)} — {escape(a.date.basis)}" if a.date.basis else article_date(a)),
        ("Outlet", escape(a.outlet) if a.outlet else "not stated"),
        ("Agency", escape(a.agency) if a.agency else "not stated"),
        ("Event", link(event.title, f"../events/{event.id}.md") + f" ({event_dates(event)})" if event
         else "not linked to an event"),
        ("People", _entity_links(a.people, "people")),
        ("Organizations", _entity_links(a.organizations, "organizations")),
        ("Places", ", ".join(escape(p) for p in a.places) or "none found"),
    ]
    if a.origin == "capture":
        raw = quote(f"../captures/{raw_copy(a.seed)}", safe="/")  # any file name: spaces, #, &, <, non-ASCII
        rows.append(("Capture", f"[{escape(a.seed)}]({raw}) (raw, as collected) · "
                                f"{a.seed_size:,} bytes · SHA-256 `{a.seed_sha256}`"
                                + (f" · in the archive since {a.entered}" if a.entered else "")))
    rows += stated_facts(a) + duplicate_facts(a, archive)  # issue 7: author, canonical URL, exact duplicate
    if a.title_source == "generated":
        rows.insert(0, ("Title", "generated from the lead; the capture has no headline"))
    return "\n".join(f"- **{k}:** {v}" for k, v in rows)


def render_article(a: Article, archive: Archive, text: str | None = None) -> str:
    """``text``: ``render_blocks(a.blocks)`` when the caller has it (made with the
    article's features, in the per-capture stage, and cached)."""
    same = nearest_coverage(a, archive.by_event.get(a.event or "", ()))
    body = render_blocks(a.blocks) if text is None else text
    parts = [f"# {escape(a.title)}", article_facts(a, archive), TEXT_START, body, TEXT_END]
    if a.removed:
        parts.append(render_removed(a))
    curated = archive.by_id.get(a.id, a)  # citations follow the curator's edits, like the cite/ files
    parts.append(citation_box(curated, archive, default_info()))
    if a.event:
        total = len(archive.by_event.get(a.event, ())) - 1
        more = (f"\n\n{total - len(same)} more on the [event page](../events/{a.event}.md)."
                if total > len(same) else "")
        parts += ["## Same event", ("\n".join(article_item(o, "../") for o in same) or "No other coverage yet.") + more]
    related = archive.related.get(a.id, ())[:RELATED_SHOWN]
    if related:
        items = [f"{article_item(archive.article(r.article_id), '../')} ({escape(r.reason)})" for r in related]
        parts += ["## Related articles", "\n".join(items)]
    parts += render_analysis.reuse_section(a, archive) + render_analysis.formulation_section(a, archive)
    return front_matter(head_meta(article_meta(a), curated, archive), "\n\n".join(parts))


def head_meta(meta: dict, curated: Article, archive: Archive) -> dict:
    """The front matter plus ``citation``: what the page head's metadata needs beyond the fields."""
    return {**meta, "citation": head_fields(curated, archive)}


def nearest_coverage(a: Article, coverage: tuple[Article, ...], limit: int = SAME_EVENT_SHOWN) -> list[Article]:
    """Up to ``limit`` other articles on the same event, nearest in date order, in date order.

    The event page lists them all; an article page stays the same size however large the
    coverage grows.
    """
    others = [o for o in coverage if o.id != a.id]
    if len(others) <= limit:
        return others
    position = sum(1 for o in others if o.sort_key < a.sort_key)
    start = max(0, min(position - limit // 2, len(others) - limit))
    return others[start:start + limit]


def render_removed(a: Article) -> str:
    """What cleaning removed, collapsed, and excluded from search and from the text export."""
    return details_list('class="archive-removed" data-search-exclude',
                        f"Removed by cleaning: {len(a.removed)} line(s) of page furniture",
                        (f"line {r.line} · {html_text(r.reason)} · {html_text(r.text)}" for r in a.removed))


# --------------------------------------------------------------------------- events
def render_event(e: Event, archive: Archive) -> str:
    coverage = archive.by_event.get(e.id, ())
    meta = {"id": e.id, "title": e.title, "start": e.start.isoformat(), "end": e.end.isoformat(),
            "place": e.place, "curated": e.curated}
    people = sorted({m.entity_id: m for a in coverage for m in a.people}.values(), key=lambda m: m.name)
    parts = [f"# {escape(e.title)}", render_analysis.promotion_note(e),
             f"- **Dates:** {event_dates(e)}\n- **Place:** {escape(e.place or 'not recorded')}\n"
             f"- **Coverage:** {len(coverage)} article(s)",
             escape_block(e.description) if e.description else "",
             "## Coverage", "\n".join(article_item(a, "../") for a in coverage) or "No coverage yet.",
             "## People named in the coverage",
             ", ".join(link(m.name, f"../people/{m.entity_id}.md") for m in people) or "None."]
    return front_matter(meta, "\n\n".join(p for p in parts if p))


def render_events_index(archive: Archive) -> str:
    rows = ["| Dates | Event | Place | Articles |", "|---|---|---|---|"]
    for e in sorted(archive.events, key=lambda e: (e.start, e.id)):
        n = len(archive.by_event.get(e.id, ()))
        rows.append(f"| {event_dates(e)} | {link(e.title, f'{e.id}.md')} | {escape(e.place or '')} | {n} |")
    return front_matter({"title": "Events"}, "# Events\n\n" + "\n".join(rows))


# --------------------------------------------------------------------------- people & orgs
def _mentions_of(entity_id: str, archive: Archive, field: str) -> tuple[tuple[Article, tuple[Mention, ...]], ...]:
    return archive.mentions.get((field, entity_id), ())


def render_entity(e: Entity, archive: Archive, field: str) -> str:
    found = _mentions_of(e.id, archive, field)
    meta = {"id": e.id, "name": e.name, "aliases": list(e.aliases), "curated": e.curated}
    if e.wikidata:
        meta["wikidata"] = e.wikidata
    parts = [f"# {escape(e.name)}"]
    if not e.curated:
        parts.append("*Found in the captures but not in the curated knowledge files.*")
    if e.roles and field == "people":
        parts += ["## Roles", "\n".join(f"- {escape(r.title)} ({render_analysis.role_span(r)})" for r in e.roles)]
    parts += ["## Articles", "\n".join(article_item(a, "../") for a, _ in found) or "None."]
    # One line per article, its quotes together: a link per article, not per quote.
    mentions = [f"- {link(a.title, f'../articles/{a.id}.md')}: "
                + " · ".join(f"“{escape(' '.join(m.snippet.split()))}”" for m in _distinct_snippets(ms))
                for a, ms in found]
    parts += ["## Mentions", "\n".join(mentions) or "None."]
    if field == "people":
        parts += ["## Appears with", _co_mentions(e.id, found) or "Nobody else."]
    return front_matter(meta, "\n\n".join(parts))


def _distinct_snippets(ms: tuple[Mention, ...]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for m in ms:
        seen.setdefault(m.snippet, m)
    return list(seen.values())


def _co_mentions(entity_id: str, found: tuple[tuple[Article, tuple[Mention, ...]], ...]) -> str:
    counts: dict[str, list] = defaultdict(list)
    for a, _ in found:
        for m in unique_mentions(a.people):
            if m.entity_id != entity_id:
                counts[m.entity_id].append(m)
    ranked = sorted(counts.values(), key=lambda ms: (-len(ms), ms[0].name))
    return ", ".join(f"{link(ms[0].name, f'{ms[0].entity_id}.md')} ({len(ms)})" for ms in ranked)


def render_entity_index(entities: tuple[Entity, ...], archive: Archive, field: str, title: str) -> str:
    rows = [f"# {title}", "| Name | Articles | Curated |", "|---|---|---|"]
    for e in sorted(entities, key=lambda e: (e.name.lower(), e.id)):
        n = len(_mentions_of(e.id, archive, field))
        rows.append(f"| {link(e.name, f'{e.id}.md')} | {n} | {'yes' if e.curated else 'no'} |")
    return front_matter({"title": title}, "\n".join(rows[:1]) + "\n\n" + "\n".join(rows[1:]))


# --------------------------------------------------------------------------- overviews
def render_articles_index(archive: Archive) -> str:
    parts = ["# Articles"]
    by_year: dict[str, list[Article]] = defaultdict(list)
    for a in archive.chronological:
        by_year[str(a.date.value.year) if a.date.value else "Date unknown"].append(a)
    for year, items in by_year.items():
        parts += [f"## {year}", "\n".join(article_item(a, "../") for a in items)]
    return front_matter({"title": "Articles"}, "\n\n".join(parts))


def render_home(archive: Archive) -> str:
    years = [a.date.value.year for a in archive.articles if a.date.value]
    span = f"{min(years)}–{max(years)}" if years else "unknown dates"
    sources = sorted({s for a in archive.articles for s in (a.outlet, a.agency) if s})
    counts = (f"**{len(archive.articles)}** articles ({span}) · **{len(archive.events)}** events · "
              f"**{len(archive.people)}** people · **{len(archive.organizations)}** organizations")
    ways = ["- [Timeline](timeline.md): events and their coverage, year by year",
            "- [Events](events/index.md): what the articles report",
            "- [People](people/index.md) and [Organizations](organizations/index.md): who is named, and where",
            "- [Articles](articles/index.md): every capture, cleaned, by date",
            "- [Formulations](formulations/index.md): political formulations and who used them when",
            "- [Tags](tags.md): topics",
            "- [Data](data/index.md): exports, citations and the feed",
            "- Search: the box at the top searches the full text"]
    parts = ["# News capture archive",
             "A curated, searchable archive of news reports, built from raw web captures. Each article "
             "page gives the cleaned text, where it came from, and links to the event it reports and the "
             "people and organizations it names.",
             counts, "## Ways in", "\n".join(ways), "## Latest events", _latest_events(archive),
             "## Most named people", _most_named(archive)]
    if sources:
        parts += ["## Sources", "Outlets and agencies named in the captures: " + ", ".join(escape(s) for s in sources)]
    return front_matter({"title": "Home"}, "\n\n".join(parts))


def _latest_events(archive: Archive, limit: int = 8) -> str:
    events = sorted(archive.events, key=lambda e: (e.start, e.id), reverse=True)[:limit]
    lines = [f"- {event_dates(e)}: {link(e.title, f'events/{e.id}.md')} "
             f"({len(archive.by_event.get(e.id, ()))} article(s))" for e in events]
    return "\n".join(lines) or "No events yet."


def _most_named(archive: Archive, limit: int = 10) -> str:
    counted = [(len(archive.mentions.get(("people", p.id), ())), p) for p in archive.people]
    ranked = sorted(((n, p) for n, p in counted if n), key=lambda x: (-x[0], x[1].name))[:limit]
    return ", ".join(f"{link(p.name, f'people/{p.id}.md')} ({n})" for n, p in ranked) or "Nobody yet."


def render_tags() -> str:
    return front_matter({"title": "Tags"}, "# Tags\n\n<!-- material/tags -->")
