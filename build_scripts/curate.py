"""Reading what curators wrote in ``docs/`` back into the archive's index.

Two kinds of curation join the index before linking, so that event pages, people
pages, the timeline and the exports reflect them:

- **edits to generated article pages**: front-matter fields a curator changed (title,
  date, event, people, ...) override what extraction found;
- **article pages written by hand** (``docs/articles/<anything>.md`` that no capture
  produces): they become articles of their own.

Front matter is validated against a typed schema; an invalid page is named with file,
line and key, left untouched, and kept out of the index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .entities import snippet_at
from .errors import FrontMatterError
from .extract import ExtractOptions, count_words
from .knowledge import slugify
from .merge import edited_fields, split_page
from .records import Article, Block, DateValue, Mention, PartialDate
from .render import TEXT_END, TEXT_START
from .writer import MISSING, KnownFiles, load_manifest, page_versions, sha256

OVERRIDABLE = ("title", "date", "date_certainty", "outlet", "agency", "event", "people", "organizations",
               "places", "tags")
_STR_OR_NONE = ("title", "outlet", "agency", "event", "date_certainty", "language")
_LISTS = ("people", "organizations", "places", "tags")


@dataclass
class Curation:
    articles: list[Article]  # with curators' edits applied: what the rest of the archive shows
    errors: list[str] = field(default_factory=list)
    hand_written: list[str] = field(default_factory=list)
    pristine: dict[str, Article] = field(default_factory=dict)  # as extracted, for the page's own merge base


def curate(docs: Path, articles: list[Article], options: ExtractOptions, known: KnownFiles | None = None) -> Curation:
    """``known`` (the files the last build left) spares reading pages nobody has touched."""
    out = Curation([])
    manifest = load_manifest(docs)
    known = known or KnownFiles(docs, None)
    for a in articles:
        digest = known.sha256(f"articles/{a.id}.md")
        if digest is not None and digest in (MISSING, manifest.get(f"articles/{a.id}.md")):
            out.articles.append(a)  # no page yet, or the page as the last build wrote it
            continue
        curated = _with_overrides(docs, a, options, out)
        out.articles.append(curated)
        if curated is not a:
            out.pristine[a.id] = a
    generated = {f"articles/{a.id}.md" for a in articles}
    for path in sorted((docs / "articles").glob("*.md")) if (docs / "articles").is_dir() else []:
        rel = f"articles/{path.name}"
        if rel in generated or path.name == "index.md":
            continue
        if rel in manifest and sha256(path.read_bytes()) == manifest[rel]:
            continue  # a generated page whose capture is gone: the writer deletes it
        try:
            out.articles.append(hand_written_article(rel, path.read_text(encoding="utf-8"), options))
            out.hand_written.append(rel)
        except FrontMatterError as exc:
            out.errors.append(f"{exc}; page left out of the archive's index")
    return out


def _with_overrides(docs: Path, a: Article, options: ExtractOptions, out: Curation) -> Article:
    rel = f"articles/{a.id}.md"
    ours, base = page_versions(docs, rel)
    if ours is None or base is None or ours == base:
        return a
    try:
        o_meta, body = split_page(ours, rel)
        fields = {k: v for k, v in edited_fields(split_page(base, rel)[0], o_meta).items() if k in OVERRIDABLE}
        validate(fields, ours, rel, options)
    except FrontMatterError as exc:
        out.errors.append(f"{exc}; hand edits of this page not applied to the index")
        return a
    return apply_fields(a, fields, options) if fields else a


def validate(meta: dict[str, Any], page: str, rel: str, options: ExtractOptions) -> None:
    """Check types and references of curated front matter; errors name file, line and key."""
    def fail(key: str, message: str) -> None:
        raise FrontMatterError(message, path=rel, key=key, line=_line_of(page, key))

    for key in _STR_OR_NONE:
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            fail(key, f"expected text, got {type(meta[key]).__name__}")
    for key in _LISTS:
        value = meta.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            fail(key, "expected a list of names")
    if meta.get("date") is not None:
        try:
            PartialDate.parse(str(meta["date"]))
        except (ValueError, TypeError):
            fail("date", f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {meta['date']!r}")
    if meta.get("date_certainty") not in (None, "stated", "inferred", "unknown"):
        fail("date_certainty", "expected stated, inferred or unknown")
    events = {e.id for e in options.knowledge.events}
    if meta.get("event") and meta["event"] not in events:
        fail("event", f"unknown event id {meta['event']!r} (not in knowledge/events.yaml)")


def _line_of(page: str, key: str) -> int | None:
    for i, line in enumerate(page.split("\n"), start=1):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return i
    return None


def apply_fields(a: Article, fields: dict[str, Any], options: ExtractOptions) -> Article:
    text = a.markdown or "\n".join(b.text for b in a.blocks)
    changes: dict[str, Any] = {"curated_fields": tuple(sorted(fields))}
    if "title" in fields and fields["title"]:
        changes.update(title=fields["title"], title_source="curator")
    if "date" in fields or "date_certainty" in fields:
        changes["date"] = _curated_date(a.date, fields)
    for key in ("outlet", "agency", "event"):
        if key in fields:
            changes[key] = fields[key] or None
    if "places" in fields:
        changes["places"] = tuple(fields["places"] or ())
    if "tags" in fields:
        changes["tags"] = tuple(fields["tags"] or ())
    if "people" in fields:
        changes["people"] = mentions(fields["people"] or [], text, options.people.index.get)
    if "organizations" in fields:
        changes["organizations"] = mentions(fields["organizations"] or [], text, options.organizations.get)
    return replace(a, **changes)


def _curated_date(current: DateValue, fields: dict[str, Any]) -> DateValue:
    raw = fields.get("date", current.value.iso() if current.value else None)
    value = PartialDate.parse(str(raw)) if raw is not None else None
    certainty = fields.get("date_certainty") or ("stated" if value else "unknown")
    return DateValue(value, certainty, "set by a curator")


def mentions(names: list[str], text: str, lookup) -> tuple[Mention, ...]:
    """Mentions for names a curator listed: the curated entity when known, with a snippet."""
    out = []
    for name in names:
        entity = lookup(name)
        offset = text.find(name.split()[-1]) if name else -1
        snippet = snippet_at(text, offset) if offset >= 0 else ""
        if entity:
            out.append(Mention(entity.id, entity.name, name, snippet, entity.curated))
        else:
            out.append(Mention(slugify(name) or "unnamed", name, name, snippet, curated=False))
    return tuple(out)


def page_text(body: str) -> str:
    """The article text of a page: between the text markers, or the body minus its H1."""
    if TEXT_START in body and TEXT_END in body:
        return body[body.index(TEXT_START) + len(TEXT_START): body.index(TEXT_END)].strip()
    return re.sub(r"\A\s*# .*\n", "", body).strip()


def blocks_of(markdown: str) -> tuple[Block, ...]:
    out = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = [ln.strip() for ln in chunk.strip().split("\n") if ln.strip()]
        if not lines:
            continue
        if all(re.match(r"[-*+] ", ln) for ln in lines):
            out.append(Block("list", items=tuple(ln[2:].strip() for ln in lines)))
        elif all(re.match(r"\d{1,9}[.)] ", ln) for ln in lines):
            out.append(Block("list", items=tuple(ln.split(" ", 1)[1].strip() for ln in lines),
                             start=int(re.match(r"\d+", lines[0]).group())))  # type: ignore[union-attr]
        elif len(lines) == 1 and lines[0].startswith("#"):
            out.append(Block("heading", lines[0].lstrip("#").strip()))
        else:
            out.append(Block("paragraph", " ".join(lines)))
    return tuple(out)


def hand_written_article(rel: str, page: str, options: ExtractOptions) -> Article:
    meta, body = split_page(page, rel)
    if not meta.get("title"):
        raise FrontMatterError("a hand-written article needs a title", path=rel, key="title", line=1)
    validate(meta, page, rel, options)
    markdown = page_text(body)
    stem = Path(rel).stem
    a = Article(id=stem, seed="", seed_sha256="", seed_size=0, title=str(meta["title"]), title_source="curator",
                date=DateValue.unknown(), outlet=None, agency=None, people=(), organizations=(), places=(),
                event=None, event_basis="set by a curator", tags=(), words=count_words(markdown),
                language=str(meta.get("language") or "en"), blocks=blocks_of(markdown), removed=(),
                origin="curator", markdown=markdown)
    return apply_fields(a, {k: v for k, v in meta.items() if k in OVERRIDABLE}, options)
