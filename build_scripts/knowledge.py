"""Load and validate the curated knowledge folder (events, people, organizations, ...).

Every file is optional; a missing file means no entries of that kind. Validation is
strict: an unknown key, a wrong type, a duplicate id or a reference to an unknown person
raises :class:`KnowledgeError` naming the file, the line, the entry and the key, e.g.::

    knowledge/people.yaml:12 [people[3].roles[0].start]: entry 'li-qiang': expected a
    year (integer), got 'twenty'

The schema of each file is documented in comments at the top of the file itself.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn

import yaml

from build_scripts.errors import KnowledgeError
from build_scripts.records import Entity, Event, Formulation, Knowledge, Role

log = logging.getLogger(__name__)

EntityKind = Literal["person", "organization", "place", "outlet", "agency"]
KeyPath = tuple[str | int, ...]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
PLACE_KINDS = ("city", "province", "country", "region")
MIN_YEAR, MAX_YEAR = 1000, 2100

# The keys each kind of entry may have; anything else is a typo and an error.
ENTITY_KEYS: dict[EntityKind, frozenset[str]] = {
    "person": frozenset({"id", "name", "aliases", "wikidata", "roles"}),
    "organization": frozenset({"id", "name", "aliases", "start", "end", "wikidata", "url"}),
    "place": frozenset({"id", "name", "aliases", "kind", "wikidata"}),
    "outlet": frozenset({"id", "name", "aliases", "url", "wikidata"}),
    "agency": frozenset({"id", "name", "aliases", "url", "wikidata"}),
}
ROLE_KEYS = frozenset({"title", "start", "end"})
EVENT_KEYS = frozenset({"id", "title", "start", "end", "place", "keywords", "people",
                        "description"})
FORMULATION_KEYS = frozenset({"id", "name", "variants", "description", "chinese"})
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
ENTITY_FILES: tuple[tuple[str, EntityKind], ...] = (
    ("people", "person"), ("organizations", "organization"), ("places", "place"),
    ("outlets", "outlet"), ("agencies", "agency"),
)
_APOSTROPHES = "'\u2019\u2018`\u02bc"


# --------------------------------------------------------------------------- slugs
def slugify(text: str) -> str:
    """Lowercase ASCII slug: ``"People's Daily"`` -> ``"peoples-daily"``.

    Accents are folded (``"Côte d'Ivoire"`` -> ``"cote-divoire"``), apostrophes dropped,
    every other run of non-alphanumerics becomes one hyphen. May return ``""`` for text
    with no Latin letters or digits (e.g. Chinese characters only).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = "".join(ch for ch in folded if ch not in _APOSTROPHES).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


# --------------------------------------------------------------------------- source
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: same result, faster
    """SafeLoader that keeps an impossible date (2023-04-31) as text for a clear error."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass(frozen=True)
class _Source:
    """One YAML file: its path, parsed data and node tree (for line numbers).

    Key paths (``(3, "roles", 0, "start")``) start at the document root; messages show
    them under the file's label: ``people[3].roles[0].start``.
    """

    path: Path
    data: Any
    root: yaml.Node | None

    @property
    def label(self) -> str:
        return self.path.stem

    def line(self, keys: KeyPath) -> int | None:
        """1-based line of the deepest node on ``keys`` (a mapping key's own line)."""
        node, line = self.root, None
        for key in keys:
            node, found = _child(node, key)
            if found is None:
                break
            line = found
        if line is None and self.root is not None:
            line = self.root.start_mark.line + 1
        return line

    def fail(self, keys: KeyPath, message: str, entry_id: str | None = None) -> NoReturn:
        if entry_id:
            message = f"entry {entry_id!r}: {message}"
        raise KnowledgeError(message, path=str(self.path), key=self.keystr(keys),
                             line=self.line(keys))

    def keystr(self, keys: KeyPath) -> str | None:
        return _keystr((self.label, *keys)) if keys else None


def _child(node: yaml.Node | None, key: str | int) -> tuple[yaml.Node | None, int | None]:
    """The child node at ``key`` and the line to report for it (None if absent)."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for knode, vnode in node.value:
            if isinstance(knode, yaml.ScalarNode) and knode.value == key:
                return vnode, knode.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        child = node.value[key]
        return child, child.start_mark.line + 1
    return None, None


def _keystr(keys: KeyPath) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def _read(path: Path) -> _Source | None:
    """Parse one file, or None when it does not exist."""
    if not path.is_file():
        log.debug("knowledge file %s not found: no entries", path)
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"cannot read file: {exc}", path=str(path)) from exc
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()  # the node tree, for line numbers in errors
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(f"malformed YAML: {problem}", path=str(path),
                             line=mark.line + 1 if mark else None) from exc
    source = _Source(path, data, root)
    _check_duplicate_keys(source, root, ())
    return source


def _check_duplicate_keys(source: _Source, node: yaml.Node | None, keys: KeyPath) -> None:
    """YAML silently keeps the last of two equal keys; here that is an error."""
    if isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _check_duplicate_keys(source, child, (*keys, i))
    elif isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for knode, vnode in node.value:
            name = str(knode.value)
            if name in seen:
                raise KnowledgeError(f"duplicate key {name!r}", path=str(source.path),
                                     key=source.keystr((*keys, name)),
                                     line=knode.start_mark.line + 1)
            seen.add(name)
            _check_duplicate_keys(source, vnode, (*keys, name))


# --------------------------------------------------------------------------- scalars
@dataclass(frozen=True)
class _Entry:
    """A mapping entry being validated: where it is and what it is called."""

    source: _Source
    keys: KeyPath
    data: Mapping[str, Any]
    id: str | None = None

    def fail(self, key: str | int | KeyPath | None, message: str) -> NoReturn:
        """Raise for ``key`` of this entry (a tuple for a nested key, None for the entry)."""
        below = () if key is None else key if isinstance(key, tuple) else (key,)
        self.source.fail((*self.keys, *below), message, self.id)

    def at(self, key: str | int, data: Mapping[str, Any]) -> _Entry:
        return _Entry(self.source, (*self.keys, key), data, self.id)


def _shown(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})" if value is not None else "nothing"


def _as_mapping(source: _Source, keys: KeyPath, value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        source.fail(keys, f"expected {what} (a mapping of key: value), got {_shown(value)}")
    return value


def _check_keys(entry: _Entry, allowed: frozenset[str], required: Iterable[str]) -> None:
    for key in entry.data:
        if key not in allowed:
            entry.fail(str(key), f"unknown key {key!r}; allowed keys: "
                                 f"{', '.join(sorted(allowed))}")
    for key in required:
        if entry.data.get(key) is None:
            entry.fail(None, f"missing required key {key!r}")


def _text(entry: _Entry, key: str, *, required: bool = False) -> str | None:
    value = entry.data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        entry.fail(key, f"expected non-empty text, got {_shown(value)}")
    return value.strip()


def _texts(entry: _Entry, key: str) -> tuple[str, ...]:
    value = entry.data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        entry.fail(key, f"expected a list of text, got {_shown(value)}")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            entry.fail((key, i), f"expected non-empty text, got {_shown(item)}")
        if item.strip() in out:
            entry.fail((key, i), f"{item.strip()!r} is listed twice")
        out.append(item.strip())
    return tuple(out)


def _year(entry: _Entry, key: str) -> int | None:
    value = entry.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        entry.fail(key, f"expected a year (integer), got {_shown(value)}")
    if not MIN_YEAR <= value <= MAX_YEAR:
        entry.fail(key, f"year {value} is out of range {MIN_YEAR}..{MAX_YEAR}")
    return value


def _year_span(entry: _Entry) -> tuple[int | None, int | None]:
    start, end = _year(entry, "start"), _year(entry, "end")
    if start is not None and end is not None and end < start:
        entry.fail("end", f"end year {end} is before start year {start}")
    return start, end


def _year_month(entry: _Entry, key: str) -> tuple[int | None, int | None]:
    """A role's ``start``/``end``: a year (2013) or, for a handover, a month ("2023-03")."""
    value = entry.data.get(key)
    m = MONTH_RE.match(value.strip()) if isinstance(value, str) else None
    if m is None:
        return _year(entry, key), None
    year, month = int(m[1]), int(m[2])
    if not MIN_YEAR <= year <= MAX_YEAR:
        entry.fail(key, f"year {year} is out of range {MIN_YEAR}..{MAX_YEAR}")
    if not 1 <= month <= 12:
        entry.fail(key, f"month {month} is out of range 1..12 in {value!r}")
    return year, month


def _role_span(entry: _Entry) -> tuple[int | None, int | None, int | None, int | None]:
    """(start year, end year, start month, end month) of a role; months are optional."""
    (start, start_month), (end, end_month) = _year_month(entry, "start"), _year_month(entry, "end")
    if start is not None and end is not None and (end, end_month or 12) < (start, start_month or 1):
        shown = lambda y, m: f"{y}-{m:02d}" if m else str(y)  # noqa: E731
        entry.fail("end", f"end year {shown(end, end_month)} is before start year {shown(start, start_month)}")
    return start, end, start_month, end_month


def _date(entry: _Entry, key: str) -> _dt.date:
    value = entry.data.get(key)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    entry.fail(key, f"expected a date YYYY-MM-DD, got {_shown(value)}")


def _pattern(entry: _Entry, key: str, pattern: re.Pattern[str], what: str) -> str | None:
    value = _text(entry, key)
    if value is not None and not pattern.match(value):
        entry.fail(key, f"expected {what}, got {value!r}")
    return value


def _tentative_id(data: Mapping[str, Any]) -> str | None:
    """A best-effort id to name an entry in messages before it is validated."""
    for key in ("id", "name", "title"):
        value = data.get(key)
        if isinstance(value, str) and slugify(value):
            return value if key == "id" else slugify(value)
    return None


def _entry_id(entry: _Entry, derive_from: str | None) -> str:
    """The entry's id: as written, or slugified from its name when omitted."""
    raw = entry.data.get("id")
    if raw is None and derive_from is not None:
        derived = slugify(derive_from)
        if not derived:
            entry.fail("name", f"cannot derive an id from {derive_from!r}; add an 'id'")
        return derived
    if not isinstance(raw, str) or not ID_RE.match(raw):
        entry.fail("id", f"expected a lowercase slug id [a-z0-9-]+, got {_shown(raw)}")
    return raw


# --------------------------------------------------------------------------- entities
def _roles(entry: _Entry) -> tuple[Role, ...]:
    value = entry.data.get("roles")
    if value is None:
        return ()
    if not isinstance(value, list):
        entry.fail("roles", f"expected a list of roles, got {_shown(value)}")
    roles: list[Role] = []
    for i, item in enumerate(value):
        keys = (*entry.keys, "roles", i)
        role = _Entry(entry.source, keys, _as_mapping(entry.source, keys, item, "a role"),
                      entry.id)
        _check_keys(role, ROLE_KEYS, ("title",))
        title = _text(role, "title", required=True)
        start, end, start_month, end_month = _role_span(role)
        roles.append(Role(title or "", start, end, start_month, end_month))
    return tuple(roles)


def _kind_roles(entry: _Entry, kind: EntityKind) -> tuple[Role, ...]:
    """``Entity.roles`` for each kind: offices, an 'active' span, or a place's kind."""
    if kind == "person":
        return _roles(entry)
    if kind == "organization":
        start, end = _year_span(entry)
        return (Role("active", start, end),) if start is not None or end is not None else ()
    if kind == "place":
        value = _text(entry, "kind", required=True)
        if value not in PLACE_KINDS:
            entry.fail("kind", f"expected one of {', '.join(PLACE_KINDS)}, got {value!r}")
        return (Role(value or ""),)
    return ()


def _entity(source: _Source, index: int, item: Any, kind: EntityKind) -> Entity:
    keys: KeyPath = (index,)
    data = _as_mapping(source, keys, item, f"a {kind} entry")
    _check_keys(_Entry(source, keys, data, _tentative_id(data)), ENTITY_KEYS[kind], ("name",))
    name = data.get("name")
    entry = _Entry(source, keys, data,
                   _entry_id(_Entry(source, keys, data), name if isinstance(name, str) else None))
    return Entity(
        id=entry.id or "",
        kind=kind,
        name=_text(entry, "name", required=True) or "",
        aliases=_texts(entry, "aliases"),
        roles=_kind_roles(entry, kind),
        wikidata=_pattern(entry, "wikidata", WIKIDATA_RE, "a Wikidata id like Q148"),
        url=_pattern(entry, "url", URL_RE, "an http(s):// URL"),
    )


def _top_list(source: _Source, label: str) -> list[Any]:
    if source.data is None:
        return []
    if not isinstance(source.data, list):
        source.fail((), f"expected a list of {label} entries (lines starting with '- '), "
                        f"got {type(source.data).__name__}")
    return source.data


def _check_unique(source: _Source, items: list[Any], ids: list[str]) -> None:
    first: dict[str, int] = {}
    for index, entry_id in enumerate(ids):
        if entry_id in first:
            key = "id" if isinstance(items[index], dict) and "id" in items[index] else "name"
            source.fail((index, key),
                        f"duplicate id {entry_id!r} (also {source.label}[{first[entry_id]}])",
                        entry_id)
        first[entry_id] = index


def _check_surfaces(source: _Source, entities: list[Entity]) -> None:
    """A name or alias must point at one entry only, or mentions become ambiguous."""
    owner: dict[str, str] = {}
    for index, ent in enumerate(entities):
        for pos, surface in enumerate((ent.name, *ent.aliases)):
            folded = surface.casefold()
            other = owner.setdefault(folded, ent.id)
            if other != ent.id:
                key: KeyPath = (index, "name") if pos == 0 else (index, "aliases")
                source.fail(key, f"{surface!r} is also a name or alias of {other!r}", ent.id)


def _load_entities(source: _Source | None, label: str, kind: EntityKind) -> tuple[Entity, ...]:
    if source is None:
        return ()
    items = _top_list(source, label)
    entities = [_entity(source, i, item, kind) for i, item in enumerate(items)]
    _check_unique(source, items, [e.id for e in entities])
    _check_surfaces(source, entities)
    log.debug("loaded %d %s from %s", len(entities), label, source.path)
    return tuple(sorted(entities, key=lambda e: e.id))


# --------------------------------------------------------------------------- events
def _event(source: _Source, index: int, item: Any, person_ids: frozenset[str],
           place_known: Callable[[str], bool]) -> Event:
    keys: KeyPath = (index,)
    data = _as_mapping(source, keys, item, "an event entry")
    _check_keys(_Entry(source, keys, data, _tentative_id(data)), EVENT_KEYS,
                ("id", "title", "start", "end"))
    entry = _Entry(source, keys, data, _entry_id(_Entry(source, keys, data), None))
    start, end = _date(entry, "start"), _date(entry, "end")
    if end < start:
        entry.fail("end", f"end date {end} is before start date {start}")
    people = _texts(entry, "people")
    for i, person in enumerate(people):
        if person not in person_ids:
            entry.fail(("people", i), f"unknown person id {person!r} (not in people.yaml)")
    place = _text(entry, "place")
    if place is not None and not place_known(place):
        log.warning("%s: event %r: place %r is not in places.yaml", source.path,
                    entry.id, place)
    return Event(id=entry.id or "", title=_text(entry, "title", required=True) or "",
                 start=start, end=end, place=place, keywords=_texts(entry, "keywords"),
                 people=people, description=_text(entry, "description") or "")


def _place_lookup(places: tuple[Entity, ...]) -> Callable[[str], bool]:
    known = {p.id for p in places}
    known |= {s.casefold() for p in places for s in (p.name, *p.aliases)}
    return lambda value: not places or value in known or value.casefold() in known


def _load_events(source: _Source | None, people: tuple[Entity, ...],
                 places: tuple[Entity, ...]) -> tuple[Event, ...]:
    if source is None:
        return ()
    items = _top_list(source, "events")
    person_ids = frozenset(p.id for p in people)
    lookup = _place_lookup(places)
    events = [_event(source, i, item, person_ids, lookup) for i, item in enumerate(items)]
    _check_unique(source, items, [e.id for e in events])
    return tuple(sorted(events, key=lambda e: e.id))


# --------------------------------------------------------------------------- topics
def _load_topics(source: _Source | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if source is None or source.data is None:
        return ()
    data = _as_mapping(source, (), source.data, "a mapping of tag: [keywords]")
    topics: list[tuple[str, tuple[str, ...]]] = []
    for tag, keywords in data.items():
        if not isinstance(tag, str) or not tag.strip():
            source.fail((), f"expected a tag name as text, got {_shown(tag)}")
        entry = _Entry(source, (), data, tag)
        if keywords is None or (isinstance(keywords, list) and not keywords):
            entry.fail(tag, "expected a non-empty list of keywords")
        topics.append((tag.strip(), _texts(entry, tag)))
    return tuple(sorted(topics))


# --------------------------------------------------------------------------- formulations
def _formulation(source: _Source, index: int, item: Any) -> Formulation:
    keys: KeyPath = (index,)
    data = _as_mapping(source, keys, item, "a formulation entry")
    _check_keys(_Entry(source, keys, data, _tentative_id(data)), FORMULATION_KEYS, ("id", "name"))
    entry = _Entry(source, keys, data, _entry_id(_Entry(source, keys, data), None))
    name = _text(entry, "name", required=True) or ""
    variants = _texts(entry, "variants")
    for i, variant in enumerate(variants):
        if len(variant) < 4:
            entry.fail(("variants", i), f"variant {variant!r} is too short to track (4 characters at least)")
    ordered = (name, *(v for v in variants if v.casefold() != name.casefold()))
    return Formulation(id=entry.id or "", name=name, variants=ordered,
                       description=_text(entry, "description") or "", chinese=_text(entry, "chinese"))


def _load_formulations(source: _Source | None) -> tuple[Formulation, ...]:
    """Tracked formulations; a wording may belong to one formulation only."""
    if source is None:
        return ()
    items = _top_list(source, "formulations")
    found = [_formulation(source, i, item) for i, item in enumerate(items)]
    _check_unique(source, items, [f.id for f in found])
    owner: dict[str, str] = {}
    for index, f in enumerate(found):
        for variant in f.variants:
            other = owner.setdefault(variant.casefold(), f.id)
            if other != f.id:
                source.fail((index, "variants"), f"{variant!r} is also a wording of {other!r}", f.id)
    return tuple(sorted(found, key=lambda f: f.id))


# --------------------------------------------------------------------------- public
def load_knowledge(folder: Path) -> Knowledge:
    """Load and validate every knowledge file in ``folder`` (each one optional)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KnowledgeError("knowledge folder not found", path=str(folder))
    loaded = {label: _load_entities(_read(folder / f"{label}.yaml"), label, kind)
              for label, kind in ENTITY_FILES}
    events = _load_events(_read(folder / "events.yaml"), loaded["people"], loaded["places"])
    topics = _load_topics(_read(folder / "topics.yaml"))
    formulations = _load_formulations(_read(folder / "formulations.yaml"))
    knowledge = Knowledge(events=events, topics=topics, formulations=formulations, **loaded)
    log.info("knowledge: %d events, %d people, %d organizations, %d places, %d outlets, "
             "%d agencies, %d topics", len(events), *(len(v) for v in loaded.values()),
             len(topics))
    return knowledge
