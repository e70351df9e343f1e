"""Metadata extraction: one function per field, each a fallback chain.

``extract`` turns a ``Cleaned`` capture into an ``Article``. Fields that depend on each
other are resolved in order: stated facts first, then the event the article reports
(which uses dates, people and organizations as evidence), then inferred dates, then
people again with the year known (so "Premier Li" resolves to the right Li).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from . import dates
from .entities import AliasIndex, NameRules, PeopleFinder, find_entities, load_name_rules
from .events import Evidence, keyword_regex, match_event
from .records import Article, Cleaned, DateValue, Entity, Event, Knowledge, Mention, PartialDate

TITLE_MAX_WORDS = 14
STATED_BASIS = {"html": "stated in the page's metadata", "markdown": "stated in the capture's front matter"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_CLAUSE_BREAK = re.compile(r"[,;:—–]\s|\s(?:--|-)\s")
_OUTLET_SIGNATURE = re.compile(
    r"(?:\breports?|\bwrites?|\breported by)\s+(?:the\s+)?(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})\W*$")
_SOURCE_LINE = re.compile(r"^(?:source|from|copyright|©|\(c\))\s*[:©]?\s*(?:©\s*)?(?:\d{4}\s*)?(?P<name>[^|,;\n]+)", re.I)
_COPYRIGHT = re.compile(r"^\s*(?:copyright|©|\(c\))", re.I)
# A publisher's name as a copyright or source line prints it: "The Times of India", "Shanghai Daily"
_PUBLISHER = re.compile(r"^(?:The\s+)?[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|of|and|on|de|&)){0,6}$")
_DATED = re.compile(r"\b\d{4}\b|rights reserved", re.I)  # a copyright line of the page, not a photo credit
_PUBLISHER_END = re.compile(r"\.\s|\.$|\s+(?:-|–|—)\s|\s+all rights\b|\s+\d{4}\b", re.I)


@dataclass(frozen=True)
class ExtractOptions:
    knowledge: Knowledge
    people: PeopleFinder = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    organizations: AliasIndex = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    places: AliasIndex = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    outlets: AliasIndex = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    agencies: AliasIndex = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge) -> ExtractOptions:
        return cls(knowledge, PeopleFinder(knowledge.people), AliasIndex(knowledge.organizations),
                   AliasIndex(knowledge.places), AliasIndex(knowledge.outlets), AliasIndex(knowledge.agencies))


def extract(cleaned: Cleaned, article_id: str, options: ExtractOptions) -> Article:
    text = cleaned.body_text
    stated = extract_stated_date(cleaned)
    orgs = tuple(find_entities(text, options.organizations))
    people = tuple(options.people.find(text, stated.value))
    evidence = Evidence.gather(cleaned, stated.value, people, orgs, options.knowledge)
    event, basis = match_event(evidence, options.knowledge)
    date = stated if stated.value else infer_date(evidence, event, options.knowledge)
    if date.value and not stated.value:
        people = tuple(options.people.find(text, date.value))
    title, title_source = extract_title(cleaned)
    return Article(
        id=article_id, seed=cleaned.capture.rel, seed_sha256=cleaned.capture.sha256,
        seed_size=cleaned.capture.size, title=title, title_source=title_source, date=date,
        outlet=extract_outlet(cleaned, options.outlets, options.agencies),
        agency=extract_agency(cleaned, options.agencies),
        people=people, organizations=orgs, places=extract_places(cleaned, options.places),
        event=event.id if event else None, event_basis=basis,
        tags=extract_tags(text, options.knowledge), words=count_words(text),
        language=cleaned.language, blocks=cleaned.blocks, removed=cleaned.removed,
        meta=(("author", author),) if (author := extract_author(cleaned, options.people.rules)) else (),
    )


# --------------------------------------------------------------------------- author
_NAME_PART = re.compile(r"^(?:[A-Z\u00C0-\u00DE][\w.'’-]*|[A-Z]\.|(?:de|da|van|von|der|den|al|bin|el|la|le|du|dos))$")


def extract_author(cleaned: Cleaned, rules: NameRules | None = None) -> str | None:
    """The author a byline names ("By Jane Roe", "Jane Roe, Transport Correspondent",
    "BY JANE ROE AND ANA CRUZ in Beijing", "记者：王芳"): the first byline cleaning removed
    whose names all look like a person's (patterns and desk words: ``data/names.yaml``).
    A desk ("Staff Reporter", "Web Desk") names no one."""
    rules = rules or load_name_rules()
    for line in (r.text for r in cleaned.removed if r.reason == "byline"):
        for pattern in rules.byline_names:
            m = pattern.match(line.strip())
            if m and (names := _person_names(m.group("names"), rules.desk_words)):
                return " and ".join(names)
    return None


def _person_names(text: str, desk_words: frozenset[str]) -> list[str]:
    names = [n.strip() for n in re.split(r"\s+(?:and|&)\s+|\s*[、，]\s*", text.strip(), flags=re.I) if n.strip()]
    out = []
    for name in names:
        if _CJK.search(name):
            if not 2 <= len(name) <= 4 or not all(_CJK.match(ch) for ch in name):
                return []
            out.append(name)
            continue
        name = name.title() if name.isupper() else name
        parts = name.split()
        if not 2 <= len(parts) <= 4 or not all(_NAME_PART.match(w) for w in parts):
            return []
        if any(w.lower().strip(".") in desk_words for w in parts):
            return []
        out.append(name)
    return out


# --------------------------------------------------------------------------- title
def extract_title(cleaned: Cleaned) -> tuple[str, str]:
    """The capture's headline, or one generated from the lead."""
    if cleaned.headline:
        return cleaned.headline.strip(), "capture"
    return generate_title(cleaned), "generated"


def generate_title(cleaned: Cleaned) -> str:
    lead = next((b.text for b in cleaned.blocks if b.kind == "paragraph"), "") or cleaned.body_text
    line = dates.dateline(lead)
    if line:
        lead = re.sub(r"^.*?(?:--|—|–|-|:)\s+", "", lead, count=1)
    sentence = re.split(r"(?<=[.!?。！？])\s", lead.strip(), maxsplit=1)[0].rstrip(".。")
    words = sentence.split()
    if len(words) <= TITLE_MAX_WORDS:
        return sentence or "Untitled capture"
    for m in reversed(list(_CLAUSE_BREAK.finditer(sentence))):
        head = sentence[:m.start()]
        if 6 <= len(head.split()) <= TITLE_MAX_WORDS:
            return head + " …"
    return " ".join(words[:TITLE_MAX_WORDS]).rstrip(",;:") + " …"


# --------------------------------------------------------------------------- dates
def extract_stated_date(cleaned: Cleaned) -> DateValue:
    """A publication date the capture prints: a date stamp above the article, or a dated dateline."""
    meta_date = dict(cleaned.capture.meta).get("date")
    if meta_date:  # an HTML page's metadata or a Markdown capture's front matter
        try:
            basis = STATED_BASIS.get(cleaned.capture.format, "stated by the capture")
            return DateValue(PartialDate.parse(str(meta_date)), "stated", f"{basis}: {meta_date}")
        except ValueError:
            pass
    for line in cleaned.header:
        found = dates.full_dates(line)
        if found:
            return _unambiguous(found[0][1], line, cleaned)
    lead = next((b.text for b in cleaned.blocks if b.kind == "paragraph"), "")
    line = dates.dateline(lead)
    if line and line.year and line.month and line.day:
        return DateValue(PartialDate(line.year, line.month, line.day), "stated", "dateline")
    for line in cleaned.header:
        months = dates.month_years(line)
        if months:
            return DateValue(months[0], "stated", f"printed in the capture: “{line.strip()}”")
    return DateValue.unknown()


def _unambiguous(found: PartialDate, line: str, cleaned: Cleaned) -> DateValue:
    """A printed date; a numeric one that reads both ways ("04/05/2023") keeps its day and
    month only when the article's dateline or text confirms one reading, else only its year."""
    printed = f"printed in the capture: “{line.strip()}”"
    readings = next((pair for pair in dates.ambiguous_numeric(line) if found in pair), None)
    if readings is None:
        return DateValue(found, "stated", printed)
    lead = next((b.text for b in cleaned.blocks if b.kind == "paragraph"), "")
    line_ = dates.dateline(lead)
    named = set(dates.month_days(cleaned.body_text))
    if line_ and line_.month and line_.day:
        named.add((line_.month, line_.day))
    fits = [r for r in readings if (r.month, r.day) in named or any(
        m == r.month and 0 <= r.day - d <= 1 for m, d in named)]  # type: ignore[operator]
    if len(fits) == 1:
        return DateValue(fits[0], "stated", f"{printed}; day and month order confirmed by the article's dates")
    return DateValue(PartialDate(found.year), "stated",
                     f"{printed}; day and month can be read either way, so only the year is certain")


def infer_date(evidence: Evidence, event: Event | None, knowledge: Knowledge) -> DateValue:
    """A date reasoned from the dateline, the event reported, and weekdays. Never invented."""
    line = evidence.dateline
    if line and line.month and line.day:
        if event:
            for year in sorted({event.start.year, event.end.year}):
                candidate = PartialDate(year, line.month, line.day)
                day = candidate.as_date()
                if day and event.start.toordinal() - 1 <= day.toordinal() <= event.end.toordinal() + 30:
                    return DateValue(candidate, "inferred",
                                     f"dateline {line.month}/{line.day} with the year of the event it reports: {event.title}, {event.start.year}")
        years = _weekday_years(evidence, line.month, line.day)
        if len(years) == 1:
            return DateValue(PartialDate(years[0], line.month, line.day), "inferred",
                             "dateline with the only year, in the tenure of the officials named, that fits its weekday")
    if event:
        if (event.start.year, event.start.month) == (event.end.year, event.end.month):
            return DateValue(PartialDate(event.end.year, event.end.month), "inferred",
                             f"month of the event it reports: {event.title}, {event.start.year}")
        return DateValue(PartialDate(event.end.year), "inferred", f"year of the event it reports: {event.title}, {event.start.year}")
    return DateValue.unknown()


def _weekday_years(evidence: Evidence, month: int, day: int) -> list[int]:
    """Years, within the tenure of the officials named, where the weekdays fit the dateline.

    The weekday is first read as the day before the dateline (wire copy filed the next
    day), then as the dateline's own day. A year is returned only when it is the only fit.
    """
    span = evidence.tenure_years()
    if not evidence.weekdays or span is None:
        return []
    for offsets in ((1,), (0,)):
        years = set(span)
        for wd in evidence.weekdays:
            years &= set(dates.years_matching_weekday(month, day, wd, span, offsets))
        if years:
            return sorted(years)
    return []


# --------------------------------------------------------------------------- sources
def extract_outlet(cleaned: Cleaned, outlets: AliasIndex, agencies: AliasIndex) -> str | None:
    """The site that published the capture, when the capture says so: in a signature ("...
    reports Asian Lite News"), else in its copyright line (the publisher of the page, which
    may carry another's story) or a source line; a curated outlet first, else the name as
    printed unless it is a wire agency's (that is the agency, ``extract_agency``)."""
    paragraphs = [b.text for b in cleaned.blocks[:3] if b.kind == "paragraph"]
    for text in paragraphs:
        for sentence in re.split(r"[.…]\s*|\.\.\.", text):
            m = _OUTLET_SIGNATURE.search(sentence.strip())
            if m:
                found = outlets.find(m["name"])
                return found[0][2].name if found else m["name"].strip()
    for name, publisher in _credits(cleaned):
        found = outlets.find(name)
        if found:
            return found[0][2].name
        name = _PUBLISHER_END.split(name, 1)[0].strip()  # a publisher no curated file lists, not an agency
        if publisher and _PUBLISHER.match(name) and not agencies.find(name):
            return name
    return None


def _credits(cleaned: Cleaned) -> list[tuple[str, bool]]:
    """(name, whether the line credits the page's publisher) of the copyright, source and
    "from" lines around the article, copyright lines first. A publisher's line is a dated
    copyright line ("© 2023 Shanghai Daily. All rights reserved.", not a photo's "© Getty
    Images") or a source line of the page's metadata row ("Source: X | 2023-07-16 | Editor:
    Y", not a chart's "Source: National Bureau of Statistics")."""
    copyrights, other = [], []
    for line in (line.strip() for line in (*cleaned.header, *(r.text for r in cleaned.removed))):
        m = _SOURCE_LINE.match(line)
        if m and _COPYRIGHT.match(line):
            copyrights.append((m["name"], bool(_DATED.search(line))))
        elif m:
            other.append((m["name"], line.lower().startswith("source") and " | " in line))
    return copyrights + other


def extract_agency(cleaned: Cleaned, agencies: AliasIndex) -> str | None:
    """The wire agency named as the source."""
    lead = next((b.text for b in cleaned.blocks if b.kind == "paragraph"), "")
    line = dates.dateline(lead)
    candidates = [line.agency] if line and line.agency else []
    text = cleaned.body_text
    for pattern, needles in _agency_patterns(agencies):
        for source in (text, *cleaned.header):
            if any(n in source for n in needles):
                candidates += [m["n"] for m in pattern.finditer(source)]
    for name in candidates:
        found = agencies.find(name)
        if found:
            return found[0][2].name
    return candidates[0].strip() if candidates else None


@functools.lru_cache(maxsize=8)
def _agency_patterns(agencies: AliasIndex) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Where a text names its wire agency (any name or alias, longest first), compiled once,
    each with the plain text that any match of it contains."""
    names = [re.escape(s) for s in sorted(agencies.by_surface, key=len, reverse=True)]
    if not names:
        return ()
    alt = "|".join(names)
    return tuple((re.compile(p, re.M), needles) for p, needles in (
        (rf"\((?P<n>{alt})\)", ("(",)),
        # "[Aa]ccording to", with the look-behind after the plain text: the engine skips ahead to it
        (rf"ccording to (?<=[Aa]ccording to )(?:a |an |the )?(?P<n>{alt})\b", ("ccording to ",)),
        (rf"(?P<n>{alt})\s+(?:news agency|reported|reports|said in a report)", ("news agency", "report")),
        (rf"^(?:[Ss]ource|[Ff]rom)\s*:\s*(?P<n>{alt})\b", (":",))))


# --------------------------------------------------------------------------- others
def extract_places(cleaned: Cleaned, places: AliasIndex) -> tuple[str, ...]:
    names: list[str] = []
    lead = next((b.text for b in cleaned.blocks if b.kind == "paragraph"), "")
    line = dates.dateline(lead)
    if line:
        found = places.find(line.place.title()) or places.find(line.place)
        names.append(found[0][2].name if found else line.place.title())
    names += [e.name for _, _, e in places.find(cleaned.body_text)]
    return tuple(dict.fromkeys(names))


def extract_tags(text: str, knowledge: Knowledge, min_hits: int = 2, max_tags: int = 6) -> tuple[str, ...]:
    """Topics whose keywords the text uses at least ``min_hits`` times; the strongest few."""
    lower = text.lower()
    hits = []
    for tag, keywords in knowledge.topics:
        n = len(keyword_regex(keywords).findall(lower))
        if n >= min_hits:
            hits.append((-n, tag))
    return tuple(sorted(tag for _, tag in sorted(hits)[:max_tags]))


def count_words(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text) if cjk else text)) + cjk


def unique_mentions(mentions: tuple[Mention, ...]) -> list[Mention]:
    """The first mention of each entity, in order of appearance."""
    seen: dict[str, Mention] = {}
    for m in mentions:
        seen.setdefault(m.entity_id, m)
    return list(seen.values())


def entity_for(mention: Mention, kind: str) -> Entity:
    return Entity(mention.entity_id, kind, mention.name, curated=mention.curated)  # type: ignore[arg-type]
