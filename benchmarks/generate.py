"""Synthetic news captures at any scale, for the benchmarks.

    python benchmarks/generate.py --n 10000 --out /tmp/corpus --seed 1

Every capture is a news page saved as text: an article of 600-900 words written by a
seeded template grammar over a Zipf-weighted vocabulary (benchmarks/lexicon.py), wrapped
in page furniture that varies from capture to capture: cookie banners, navigation rows
(some in other languages), breadcrumbs, teasers of other stories with their standfirsts,
date stamps in several formats, bylines, "Source: X | date | Editor: Y" lines, share
widgets, ads, inline "ALSO READ" teasers, photo captions, tags, related-stories blocks,
newsletter boxes, comments and footers.

People are drawn from knowledge/people.yaml and from invented names; events from
knowledge/events.yaml (dated within the event) and, mostly, invented ones; outlets and
agencies from the knowledge files and invented ones. About 5% of the captures are
re-captures of an earlier story: the same body in different furniture.

Output is deterministic for a seed, and capture ``i`` is the same whatever ``--n``, so
the 1,000-capture corpus is the first thousand of the 10,000-capture one.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import logging
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

if __package__ in (None, ""):  # run as a script: python benchmarks/generate.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import lexicon as lx  # noqa: E402

log = logging.getLogger("benchmarks.generate")
REPO = Path(__file__).resolve().parent.parent
RECAPTURE_SHARE = 0.05
#: Teasers of other stories above the headline: furniture known only by its vocabulary.
TEASER_ABOVE = "teaser above the headline"
KNOWN_EVENT_SHARE = 0.08
# The long tail of the vocabulary: RARE_WORDS invented words (lexicon.rare_words), drawn
# Zipf-weighted with exponent RARE_ZIPF for a share RARE_NOUNS of the nouns. 2,000 captures
# then use about 20,000 distinct words, and the vocabulary grows about as the square root
# of the text (tests/test_bench_corpus.py).
RARE_WORDS = 200_000
RARE_ZIPF = 0.8
RARE_NOUNS = 0.4
FIRST_DAY, LAST_DAY = dt.date(2012, 1, 1), dt.date(2024, 12, 31)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ============================================================================ records
@dataclass(frozen=True)
class Story:
    """One news story: what a re-capture repeats word for word."""

    key: int
    title: str
    standfirst: str | None
    paragraphs: tuple[str, ...]
    date: dt.date
    dateline: str  # "BEIJING, April 21 --" or "" (the first paragraph starts with it)
    event: str | None  # id of the knowledge event it reports, if any
    people: tuple[str, ...]
    outlet: str
    agency: str | None
    domain: str

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass(frozen=True)
class SyntheticCapture:
    """A capture file and the truth about it: what the cleaner must keep and remove."""

    index: int
    rel: str  # path under the corpus folder
    text: str
    story: Story
    recapture_of: int | None  # index of the capture whose story this one repeats
    body: tuple[str, ...]  # paragraphs that are article text (standfirst first, if any)
    furniture: tuple[tuple[str, str], ...]  # (kind, line): lines that are not article text

    def furniture_of(self, kind: str) -> list[str]:
        return [line for k, line in self.furniture if k == kind]


# ============================================================================ sampling
class Zipf:
    """Items drawn with probability proportional to 1 / rank**s."""

    def __init__(self, items, s: float = 1.0) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(len(self.items))))

    def __call__(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum)[0]


def _shuffled(items, rng: random.Random) -> list:
    out = list(items)
    rng.shuffle(out)
    return out


def _title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "as", "at", "by", "with"}
    words = text.split()
    return " ".join(w if (i and w in small) or not w[:1].islower() else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _year(value, default: int) -> int:
    """The year of a knowledge-file date (2013, "2013", "2013-03-15"), or ``default``."""
    match = re.match(r"\d{4}", str(value or ""))
    return int(match.group()) if match else default


def _long_date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


# ============================================================================ the world
@dataclass
class World:
    """Everything stories are made of: vocabulary pools, people, places, events, outlets."""

    seed: int
    nouns: Zipf = field(init=False)
    rare: Zipf = field(init=False)
    adjectives: Zipf = field(init=False)
    verbs: Zipf = field(init=False)
    people: Zipf = field(init=False)
    places: Zipf = field(init=False)
    organizations: Zipf = field(init=False)
    companies: Zipf = field(init=False)
    outlets: Zipf = field(init=False)
    agencies: Zipf = field(init=False)
    known_people: dict[str, dict] = field(default_factory=dict)
    known_events: list[dict] = field(default_factory=list)
    topics: list[list[str]] = field(default_factory=list)

    @classmethod
    def load(cls, seed: int, knowledge: Path = REPO / "knowledge") -> World:
        world = cls(seed)
        rng = random.Random(f"{seed}/world")
        raw = {name: _read_yaml(knowledge / f"{name}.yaml") for name in
               ("people", "events", "places", "organizations", "outlets", "agencies", "topics")}
        world.known_people = {p["id"]: p for p in raw["people"] if "id" in p}
        world.known_events = [e for e in raw["events"] if "start" in e]
        world.topics = [list(v) for _, v in sorted((raw["topics"] or {}).items())]
        world.nouns = Zipf(_shuffled(lx.NOUNS, rng), 0.5)
        world.rare = Zipf(lx.rare_words(rng, RARE_WORDS), RARE_ZIPF)
        world.adjectives = Zipf(_shuffled(lx.ADJECTIVES, rng), 0.5)
        world.verbs = Zipf(_shuffled(lx.VERBS, rng), 0.8)
        people = [p["name"] for p in raw["people"]] + invent_people(rng, 3000)
        world.people = Zipf(_shuffled(people, rng), 0.7)
        cities = [p["name"] for p in raw["places"] if p.get("kind") in ("city", "province")]
        world.places = Zipf(_shuffled(cities + invent_places(rng, 400), rng), 0.8)
        orgs = [o["name"] for o in raw["organizations"]] + invent_orgs(rng, 600)
        world.organizations = Zipf(_shuffled(orgs, rng), 0.8)
        world.companies = Zipf(invent_companies(rng, 800), 0.8)
        outlets = [o["name"] for o in raw["outlets"]] + invent_outlets(rng, 120)
        world.outlets = Zipf(_shuffled(outlets, rng), 0.8)
        world.agencies = Zipf([a["name"] for a in raw["agencies"]], 1.2)
        return world


def _read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def invent_people(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        if rng.random() < 0.6:
            given = rng.choice(lx.CN_GIVEN) + (rng.choice(lx.CN_GIVEN) if rng.random() < 0.7 else "")
            names.add(f"{rng.choice(lx.CN_SURNAMES)} {given.capitalize()}")
        else:
            names.add(f"{rng.choice(lx.WEST_FIRST)} {rng.choice(lx.WEST_LAST)}")
    return sorted(names)


def invent_places(rng: random.Random, n: int) -> list[str]:
    names = {rng.choice(lx.PLACE_ROOTS) + rng.choice(lx.PLACE_SUFFIXES) for _ in range(n * 3)}
    return sorted(names)[:n]


def invent_orgs(rng: random.Random, n: int) -> list[str]:
    names = {f"{rng.choice(lx.INVENTED_ORG_HEADS)} {_title_case(rng.choice(lx.ADJECTIVES))} "
             f"{_title_case(rng.choice(lx.NOUNS))}" for _ in range(n * 2)}
    return sorted(names)[:n]


def invent_companies(rng: random.Random, n: int) -> list[str]:
    names = {f"{rng.choice(lx.COMPANY_HEADS)} {rng.choice(lx.COMPANY_TAILS)}" for _ in range(n * 3)}
    return sorted(names)[:n]


def invent_outlets(rng: random.Random, n: int) -> list[str]:
    kinds = ("Courier", "Herald", "Tribune", "Post", "Observer", "Chronicle", "Gazette", "Review",
             "Daily", "Times", "Monitor", "Dispatch", "Journal", "Record")
    names = {f"The {rng.choice(lx.PLACE_ROOTS)}{rng.choice(lx.PLACE_SUFFIXES)} {rng.choice(kinds)}"
             for _ in range(n * 2)}
    return sorted(names)[:n]


# ============================================================================ the writer
class Writer:
    """Writes one story: a template grammar whose slots draw from the story's subject.

    A story has a domain (economy, health, law, ...) from which most of its nouns come,
    a handful of topic terms it keeps returning to, and its own people, places,
    organizations, companies and programme: cohesive within, distinct from other stories.
    """

    TEMPLATES = (
        "{person} {speech} that the {tnp} would {vb} the {np} {prep} {place} {time}.",
        "The {org} {vp} a {tadj} {tnp} on {weekday}, according to a statement posted on its website.",
        "{Tnp} {prep} {place} rose {num} {unit} {time}, according to figures released by the {org}.",
        "\"We will {vb} the {tnp} and {vb} the {np},\" {person} {speech}.",
        "Under the {programme}, {company} {vp} {num} {unit} in {tnp} {time}.",
        "Analysts said the {tadj} {tnp} could {vb} the {np}, but warned that {np} remained a {adj} {noun}.",
        "The move comes as {place} seeks to {vb} its {tnp} amid {adj} {noun} over the {np}.",
        "{person} {vp} the {event} in {place} {time}.",
        "Officials {vp} {num} {unit} for the {tnp}, {adv} above the level of {time}.",
        "According to the {org}, the {tnp} will {vb} the {np} and {vb} the {np}.",
        "{company} {adv} {vp} its {tnp}, with {num} {unit} expected {time}.",
        "Critics say the {tnp} {adv} {vp} the {np} of {place}.",
        "The {event} brought together {num} delegates from {place} and {place} to discuss the {tnp}.",
        "Participants agreed to {vb} the {tadj} {tnp}, {vb} the {np} and {vb} the {np}.",
        "{person} called for {adj} {noun} on the {tnp}, saying the {np} had {vp} the {np}.",
        "In {place}, {num} {unit} of {tnp} were {vp} {time}.",
        "The {org} {speech} the {tnp} was part of a {adj} effort to {vb} the {np}.",
        "It was not immediately clear whether the {tnp} would {vb} the {np} {time}.",
        "Data from the {org} showed that {noun} in the {tnp} {adv} {vp} {time}.",
        "\"The {tnp} is {adj} for the {np},\" {person} {speech}, adding that the {org} would {vb} it.",
        "The {tadj} {tnoun} is expected to {vb} the {np} and {vb} {adj} {noun} {prep} {place}.",
        "{person} {speech} the {programme} had {vp} the {tnp} {time}.",
        "Residents of {place} {vp} the {tnp}, which they said would {vb} the {np}.",
        "The {org} and {company} {vp} an agreement on the {tnp} {time}.",
    )
    # Standfirsts of teasers: short summaries, little of the body templates' wording.
    TEASER_TEMPLATES = (
        "{Place} {noun}s face {noun} {noun} as the {tnoun} {vp_s}.",
        "{person_full} says the {tnoun} and {noun} {noun} hold the key.",
        "How {place} {vp} its {tnoun} {noun} {noun}s.",
        "{Noun} {noun}s in {place} count the cost of the {tnoun}.",
        "The {tnoun} {noun} of {place} enters its {ordinal} {noun}.",
    )

    def __init__(self, world: World, rng: random.Random, people: list[str], event: str, year: int,
                 domain: str | None = None) -> None:
        self.world, self.rng, self.year = world, rng, year
        self.people, self.event, self.named = people, event, set()
        self.domain = domain or rng.choice(sorted(lx.DOMAINS))
        self.domain_nouns = Zipf(_shuffled(lx.DOMAINS[self.domain], rng), 0.7)
        self.tnouns = [self.domain_nouns(rng) for _ in range(4)]
        if world.topics and rng.random() < 0.3:
            self.tnouns += rng.sample(rng.choice(world.topics), 1)
        self.tadjs = [world.adjectives(rng) for _ in range(2)]
        self.place_pool = [world.places(rng) for _ in range(3)]
        self.orgs = [world.organizations(rng) for _ in range(2)]
        self.companies = [world.companies(rng) for _ in range(2)]
        self.programme = f"{rng.choice(lx.COMPANY_HEADS)} {rng.choice(lx.PROGRAMME_TAILS)}"

    def slot(self, name: str) -> str:
        r, w = self.rng, self.world
        fill = {
            "person": self.person, "person_full": lambda: r.choice(self.people), "speech": lambda: r.choice(lx.SPEECH),
            "tnp": self.topic_phrase, "Tnp": lambda: _cap(self.topic_phrase()),
            "np": self.noun_phrase, "vb": lambda: w.verbs(r)[0], "vp": lambda: w.verbs(r)[1],
            "vp_s": lambda: w.verbs(r)[1], "prep": lambda: r.choice(lx.PREPOSITIONS),
            "place": lambda: r.choice(self.place_pool), "Place": lambda: r.choice(self.place_pool),
            "time": lambda: r.choice(lx.TIMES), "org": lambda: r.choice(self.orgs),
            "tadj": lambda: r.choice(self.tadjs), "adj": lambda: w.adjectives(r), "noun": self.noun,
            "Noun": lambda: _cap(self.noun()), "weekday": lambda: r.choice(WEEKDAYS), "num": self.number,
            "unit": lambda: r.choice(lx.UNITS), "programme": lambda: self.programme,
            "company": lambda: r.choice(self.companies), "adv": lambda: r.choice(lx.ADVERBS),
            "event": lambda: self.event, "tnoun": lambda: r.choice(self.tnouns),
            "ordinal": lambda: r.choice(lx.ORDINALS),
        }
        return fill[name]()

    def fill(self, template: str) -> str:
        return _cap(re.sub(r"\{(\w+)\}", lambda m: self.slot(m.group(1)), template))

    def sentence(self) -> str:
        return self.fill(self.rng.choice(self.TEMPLATES))

    def teaser_standfirst(self) -> str:
        return self.fill(self.rng.choice(self.TEASER_TEMPLATES))

    def noun(self) -> str:
        roll = self.rng.random()
        if roll < RARE_NOUNS:
            return self.world.rare(self.rng)
        roll = self.rng.random()
        if roll < 0.8:
            return self.domain_nouns(self.rng)
        return self.rng.choice(lx.GENERIC_NOUNS) if roll < 0.95 else self.world.nouns(self.rng)

    def person(self) -> str:
        name = self.rng.choice(self.people)
        if name in self.named:  # later mentions: the surname of a Western name, else the full name
            return name if self._chinese(name) else name.split()[-1]
        self.named.add(name)
        return f"{name}, {self._role(name)},"

    def _chinese(self, name: str) -> bool:
        return name.split()[0] not in lx.WEST_FIRST

    def _role(self, name: str) -> str:
        for p in self.world.known_people.values():
            if p["name"] == name:
                roles = [r["title"] for r in p.get("roles") or []
                         if _year(r.get("start"), 0) <= self.year <= _year(r.get("end"), 9999)]
                if roles:
                    return roles[0]
        return f"{self.rng.choice(('director', 'head', 'deputy head', 'spokesperson', 'chief economist'))} " \
               f"of the {self.rng.choice(self.orgs)}"

    def topic_phrase(self) -> str:
        r = self.rng
        head = r.choice(self.tnouns)
        if r.random() < 0.3:
            return f"{r.choice(self.tadjs)} {head}"
        second = r.choice(self.tnouns)
        return f"{head} {second}" if second != head and r.random() < 0.3 else head

    def noun_phrase(self, depth: int = 0) -> str:
        r, w = self.rng, self.world
        noun = r.choice(self.tnouns) if r.random() < 0.4 else self.noun()
        phrase = f"{w.adjectives(r)} {noun}" if r.random() < 0.4 else noun
        if depth < 2 and r.random() < 0.3:
            phrase += f" of the {self.noun_phrase(depth + 1)}"
        return phrase

    def number(self) -> str:
        r = self.rng
        return r.choice((f"{r.randint(2, 99)}", f"{r.randint(1, 99)}.{r.randint(1, 9)}", f"{r.randint(100, 950)}"))

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.choice((1, 2, 2, 3))))

    def headline(self) -> tuple[str, str]:
        """The story's title and its lede sentence, which restates the title's words."""
        r, w = self.rng, self.world
        name, place, org = r.choice(self.people), self.place_pool[0], self.orgs[0]
        obj, adj, other, verb = self.topic_phrase(), r.choice(self.tadjs), self.noun(), w.verbs(r)
        short = name if self._chinese(name) else name.split()[-1]
        ask = r.choice(("urges", "calls for", "backs", "pushes for", "seeks", "demands", "weighs"))
        plan = r.choice(("plan", "roadmap", "overhaul", "package", "rules", "guidelines", "scheme"))
        link = r.choice(("amid", "despite", "after", "ahead of", "as"))
        worry = r.choice(("concerns", "fears", "pressure", "doubts", "questions", "warnings", "delays"))
        move = r.choice(("rises", "slows", "expands", "stalls", "rebounds", "falters", "recovers"))
        day = r.choice(WEEKDAYS)
        forms = (
            (f"{short} {ask} {adj} {obj} in {place}",
             f"{self.person()} {ask} {adj} {obj} in {place} on {day}, citing the {other}."),
            (f"{org} unveils {adj} {plan} for {obj}",
             f"The {org} on {day} unveiled {adj} {plan} for {obj} and the {other}."),
            (f"{place} to {verb[0]} {obj} {link} {other} {worry}",
             f"{place} will {verb[0]} {obj} {link} {other} {worry}, officials said on {day}."),
            (f"{self.programme} aims to {verb[0]} {obj} across {place} by {self.year + 5}",
             f"The {self.programme}, launched by the {org}, aims to {verb[0]} {obj} across {place} "
             f"by {self.year + 5}."),
            (f"{_cap(obj)} {move} {link} {other} {worry}",
             f"{_cap(obj)} {move} {link} {other} {worry} {r.choice(lx.TIMES)}, the {org} said."),
        )
        title, lede = r.choice(forms)
        return (_title_case(title) if r.random() < 0.5 else _cap(title)), _cap(lede)


# ============================================================================ stories
class Corpus:
    """Capture ``i`` of the corpus for a seed, computed on its own (no state between captures)."""

    def __init__(self, seed: int = 1, knowledge: Path = REPO / "knowledge") -> None:
        self.seed = seed
        self.world = World.load(seed, knowledge)

    # ------------------------------------------------------------------ which story
    def recapture_target(self, i: int) -> int | None:
        """The earlier capture whose story capture ``i`` repeats, or None for a new story."""
        rng = random.Random(f"{self.seed}/recapture/{i}")
        if i < 10 or rng.random() >= RECAPTURE_SHARE:
            return None
        target = rng.randrange(i)
        while (earlier := self.recapture_target(target)) is not None:
            target = earlier
        return target

    def story(self, key: int) -> Story:
        rng = random.Random(f"{self.seed}/story/{key}")
        w = self.world
        known = w.known_events and rng.random() < KNOWN_EVENT_SHARE
        event = rng.choice(w.known_events) if known else None
        date = self._date(rng, event)
        people = self._people(rng, event)
        writer = Writer(w, rng, people, self._event_name(rng, event), date.year)
        place = writer.place_pool[0]
        title, lede = writer.headline()
        standfirst = writer.sentence() if rng.random() < 0.4 else None
        paragraphs = self._paragraphs(writer, rng, event, lede)
        agency = w.agencies(rng) if rng.random() < 0.35 else None
        dateline = self._dateline(rng, place, date, agency)
        if dateline:
            paragraphs[0] = f"{dateline} {paragraphs[0]}"
        return Story(key, title, standfirst, tuple(paragraphs), date, dateline,
                     event["id"] if event else None, tuple(people), w.outlets(rng), agency, writer.domain)

    def _date(self, rng: random.Random, event: dict | None) -> dt.date:
        if event:
            start, end = event["start"], event["end"]
            return start + dt.timedelta(days=rng.randint(0, (end - start).days + 2))
        return FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))

    def _people(self, rng: random.Random, event: dict | None) -> list[str]:
        known = [self.world.known_people[p]["name"] for p in (event or {}).get("people", [])
                 if p in self.world.known_people]
        people = known[:3] + [self.world.people(rng) for _ in range(rng.randint(1, 4))]
        return list(dict.fromkeys(people))

    def _event_name(self, rng: random.Random, event: dict | None) -> str:
        if event:
            return str(event["title"])
        kind = rng.choice(lx.FORUM_KINDS)
        return (f"{rng.choice(lx.ORDINALS)} {_title_case(self.world.adjectives(rng))} "
                f"{_title_case(self.world.nouns(rng))} {kind}")

    def _paragraphs(self, writer: Writer, rng: random.Random, event: dict | None, lede: str) -> list[str]:
        target = rng.randint(620, 820)
        paragraphs = [f"{lede} {writer.sentence()}"]
        if event:
            keyword = rng.choice(event.get("keywords") or [writer.topic_phrase()])
            paragraphs.append(f"{writer.person()} attended the {writer.event}, where {keyword} and the "
                              f"{writer.topic_phrase()} were high on the agenda.")
        while sum(len(p.split()) for p in paragraphs) < target:
            paragraphs.append(writer.paragraph())
        while sum(len(p.split()) for p in paragraphs) > 900:
            paragraphs.pop()
        return paragraphs

    def _dateline(self, rng: random.Random, place: str, date: dt.date, agency: str | None) -> str:
        roll = rng.random()
        city = place.upper()
        if roll < 0.25:
            return f"{city}, {MONTHS[date.month - 1]} {date.day} --"
        if roll < 0.40:
            return f"{city}, {MONTHS[date.month - 1]} {date.day}, {date.year} --"
        if roll < 0.50 and agency:
            return f"{city}, {MONTHS[date.month - 1][:3]}. {date.day} ({agency}) --"
        return ""

    # ------------------------------------------------------------------ captures
    def capture(self, i: int) -> SyntheticCapture:
        target = self.recapture_target(i)
        story = self.story(i if target is None else target)
        page = Page(self.world, random.Random(f"{self.seed}/page/{i}"), story)
        lines, body, furniture = page.compose()
        sep = "\n" if page.rng.random() < 0.15 else "\n\n"
        slug = re.sub(r"[^a-z0-9]+", "-", story.title.lower()).strip("-")[:60]
        rel = f"{story.date.year}/{i:05d}-{slug}.txt"
        return SyntheticCapture(i, rel, sep.join(lines) + "\n", story, target, tuple(body), tuple(furniture))

    def captures(self, n: int):
        return (self.capture(i) for i in range(n))


# ============================================================================ page furniture
class Page:
    """The page around a story: furniture above, inside and below the article."""

    def __init__(self, world: World, rng: random.Random, story: Story) -> None:
        self.world, self.rng, self.story = world, rng, story
        self.furniture: list[tuple[str, str]] = []

    def compose(self) -> tuple[list[str], list[str], list[tuple[str, str]]]:
        s = self.story
        body = ([s.standfirst] if s.standfirst else []) + list(s.paragraphs)
        lines = self.top() + self.header() + self.inline(list(s.paragraphs)) + self.bottom()
        return lines, body, self.furniture

    def add(self, kind: str, *lines: str) -> list[str]:
        self.furniture.extend((kind, line) for line in lines)
        return list(lines)

    def maybe(self, share: float, make) -> list[str]:
        return make() if self.rng.random() < share else []

    # ------------------------------------------------------------------ above the article
    def top(self) -> list[str]:
        r = self.rng
        out = self.maybe(0.25, lambda: self.add("cookie banner", *r.choice((
            ("We use cookies to improve your experience on our website. By continuing to browse, "
             "you agree to our use of cookies and our cookie policy.", "Accept all"),
            ("This website uses cookies to personalise content and analyse traffic.", "Manage preferences"),
            ("We value your privacy", "Accept cookies")))))
        out += self.maybe(0.5, lambda: self.add("navigation", " | ".join(["Home"] + r.sample(lx.NAV_SECTIONS, 5))))
        out += self.maybe(0.2, lambda: self.add("foreign language", *r.sample(lx.FOREIGN_NAV, r.randint(1, 3))))
        out += self.maybe(0.3, lambda: self.add("breadcrumbs", " > ".join(["Home"] + r.sample(lx.NAV_SECTIONS, 2))))
        out += self.maybe(0.15, lambda: self.add(TEASER_ABOVE, *self.teasers(r.randint(1, 2), standfirst=True)))
        return out

    def header(self) -> list[str]:
        s, r = self.story, self.rng
        out = self.maybe(0.55, lambda: self.add("date stamp", self.date_stamp()))
        out += self.maybe(0.2, lambda: self.add("reading time", f"{r.randint(2, 9)} mins read"))
        out.append(s.title)
        if r.random() < 0.1:  # the headline twice (page title and heading)
            out.append(s.title)
        if s.standfirst:
            out.append(s.standfirst)
        out += self.maybe(0.4, lambda: self.add("byline", f"By {self.world.people(r)}"))
        out += self.maybe(0.2, lambda: self.add("source line",
            f"Source: {s.agency or s.outlet} | {s.date.isoformat()} | Editor: {self.world.people(r)}"))
        out += self.maybe(0.4, lambda: self.add("share widget", self.share_row()))
        return out

    def date_stamp(self) -> str:
        d, r = self.story.date, self.rng
        return r.choice((_long_date(d), f"{d.day} {MONTHS[d.month - 1]} {d.year}", d.isoformat(),
                         f"Updated: {d.isoformat()} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
                         f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}",
                         f"Published {_long_date(d)}"))

    def share_row(self) -> str:
        r = self.rng
        return r.choice(("Share this article", " | ".join(r.sample(lx.SOCIAL, r.randint(2, 5))),
                         f"Share: {' '.join(r.sample(lx.SOCIAL, 3))}", f"Tweet {r.randint(1, 99)}"))

    # ------------------------------------------------------------------ inside the article
    def inline(self, paragraphs: list[str]) -> list[str]:
        r, out = self.rng, []
        for n, p in enumerate(paragraphs):
            out.append(p)
            if not 0 < n < len(paragraphs) - 2:
                continue
            roll = r.random()
            if roll < 0.06:
                out += self.add("advertising", r.choice(("Advertisement", "- ADVERTISEMENT -",
                                                         "Story continues below advertisement")))
            elif roll < 0.10:
                out += self.add("inline teaser", f"ALSO READ: {self.teasers(1, standfirst=False)[0]}")
            elif roll < 0.13:
                out += self.add("photo caption", f"Photo: {self.world.people(r)} speaks in {self.world.places(r)} "
                                f"({self.story.agency or self.world.agencies(r)}/{self.world.people(r)})")
        return out

    # ------------------------------------------------------------------ below the article
    def bottom(self) -> list[str]:
        r = self.rng
        out = self.maybe(0.3, lambda: self.add("tags",
            "Tags: " + ", ".join(self.world.nouns(r) for _ in range(r.randint(2, 4)))))
        out += self.maybe(0.3, lambda: self.add("share widget", self.share_row()))
        out += self.maybe(0.25, lambda: self.add("next story", r.choice(("Previous Story", "Next Story",
                                                                         "Next article")),
                                                 *self.teasers(1, standfirst=False)))
        out += self.maybe(0.35, lambda: self.add("related stories", r.choice(("Related Stories", "You may also like",
                                                                              "Most Read", "More from this section")),
                                                 *self.teasers(r.randint(2, 4), standfirst=r.random() < 0.5)))
        out += self.maybe(0.2, lambda: self.add("newsletter", "Sign up for our daily newsletter to get the latest "
                                                "news delivered to your inbox."))
        out += self.maybe(0.15, lambda: self.add("comments", f"{r.randint(0, 40)} Comments", "Leave a Reply"))
        out += self.maybe(0.5, lambda: self.add("footer",
            f"© {self.story.date.year} {self.story.outlet}. All rights reserved.",
            "About Us | Contact Us | Privacy Policy | Terms of Use"))
        out += self.maybe(0.1, lambda: self.add("foreign language", *r.sample(lx.FOREIGN_TEASERS, r.randint(2, 5))))
        return out

    def teasers(self, n: int, standfirst: bool) -> list[str]:
        """Teasers of other stories: a title each, with its one-sentence standfirst."""
        out, r = [], self.rng
        for _ in range(n):
            domain = r.choice([d for d in sorted(lx.DOMAINS) if d != self.story.domain])
            other = Writer(self.world, r, [self.world.people(r)], "forum", self.story.date.year, domain)
            out.append(_title_case(other.headline()[0]))
            if standfirst:
                out.append(other.teaser_standfirst())
        return out


# ============================================================================ output
def write_corpus(n: int, out: Path, seed: int = 1, knowledge: Path = REPO / "knowledge") -> Path:
    """Write ``n`` captures under ``out`` and a manifest ``out/corpus.json``; return the manifest."""
    corpus = Corpus(seed, knowledge)
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for c in corpus.captures(n):
        path = out / c.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(c.text, encoding="utf-8")
        records.append({"rel": c.rel, "story": c.story.key, "recapture_of": c.recapture_of,
                        "title": c.story.title, "date": c.story.date.isoformat(), "event": c.story.event,
                        "people": list(c.story.people), "outlet": c.story.outlet, "words": c.story.words})
        if (c.index + 1) % 1000 == 0:
            log.info("generated %d/%d captures", c.index + 1, n)
    manifest = out / "corpus.json"
    manifest.write_text(json.dumps({"seed": seed, "n": n, "captures": records}, indent=1) + "\n",
                        encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of captures")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the captures into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same corpus)")
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge", help="knowledge folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    manifest = write_corpus(args.n, args.out, args.seed, args.knowledge)
    log.info("wrote %d captures to %s (manifest %s)", args.n, args.out, manifest.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
