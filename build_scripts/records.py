"""The data model: every pipeline stage maps one of these frozen records to the next.

    SourceFile --ingest--> Capture --clean--> Cleaned --extract--> Article
    (all Articles) --link--> Archive --render--> pages on disk

Records are immutable and hold only plain values, so stages stay pure functions that
can run in any executor (a process pool today, a distributed engine tomorrow).
"""
from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from typing import Literal

Certainty = Literal["stated", "inferred", "unknown"]
Precision = Literal["day", "month", "year"]
BlockKind = Literal["paragraph", "heading", "list"]


# --------------------------------------------------------------------------- ingest
@dataclass(frozen=True)
class SourceFile:
    """A capture file as found under the seeds folder."""

    rel: str  # path relative to the seeds folder, POSIX separators
    data: bytes
    sha256: str
    size: int


@dataclass(frozen=True)
class Capture:
    """A decoded capture: text with normalised line endings and whitespace."""

    rel: str
    sha256: str
    size: int
    encoding: str
    text: str
    format: str = "text"  # "text", "html" or "markdown": the reader that decoded it (ingest.DECODERS)
    # Metadata the file states about itself, as (key, text) in a fixed key order: an HTML
    # page's title, date, outlet (site name), author and canonical url; a Markdown capture's
    # front matter (title, date, outlet, agency, author, url, language). See stated.py.
    meta: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- clean
@dataclass(frozen=True)
class Block:
    """One unit of the article body, in reading order."""

    kind: BlockKind
    text: str = ""  # paragraph or heading text (plain, unescaped)
    items: tuple[str, ...] = ()  # list items, for kind == "list"
    start: int | None = None  # a numbered list ("1." "2)" "(3)" in the capture): its first number; None: bullets


@dataclass(frozen=True)
class RemovedLine:
    line: int  # 1-based line number in the decoded capture
    text: str
    reason: str  # a short category, e.g. "share widget", "navigation", "foreign language"


@dataclass(frozen=True)
class Cleaned:
    """The article separated from the page furniture around it."""

    capture: Capture
    headline: str | None  # the capture's own headline, once, if it has one
    header: tuple[str, ...]  # lines above the body kept for metadata (date stamps, bylines)
    blocks: tuple[Block, ...]
    removed: tuple[RemovedLine, ...]
    language: str  # ISO 639-1 code of the article's language, e.g. "en", "zh"

    @property
    def body_text(self) -> str:
        """Plain text of the body: one paragraph per line, list items included."""
        out: list[str] = []
        for b in self.blocks:
            out.extend(b.items if b.kind == "list" else (b.text,))
        return "\n".join(out)


# --------------------------------------------------------------------------- dates
@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> _dt.date | None:
        if self.day is None or self.month is None:
            return None
        return _dt.date(self.year, self.month, self.day)

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        parts = [int(p) for p in str(value).split("-")]
        if not 1 <= len(parts) <= 3:
            raise ValueError(f"not a YYYY[-MM[-DD]] date: {value!r}")
        pd = cls(*parts)  # type: ignore[arg-type]
        if pd.day is not None:
            pd.as_date()  # raises ValueError for impossible dates
        elif pd.month is not None and not 1 <= pd.month <= 12:
            raise ValueError(f"month out of range: {value!r}")
        return pd


@dataclass(frozen=True)
class DateValue:
    """A date with how it is known. ``value`` is None when unknown."""

    value: PartialDate | None
    certainty: Certainty
    basis: str = ""  # human-readable reason, shown on the page

    @classmethod
    def unknown(cls) -> DateValue:
        return cls(None, "unknown", "no date in the capture")


# --------------------------------------------------------------------------- knowledge
@dataclass(frozen=True)
class Role:
    title: str
    start: int | None = None  # first year in office
    end: int | None = None  # last year in office; None while in office

    def is_titled(self, title: str) -> bool:
        """Whether "<title> <name>" refers to this role: "Premier" is not "Vice Premier"."""
        own, asked = self.title.lower(), title.lower().rstrip(".")
        return any(own.startswith(q + asked) for q in ("", "executive ", "first "))

    start_month: int | None = None  # month the role began, when known (handovers: March 2023)
    end_month: int | None = None  # month the role ended, when known

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)

    def covers_month(self, year: int, month: int | None) -> bool:
        """Whether the role was held in that month (in that year when ``month`` is None).

        A role ending in March and another starting in March both cover March: in the
        month of a handover the office is ambiguous, and callers must not guess."""
        if month is None:
            return self.covers(year)
        after_start = self.start is None or (year, month) >= (self.start, self.start_month or 1)
        before_end = self.end is None or (year, month) <= (self.end, self.end_month or 12)
        return after_start and before_end


@dataclass(frozen=True)
class Entity:
    """A person, organization, outlet, agency or place, curated or discovered."""

    id: str
    kind: Literal["person", "organization", "place", "outlet", "agency"]
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    wikidata: str | None = None
    url: str | None = None
    curated: bool = True


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    start: _dt.date
    end: _dt.date
    place: str | None = None
    keywords: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # person ids expected to appear
    description: str = ""
    curated: bool = True


@dataclass(frozen=True)
class Knowledge:
    """Everything curated, loaded from the knowledge folder."""

    events: tuple[Event, ...] = ()
    people: tuple[Entity, ...] = ()
    organizations: tuple[Entity, ...] = ()
    places: tuple[Entity, ...] = ()
    outlets: tuple[Entity, ...] = ()
    agencies: tuple[Entity, ...] = ()
    topics: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (tag, keywords)
    formulations: tuple[Formulation, ...] = ()  # tracked official phrases (formulations.yaml)


@dataclass(frozen=True)
class Formulation:
    """An official formulation analysts track, with the wordings it takes."""

    id: str
    name: str
    variants: tuple[str, ...]  # phrases, matched ignoring case; the name is the first
    description: str = ""
    chinese: str | None = None  # the Chinese original, when known


# --------------------------------------------------------------------------- extract
@dataclass(frozen=True)
class Mention:
    """An entity named in an article."""

    entity_id: str
    name: str  # canonical name
    surface: str  # the text as written in the capture
    snippet: str  # the sentence it occurs in
    curated: bool = True


@dataclass(frozen=True)
class Article:
    id: str
    seed: str  # capture path relative to the seeds folder
    seed_sha256: str
    seed_size: int
    title: str
    title_source: Literal["capture", "generated", "curator"]
    date: DateValue
    outlet: str | None
    agency: str | None
    people: tuple[Mention, ...]
    organizations: tuple[Mention, ...]
    places: tuple[str, ...]
    event: str | None  # event id
    event_basis: str  # why this event was chosen (or why none)
    tags: tuple[str, ...]
    words: int
    language: str
    blocks: tuple[Block, ...]
    removed: tuple[RemovedLine, ...]
    origin: Literal["capture", "curator"] = "capture"  # curator: a page written by hand
    markdown: str = ""  # for curator pages: the text as written on the page
    entered: str | None = None  # when the capture entered the archive (YYYY-MM-DD)
    curated_fields: tuple[str, ...] = ()  # front-matter fields a curator set by hand

    @property
    def sort_key(self) -> tuple:
        """Chronological order, undated last, ties broken by id."""
        v = self.date.value
        if v is None:
            return (1, 0, 0, 0, self.id)
        return (0, v.year, v.month or 0, v.day or 0, self.id)
    meta: tuple[tuple[str, str], ...] = ()  # what the capture states about itself (Capture.meta)
    duplicate_of: str | None = None  # id of the article whose capture has the same bytes


# --------------------------------------------------------------------------- link
@dataclass(frozen=True)
class Reuse:
    """Text an article shares with another one (word for word, in passages of 8+ words)."""

    article_id: str  # the other article
    share: float  # part of this article's words found in the other, 0..1
    words: int  # shared words, counted in this article
    passages: tuple[str, ...]  # the shared passages as they stand in this article, longest first
    kind: Literal["reuse", "near-duplicate", "exact duplicate"] = "reuse"


@dataclass(frozen=True)
class FormulationUse:
    """One article's use of a tracked formulation."""

    article_id: str
    variant: str  # the wording used
    count: int  # uses in the article
    snippet: str  # the sentence of the first use


@dataclass(frozen=True)
class Phrase:
    """A recurring phrase found across articles, not (yet) a tracked formulation."""

    text: str
    articles: int  # independent articles using it (copies of one text count once)
    example: str  # id of an article using it


@dataclass(frozen=True)
class Related:
    article_id: str
    score: float
    reason: str


@dataclass(frozen=True)
class Archive:
    """The whole corpus after linking: what every page is rendered from."""

    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    people: tuple[Entity, ...]
    organizations: tuple[Entity, ...]
    related: dict[str, tuple[Related, ...]] = field(default_factory=dict)
    # Text reuse, formulations and discovered phrases (build_scripts/reuse.py, formulations.py).
    reuse: dict[str, tuple[Reuse, ...]] = field(default_factory=dict)
    formulations: tuple[Formulation, ...] = ()
    formulation_uses: dict[str, tuple[FormulationUse, ...]] = field(default_factory=dict)
    phrases: tuple[Phrase, ...] = ()  # recurring phrases, candidates for formulations.yaml

    # Indexes, computed once on first use, so rendering any page is not a scan of the corpus.
    @functools.cached_property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @functools.cached_property
    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @functools.cached_property
    def chronological(self) -> tuple[Article, ...]:
        return tuple(sorted(self.articles, key=lambda a: a.sort_key))

    @functools.cached_property
    def by_event(self) -> dict[str, tuple[Article, ...]]:
        out: dict[str, list[Article]] = {}
        for a in self.chronological:
            if a.event:
                out.setdefault(a.event, []).append(a)
        return {k: tuple(v) for k, v in out.items()}

    @functools.cached_property
    def mentions(self) -> dict[tuple[str, str], tuple[tuple[Article, tuple[Mention, ...]], ...]]:
        """(field, entity id) -> every article naming the entity, with its mentions, by date."""
        out: dict[tuple[str, str], list] = {}
        for a in self.chronological:
            for name in ("people", "organizations"):
                grouped: dict[str, list[Mention]] = {}
                for m in getattr(a, name):
                    grouped.setdefault(m.entity_id, []).append(m)
                for entity_id, ms in grouped.items():
                    out.setdefault((name, entity_id), []).append((a, tuple(ms)))
        return {k: tuple(v) for k, v in out.items()}

    def article(self, article_id: str) -> Article:
        return self.by_id[article_id]
