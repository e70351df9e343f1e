"""Finding people, organizations and places named in an article's text.

Curated entities are matched by name and alias. People are also found through titles
("Premier Li", resolved by who held the office that year), by tolerant matching of
misspellings ("Liu Yunhhan"), and, when nobody curated them, by the shape of a name
next to a title, an apposition or a speech verb. Those are flagged as uncurated.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from .knowledge import slugify
from .phrases import PhraseMatcher
from .records import Entity, Mention, PartialDate

DATA = Path(__file__).parent / "data"
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"”’)]*\s+")
_NAME_TOKEN = r"(?:Mc|O['’])?[A-Z][a-z]+(?:-[a-z]+)?"  # "Jane", "Jin-ping", "McCoy", "O'Brien"
_PINYIN = re.compile(
    r"^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)){1,2}$"
)
FUZZY_THRESHOLD = 85
# Given names in pinyin that are also capitalised English words listed in not_names.
_PINYIN_GIVEN = frozenset({"An", "Ping", "Long", "Fan", "Bin", "Fang", "Gang", "Hong", "Lin", "Ming", "Wen", "Ye"})


@dataclass(frozen=True)
class NameRules:
    titles: tuple[str, ...]
    speech_verbs: tuple[str, ...]
    appositions: tuple[str, ...]
    surnames: frozenset[str]
    not_names: frozenset[str]
    byline_names: tuple[re.Pattern[str], ...] = ()  # where a byline's names stand (extract.extract_author)
    desk_words: frozenset[str] = frozenset()  # a byline with one of these names a desk, not a person
    organization_words: frozenset[str] = frozenset()  # "Alibaba Group", "Bureau of Public Security"


@functools.lru_cache(maxsize=4)
def load_name_rules(path: Path = DATA / "names.yaml") -> NameRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return NameRules(
        titles=tuple(sorted(raw["titles"], key=len, reverse=True)),
        speech_verbs=tuple(raw["speech_verbs"]),
        appositions=tuple(raw["appositions"]),
        surnames=frozenset(raw["chinese_surnames"]),
        not_names=frozenset(raw["not_names"]),
        byline_names=tuple(re.compile(p) for p in raw.get("byline_names", ())),
        desk_words=frozenset(w.lower() for w in raw.get("desk_words", ())),
        organization_words=frozenset(raw.get("organization_words", ())),
    )


@functools.lru_cache(maxsize=64)
def sentences(text: str) -> tuple[tuple[int, str], ...]:
    """Split text into sentences, each with its start offset (memoised: every mention asks)."""
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((pos, text[pos:m.start()].strip()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, text[pos:].strip()))
    return tuple((p, s) for p, s in out if s)


def snippet_at(text: str, offset: int) -> str:
    for start, sentence in reversed(sentences(text)):
        if start <= offset:
            return sentence
    return text[:200]


class AliasIndex:
    """Longest-first matching of the names and aliases of some entities (see phrases.py).

    Latin-script names match as whole words; a name in Chinese characters (written without
    spaces between words) matches inside a run of them: "习近平" in "主席习近平出席".
    """

    def __init__(self, entities: tuple[Entity, ...]) -> None:
        self.by_surface: dict[str, Entity] = {}
        for e in entities:
            for surface in (e.name, *e.aliases):
                self.by_surface.setdefault(_fold(surface), e)
        self.matcher = PhraseMatcher(self.by_surface, hyphen_joins_words=True, fold=_fold)
        self.entities = entities

    def find(self, text: str) -> list[tuple[int, int, Entity]]:
        return [(s, e, self.by_surface[p]) for s, e, p in self.matcher.finditer(text)]

    def get(self, surface: str) -> Entity | None:
        return self.by_surface.get(_fold(surface))


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _fold(surface: str) -> str:
    return surface.replace("’", "'")


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def find_entities(text: str, index: AliasIndex) -> list[Mention]:
    """Curated organizations or places named in ``text``, every mention, in text order."""
    return [Mention(e.id, e.name, text[s:t], snippet_at(text, s)) for s, t, e in index.find(text)]


# --------------------------------------------------------------------------- people
class PeopleFinder:
    def __init__(self, people: tuple[Entity, ...], rules: NameRules | None = None) -> None:
        self.rules = rules or load_name_rules()
        self.index = AliasIndex(people)
        self.people = people
        # people by the first and by the last word of their name, as indices into ``people``
        self._by_first: dict[str, list[int]] = {}
        self._by_last: dict[str, list[int]] = {}
        for i, p in enumerate(people):
            words = p.name.split()
            self._by_first.setdefault(words[0], []).append(i)
            self._by_last.setdefault(words[-1], []).append(i)
        self._closest_memo: dict[str, Entity | None] = {}
        self._last_candidates: tuple[str | None, list[tuple[int, int, str]]] = (None, [])
        # "\b(?:title|...)", with each title's \b written after it, so that the regex engine
        # can skip ahead to the first letters of titles
        titles = "|".join(f"{t}(?<!\\w{t})" if _is_word(t[:1]) else f"{t}(?<=\\w{t})"
                          for t in map(re.escape, self.rules.titles))
        self.titled = re.compile(rf"(?P<title>{titles})\s+(?P<name>{_NAME_TOKEN}(?:\s{_NAME_TOKEN}){{0,2}})")
        # "\b[A-Z]", written so that the regex engine can skip ahead to capital letters
        # (its words on one line: a line break ends a name)
        self.candidate = re.compile(rf"[A-Z](?<!\w[A-Z])(?:(?<=M)c[A-Z]|(?<=O)['’][A-Z])?[a-z]+(?:-[a-z]+)?"
                                    rf"(?:[^\S\n]{_NAME_TOKEN}){{1,2}}\b")
        verbs = "|".join(self.rules.speech_verbs)
        appos = "|".join(re.escape(a) for a in sorted(self.rules.appositions, key=len, reverse=True))
        self.title_words = frozenset(t.split()[0] for t in self.rules.titles)
        self.context = re.compile(rf"^(?:,\s+(?:{appos})\b|\s+(?:{verbs})\b)")
        # "... Bureau of " right before a name: the name is the rest of an organization's name
        orgs = "|".join(map(re.escape, sorted(self.rules.organization_words))) or "(?!)"
        self.inside_organization = re.compile(rf"\b(?:{orgs})\s+(?:of|for)\s+(?:the\s+)?$")

    def find(self, text: str, when: int | PartialDate | None) -> list[Mention]:
        """People named in ``text``; ``when`` (a year, or a date to the month or day) resolves
        titles: "Premier Li" is whoever was Premier then, and nobody when that is ambiguous."""
        found: list[tuple[int, int, Mention]] = []
        taken: list[tuple[int, int]] = []
        period = (when, None) if isinstance(when, int) or when is None else (when.year, when.month)
        for finder in (self._titled, self._aliases, self._fuzzy, self._unknown):
            for s, e, mention in finder(text, period, taken):
                found.append((s, e, mention))
                taken.append((s, e))
        found.extend(self._surnames(text, [m for _, _, m in found], taken))
        return [m for _, _, m in sorted(found, key=lambda x: x[0])]

    def _mention(self, text: str, s: int, e: int, person: Entity | None, name: str) -> tuple[int, int, Mention]:
        if person is None:
            return s, e, Mention(slugify(name), name, text[s:e], snippet_at(text, s), curated=False)
        return s, e, Mention(person.id, person.name, text[s:e], snippet_at(text, s), person.curated)

    def _titled(self, text: str, year: tuple[int | None, int | None], taken: list) -> list:
        out = []
        for m in self.titled.finditer(text):
            tokens = m["name"].split()
            while tokens and tokens[-1] in self.rules.not_names:
                tokens.pop()
            if not tokens or tokens[0] in self.rules.not_names:
                continue
            found = self._resolve_titled(tokens, m["title"], year)
            if found:
                n, person = found
                name = " ".join(tokens[:n])
                out.append(self._mention(text, m.start(), m.start("name") + len(name), person, name))
        return out

    def _resolve_titled(self, tokens: list[str], title: str,
                        year: tuple[int | None, int | None]) -> tuple[int, Entity | None] | None:
        """How many tokens after a title form a name, and whose: curated, by office, fuzzy or unknown."""
        for n in range(len(tokens), 0, -1):
            person = self.index.get(" ".join(tokens[:n]))
            if person:
                return n, person
        if len(tokens) == 1:
            person = self._by_office(tokens[0], title, year)
            return (1, person) if person else None  # "Premier Li" with no single holder: not guessed
        name = " ".join(tokens[:2])
        person = self._closest(name)
        if person or self._looks_like_name(tokens[:2], "", titled=True):
            return 2, person
        person = self._by_office(tokens[0], title, year)
        return (1, person) if person else None

    def _by_office(self, surname: str, title: str, when: tuple[int | None, int | None]) -> Entity | None:
        """The one person with that surname holding that title at ``when`` (year, month)."""
        year, month = when
        holders = [self.people[i] for i in self._named(surname, surname)]
        holders = [p for p in holders if any(r.is_titled(title) and (year is None or r.covers_month(year, month))
                                             for r in p.roles)]
        return holders[0] if len(holders) == 1 else None

    def _aliases(self, text: str, year: int | None, taken: list) -> list:
        return [self._mention(text, s, e, p, p.name) for s, e, p in self.index.find(text)
                if not _overlaps((s, e), taken) and not _part_of_longer_name(text, s, e)]

    def _named(self, first: str, last: str) -> list[int]:
        """Indices, in order, of the people whose name starts with ``first`` or ends with ``last``."""
        return sorted({*self._by_first.get(first, ()), *self._by_last.get(last, ())})

    def _closest(self, name: str) -> Entity | None:
        if name in self._closest_memo:
            return self._closest_memo[name]
        words = name.split()
        best, best_score = None, 0.0
        for i in self._named(words[0], words[-1]):
            p = self.people[i]
            score = fuzz.ratio(name, p.name)
            if score > best_score and _variant_words(words, p.name.split()):
                best, best_score = p, score
        found = best if best_score >= FUZZY_THRESHOLD else None
        if len(self._closest_memo) >= 100_000:
            self._closest_memo.clear()
        self._closest_memo[name] = found
        return found

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every capitalised name of 2-3 words in ``text`` (the last text's kept:
        both finders below ask, and ``find`` runs twice on a text when the date turns up)."""
        if self._last_candidates[0] is not text:
            self._last_candidates = (text, [(m.start(), m.end(), m.group()) for m in self.candidate.finditer(text)])
        return self._last_candidates[1]

    def _fuzzy(self, text: str, year: int | None, taken: list) -> list:
        out = []
        for start, end, name in self._candidates(text):
            if _overlaps((start, end), taken) or name.split()[0] in self.rules.not_names:
                continue
            person = self._closest(name)
            if person:
                out.append(self._mention(text, start, end, person, person.name))
        return out

    def _looks_like_name(self, tokens: list[str], context: str, titled: bool = False) -> bool:
        """A Chinese name in pinyin, or any capitalised name after a title or before an apposition."""
        given = tokens[1:] if tokens[0] in self.rules.surnames and len(tokens) == 2 else []
        if given and given[0] in _PINYIN_GIVEN and _PINYIN.match(given[0].lower()):
            given = []  # "Qin An": a given name that is also an English word in not_names
        else:
            given = tokens[1:]
        if tokens[0] in self.rules.not_names and tokens[0] in self.rules.surnames and len(tokens) == 2 \
                and _PINYIN.match(tokens[1].lower()) and (titled or self.context.match(context)):
            return True  # "An Feng, chief economist of ...": a surname that is also an English word
        if any(t in self.rules.not_names for t in (tokens[0], *given)) or tokens[0] in self.title_words:
            return False
        if any(t in self.rules.organization_words for t in tokens):
            return False
        if tokens[0] in self.rules.surnames:
            pinyin = all(_PINYIN.match(t.lower()) for t in tokens[1:])
            if len(tokens) == 2 and pinyin:
                return True
            if not pinyin and (titled or not self.context.match(context)):
                return False
        return titled or bool(self.context.match(context))

    def _unknown(self, text: str, year: int | None, taken: list) -> list:
        out = []
        for start, end, name in self._candidates(text):
            if _overlaps((start, end), taken) or self.inside_organization.search(text, max(0, start - 40), start):
                continue
            if self._looks_like_name(name.split(), text[end:end + 40]):
                out.append(self._mention(text, start, end, None, name))
        return out

    def _surnames(self, text: str, mentioned: list[Mention], taken: list) -> list:
        """Later references by surname alone ("Cai said") to someone named in full."""
        by_surname: dict[str, set[str]] = {}
        named = {m.entity_id: m for m in mentioned}
        for m in named.values():
            tokens = m.name.split()
            if len(tokens) < 2:
                continue
            surname = tokens[0] if tokens[0] in self.rules.surnames else tokens[-1]
            if surname in self.rules.not_names:  # "He" of "He Yong" is mostly the pronoun, "An" the article
                continue
            by_surname.setdefault(surname, set()).add(m.entity_id)
        out = []
        for surname, ids in sorted(by_surname.items()):
            if len(ids) != 1:
                continue
            ref = named[next(iter(ids))]
            for start, end in _whole_word(text, surname):
                if not _overlaps((start, end), taken) and not _part_of_longer_name(text, start, end):
                    out.append((start, end, Mention(ref.entity_id, ref.name, surname,
                                                    snippet_at(text, start), ref.curated)))
        return out


_LONGER_NAME = re.compile(rf"['’][a-z]{{2}}|[^\S\n]{_NAME_TOKEN}")


def _part_of_longer_name(text: str, start: int, end: int) -> bool:
    """A one-word name (an alias or surname: "Xi") that is the start of another name: of a
    place ("Xi'an"; "Xi's" is still Xi) or of another person ("Xi Jianmei")."""
    return " " not in text[start:end] and bool(_LONGER_NAME.match(text, end))


def _variant_words(name: list[str], known: list[str]) -> bool:
    """``name`` spells ``known`` another way word for word ("Xi Jingping", "Li Keqang"), as
    opposed to another person's name that differs in a short word ("Wang Yuan" is not
    "Wang Yang", nor "Wang Yu" "Wang Yi", though the whole names are as close)."""
    return len(name) != len(known) or all(a == b or fuzz.ratio(a, b) >= FUZZY_THRESHOLD for a, b in zip(name, known))


def _is_word(ch: str) -> bool:
    """What ``\\w`` matches: a letter, a digit or "_"."""
    return ch.isalnum() or ch == "_"


def _joins(ch: str) -> bool:
    """A character that makes a name part of a longer word: what ``[\\w-]`` matches."""
    return ch.isalnum() or ch in "_-"


def _whole_word(text: str, word: str) -> list[tuple[int, int]]:
    """Spans of ``word`` not inside a longer word or hyphenated compound, left to right and not
    overlapping: what ``re.finditer(rf"(?<![\\w-]){re.escape(word)}(?![\\w-])", text)`` finds."""
    out, p = [], text.find(word)
    while p != -1:
        end = p + len(word)
        if (p == 0 or not _joins(text[p - 1])) and (end == len(text) or not _joins(text[end])):
            out.append((p, end))
            p = text.find(word, end)
        else:
            p = text.find(word, p + 1)
    return out
