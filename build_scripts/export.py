"""Data exports: ``data/articles.json`` (one record per article, with its text), the fixity
manifest, and the tables, TimelineJS document, Frictionless data package and data page
that make the archive reusable."""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from dataclasses import dataclass
from typing import Any

from .cite import ArchiveInfo, head_fields
from .ingest import raw_copy
from .knowledge import slugify
from .markup import escape, front_matter, json_records, render_blocks
from .records import Archive, Entity, PartialDate
from .render import article_meta


def articles_json(archive: Archive, texts: dict[str, str] | None = None) -> str:
    """Every front-matter field plus ``text``: the article text exactly as on its page.
    ``texts``: captured articles' texts already rendered (``Features.markdown``)."""
    texts = texts or {}
    records = []
    for a in sorted(archive.articles, key=lambda a: a.id):
        record = article_meta(a)
        record["date_basis"] = a.date.basis
        record["event_basis"] = a.event_basis
        if a.origin == "curator":
            record["text"] = a.markdown
        else:
            record["text"] = texts[a.id] if a.id in texts else render_blocks(a.blocks)
        if a.origin == "capture":  # the generated page's `citation` front matter, like every other field
            record["citation"] = head_fields(a, archive)
        records.append(record)
    return json_records(records)


def captures_json(archive: Archive) -> str:
    """The fixity manifest: every capture, its SHA-256, size and when it entered the archive."""
    records = [{"seed": a.seed, "sha256": a.seed_sha256, "size": a.seed_size, "entered": a.entered,
                "article": a.id} for a in sorted(archive.articles, key=lambda a: a.seed) if a.origin == "capture"]
    return json_records(records)


def sha256sums(archive: Archive) -> str:
    """``sha256sum -c`` compatible list of the raw captures published under captures/."""
    return "".join(f"{a.seed_sha256}  {raw_copy(a.seed)}\n" for a in sorted(archive.articles, key=lambda a: a.seed)
                   if a.origin == "capture")


# --------------------------------------------------------------------------- tables for reuse
# Every table is written as JSON (lists stay lists) and as CSV (lists joined with LIST_SEP),
# and described in data/datapackage.json (Frictionless Data Package) with a typed schema.
LIST_SEP = "; "
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"  # Table Schema type: string, integer, boolean, date
    description: str = ""
    constraints: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Table:
    name: str  # resource name and file stem: data/<name>.csv and data/<name>.json
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (column, "table.column")


ARTICLE_COLUMNS = (
    Column("id", description="stable page id", constraints=(("required", True), ("unique", True))),
    Column("title", description="the capture's headline, or one generated from its lead"),
    Column("title_source", constraints=(("enum", ["capture", "generated", "curator"]),)),
    Column("date", description="publication date at its known precision: YYYY, YYYY-MM or YYYY-MM-DD",
           constraints=(("pattern", DATE_PATTERN),)),
    Column("date_precision", constraints=(("enum", ["day", "month", "year"]),)),
    Column("date_certainty", constraints=(("enum", ["stated", "inferred", "unknown"]),)),
    Column("date_basis", description="how the date is known"),
    Column("outlet", description="the site that published the capture, when stated"),
    Column("agency", description="the wire agency named as the source"),
    Column("event", description="id of the event the article reports (events.id)"),
    Column("event_basis", description="why this event was chosen, or why none"),
    Column("people", description=f"canonical names in order of first mention, joined by '{LIST_SEP}'"),
    Column("organizations", description=f"canonical names, joined by '{LIST_SEP}'"),
    Column("places", description=f"place names, joined by '{LIST_SEP}'"),
    Column("tags", description=f"topics, joined by '{LIST_SEP}'"),
    Column("language", description="ISO 639-1 code"),
    Column("seed", description="path of the raw capture under captures/"),
    Column("seed_sha256", description="SHA-256 of the raw capture", constraints=(("pattern", r"^[0-9a-f]{64}$"),)),
    Column("seed_size", "integer", "size of the raw capture in bytes"),
    Column("entered", "date", "when the capture entered the archive"),
    Column("words", "integer", "word count of the cleaned text"),
)
EVENT_COLUMNS = (
    Column("id", constraints=(("required", True), ("unique", True))),
    Column("title"), Column("start", "date"), Column("end", "date"), Column("place"),
    Column("curated", "boolean", "from the curated knowledge files"),
    Column("articles", "integer", "number of articles reporting the event"),
    Column("article_ids", description=f"ids of those articles, joined by '{LIST_SEP}'"),
    Column("description"),
)
PERSON_COLUMNS = (
    Column("id", constraints=(("required", True), ("unique", True))),
    Column("name"), Column("aliases", description=f"joined by '{LIST_SEP}'"),
    Column("wikidata", description="Wikidata item id", constraints=(("pattern", r"^Q[1-9][0-9]*$"),)),
    Column("roles", description=f"'title (start-end)', joined by '{LIST_SEP}'"),
    Column("curated", "boolean", "from the curated knowledge files; false: found in the captures only"),
    Column("articles", "integer", "number of articles naming this person"),
    Column("article_ids", description=f"joined by '{LIST_SEP}'"),
)
ORGANIZATION_COLUMNS = tuple(c for c in PERSON_COLUMNS if c.name != "roles")
FORMULATION_COLUMNS = (
    Column("id", constraints=(("required", True), ("unique", True))),
    Column("name"), Column("variants", description=f"the wordings tracked, joined by '{LIST_SEP}'"),
    Column("chinese", description="the Chinese original, when known"), Column("description"),
    Column("articles", "integer", "number of articles using the formulation"),
    Column("uses", "integer", "number of uses, all articles together"),
    Column("first_use", description="date of the earliest dated article using it, at its precision",
           constraints=(("pattern", DATE_PATTERN),)),
    Column("last_use", description="date of the latest dated article using it", constraints=(("pattern", DATE_PATTERN),)),
    Column("article_ids", description=f"joined by '{LIST_SEP}'"),
)
FORMULATION_USE_COLUMNS = (
    Column("formulation", description="formulations.id", constraints=(("required", True),)),
    Column("article", description="articles.id", constraints=(("required", True),)),
    Column("variant", description="the wording used"), Column("count", "integer", "uses in the article"),
    Column("snippet", description="the sentence of the first use"),
)


def _mentioned_in(archive: Archive, field: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in sorted(archive.articles, key=lambda a: a.id):
        for entity_id in dict.fromkeys(m.entity_id for m in getattr(a, field)):
            out.setdefault(entity_id, []).append(a.id)
    return out


def article_rows(archive: Archive) -> tuple[dict[str, Any], ...]:
    rows = []
    for a in sorted(archive.articles, key=lambda a: a.id):
        meta = article_meta(a)
        meta.update(date_basis=a.date.basis, event_basis=a.event_basis)
        rows.append({c.name: meta.get(c.name) for c in ARTICLE_COLUMNS})
    return tuple(rows)


def event_rows(archive: Archive) -> tuple[dict[str, Any], ...]:
    rows = []
    for e in archive.events:
        ids = [a.id for a in sorted(archive.articles, key=lambda a: a.id) if a.event == e.id]
        rows.append({"id": e.id, "title": e.title, "start": e.start.isoformat(), "end": e.end.isoformat(),
                     "place": e.place, "curated": e.curated, "articles": len(ids), "article_ids": ids,
                     "description": e.description or None})
    return tuple(rows)


def entity_rows(entities: tuple[Entity, ...], archive: Archive, field: str) -> tuple[dict[str, Any], ...]:
    named = _mentioned_in(archive, field)
    rows = []
    for e in entities:
        ids = named.get(e.id, [])
        row = {"id": e.id, "name": e.name, "aliases": list(e.aliases), "wikidata": e.wikidata,
               "roles": [{"title": r.title, "start": r.start, "end": r.end} for r in e.roles],
               "curated": e.curated, "articles": len(ids), "article_ids": ids}
        if field != "people":
            row.pop("roles")
        rows.append(row)
    return tuple(rows)


def formulation_rows(archive: Archive) -> tuple[dict[str, Any], ...]:
    rows = []
    for f in sorted(archive.formulations, key=lambda f: f.id):
        uses = archive.formulation_uses.get(f.id, ())
        ids = sorted({u.article_id for u in uses})
        dated = [a for a in archive.chronological if a.id in ids and a.date.value]
        rows.append({"id": f.id, "name": f.name, "variants": list(f.variants), "chinese": f.chinese,
                     "description": f.description or None, "articles": len(ids), "uses": sum(u.count for u in uses),
                     "first_use": dated[0].date.value.iso() if dated else None,  # type: ignore[union-attr]
                     "last_use": dated[-1].date.value.iso() if dated else None,  # type: ignore[union-attr]
                     "article_ids": ids})
    return tuple(rows)


def formulation_use_rows(archive: Archive) -> tuple[dict[str, Any], ...]:
    return tuple({"formulation": fid, "article": u.article_id, "variant": u.variant, "count": u.count,
                  "snippet": u.snippet}
                 for fid, uses in sorted(archive.formulation_uses.items())
                 for u in sorted(uses, key=lambda u: (u.article_id, u.variant)))


def formulation_tables(archive: Archive) -> tuple[Table, ...]:
    """The formulations tracker's tables, when the archive tracks formulations."""
    if not archive.formulations:
        return ()
    return (
        Table("formulations", "Formulations", "The official formulations tracked, with how widely each is used.",
              FORMULATION_COLUMNS, formulation_rows(archive)),
        Table("formulation_uses", "Formulation uses", "One row per article and formulation it uses.",
              FORMULATION_USE_COLUMNS, formulation_use_rows(archive),
              (("formulation", "formulations.id"), ("article", "articles.id"))),
    )


def tables(archive: Archive) -> tuple[Table, ...]:
    return (
        Table("articles", "Articles", "One row per article: every front-matter field, how its date and "
              "event are known. The cleaned text is in articles.json only.", ARTICLE_COLUMNS,
              article_rows(archive), (("event", "events.id"),)),
        Table("events", "Events", "The events the articles report, with their coverage.", EVENT_COLUMNS,
              event_rows(archive)),
        Table("people", "People", "Everyone named in the articles, curated or found.", PERSON_COLUMNS,
              entity_rows(archive.people, archive, "people")),
        Table("organizations", "Organizations", "Every organization named in the articles.",
              ORGANIZATION_COLUMNS, entity_rows(archive.organizations, archive, "organizations")),
        *formulation_tables(archive),
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEP.join(_role(v) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def _role(r: dict[str, Any]) -> str:
    return f"{r['title']} ({r['start'] or '?'}-{r['end'] or ''})"


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(row.get(c.name)) if c.type != "string" else _text_cell(_cell(row.get(c.name)))
                         for c in table.columns])
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula


def _text_cell(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula (a headline such as
    ``=HYPERLINK(...)`` from an untrusted capture) gets a leading ``'``: shown as text,
    never evaluated. The JSON tables keep the text as it is."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_json(table: Table) -> str:
    return json_records(list(table.rows))


# --------------------------------------------------------------------------- TimelineJS
def _tl_date(d: PartialDate, display: str | None = None) -> dict[str, str]:
    out = {"year": str(d.year)}
    if d.month:
        out["month"] = str(d.month)
    if d.day:
        out["day"] = str(d.day)
    if display:
        out["display_date"] = display
    return out


def _tl_link(info: ArchiveInfo, path: str, label: str) -> str:
    url = info.absolute(path)
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>' if url else html.escape(label)


def timeline_json(archive: Archive, info: ArchiveInfo) -> str:
    """A TimelineJS 3 document: an era per event, a slide per dated article.

    TimelineJS reads text fields as HTML, so every value from a capture is HTML-escaped.
    Undated articles are left out: a timeline cannot place them.
    """
    events = {e.id: e for e in archive.events}
    slides = []
    for a in (a for a in archive.chronological if a.date.value):
        d = a.date.value
        source = " · ".join(s for s in (a.outlet, a.agency) if s) or "source not stated"
        note = f" Date inferred: {a.date.basis}" if a.date.certainty == "inferred" else ""
        slide = {"unique_id": a.id, "start_date": _tl_date(d, _display(d, a.date.certainty)),
                 "text": {"headline": _tl_link(info, f"articles/{a.id}/", a.title),
                          "text": f"<p>{html.escape(source + '.' + note)}</p>"}}
        if a.event in events:
            slide["group"] = events[a.event].title
        slides.append(slide)
    eras = [{"start_date": _tl_date(PartialDate(e.start.year, e.start.month, e.start.day)),
             "end_date": _tl_date(PartialDate(e.end.year, e.end.month, e.end.day)),
             "text": {"headline": html.escape(e.title)}} for e in archive.events]
    doc = {"title": {"text": {"headline": html.escape(info.name), "text": html.escape(info.description)}},
           "events": slides, "eras": eras}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _display(d: PartialDate, certainty: str) -> str:
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    text = str(d.year) if d.month is None else (
        f"{months[d.month - 1]} {d.year}" if d.day is None else f"{d.day} {months[d.month - 1]} {d.year}")
    return f"{text} (inferred)" if certainty == "inferred" else text


# --------------------------------------------------------------------------- the data package
DATA_DIR = "data"
JSON_ONLY = (  # name, file, title, description
    ("articles-full", "articles.json", "Articles with their text",
     "Every front-matter field of every article, date_basis, event_basis and text: the cleaned article "
     "text exactly as on its page."),
    ("captures", "captures.json", "Captures",
     "The fixity manifest: every raw capture, its SHA-256, size and when it entered the archive."),
    ("timeline", "timeline.json", "Timeline (TimelineJS)",
     "Events as eras and dated articles as slides, in the JSON format of TimelineJS 3."),
)


def _field(c: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "type": c.type}
    if c.type == "boolean":
        out.update(trueValues=["true"], falseValues=["false"])
    if c.description:
        out["description"] = c.description
    if c.constraints:
        out["constraints"] = dict(c.constraints)
    return out


def _fixity(content: str) -> dict[str, Any]:
    data = content.encode("utf-8")
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def _table_resource(t: Table, content: str) -> dict[str, Any]:
    key = ["id"] if t.columns[0].name == "id" else [t.columns[0].name, t.columns[1].name]
    schema: dict[str, Any] = {"fields": [_field(c) for c in t.columns], "primaryKey": key}
    if t.foreign_keys:
        schema["foreignKeys"] = [{"fields": [col], "reference": {"resource": ref.split(".")[0],
                                                                  "fields": [ref.split(".")[1]]}}
                                 for col, ref in t.foreign_keys]
    return {"name": t.name, "type": "table", "path": f"{t.name}.csv", "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": t.title, "description": t.description,
            **_fixity(content), "schema": schema}


def _json_resource(name: str, path: str, title: str, description: str, content: str) -> dict[str, Any]:
    return {"name": name, "type": "json", "path": path, "scheme": "file", "format": "json",
            "mediatype": "application/json", "encoding": "utf-8", "title": title, "description": description,
            **_fixity(content)}


def datapackage(info: ArchiveInfo, resources: list[dict[str, Any]]) -> str:
    doc: dict[str, Any] = {"name": slugify(info.name) or "archive", "title": info.name}
    if info.description:
        doc["description"] = info.description
    if info.url:
        doc["homepage"] = info.url
    if info.license:
        doc["licenses"] = [{"name": info.license}]
    doc["resources"] = resources
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def data_files(archive: Archive, info: ArchiveInfo, texts: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Every file of ``data/`` (articles.json and captures.json from ``articles_json`` and
    ``captures_json``), the data package describing them, and the data page. ``texts``:
    as for ``articles_json``."""
    files = {"articles.json": articles_json(archive, texts), "captures.json": captures_json(archive),
             "timeline.json": timeline_json(archive, info)}
    table_list = tables(archive)
    for t in table_list:
        files[f"{t.name}.csv"] = table_csv(t)
        if t.name != "articles":  # the articles' JSON is articles.json, with the text
            files[f"{t.name}.json"] = table_json(t)
    resources = [_table_resource(t, files[f"{t.name}.csv"]) for t in table_list]
    resources += [_json_resource(f"{t.name}-json", f"{t.name}.json", f"{t.title} (JSON)",
                                 t.description + " Lists are JSON arrays.", files[f"{t.name}.json"])
                  for t in table_list if t.name != "articles"]
    resources += [_json_resource(n, p, ti, d, files[p]) for n, p, ti, d in JSON_ONLY]
    out = [(f"{DATA_DIR}/{name}", content) for name, content in files.items()]
    out += [(f"{DATA_DIR}/datapackage.json", datapackage(info, resources)),
            (f"{DATA_DIR}/index.md", data_page(archive, info, files, table_list))]
    return sorted(out)


# --------------------------------------------------------------------------- the data page
def _size(content: str) -> str:
    n = len(content.encode("utf-8"))
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1024:,.0f} KiB"


def data_page(archive: Archive, info: ArchiveInfo, files: dict[str, str], table_list: tuple[Table, ...]) -> str:
    """``data/index.md``: what can be downloaded, in which format, and how to cite it."""
    n = len(archive.articles)
    rows = ["| File | Holds | Records | Size |", "|---|---|---|---|"]
    for t in table_list:
        fmts = [f"[{t.name}.csv]({t.name}.csv)"] + ([f"[{t.name}.json]({t.name}.json)"] if t.name != "articles" else [])
        holds = _HOLDS.get(t.name, t.description.rstrip(".").lower())
        rows.append(f"| {' · '.join(fmts)} | {holds} | {len(t.rows)} | {_size(files[f'{t.name}.csv'])} |")
    rows += [f"| [articles.json](articles.json) | every article with its cleaned text | {n} | "
             f"{_size(files['articles.json'])} |",
             f"| [timeline.json](timeline.json) | events and dated articles for [TimelineJS](https://timeline.knightlab.com/) "
             f"| {sum(1 for a in archive.articles if a.date.value)} | {_size(files['timeline.json'])} |",
             f"| [captures.json](captures.json) | the raw captures' SHA-256, size and date of entry "
             f"| {sum(1 for a in archive.articles if a.origin == 'capture')} | {_size(files['captures.json'])} |"]
    parts = ["# Data and citations",
             f"Everything in {escape(info.name)} can be downloaded, reused and cited. The files below are "
             "regenerated with the pages on every build, from the same records.",
             "## Tables", "\n".join(rows),
             f"CSV files are UTF-8 with a header row; lists (people, tags, ...) are joined by `{LIST_SEP}`; "
             "a text cell starting with `=`, `+`, `-` or `@` starts with `'` so that spreadsheets show it "
             "rather than run it as a formula (the JSON files keep the text as it is). "
             "[datapackage.json](datapackage.json) describes every file as a "
             "[Frictionless Data Package](https://datapackage.org/): column types, keys, sizes and SHA-256, "
             "so `frictionless validate data/datapackage.json` checks a download.",
             "## Citations {#cite}", _CITE_TEXT,
             "## Feed", "[feed.xml](../feed.xml) is an RSS 2.0 feed of the most recent articles, newest first.",
             "## Raw captures", "Every capture is published exactly as collected under `captures/`; "
             "[SHA256SUMS](../captures/SHA256SUMS) lists their SHA-256 (`sha256sum -c SHA256SUMS`).",
             "## Dates", _DATES_TEXT]
    return front_matter({"title": "Data and citations"}, "\n\n".join(parts))


_HOLDS = {"articles": "one row per article: title, date and how it is known, outlet, agency, event, "
                      "people, organizations, places, tags, capture",
          "events": "the events reported, with their coverage",
          "people": "everyone named, with roles and Wikidata ids when curated",
          "organizations": "every organization named"}
_CITE_TEXT = ("Every article page has a **Cite this article** box with Chicago and APA references and "
              "downloads in BibTeX, RIS and CSL-JSON. The whole archive in one file: "
              "[BibTeX](../cite/archive.bib) · [RIS](../cite/archive.ris) · [CSL-JSON](../cite/archive.json). "
              "Article pages also carry citation meta tags, so reference managers such as Zotero save the "
              "right metadata from the page itself.")
_DATES_TEXT = ("Dates are given at the precision they are known: `2023`, `2023-07` or `2023-07-16`, never "
               "completed with an invented month or day. `date_certainty` says whether the date was printed "
               "in the capture (`stated`) or reasoned by the archive (`inferred`, with `date_basis` saying "
               "how); citations put inferred dates in square brackets.")
