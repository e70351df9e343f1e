"""Pages and page sections for the corpus analyses: text reuse, formulations, automatic events.

Pure functions, records in and Markdown out, like ``render.py``; every piece of capture
text goes through ``markup.escape``/``escape_block``.
"""
from __future__ import annotations

import calendar

import yaml

from .markup import details_list, escape, escape_block, front_matter, html_text, link
from .records import Archive, Article, Event, Formulation, FormulationUse, Reuse, Role

PASSAGES_SHOWN = 5  # shared passages shown per related article
REUSE_SHOWN = 5  # articles listed under "Shared text"


def _date(a: Article) -> str:
    v = a.date.value
    text = v.iso() if v else "date unknown"
    return f"{text} (inferred)" if a.date.certainty == "inferred" else text


def _article_link(a: Article, prefix: str) -> str:
    return link(a.title, f"{prefix}articles/{a.id}.md")


# --------------------------------------------------------------------------- people
def role_span(r: Role) -> str:
    """"2013–2023", or with months where the knowledge gives them: "March 2013 – March 2023"."""
    def when(year: int | None, month: int | None) -> str:
        if year is None:
            return ""
        return f"{calendar.month_name[month]} {year}" if month else str(year)
    start, end = when(r.start, r.start_month) or "?", when(r.end, r.end_month)
    return f"{start} – {end}" if " " in start + end else f"{start}–{end}"


# --------------------------------------------------------------------------- text reuse
def reuse_line(r: Reuse, other: Article) -> str:
    share = f"{round(100 * r.share)}%"
    if r.kind == "exact duplicate":
        head = f"**Exact duplicate** of {_article_link(other, '../')}: the same text ({share})"
    elif r.kind == "near-duplicate":
        head = (f"**Near-duplicate** of {_article_link(other, '../')}: the same story captured with "
                f"different page furniture; shares {share} of its text")
    else:
        head = f"Shares {share} of its text ({r.words} words) with {_article_link(other, '../')}"
    return f"- {head} — {escape(other.outlet or 'outlet not stated')}, {_date(other)}"


def reuse_section(a: Article, archive: Archive) -> list[str]:
    """"Shared text": the articles this one shares passages with, and the passages."""
    relations = [r for r in archive.reuse.get(a.id, ()) if r.article_id in archive.by_id][:REUSE_SHOWN]
    if not relations:
        return []
    out = ["## Shared text",
           "Passages of eight words or more that this article shares word for word with other "
           "articles of the archive (wire copy reprinted, or one capture copying another)."]
    for r in relations:
        out.append(reuse_line(r, archive.by_id[r.article_id]))
        shown = [f"“{html_text(p)}”" for p in r.passages[:PASSAGES_SHOWN]]
        more = len(r.passages) - PASSAGES_SHOWN
        tail = [f"… and {more} more passage(s)"] if more > 0 else []
        out.append(details_list('class="archive-reuse"', f"Shared passages ({len(r.passages)})", shown + tail))
    return out


# --------------------------------------------------------------------------- formulations
def formulation_section(a: Article, archive: Archive) -> list[str]:
    uses = archive_uses_by_article(archive).get(a.id, ())
    if not uses:
        return []
    by_id = {f.id: f for f in archive.formulations}
    items = [f"- {link(by_id[fid].name, f'../formulations/{fid}.md')}: “{escape(u.variant)}”"
             + (f" ×{u.count}" if u.count > 1 else "") for fid, u in uses]
    return ["## Formulations", "\n".join(items)]


def archive_uses_by_article(archive: Archive) -> dict[str, list[tuple[str, FormulationUse]]]:
    """article id -> (formulation id, use), computed once per archive."""
    cached = _BY_ARTICLE.get(id(archive))
    if cached is not None and cached[0] is archive:
        return cached[1]
    out: dict[str, list[tuple[str, FormulationUse]]] = {}
    for fid, uses in sorted(archive.formulation_uses.items()):
        for u in uses:
            out.setdefault(u.article_id, []).append((fid, u))
    _BY_ARTICLE.clear()
    _BY_ARTICLE[id(archive)] = (archive, out)
    return out


_BY_ARTICLE: dict[int, tuple[Archive, dict[str, list[tuple[str, FormulationUse]]]]] = {}


def _dated(uses: tuple[FormulationUse, ...], archive: Archive) -> list[tuple[Article, FormulationUse]]:
    found = [(archive.by_id[u.article_id], u) for u in uses if u.article_id in archive.by_id]
    return sorted(found, key=lambda x: x[0].sort_key)


def render_formulation(f: Formulation, archive: Archive) -> str:
    uses = _dated(archive.formulation_uses.get(f.id, ()), archive)
    dated = [a for a, _ in uses if a.date.value]
    meta = {"id": f.id, "title": f.name, "variants": list(f.variants), "chinese": f.chinese,
            "articles": len(uses), "first_use": dated[0].date.value.iso() if dated else None,  # type: ignore[union-attr]
            "last_use": dated[-1].date.value.iso() if dated else None, "curated": True}  # type: ignore[union-attr]
    parts = [f"# {escape(f.name)}" + (f" ({escape(f.chinese)})" if f.chinese else "")]
    if f.description:
        parts.append(escape_block(f.description))
    facts = [f"- **Wordings tracked:** {', '.join('“' + escape(v) + '”' for v in f.variants)}",
             f"- **Used in:** {len(uses)} article(s)"]
    if dated:
        facts.append(f"- **First use:** {_date(dated[0])}, {_article_link(dated[0], '../')}")
        facts.append(f"- **Last use:** {_date(dated[-1])}, {_article_link(dated[-1], '../')}")
    parts.append("\n".join(facts))
    parts += ["## Events", _events_using(uses, archive) or "No event's coverage uses it yet."]
    items = [f"- {_date(a)}: {_article_link(a, '../')} — “{escape(u.variant)}”"
             + (f" ×{u.count}" if u.count > 1 else "") + f"\n\n    > {escape_block(u.snippet)}" for a, u in uses]
    parts += ["## Articles", "\n".join(items) or "No article uses it yet."]
    return front_matter(meta, "\n\n".join(parts))


def _events_using(uses: list[tuple[Article, FormulationUse]], archive: Archive) -> str:
    events = {e.id: e for e in archive.events}
    counts: dict[str, int] = {}
    for a, _ in uses:
        if a.event in events:
            counts[a.event] = counts.get(a.event, 0) + 1  # type: ignore[index]
    ordered = sorted(counts, key=lambda eid: (events[eid].start, eid))
    return "\n".join(f"- {link(events[eid].title, f'../events/{eid}.md')} ({events[eid].start.isoformat()}): "
                     f"{counts[eid]} article(s)" for eid in ordered)


def render_formulations_index(archive: Archive) -> str:
    rows = ["| Formulation | Articles | First use | Last use |", "|---|---|---|---|"]
    for f in sorted(archive.formulations, key=lambda f: f.name.lower()):
        dated = [a for a, _ in _dated(archive.formulation_uses.get(f.id, ()), archive) if a.date.value]
        n = len(archive.formulation_uses.get(f.id, ()))
        first = dated[0].date.value.iso() if dated else "–"  # type: ignore[union-attr]
        last = dated[-1].date.value.iso() if dated else "–"  # type: ignore[union-attr]
        rows.append(f"| {link(f.name, f'{f.id}.md')} | {n} | {first} | {last} |")
    parts = ["# Formulations",
             "Official formulations tracked across the archive, with the wordings each takes in "
             "translation. The list is curated in `knowledge/formulations.yaml`.",
             "\n".join(rows) if archive.formulations else "No formulation is tracked yet.",
             "## Recurring phrases",
             "Phrases that several independent articles use (copies of one text count once) and "
             "that are not tracked yet: candidates for `knowledge/formulations.yaml`. Found "
             "automatically; review before adding."]
    phrases = [f"- “{escape(p.text)}”: {p.articles} articles, e.g. "
               f"{_article_link(archive.by_id[p.example], '../')}" for p in archive.phrases if p.example in archive.by_id]
    parts.append("\n".join(phrases) or "None found.")
    return front_matter({"title": "Formulations"}, "\n\n".join(parts))


# --------------------------------------------------------------------------- automatic events
def promotion_entry(e: Event) -> str:
    """The entry to paste into knowledge/events.yaml to make this event curated."""
    entry = {"id": e.id, "title": e.title, "start": e.start.isoformat(), "end": e.end.isoformat()}
    if e.place:
        entry["place"] = e.place
    entry["keywords"] = list(e.keywords)
    if e.people:
        entry["people"] = list(e.people)
    entry["description"] = e.description or "Describe the event here."
    return yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=10_000)


def promotion_note(e: Event) -> str:
    """The note on an automatic (uncurated) event page: what it is, how to promote it.

    The entry is an indented code block: its text is shown literally, whatever it holds."""
    if e.curated:
        return ""
    code = "".join(f"        {line}\n" for line in promotion_entry(e).splitlines())
    return ("!!! note \"Uncurated event, grouped automatically\"\n"
            "    No curated event fits these captures, but they were published within a day of "
            "each other and share their content, so the build grouped them here. To promote it, "
            "check the dates, title and keywords, then copy this entry (the event's front matter, "
            "with its keywords and people) into `knowledge/events.yaml` and build again: from then "
            "on it is a curated event.\n\n" + code.rstrip("\n"))
