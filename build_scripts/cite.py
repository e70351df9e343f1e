"""Citing the archive's articles: Chicago and APA strings, BibTeX, RIS and CSL-JSON.

Pure functions from records to text. A date is cited at the precision it is known and
never completed: "July 2023" stays a month. An inferred date is marked as supplied by the
archive (square brackets in Chicago, "[date inferred]" in APA, a note in the files).

The archive's own name and public address come from ``data/archive.yaml`` (``ArchiveInfo``).
Article pages live at ``articles/<id>/`` and the files at ``cite/<id>.bib|.ris|.json``;
``cite/archive.*`` hold every article.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import yaml

from .errors import KnowledgeError
from .ingest import raw_copy
from .markup import escape, json_records
from .records import Archive, Article, Event, PartialDate

ARCHIVE_FILE = Path(__file__).parent / "data" / "archive.yaml"
ARCHIVE_KEYS = ("name", "url", "description", "license")
CITE_DIR = "cite"
ALL = "archive"  # cite/archive.bib etc.: every article
FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL = re.compile(r"^https?://[^\s/]+[^\s]*$")


# --------------------------------------------------------------------------- the archive itself
@dataclass(frozen=True)
class ArchiveInfo:
    """How the archive names itself; ``url`` is its public base URL ending in "/", or None."""

    name: str
    url: str | None = None
    description: str = ""
    license: str | None = None

    def absolute(self, path: str) -> str | None:
        """The public URL of a site path (``articles/x/``), or None while unpublished."""
        return f"{self.url}{path}" if self.url else None


def load_archive_info(path: Path = ARCHIVE_FILE) -> ArchiveInfo:
    """Read and validate ``archive.yaml``; a problem raises KnowledgeError naming file and key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read the archive's description: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise KnowledgeError("expected a mapping of name, url, description, license", path=str(path))
    unknown = sorted(set(map(str, data)) - set(ARCHIVE_KEYS))
    if unknown:
        raise KnowledgeError(f"unknown key (expected one of {', '.join(ARCHIVE_KEYS)})", path=str(path),
                             key=unknown[0])
    for key in ARCHIVE_KEYS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise KnowledgeError("expected text", path=str(path), key=key)
    if not (data.get("name") or "").strip():
        raise KnowledgeError("the archive needs a name", path=str(path), key="name")
    url = (data.get("url") or "").strip() or None
    if url and not _URL.match(url):
        raise KnowledgeError(f"not an http(s) URL: {url!r}", path=str(path), key="url")
    return ArchiveInfo(name=data["name"].strip(), url=url and url.rstrip("/") + "/",
                       description=(data.get("description") or "").strip(), license=data.get("license") or None)


# --------------------------------------------------------------------------- what is cited
@dataclass(frozen=True)
class CiteItem:
    """Everything a citation of one article says, gathered once for every format."""

    id: str
    title: str
    author: str | None  # as stated by the capture (a byline in its metadata)
    container: str | None  # the outlet; the wire agency when no outlet is stated
    agency: str | None  # the agency, when an outlet is stated as well
    date: PartialDate | None
    inferred: bool
    date_basis: str
    language: str
    tags: tuple[str, ...]
    event: Event | None
    seed_sha256: str | None  # the raw capture's fixity, for articles built from a capture
    archive: str
    url: str | None  # the article's page in the archive, once the archive has a public URL
    original_url: str | None = None  # where the article was published, as stated by the capture

    @property
    def link(self) -> str | None:
        """The URL a reference gives: the original when the capture states it, else the archive's page."""
        return self.original_url or self.url


@functools.lru_cache(maxsize=1)
def default_info() -> ArchiveInfo:
    """The archive's description from the packaged ``data/archive.yaml`` (read once)."""
    return load_archive_info(ARCHIVE_FILE)


def page_path(article_id: str) -> str:
    """The article page's path under the site root (directory URLs, as MkDocs and Zensical use)."""
    return f"articles/{article_id}/"


def cite_item(a: Article, archive: Archive, info: ArchiveInfo) -> CiteItem:
    event = archive.event_by_id.get(a.event or "")
    stated = dict(a.meta)
    return CiteItem(
        id=a.id, title=" ".join(a.title.split()), author=_one_line(stated.get("author")),
        container=a.outlet or a.agency,
        agency=a.agency if a.outlet and a.agency and a.agency != a.outlet else None,
        date=a.date.value, inferred=a.date.certainty == "inferred" and a.date.value is not None,
        date_basis=a.date.basis, language=a.language, tags=tuple(a.tags), event=event,
        seed_sha256=a.seed_sha256 if a.origin == "capture" else None, archive=info.name,
        url=info.absolute(page_path(a.id)), original_url=_one_line(stated.get("url")))


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def cite_items(archive: Archive, info: ArchiveInfo) -> list[CiteItem]:
    """Every article, oldest first; undated articles last."""
    return sorted((cite_item(a, archive, info) for a in archive.articles), key=_date_order)


def _date_order(item: CiteItem) -> tuple:
    d = item.date
    return (d is None, d.year if d else 0, (d.month or 0) if d else 0, (d.day or 0) if d else 0, item.id)


def notes(item: CiteItem) -> list[str]:
    """What a reader of the reference should know beyond its fields."""
    out = [f"Archived in {item.archive} as {item.id}" + (f" ({item.url})" if item.url and item.original_url else "")]
    if item.agency:
        out.append(f"Wire copy of {item.agency}")
    if item.inferred:
        out.append(f"Date inferred by the archive: {item.date_basis}" if item.date_basis else "Date inferred")
    if item.seed_sha256:
        out.append(f"Raw capture SHA-256 {item.seed_sha256}")
    return out


# --------------------------------------------------------------------------- styled strings
def _plain(text: str) -> str:
    return text


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def chicago_date(d: PartialDate | None, inferred: bool) -> str:
    if d is None:
        return "n.d."
    text = str(d.year) if d.month is None else (
        f"{MONTHS[d.month - 1]} {d.year}" if d.day is None else f"{MONTHS[d.month - 1]} {d.day}, {d.year}")
    return f"[{text}]" if inferred else text


def apa_date(d: PartialDate | None, inferred: bool) -> str:
    if d is None:
        return "(n.d.)"
    text = str(d.year) if d.month is None else f"{d.year}, {MONTHS[d.month - 1]}" + (
        f" {d.day}" if d.day is not None else "")
    return f"({text}) [date inferred]" if inferred else f"({text})"


def chicago(item: CiteItem, markdown: bool = False) -> str:
    """Chicago (17th ed.) bibliography entry for a newspaper article without a byline."""
    t, em, link = _styles(markdown)
    out = f"{t(_sentence(item.author))} " if item.author else ""
    out += f"“{t(_sentence(item.title))}”"
    out += f" {em(item.container)}, {chicago_date(item.date, item.inferred)}." if item.container else (
        f" {chicago_date(item.date, item.inferred)}.")
    out += f" {t(item.archive)}, {t(item.id)}."
    return out + (f" {link(item.link)}." if item.link else "")


def apa(item: CiteItem, markdown: bool = False) -> str:
    """APA (7th ed.) reference for a newspaper article without a byline."""
    t, em, link = _styles(markdown)
    date = apa_date(item.date, item.inferred)
    out = (f"{t(_sentence(item.author))} {date}. {t(_sentence(item.title))}" if item.author
           else f"{t(_sentence(item.title))} {date}.")
    if item.container:
        out += f" {em(item.container)}."
    out += f" {t(item.archive)}, {t(item.id)}."
    return out + (f" {link(item.link)}" if item.link else "")


def _styles(markdown: bool) -> tuple[Callable[[str], str], Callable[[str], str], Callable[[str], str]]:
    if markdown:
        return escape, (lambda s: f"*{escape(s)}*"), (lambda u: f"<{u}>")
    return _plain, _plain, _plain


# --------------------------------------------------------------------------- BibTeX
_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_BIB_TABLE = str.maketrans(_BIB_SPECIAL)


def bib_escape(text: str) -> str:
    """A field value safe inside braces: TeX specials escaped, whitespace on one line."""
    return " ".join(text.split()).translate(_BIB_TABLE)


def bib_key(article_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", article_id)


def bibtex_entry(item: CiteItem) -> str:
    """One ``@article`` (biblatex ``entrysubtype = {newspaper}``; plain BibTeX reads it too)."""
    f: list[tuple[str, str]] = [("author", "{{" + bib_escape(item.author) + "}}")] if item.author else []
    f.append(("title", "{{" + bib_escape(item.title) + "}}"))
    if item.container:
        f += [("journal", _braced(item.container)), ("entrysubtype", "{newspaper}")]
    if item.date:
        f.append(("year", f"{{{item.date.year}}}"))
        if item.date.month:
            f.append(("month", BIB_MONTHS[item.date.month - 1]))
        f.append(("date", f"{{{item.date.iso()}}}"))
    if item.event:
        e = item.event
        f += [("eventtitle", _braced(e.title)), ("eventdate", f"{{{e.start.isoformat()}/{e.end.isoformat()}}}")]
        f += [("venue", _braced(e.place))] if e.place else []
    f += [("language", _braced(item.language))] if item.language else []
    f += [("keywords", _braced(", ".join(item.tags)))] if item.tags else []
    f += [("url", _braced(item.link))] if item.link else []
    f.append(("note", _braced("; ".join(notes(item)))))
    body = ",\n".join(f"  {k} = {v}" for k, v in f)
    return f"@article{{{bib_key(item.id)},\n{body}\n}}\n"


def _braced(text: str) -> str:
    return "{" + bib_escape(text) + "}"


def bibtex(items: list[CiteItem]) -> str:
    return "\n".join(bibtex_entry(i) for i in items)


# --------------------------------------------------------------------------- RIS
def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def ris_entry(item: CiteItem) -> str:
    """One ``TY  - NEWS`` record, ended by ``ER  -``."""
    lines = [_ris_line("TY", "NEWS"), _ris_line("TI", item.title)]
    lines += [_ris_line("AU", item.author)] if item.author else []
    if item.container:
        lines.append(_ris_line("T2", item.container))
    if item.date:
        d = item.date
        lines.append(_ris_line("PY", f"{d.year:04d}"))
        lines.append(_ris_line("DA", f"{d.year:04d}/{_two(d.month)}/{_two(d.day)}/"))
    if item.event:
        lines.append(_ris_line("N1", f"Reports the event: {event_label(item.event)}"))
    lines += [_ris_line("LA", item.language)] if item.language else []
    lines += [_ris_line("KW", t) for t in item.tags]
    lines += [_ris_line("UR", item.link)] if item.link else []
    lines += [_ris_line("DB", item.archive), _ris_line("AN", item.id)]
    lines += [_ris_line("N1", n) for n in notes(item)]
    return "\n".join(lines) + "\nER  - \n"


def _two(value: int | None) -> str:
    return f"{value:02d}" if value else ""


def event_label(e: Event) -> str:
    when = e.start.isoformat() if e.start == e.end else f"{e.start.isoformat()} to {e.end.isoformat()}"
    return f"{e.title} ({when}{', ' + e.place if e.place else ''})"


def ris(items: list[CiteItem]) -> str:
    return "\n".join(ris_entry(i) for i in items)


# --------------------------------------------------------------------------- CSL-JSON
def _date_parts(d: PartialDate) -> list[int]:
    return [p for p in (d.year, d.month, d.day) if p is not None]


def csl_item(item: CiteItem) -> dict[str, Any]:
    """A CSL-JSON item of type ``article-newspaper``, keys in a fixed order."""
    out: dict[str, Any] = {"id": item.id, "type": "article-newspaper", "title": item.title}
    if item.author:
        out["author"] = [{"literal": item.author}]
    if item.container:
        out["container-title"] = item.container
    if item.date:
        out["issued"] = {"date-parts": [_date_parts(item.date)]}
    if item.event:
        e = item.event
        out["event"] = e.title
        days = [e.start] if e.start == e.end else [e.start, e.end]
        out["event-date"] = {"date-parts": [[d.year, d.month, d.day] for d in days]}
        if e.place:
            out["event-place"] = e.place
    if item.language:
        out["language"] = item.language
    if item.tags:
        out["keyword"] = ", ".join(item.tags)
    out["archive"] = item.archive
    out["archive_location"] = item.id
    if item.link:
        out["URL"] = item.link
    out["note"] = "\n".join(notes(item))
    return out


def csl_json(items: list[CiteItem]) -> str:
    """A CSL-JSON array, indented (one article's file)."""
    text = json.dumps([csl_item(i) for i in items], ensure_ascii=False, indent=1)
    return _INNER_NUMBERS.sub(lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text) + "\n"


def csl_json_lines(items: list[CiteItem]) -> str:
    """A CSL-JSON array with one item per line (the whole archive's file)."""
    return json_records([csl_item(i) for i in items])


_INNER_NUMBERS = re.compile(r"\[\s*(\d+(?:,\s*\d+)*)\s*\]")  # date parts on one line: [2023, 7, 16]


# --------------------------------------------------------------------------- files and page
def citation_files(archive: Archive, info: ArchiveInfo, key: Callable[[Any], str] = repr,
                   ) -> list[tuple[str, str, Callable[[], str]]]:
    """Every citation file under ``docs/``, one set per article and one for the whole
    archive, as (path, key of its inputs, function making its text): each file is made
    only if needed (``writer.Lazy``). ``key`` digests a citation item or a list of them."""
    items = cite_items(archive, info)
    made: dict[tuple[str, str], str] = {}  # entries made once, for their own file and the whole archive's

    def entry(kind: str, item: CiteItem) -> str:
        if (kind, item.id) not in made:
            made[kind, item.id] = bibtex_entry(item) if kind == "bib" else ris_entry(item)
        return made[kind, item.id]

    def every(kind: str) -> str:
        return "\n".join(entry(kind, i) for i in items)

    out: list[tuple[str, str, Callable[[], str]]] = []
    for item in sorted(items, key=lambda i: i.id):
        k = key(item)
        out += [(f"{CITE_DIR}/{item.id}.bib", k, functools.partial(entry, "bib", item)),
                (f"{CITE_DIR}/{item.id}.ris", k, functools.partial(entry, "ris", item)),
                (f"{CITE_DIR}/{item.id}.json", k, functools.partial(csl_json, [item]))]
    whole = key(items)
    out += [(f"{CITE_DIR}/{ALL}.bib", whole, functools.partial(every, "bib")),
            (f"{CITE_DIR}/{ALL}.ris", whole, functools.partial(every, "ris")),
            (f"{CITE_DIR}/{ALL}.json", whole, functools.partial(csl_json_lines, items))]
    return out


def citation_box(a: Article, archive: Archive, info: ArchiveInfo) -> str:
    """The "Cite this article" section of an article page (kept out of the search index)."""
    item = cite_item(a, archive, info)
    files = " · ".join(f"[{label}](../{CITE_DIR}/{item.id}.{ext})" for ext, label in FORMATS)
    everything = " · ".join(f"[{label}](../{CITE_DIR}/{ALL}.{ext})" for ext, label in FORMATS)
    lines = ['<div class="archive-cite" data-search-exclude markdown="1">', "",
             "## Cite this article {#cite-this-article}", "",
             f"**Chicago:** {chicago(item, markdown=True)}", "",
             f"**APA:** {apa(item, markdown=True)}", "",
             f"**Download this reference:** {files}", "",
             f"**Every article:** {everything} · [about the data](../data/index.md)", ""]
    if item.inferred:
        lines += ["The date in square brackets was inferred by the archive, not printed in the capture.", ""]
    return "\n".join(lines + ["</div>"])


def head_fields(a: Article, archive: Archive) -> dict[str, Any]:
    """The front-matter key ``citation``: what the page head's metadata needs beyond the other fields.

    ``overrides/main.html`` renders it (with title, date, outlet, ... from the page's own
    front matter) as citation_*, Dublin Core and Open Graph meta tags and schema.org JSON-LD.
    """
    item = cite_item(a, archive, ArchiveInfo(name=""))
    out: dict[str, Any] = {"title": item.title}  # as text: MkDocs hooks may turn the top-level one into markup
    if item.author:
        out["author"] = item.author
    if item.original_url:
        out["original_url"] = item.original_url
    if a.origin == "capture":
        out["capture"] = f"captures/{quote(raw_copy(a.seed), safe='/')}"
    if item.event:
        e = item.event
        out["event"] = {"id": e.id, "title": e.title, "start": e.start.isoformat(), "end": e.end.isoformat(),
                        "place": e.place}
    return out
