"""Formulations: official phrases analysts track, and recurring phrases worth tracking.

Tracked formulations are curated in ``knowledge/formulations.yaml`` (each with the
wordings it takes in translation: "cyber power", "strength in cyberspace", "cyber
superpower"...). Every article's text is searched for each wording (ignoring case, a
hyphen matching a space); a use records the wording, the count and the sentence of the
first use. Pages list the articles and events that use a formulation, first and last use.

Recurring phrases are discovered, not curated: phrases of 2 to 4 words, starting and
ending on a content word, used by ``MIN_ARTICLES`` independent articles or more (copies
of one text count once, see ``reuse.families``) and not already tracked, not the name of
a curated person, organization, place, outlet or agency, not a date and not furniture.
They are candidates for the list, shown on the formulations index. On a large archive
they are counted over a fixed, evenly spaced sample of ``SAMPLE`` articles, so the cost
stays bounded.
"""
from __future__ import annotations

import calendar
import functools
import re
from collections import Counter
from typing import Sequence

from .clean import furniture_rule
from .entities import load_name_rules, snippet_at
from .records import Article, Formulation, FormulationUse, Knowledge, Phrase, Reuse
from .features import Features, features_for
from .reuse import article_text, families

MIN_ARTICLES = 3  # independent articles a recurring phrase needs
SAMPLE = 600  # articles searched for recurring phrases, at most
SHOWN = 40  # recurring phrases kept
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_FUNCTION = frozenset("""a an the and or but nor of in on at to for with by from as into onto over under
about after before between during through against among upon within without than then that this these
those which who whom whose what when where while why how is are was were be been being am has have had
do does did will would shall should can could may might must not no its it it's he she they them their
his her hers our ours we you your i me my mine us also said says say such other another each every all
any some more most much many very so too just only even still yet there here new one two three four five
six seven eight nine ten first second last next own same both either neither if because since until
according further including told added noted stressed""".split())
_DATE_WORDS = frozenset(w.lower() for w in (*calendar.month_name[1:], *calendar.day_name))


@functools.lru_cache(maxsize=256)
def wording_regex(variants: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive matcher for a formulation's wordings, longest first; a hyphen or
    a space in a wording matches either, and straight and curly apostrophes match alike."""
    def pattern(v: str) -> str:
        parts = [re.escape(w).replace("'", "['’]") for w in re.split(r"[\s-]+", v.strip())]
        return r"[\s-]+".join(parts)
    body = "|".join(pattern(v) for v in sorted(set(variants), key=len, reverse=True)) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _canonical(found: str, variants: tuple[str, ...]) -> str:
    norm = " ".join(re.split(r"[\s-]+", found.lower().replace("’", "'")))
    return next((v for v in variants if " ".join(re.split(r"[\s-]+", v.lower())) == norm), found)


@functools.lru_cache(maxsize=256)
def flat_variants(variants: tuple[str, ...]) -> tuple[str, ...]:
    """The wordings as plain lower-case text, hyphens as spaces (see ``flat``)."""
    return tuple(sorted({flat(v) for v in variants}))


def flat(text: str) -> str:
    """Text lower-cased, with hyphens and runs of spaces as one space and curly apostrophes straight."""
    return " ".join(text.lower().replace("’", "'").replace("-", " ").split())


def uses_in(a: Article, f: Formulation, text: str, flat_text: str | None = None) -> FormulationUse | None:
    """The article's use of ``f`` in ``text`` (title and paragraphs, one per line), if any."""
    flat_text = flat(text) if flat_text is None else flat_text
    if not any(v in flat_text for v in flat_variants(f.variants)):
        return None  # plain substring tests first: most articles use few formulations
    matches = list(wording_regex(f.variants).finditer(text))
    if not matches:
        return None
    first = matches[0].start()
    line_start = text.rfind("\n", 0, first) + 1
    line_end = text.find("\n", first)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    variant = Counter(_canonical(m.group(), f.variants) for m in matches).most_common(1)[0][0]
    return FormulationUse(a.id, variant, len(matches), snippet_at(line, first - line_start))


def find_uses(articles: Sequence[Article], tracked: Sequence[Formulation],
              feats: dict[str, Features] | None = None) -> dict[str, tuple[FormulationUse, ...]]:
    """formulation id -> its uses, one per article that uses it, by article id (each
    article's uses are among its features, ``features.compute``)."""
    feats = feats or features_for(articles, tracked)
    out: dict[str, list[FormulationUse]] = {f.id: [] for f in tracked}
    for a in sorted(articles, key=lambda a: a.id):
        for fid, use in feats[a.id].uses:
            if fid in out:
                out[fid].append(use)
    return {fid: tuple(uses) for fid, uses in sorted(out.items())}


# --------------------------------------------------------------------------- discovery
_BREAK = re.compile(r"[.!?;:。！？；\n]+\s*")


def _grams(text: str) -> set[tuple[str, ...]]:
    """Phrases of 2-4 words (as word tuples) within a sentence, starting and ending on a content word."""
    out: set[tuple[str, ...]] = set()
    for sentence in _BREAK.split(text):
        words = [w.lower().replace("’", "'") for w in _WORD.findall(sentence)]
        marked = [w if w not in _FUNCTION and w not in _DATE_WORDS and len(w) > 2 else "" for w in words]
        for n in (2, 3, 4):
            out.update(g for g, first, last in zip(zip(*(words[i:] for i in range(n))), marked, marked[n - 1:])
                       if first and last)
    return out


def _sample(articles: Sequence[Article]) -> list[Article]:
    ordered = sorted(articles, key=lambda a: a.id)
    if len(ordered) <= SAMPLE:
        return ordered
    step = len(ordered) / SAMPLE
    return [ordered[int(i * step)] for i in range(SAMPLE)]


def discover(articles: Sequence[Article], knowledge: Knowledge, reuse: dict[str, tuple[Reuse, ...]]) -> tuple[Phrase, ...]:
    """Recurring phrases, most widely used first, that are not tracked formulations yet."""
    sample = _sample(articles)
    family = families([a.id for a in sample], reuse)
    grams = {a.id: _grams(article_text(a)) for a in sample}
    by_family: dict[str, set[tuple[str, ...]]] = {}
    for a in sample:
        by_family.setdefault(family[a.id], set()).update(grams[a.id])
    counts: Counter[tuple[str, ...]] = Counter()
    for found in by_family.values():
        counts.update(found)
    frequent = {" ".join(g): n for g, n in counts.items() if n >= MIN_ARTICLES}
    known, longer = _known_names(knowledge), _longer(frequent)
    pairs = {tuple(k.split()[i:i + 2]) for k in known for i in range(len(k.split()) - 1)}
    names = {w.lower() for p in knowledge.people for s in (p.name, *p.aliases) for w in s.split()}
    kept: list[Phrase] = []
    for g in sorted(frequent, key=lambda g: (-frequent[g], -len(g.split()), g)):
        words = g.replace("-", " ").split()
        if names & set(words) or pairs & set(zip(words, words[1:])):
            continue  # names a person, or overlaps a tracked wording or a curated name
        if longer.get(g, 0) >= 0.8 * frequent[g] or _excluded(g, known):
            continue  # used (nearly) only inside a longer phrase, or known, or furniture
        words = tuple(g.split())
        kept.append(Phrase(g, frequent[g], next(a.id for a in sample if words in grams[a.id])))
        if len(kept) == SHOWN:
            break
    return tuple(kept)


def _known_names(knowledge: Knowledge) -> tuple[str, ...]:
    """Tracked wordings, curated names and aliases, offices held and the titles before names."""
    names = [v for f in knowledge.formulations for v in f.variants]
    for group in (knowledge.people, knowledge.organizations, knowledge.places, knowledge.outlets,
                  knowledge.agencies):
        names += [s for e in group for s in (e.name, *e.aliases)]
    names += [r.title for p in knowledge.people for r in p.roles]
    names += [e.title for e in knowledge.events]
    names += list(load_name_rules().titles)
    return tuple(sorted({" ".join(re.split(r"[\s-]+", n.lower().replace("’", "'"))) for n in names}))


def _excluded(gram: str, known: tuple[str, ...]) -> bool:
    """A tracked wording or a curated name (or part of one), or furniture."""
    padded = f" {gram.replace('-', ' ')} "
    if any(f" {k} " in padded or padded in f" {k} " for k in known):
        return True
    if any(padded.endswith(f" {k} ") for k in known if " " not in k):
        return True  # "chinese president": a title after a word
    return furniture_rule(gram) is not None


def _longer(frequent: dict[str, int]) -> dict[str, int]:
    """phrase -> the largest count of a frequent phrase one word longer that contains it."""
    out: dict[str, int] = {}
    for phrase, n in frequent.items():
        words = phrase.split()
        if len(words) < 3:
            continue
        for part in (" ".join(words[:-1]), " ".join(words[1:])):
            out[part] = max(out.get(part, 0), n)
    return out


def analyse(articles: Sequence[Article], knowledge: Knowledge, reuse: dict[str, tuple[Reuse, ...]],
            feats: dict[str, Features] | None = None,
            ) -> tuple[dict[str, tuple[FormulationUse, ...]], tuple[Phrase, ...]]:
    return find_uses(articles, knowledge.formulations, feats), discover(articles, knowledge, reuse)
