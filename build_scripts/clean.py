"""CLEAN stage: separate a capture's article from the page furniture around it.

``clean(capture) -> Cleaned`` works on lines and never on one site's wording:

1. normalise every line (NBSP, tabs, zero-width characters, runs of spaces);
2. group lines into *units*: a unit is one line, or a paragraph whose lines were
   hard-wrapped or broken mid-sentence;
3. detect the article's language from the script of its prose units (and, for Latin
   script, from stop words);
4. classify each unit: furniture or metadata by the curated pattern file
   (``data/furniture.yaml``), foreign script, separator, or by *shape*: prose
   (sentence-final punctuation), loose (long but unterminated), truncated ("..."),
   lead-in (ends with ":"), title (short, no final stop), fragment (short and
   ending on a function word), bullet -- and give it a weight;
5. the body is the maximum-weight contiguous run of units (Kadane), then
   - teasers above the headline (text unrelated to what follows a title line that is
     cohesive with the rest) are cut off its start;
   - it is extended across short gaps of furniture (a newsletter box, an embed) when
     two or more paragraphs cohesive with it follow;
   - it ends at the first "end" furniture line (related stories, comments, footer)
     unless the article clearly resumes after it (an inline "Related" box);
   - trailing teasers are trimmed: a run of [Title Case title, one paragraph] pairs,
     or a last group or paragraph sharing almost no vocabulary with the body;
6. above the body: the headline is the title-shaped line most cohesive with the body,
   repeats of it are dropped, metadata lines go to ``header`` and a standfirst under
   the headline is kept as the first paragraph;
7. inside the body: paragraphs, headings (short lines standing between paragraphs)
   and lists. Every other non-blank line is recorded in ``removed`` with a reason.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import logging
import operator
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz

from build_scripts.errors import EmptyCaptureError, KnowledgeError
from build_scripts.options import CleanOptions  # the stage's options live apart (the no-op path imports them)
from build_scripts.records import Block, Capture, Cleaned, RemovedLine

log = logging.getLogger(__name__)

DEFAULT_PATTERNS = Path(__file__).parent / "data" / "furniture.yaml"

Action = Literal["remove", "end", "meta"]
Kind = Literal["prose", "loose", "truncated", "leadin", "title", "fragment", "bullet",
               "furniture", "meta", "foreign", "symbol"]

#: Kinds that are article text wherever they stand inside the body.
TEXT_KINDS = frozenset({"prose", "loose", "truncated", "leadin", "bullet"})
#: Kinds that are short, title-shaped lines (headline, heading or teaser title).
TITLE_KINDS = frozenset({"title", "fragment"})
#: Kinds that are removed wherever they stand.
DROP_KINDS = frozenset({"furniture", "meta", "foreign", "symbol"})


# ============================================================================ patterns
@dataclass(frozen=True)
class Rule:
    """One compiled furniture pattern of the pattern file."""

    category: str
    reason: str
    action: Action
    regex: re.Pattern[str]
    max_words: float | None = None
    weight: float | None = None  # body score of a matching line; None: by action


_MACRO = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_CATEGORY_KEYS = {"reason", "action", "max_words", "case_sensitive", "weight", "patterns"}


def _expand(pattern: str, macros: dict[str, str], path: Path, key: str) -> str:
    """Replace every ``{name}`` in ``pattern`` by its macro, as a group."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise KnowledgeError(f"unknown macro {{{m.group(1)}}}", path=str(path), key=key)
        return f"(?:{macros[m.group(1)]})"

    return _MACRO.sub(sub, pattern)


def _load_macros(raw: Any, path: Path) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise KnowledgeError("'macros' must be a mapping", path=str(path), key="macros")
    macros: dict[str, str] = {}
    for name, value in raw.items():
        if not isinstance(value, str):
            raise KnowledgeError("a macro must be a string", path=str(path), key=f"macros.{name}")
        macros[str(name)] = _expand(value, macros, path, f"macros.{name}")
    return macros


def _category_rules(name: str, spec: Any, macros: dict[str, str], path: Path) -> list[Rule]:
    """Compile one category of the pattern file, validating its keys."""
    key = f"categories.{name}"
    if not isinstance(spec, dict) or set(spec) - _CATEGORY_KEYS:
        raise KnowledgeError(f"a category takes only {sorted(_CATEGORY_KEYS)}",
                             path=str(path), key=key)
    action, patterns = spec.get("action", "remove"), spec.get("patterns")
    max_words, weight = spec.get("max_words"), spec.get("weight")
    if action not in ("remove", "end", "meta"):
        raise KnowledgeError("action must be remove, end or meta", path=str(path), key=key)
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise KnowledgeError("patterns must be a list of strings", path=str(path), key=key)
    if max_words is not None and not isinstance(max_words, (int, float)):
        raise KnowledgeError("max_words must be a number", path=str(path), key=key)
    if weight is not None and (not isinstance(weight, (int, float)) or weight > 0):
        raise KnowledgeError("weight must be a number <= 0", path=str(path), key=key)
    flags = 0 if spec.get("case_sensitive") else re.IGNORECASE
    rules = []
    for n, pattern in enumerate(patterns):
        try:
            regex = re.compile(_expand(pattern, macros, path, key), flags)
        except re.error as exc:
            raise KnowledgeError(f"bad pattern: {exc}", path=str(path), key=f"{key}[{n}]") from exc
        rules.append(Rule(name, str(spec.get("reason", name)), action, regex, max_words,
                          weight))
    return rules


def load_rules(path: Path | str | None = None) -> tuple[Rule, ...]:
    """Read and compile a furniture pattern file, by default ``DEFAULT_PATTERNS``.

    Compiled once per file: later calls return the same tuple. Raises KnowledgeError
    when the file cannot be read or is malformed."""
    if path is None:  # the common case: no file-system look-up on every capture
        return _load_rules(_default_patterns())
    return _load_rules(Path(path).resolve())


@functools.lru_cache(maxsize=1)
def _default_patterns() -> Path:
    return DEFAULT_PATTERNS.resolve()


@functools.lru_cache(maxsize=8)
def _load_rules(path: Path) -> tuple[Rule, ...]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"cannot read furniture patterns: {exc}", path=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise KnowledgeError("expected a 'categories' mapping", path=str(path))
    macros = _load_macros(data.get("macros") or {}, Path(path))
    rules: list[Rule] = []
    for name, spec in data["categories"].items():
        rules.extend(_category_rules(str(name), spec, macros, Path(path)))
    log.debug("loaded %d furniture patterns from %s", len(rules), path)
    return tuple(rules)


# ============================================================================ text helpers
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_CLOSERS = "\"'”’»)]}」』）】》›"
# A list-item marker: a bullet symbol, "-", "*", "–", or "1." "2)" "(3)" "a)".
_BULLET = re.compile(r"^(?:[•·▪▫◦●○■□►▸▶➢➤✓✔→]\s*|[*–-]\s+|\d{1,2}[.)]\s+|\(\d{1,2}\)\s+"
                     r"|[a-z]\)\s+)(?=\w|[\"'“‘(])")


def normalise_line(line: str) -> str:
    """A line with NBSP/tabs/odd spaces made plain spaces, invisibles dropped, stripped."""
    line = _INVISIBLE.sub("", unicodedata.normalize("NFC", line))
    return _SPACES.sub(" ", line).strip()


_LINE_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # the runs of _SPACES in a line that are not one " "


def normalise_lines(text: str) -> list[str]:
    """``normalise_line`` of every line of ``text``, done on the whole text at once (no step
    crosses a line break: NFC leaves one alone, and it is neither invisible nor a space)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return [line.strip() for line in _LINE_SPACES.sub(" ", text).split("\n")]


def _ending(text: str) -> Literal["sentence", "question", "colon", "ellipsis", "open"]:
    """How a line ends: a full stop, a question/exclamation, a colon, '...' or nothing."""
    t = text.rstrip(_CLOSERS + " ")
    if t.endswith(("...", "…")):
        return "ellipsis"
    if t[-1:] in (".", ";", "。", "；"):
        return "sentence"
    if t[-1:] in ("?", "!", "？", "！"):
        return "question"
    return "colon" if t[-1:] in (":", "：") else "open"


def _is_symbol(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


_SCRIPT_TABLE = sorted([
    (0x41, 0x5A, "latin"), (0x61, 0x7A, "latin"), (0xC0, 0x24F, "latin"),
    (0x370, 0x3FF, "greek"), (0x400, 0x52F, "cyrillic"), (0x590, 0x5FF, "hebrew"),
    (0x600, 0x6FF, "arabic"), (0x750, 0x77F, "arabic"), (0x900, 0x97F, "devanagari"),
    (0xE00, 0xE7F, "thai"), (0x1100, 0x11FF, "hangul"), (0x1E00, 0x1EFF, "latin"),
    (0x3040, 0x30FF, "kana"), (0x3130, 0x318F, "hangul"), (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xAC00, 0xD7AF, "hangul"),
    (0xF900, 0xFAFF, "han"), (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0xFF66, 0xFF9F, "kana"), (0x20000, 0x2FFFF, "han"),
])
_SCRIPT_STARTS = [r[0] for r in _SCRIPT_TABLE]
_DENSE = {"han", "kana", "hangul"}  # one character carries about a word's worth
_GROUP = {"han": "cjk", "kana": "cjk"}  # scripts written together in one language
_CJK_CHAR = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


_ASCII_LETTER_BYTES = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))  # A-Z a-z
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _script(ch: str) -> str | None:
    """The script of a letter, or None for other characters."""
    if not ch.isalpha():
        return None
    cp = ord(ch)
    i = bisect.bisect_right(_SCRIPT_STARTS, cp) - 1
    if i >= 0 and _SCRIPT_TABLE[i][0] <= cp <= _SCRIPT_TABLE[i][1]:
        return _SCRIPT_TABLE[i][2]
    return None


@functools.lru_cache(maxsize=4096)
def _script_mass(text: str) -> Mapping[str, float]:
    """Letters per script, a dense-script character weighing like 2.5 Latin letters."""
    mass: defaultdict[str, float] = defaultdict(float)
    ascii_text = text.encode("ascii", "ignore")  # the common case, counted in C
    ascii_letters = len(ascii_text) - len(ascii_text.translate(None, _ASCII_LETTER_BYTES))
    if ascii_letters:
        mass["latin"] += ascii_letters
    for ch in _NON_ASCII.findall(text):
        script = _script(ch)
        if script:
            mass[script] += 2.5 if script in _DENSE else 1.0
    return MappingProxyType(dict(mass))


def _grouped(mass: Mapping[str, float]) -> dict[str, float]:
    """Script masses with the scripts one language writes together (Han + kana) merged."""
    out: defaultdict[str, float] = defaultdict(float)
    for script, m in mass.items():
        out[_GROUP.get(script, script)] += m
    return dict(out)


_ALNUM_TOKEN = re.compile(r"\S*[^\W_]\S*")  # a whitespace-separated token holding a letter or digit


@functools.lru_cache(maxsize=4096)
def _size(text: str) -> float:
    """Length in words; a Chinese/Japanese character counts as 1/1.7 word."""
    cjk = len(_CJK_CHAR.findall(text))
    rest = _CJK_CHAR.sub(" ", text) if cjk else text
    return len(_ALNUM_TOKEN.findall(rest)) + cjk / 1.7


_LONG_WORD = re.compile(r"([^\W\d_])[\w'’-]{3,}")  # a word of 4+ letters; the group: its first


def _title_case(text: str) -> bool:
    """True when most words of 4+ letters are capitalised ("Modi Set for White House Visit")."""
    firsts = _LONG_WORD.findall(text)  # the first letter of each word
    if len(firsts) < 2:
        return False
    return sum(map(str.isupper, firsts)) >= 0.75 * len(firsts)


# Function words a heading never ends on: a line ending on one was cut mid-sentence.
_DANGLING = frozenset("""a an the of in on at to for with by from and or but as that which who
whose is are was were be its their his her our this these those into over after about
than""".split())

# Frequent short words per Latin-script language, to tell the languages apart.
_STOPWORDS = {
    "en": "the and of to in is that for with was said on as by it from have are".split(),
    "fr": "le la les des et est une dans que pour du au sur pas qui avec ce il".split(),
    "de": "der die das und ist nicht mit den dem ein eine sich auf für von zu".split(),
    "es": "el los las y que en una por con para del se es como al lo más".split(),
    "it": "il che di della per una sono non con gli nel è le dei alla da".split(),
    "pt": "o os que da do em uma para com não dos das é no na ao".split(),
    "nl": "de het een en van is dat op niet met voor zijn te die er".split(),
}
_ALL_STOPWORDS = frozenset(w for ws in _STOPWORDS.values() for w in ws)
# Common English words carrying no topic, ignored when measuring lexical cohesion.
_NOISE = frozenset("""about above after again against also among another because been before
being below between both could does doing down during each even every first from further have
having here into just last like made make many more most much must next only other over said
same says should since some still such than that their them then there these they this those
through told under until upon very were what when where which while will with within without
would year years according including people percent time week month today yesterday monday
tuesday wednesday thursday friday saturday sunday""".split())
_TOKEN = re.compile(r"[^\W\d_]+")
_LONG_TOKEN = re.compile(r"[^\W\d_]{4,}")  # a _TOKEN of 4+ letters
_PREFIX6 = operator.itemgetter(slice(0, 6))  # a token's stem


@functools.lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    """Content-word stems (6-letter prefixes; CJK character bigrams) for cohesion."""
    folded = text.casefold()
    if not _CJK_CHAR.search(folded):
        return frozenset(map(_PREFIX6, set(_LONG_TOKEN.findall(folded)) - _NOISE))
    out: set[str] = set()
    for tok in _TOKEN.findall(folded):
        cjk = "".join(_CJK_CHAR.findall(tok))
        if cjk:
            out.update(cjk[k:k + 2] for k in range(len(cjk) - 1))
            tok = _CJK_CHAR.sub("", tok)
        if len(tok) >= 4 and tok not in _NOISE:
            out.add(tok[:6])
    return frozenset(out)


def _overlap(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of ``part``'s stems that also occur in ``whole`` (1.0 for an empty part)."""
    return len(part & whole) / len(part) if part else 1.0


def _same_title(a: str, b: str) -> bool:
    """True when two lines are the same headline (case, small edits, outlet suffix)."""
    a, b = a.casefold(), b.casefold()
    if a == b or fuzz.ratio(a, b) >= 90:
        return True
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= 0.6 * len(long_)


# ============================================================================ units
@dataclass(frozen=True)
class Unit:
    """One paragraph-sized piece of the capture: a line or a re-joined paragraph."""

    lines: tuple[int, ...]  # 0-based indices of the capture lines it is made of
    text: str  # normalised text, bullet marker stripped
    full: str  # normalised text as written
    bullet: bool = False


def _wrap_width(lines: Sequence[str], opts: CleanOptions) -> int | None:
    """The column a hard-wrapped text was wrapped at, or None if it is not wrapped."""
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 4 or sum(n > opts.max_wrap_width for n in lengths) > 0.05 * len(lengths):
        return None
    width = max(lengths)
    near = [line for line in lines if line and len(line) >= 0.8 * width]
    wide = [n for n in lengths if n >= 30]
    if width < 30 or len(near) < 4 or len(near) < 0.5 * len(wide):
        return None
    open_ended = sum(_ending(line) == "open" for line in near)
    return width if open_ended >= 0.5 * len(near) else None


def _continues(prev: str, nxt: str, width: int | None, spaced: bool) -> bool:
    """True when line ``nxt`` continues the paragraph of line ``prev``."""
    if _BULLET.match(nxt) or _is_symbol(nxt) or _is_symbol(prev):
        return False
    first_word = nxt.split(" ", 1)[0]
    if width and len(prev) >= 0.6 * width and len(prev) + 1 + len(first_word) > width:
        return spaced or _ending(prev) == "open"
    broken = prev[-1].islower() or prev[-1] in ",-–("
    return broken and nxt[0].islower() and len(prev.split()) >= 6


def _join(a: str, b: str) -> str:
    if a.endswith("-") and a[-2:-1].isalpha() and b[:1].islower():
        return a + b
    if _CJK_CHAR.match(a[-1]) and _CJK_CHAR.match(b[0]):
        return a + b
    return f"{a} {b}"


def _make_unit(indices: list[int], lines: Sequence[str]) -> Unit:
    full = lines[indices[0]]
    for i in indices[1:]:
        full = _join(full, lines[i])
    m = _BULLET.match(full)
    text = full[m.end():].strip() if m else full
    return Unit(tuple(indices), text, full, bool(m))


def build_units(lines: Sequence[str], opts: CleanOptions = CleanOptions()) -> list[Unit]:
    """Group normalised lines into units, re-joining wrapped and broken paragraphs."""
    width = _wrap_width(lines, opts)
    non_blank = sum(1 for line in lines if line)
    spaced = sum(1 for line in lines if not line) >= 0.2 * non_blank
    if width:
        log.debug("hard-wrapped text, width %d", width)
    units: list[Unit] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if current and (not line or not _continues(lines[current[-1]], line, width, spaced)):
            units.append(_make_unit(current, lines))
            current = []
        if line:
            current.append(i)
    if current:
        units.append(_make_unit(current, lines))
    return units


# ============================================================================ language
def _looks_like_prose(text: str) -> bool:
    size = _size(text)
    return (size >= 6 and _ending(text) in ("sentence", "question")) or size >= 20


def _latin_language(text: str) -> str:
    words = Counter(filter(_ALL_STOPWORDS.__contains__, _TOKEN.findall(text.casefold())))
    hits = {lang: sum(words[w] for w in ws) for lang, ws in _STOPWORDS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    return best if hits[best] >= 5 and hits[best] > 1.3 * hits["en"] else "en"


def _language_of(group: str, text: str) -> str:
    """ISO 639-1 code for a script group, refined from the text where cheap."""
    if group == "latin":
        return _latin_language(text)
    if group == "cjk":
        mass = _script_mass(text)
        kana, han = mass.get("kana", 0.0), mass.get("han", 0.0)
        return "ja" if kana >= 0.05 * (kana + han) else "zh"
    if group == "cyrillic":
        special = sum(text.count(c) for c in "іїєґІЇЄҐ")
        letters = max(1.0, _script_mass(text).get("cyrillic", 0.0))
        return "uk" if special >= 0.01 * letters else "ru"
    codes = {"arabic": "ar", "hangul": "ko", "greek": "el", "hebrew": "he",
             "devanagari": "hi", "thai": "th"}
    return codes.get(group, "en")


def detect_language(units: Sequence[Unit]) -> tuple[str, str]:
    """(ISO 639-1 code, script group) of the prose of a capture."""
    prose = [u.text for u in units if _looks_like_prose(u.text)] or [u.text for u in units]
    mass: defaultdict[str, float] = defaultdict(float)
    for text in prose:
        for group, m in _grouped(_script_mass(text)).items():
            mass[group] += m
    if not mass:
        return "en", "latin"
    group = max(mass, key=lambda g: mass[g])
    return _language_of(group, "\n".join(prose)), group


# ============================================================================ classify
@dataclass(frozen=True)
class Item:
    """A unit with its class, as used to find the body."""

    unit: Unit
    kind: Kind
    size: float
    reason: str = ""
    action: Action | None = None
    title_case: bool = False
    penalty: float | None = None  # weight set by the matching furniture rule

    @property
    def stems(self) -> frozenset[str]:
        return _stems(self.unit.text)


def _parsed(regex: re.Pattern[str]) -> list | None:
    """The top-level items of ``regex`` as CPython's regex parser sees them, or None."""
    try:
        from re import _parser  # noqa: PLC0415 - CPython's own regex parser
        return list(_parser.parse(regex.pattern, regex.flags).data)
    except (ImportError, AttributeError, re.error):  # another Python: no shortcuts
        return None


def _anchored(items: list | None) -> bool:
    """True when every match starts at the start of the string (a leading ^)."""
    from re import _constants  # noqa: PLC0415
    return bool(items) and items[0] == (_constants.AT, _constants.AT_BEGINNING)  # type: ignore[index]


# Characters whose case-insensitive match is an ASCII letter though their lower() is not one.
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _foldable(ch: str) -> bool:
    """A character whose case-insensitive matches all equal it once the text is folded
    (``_ASCII_FOLD`` then ``lower()``): any ASCII character, and the characters with no case."""
    return ch.isascii() or ch.lower() == ch == ch.upper()


def _flat(items: list) -> list:
    """Items with plain non-capturing groups (no flags of their own) spliced in."""
    from re import _constants  # noqa: PLC0415
    out = []
    for op, av in items:
        if op == _constants.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            out.extend(_flat(list(av[3].data)))
        else:
            out.append((op, av))
    return out


def _zero_width(op: Any) -> bool:
    """A regex item that matches no character (an anchor or a look-around)."""
    from re import _constants  # noqa: PLC0415
    return op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)


def _plain(op: Any, av: Any, ignorecase: bool) -> str | None:
    """The character a regex item stands for, folded for a case-insensitive regex; None when
    the item is no plain character (or one whose case-insensitive matches fold differently)."""
    from re import _constants  # noqa: PLC0415
    if op != _constants.LITERAL or (ignorecase and not _foldable(chr(av))):
        return None
    return chr(av).lower() if ignorecase else chr(av)


_MAX_WAYS = 64  # the most ways of starting a match that ``_leads`` spells out


def _leads(items: list, ignorecase: bool) -> tuple[str, ...]:
    """The plain characters every match of ``items`` starts with, one string per way it can
    start (alternatives, optional parts, small character sets); () when some way starts
    with something else or there are too many ways."""
    ways = _ways(list(items), ignorecase)
    return tuple(dict.fromkeys(ways)) if ways and all(ways) and len(ways) <= _MAX_WAYS else ()


def _pieces(items: list, ignorecase: bool) -> Iterator[tuple[str, int, Any, Any]]:
    """(plain run before it, index, op, argument) of each item that is no plain character,
    zero-width items skipped; last ("the final run", len(items), None, None)."""
    run = ""
    for i, (op, av) in enumerate(items):
        if _zero_width(op):
            continue
        ch = _plain(op, av, ignorecase)
        if ch is not None:
            run += ch
            continue
        yield run, i, op, av
        run = ""
    yield run, len(items), None, None


def _char_set(op: Any, av: Any, ignorecase: bool) -> list[str] | None:
    """The characters of a small character set of plain characters, else None."""
    from re import _constants as c  # noqa: PLC0415
    if op != c.IN or not 1 <= len(av) <= 8:
        return None
    chars = [_plain(o, a, ignorecase) for o, a in av]
    return None if None in chars else list(dict.fromkeys(chars))  # type: ignore[arg-type]


def _ways(items: list, ignorecase: bool) -> list[str] | None:
    """The plain-text starts of ``items``, each as long as it is certain; None when too many."""
    from re import _constants as c  # noqa: PLC0415
    run, i, op, av = next(_pieces(items, ignorecase))
    rest = items[i + 1:]
    chars = _char_set(op, av, ignorecase)
    if op == c.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
        tails = _ways(list(av[3].data) + rest, ignorecase)
    elif op == c.BRANCH:
        tails = _join_ways([_ways(list(b.data) + rest, ignorecase) for b in av[1]])
    elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:  # an optional part
        tails = _join_ways([_ways(list(av[2].data) + rest, ignorecase), _ways(rest, ignorecase)])
    elif chars is not None:
        tails = _join_ways([_ways([(c.LITERAL, ord(x))] + rest, ignorecase) for x in chars])
    else:
        return [run]
    return None if tails is None else [run + t for t in tails]


def _join_ways(parts: list[list[str] | None]) -> list[str] | None:
    if any(p is None for p in parts):
        return None
    ways = [w for p in parts for w in p]  # type: ignore[union-attr]
    return ways if len(ways) <= _MAX_WAYS else None


def _required(items: list | None, ignorecase: bool) -> tuple[tuple[str, ...], ...]:
    """What every match of a regex contains: each entry is a tuple of substrings of which the
    match holds at least one -- a run of plain characters outside any optional part, the
    ways an alternative starts, or a small set of characters (folded for a case-insensitive
    regex). Parts repeated at least once count like plain parts."""
    from re import _constants as c  # noqa: PLC0415
    out: list[tuple[str, ...]] = []
    for run, _, op, av in _pieces(_flat(items or []), ignorecase):
        if run:
            out.append((run,))
        chars = _char_set(op, av, ignorecase)
        if op == c.BRANCH:
            ways = _leads([(op, av)], ignorecase)
            if ways:
                out.append(ways)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            out.extend(_required(list(av[2].data), ignorecase))
        elif chars is not None:
            out.append(tuple(chars))
    return tuple(out)


def _needles(required: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The most telling requirement (longest shortest way), without ways that contain another;
    () when even that is a character common in any text (a space, a letter, a comma)."""
    ways = max(required, key=lambda w: min(map(len, w)), default=())
    if any(len(w) == 1 and (w.isspace() or w in ".,;:-–—'’\"" or (w.isascii() and w.isalnum())) for w in ways):
        return ()
    return tuple(w for w in ways if not any(o != w and o in w for o in ways))


def _ignorecase(rule: Rule) -> bool:
    return bool(rule.regex.flags & re.IGNORECASE)


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_ASCII_FOLD).lower()


class _Finder:
    """The rules whose plain strings occur in a text (``anywhere``) or start it, with one regex
    search per occurrence: ``rules`` maps each string to the rules that require it."""

    def __init__(self, rules: dict[str, list[int]], anywhere: bool) -> None:
        needles = sorted(rules, key=lambda n: (-len(n), n))  # longest first: at one position,
        self.regex = re.compile("|".join(map(re.escape, needles))) if needles else None  # the longest
        self.anywhere = anywhere
        # a string found at a position implies the shorter ones it starts with
        self.rules = {n: frozenset(k for o in needles if n.startswith(o) for k in rules[o]) for n in needles}

    def candidates(self, text: str) -> frozenset[int]:
        if self.regex is None:
            return frozenset()
        if not self.anywhere:
            m = self.regex.match(text)
            return self.rules[m.group()] if m is not None else frozenset()
        found: frozenset[int] = frozenset()
        m = self.regex.search(text)
        while m is not None:
            found |= self.rules[m.group()]
            m = self.regex.search(text, m.start() + 1)
        return found


class _Screen:
    """The furniture rules of a pattern file, arranged to try a line against all of them fast.

    A rule anchored with ^ whose matches start with known plain text ("click here", "share",
    "photo" ...) is tried only on a line starting with that text, found by a dict look-up.
    A rule that matches elsewhere in the line is tried only when the line contains the plain
    text every match of it contains (one scan of the line for all such rules). The other
    anchored rules make one alternation matched at the start of the line, one per line
    size (a rule's ``max_words``): the first alternative that matches is the first such rule
    that matches at all. Of all these, the result is the first rule in file order that
    matches: exactly what trying every rule in turn gives."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.in_alternation = [False] * len(rules)
        self.always: list[int] = []  # searched in every line its size allows
        self.by_start: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})  # [case-insensitive?]
        by_needle: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for k, rule in enumerate(rules):
            items, ignorecase = _parsed(rule.regex), _ignorecase(rule)
            anchored = _anchored(items)
            starts = _leads(items[1:], ignorecase) if anchored else ()  # type: ignore[index]
            for lead in starts:
                self.by_start[ignorecase].setdefault(lead, []).append(k)
            needles = () if anchored else _needles(_required(items, ignorecase))
            for needle in needles:
                by_needle[ignorecase].setdefault(needle, []).append(k)
            if not starts and not needles:
                if anchored:
                    self.in_alternation[k] = True
                else:
                    self.always.append(k)
        self.finders = tuple((_Finder(self.by_start[ignorecase], anywhere=False),
                              _Finder(by_needle[ignorecase], anywhere=True)) for ignorecase in (False, True))
        self.limits = sorted({r.max_words for r in rules if r.max_words is not None})
        self._combined: dict[float, re.Pattern[str] | None] = {}
        self._alternation(0)  # compiles the largest alternation: raises re.error if unsafe
        self.seen: dict[tuple[str, str, CleanOptions], Item] = {}  # see _classify_seen

    def _alternation(self, size: float) -> re.Pattern[str] | None:
        """The alternation rules a line of ``size`` words may match, as one regex."""
        i = bisect.bisect_left(self.limits, size)
        bucket = self.limits[i] if i < len(self.limits) else float("inf")
        if bucket not in self._combined:
            parts = []
            for k, rule in enumerate(self.rules):
                if self.in_alternation[k] and (rule.max_words is None or bucket <= rule.max_words):
                    flags = "i" if _ignorecase(rule) else "-i"
                    parts.append(f"(?P<r{k}>(?{flags}:{rule.regex.pattern}))")
            self._combined[bucket] = re.compile("|".join(parts)) if parts else None
        return self._combined[bucket]

    def _candidates(self, text: str) -> set[int]:
        """The rules other than the alternation's that may match ``text``."""
        out = set(self.always)
        for ignorecase, line in ((False, text), (True, _fold(text))):
            for finder in self.finders[ignorecase]:
                out |= finder.candidates(line)
        return out

    def first(self, texts: Sequence[str], size: float) -> Rule | None:
        """The first rule, in file order, that a line of ``size`` words matches in one of ``texts``."""
        best = len(self.rules)
        alternation = self._alternation(size)
        if alternation is not None:
            for t in texts:
                m = alternation.match(t)
                if m is not None:
                    best = min(best, int(m.lastgroup[1:]))  # type: ignore[index]
        candidates: set[int] = set()
        for t in texts:
            candidates |= self._candidates(t)
        for k in sorted(candidates):
            if k >= best:
                break
            rule = self.rules[k]
            if (rule.max_words is None or size <= rule.max_words) and any(rule.regex.search(t) for t in texts):
                return rule
        return self.rules[best] if best < len(self.rules) else None


_SCREENS: dict[int, _Screen] = {}


def _screen(rules: Sequence[Rule]) -> _Screen | None:
    """The screen of ``rules`` (built once per rule set), or None when a rule's own groups
    would make combining them unsafe (numbered back-references)."""
    screen = _SCREENS.get(id(rules))
    if screen is not None and screen.rules is rules:  # the very tuple: its id cannot be reused
        return screen
    if not isinstance(rules, tuple) or any(r.regex.groups for r in rules):
        return None
    if len(_SCREENS) >= 8:
        _SCREENS.clear()
    try:
        screen = _SCREENS[id(rules)] = _Screen(rules)
    except re.error:
        return None
    return screen


_PIPE = re.compile(r"\s*[|｜]\s*")


def _match_rule(unit: Unit, rules: Sequence[Rule], size: float) -> Rule | None:
    """The first furniture rule matching the unit (or a '|'-separated part of it)."""
    texts = (unit.full, unit.text) if unit.full != unit.text else (unit.full,)
    screen = _screen(rules)
    if screen is not None:
        rule = screen.first(texts, size)
        if rule is not None:
            return rule
    else:
        for rule in rules:
            if rule.max_words is not None and size > rule.max_words:
                continue
            if any(rule.regex.search(t) for t in texts):
                return rule
    if "|" not in unit.text and "｜" not in unit.text:
        return None
    parts = [p for p in _PIPE.split(unit.text) if p]
    if len(parts) < 2 or any(_size(p) > 8 for p in parts):
        return None
    return next((r for p in parts for r in rules if r.action == "meta" and r.regex.search(p)),
                None)


def furniture_rule(text: str, rules: Sequence[Rule] | None = None) -> Rule | None:
    """The furniture rule a single line matches, as ``clean`` decides it (or None)."""
    line = normalise_line(text)
    m = _BULLET.match(line)
    unit = Unit((0,), line[m.end():].strip() if m else line, line, bool(m))
    return _match_rule(unit, load_rules() if rules is None else rules, _size(unit.text))


def _is_foreign(text: str, group: str, opts: CleanOptions) -> bool:
    """True when enough of the line's letters are in another script than the article's."""
    mass = _grouped(_script_mass(text))
    total = sum(mass.values())
    if not total:
        return False
    share = 1 - mass.get(group, 0) / total
    sentence = _ending(text) in ("sentence", "question") and _size(text) >= 6
    return share >= (opts.foreign_share if sentence else opts.foreign_share_short)


def _shape(unit: Unit, size: float, title_case: bool, opts: CleanOptions) -> Kind:
    """The kind of a unit that is neither furniture nor foreign, from its form alone."""
    if unit.bullet:
        return "bullet"
    ending = _ending(unit.text)
    if ending == "ellipsis":
        return "truncated"
    if ending == "colon":
        return "leadin"
    if ending == "sentence":
        return "prose" if size >= 3 else "title"
    if ending == "question":
        return "prose" if size > opts.max_heading_words else "title"
    if size > opts.max_title_words and not (title_case and size <= 30):
        return "loose"
    last = unit.text.split()[-1] if unit.text.split() else ""
    return "fragment" if last in _DANGLING else "title"


def classify(unit: Unit, rules: Sequence[Rule], group: str, opts: CleanOptions) -> Item:
    """Classify one unit: furniture, metadata, foreign, separator or a shape."""
    size = _size(unit.text)
    if _is_symbol(unit.text):
        return Item(unit, "symbol", size, "separator")
    rule = _match_rule(unit, rules, size)
    if rule:
        return Item(unit, "meta" if rule.action == "meta" else "furniture", size,
                    rule.reason, rule.action, penalty=rule.weight)
    if _is_foreign(unit.text, group, opts):
        return Item(unit, "foreign", size, "foreign language")
    title_case = _title_case(unit.text)
    return Item(unit, _shape(unit, size, title_case, opts), size, title_case=title_case)


_FIXED_WEIGHTS = {"loose": 0.5, "truncated": -1.0, "fragment": -1.0, "meta": -1.5,
                  "foreign": -2.0, "symbol": -0.25}


def _weight(item: Item, nxt: Item | None) -> float:
    """Body score of a unit: positive for article text, negative for furniture."""
    kind = item.kind
    if item.penalty is not None:
        return item.penalty
    if kind == "prose" or (kind == "leadin" and item.size >= 4):
        return 1 + min(item.size, 80) / 20
    if kind == "bullet":
        return 1 + min(item.size, 40) / 20
    if kind == "leadin":
        return 0.5 if nxt is not None and nxt.kind == "bullet" else -0.5
    if kind == "title":
        return -1.0 if item.title_case else -0.5
    if kind == "furniture":  # an "end" line is handled by _cut_at_end_line
        return -2.0
    return _FIXED_WEIGHTS[kind]


# ============================================================================ body
def _kadane(weights: Sequence[float]) -> tuple[int, int] | None:
    """(first, last) of the maximum-sum contiguous run, or None if no weight is positive."""
    best, span = 0.0, None
    run, run_start = 0.0, 0
    for i, w in enumerate(weights):
        if run <= 0:
            run, run_start = w, i
        else:
            run += w
        if run > best:
            best, span = run, (run_start, i)
    return span


def _last_text(items: Sequence[Item], start: int, i: int) -> int:
    """The last index <= i (and > start) holding article text, else ``start``."""
    while i > start and items[i].kind not in TEXT_KINDS:
        i -= 1
    return i


def _body_stems(items: Sequence[Item], first: int, last: int) -> frozenset[str]:
    out: set[str] = set()
    for it in items[first:last + 1]:
        if it.kind in TEXT_KINDS or it.kind in TITLE_KINDS:
            out |= it.stems
    return frozenset(out)


def _group_stems(items: Iterable[Item]) -> frozenset[str]:
    return frozenset().union(*(it.stems for it in items))


def _text_size(items: Iterable[Item]) -> float:
    """Words of article-text units among ``items``."""
    return sum(it.size for it in items if it.kind in TEXT_KINDS)


_SENTENCE_BREAK = re.compile(r"[.!?。！？][\"'”’)]?\s+[\"'“‘(]?[A-Z0-9]")


def _one_sentence(item: Item) -> bool:
    return _SENTENCE_BREAK.search(item.unit.text) is None


def _article_resumes(items: Sequence[Item], at: int, start: int, end: int,
                     opts: CleanOptions) -> bool:
    """True when real article text follows the 'end' furniture line at ``at``
    (an inline related-stories box), not a block of teasers, comments or footer."""
    rest = [it for it in items[at + 1:end + 1] if it.kind != "symbol"]
    first = next((k for k, it in enumerate(rest) if it.kind == "prose"), None)
    if first is None or first > 6:
        return False
    tail = rest[first:]
    text = sum(it.kind in ("prose", "loose", "bullet") for it in tail)
    if text < 3 or text < 2 * (len(tail) - text):
        return False
    return _overlap(_group_stems(tail), _body_stems(items, start, at - 1)) >= opts.resume_cohesion


def _cut_at_end_line(items: Sequence[Item], start: int, end: int, opts: CleanOptions) -> int:
    """Index of the body's last unit once the body stops at its first 'end' line."""
    for i in range(start + 1, end + 1):
        if items[i].action == "end" and not _article_resumes(items, i, start, end, opts):
            log.debug("body ends before %r", items[i].unit.text)
            return _last_text(items, start, i - 1)
    return end


def _trailing_groups(items: Sequence[Item], start: int, end: int) -> list[tuple[int, int]]:
    """(first, last) of each group at the end of the body, last group first; a group
    starts at a title-shaped unit (a heading or a teaser title)."""
    groups, last = [], end
    for i in range(end, start, -1):
        if items[i].kind in TITLE_KINDS:
            groups.append((i, last))
            last = i - 1
    return groups


def _drop_teaser_list(items: Sequence[Item], start: int, end: int, opts: CleanOptions) -> int:
    """Drop a trailing run of [teaser title, one paragraph] pairs unrelated to the body."""
    run = []
    for first, last in _trailing_groups(items, start, end):
        title, para = items[first], items[last]
        pair = last == first + 1 and para.kind in ("prose", "loose", "truncated")
        if not (pair and (title.title_case or para.kind != "prose")):
            break
        run.append((first, last))
    first = run[-1][0] if run else start
    if len(run) < 2 or first <= start or _text_size(items[first:end + 1]) >= _text_size(
            items[start:first]):
        return end
    body = _body_stems(items, start, first - 1)
    scores = [_overlap(_group_stems(items[a:b + 1]), body) for a, b in run]
    no_headings_before = not any(it.kind in TITLE_KINDS for it in items[start:first])
    single = all(_one_sentence(items[b]) for _, b in run)
    if statistics.fmean(scores) >= opts.teaser_list_cohesion and not (
            no_headings_before and single):
        return end
    return _last_text(items, start, first - 1)


def _drop_last_group(items: Sequence[Item], start: int, end: int, opts: CleanOptions) -> int:
    """Drop the last group -- a Title Case title, or a title with one paragraph -- or a
    lone last paragraph standing after furniture, if it shares almost no vocabulary
    with the body before it."""
    groups = _trailing_groups(items, start, end)
    first, last = groups[0] if groups else (end, end)
    if groups and not (items[first].title_case or last == first + 1):
        return end  # a section (heading + several paragraphs) is no teaser
    if first <= start or items[first - 1].kind == "leadin" or _text_size(
            items[first:last + 1]) >= _text_size(items[start:first]):
        return end
    stems = _group_stems(items[first:last + 1])
    if len(stems) < (5 if groups else 8):
        return end
    if not groups and items[_last_text(items, start, first - 1) + 1].kind not in DROP_KINDS:
        return end  # a last paragraph right after the body is the article's own
    limit = opts.teaser_cohesion if groups else opts.teaser_cohesion / 2
    if _overlap(stems, _body_stems(items, start, first - 1)) >= limit:
        return end
    log.debug("trailing teaser dropped: %r", items[first].unit.text)
    return _last_text(items, start, first - 1)


def _drop_leading_teasers(items: Sequence[Item], start: int, end: int,
                          opts: CleanOptions) -> int:
    """New start of the body when it begins with teasers for other stories above the
    headline: text sharing almost no vocabulary with what follows a title line that
    is itself strongly cohesive with it (that title is the headline)."""
    for t in range(start + 1, end):
        before, after = items[start:t], items[t + 1:end + 1]
        if _text_size(before) >= _text_size(after):
            break
        if items[t].kind != "title":
            continue
        rest = _body_stems(items, t + 1, end)
        stems = _group_stems(before)
        if (len(stems) >= 5 and _overlap(stems, rest) < opts.teaser_cohesion
                and _headline_cohesion(items[t], rest) >= 0.5):
            log.debug("teasers above the headline dropped: %r", items[start].unit.text)
            return next(i for i in range(t + 1, end + 1) if items[i].kind in TEXT_KINDS)
    return start


def _extend_over_gaps(items: Sequence[Item], start: int, end: int, opts: CleanOptions) -> int:
    """Extend the body across gaps of furniture (a newsletter box, an embed) when at
    least two consecutive paragraphs cohesive with the body follow. A gap holding an
    "end" line, or longer than 8 units, ends the body."""
    while True:
        nxt = next((i for i in range(end + 1, len(items)) if items[i].kind in TEXT_KINDS), None)
        if nxt is None or nxt - end - 1 > 8:
            return end
        if any(it.action == "end" for it in items[end + 1:nxt]):
            return end
        last = nxt
        while last + 1 < len(items) and items[last + 1].kind in TEXT_KINDS:
            last += 1
        run = items[nxt:last + 1]
        if len(run) < 2 or _overlap(_group_stems(run), _body_stems(items, start, end)) < (
                opts.resume_cohesion):
            return end
        log.debug("body continues after a gap at %r", items[nxt].unit.text)
        end = last


def _baseline_cohesion(items: Sequence[Item], start: int, end: int) -> float | None:
    """Median overlap of each body paragraph with the rest of the body, or None when
    the body has fewer than three paragraphs with 5+ content words."""
    text = [it.stems for it in items[start:end + 1] if it.kind in TEXT_KINDS and len(it.stems) >= 5]
    if len(text) < 3:
        return None
    counts = Counter(itertools.chain.from_iterable(text))
    shared = frozenset(stem for stem, n in counts.items() if n > 1)  # in another paragraph too
    return statistics.median(len(stems & shared) / len(stems) for stems in text)


def calibrate(items: Sequence[Item], start: int, end: int, opts: CleanOptions) -> CleanOptions:
    """Options with the cohesion thresholds scaled to this document's own cohesion.

    Terse texts and CJK character bigrams share less vocabulary between paragraphs
    than the reference; thresholds shrink in proportion (never grow), so the
    vocabulary rules stay as cautious there as on ordinary news prose."""
    base = _baseline_cohesion(items, start, end)
    if base is None or base >= opts.cohesion_reference:
        return opts
    k = base / opts.cohesion_reference
    return replace(opts, teaser_cohesion=opts.teaser_cohesion * k,
                   teaser_list_cohesion=opts.teaser_list_cohesion * k,
                   resume_cohesion=opts.resume_cohesion * k,
                   headline_cohesion=opts.headline_cohesion * k,
                   standfirst_cohesion=opts.standfirst_cohesion * k)


def find_body(items: Sequence[Item], opts: CleanOptions = CleanOptions()) -> tuple[int, int] | None:
    """(first, last) item index of the article body, or None when there is no text."""
    weights = [_weight(it, items[i + 1] if i + 1 < len(items) else None)
               for i, it in enumerate(items)]
    span = _kadane(weights)
    if span is None:
        return None
    start, end = span
    opts = calibrate(items, start, end, opts)
    start = _drop_leading_teasers(items, start, end, opts)
    end = _extend_over_gaps(items, start, end, opts)
    end = _cut_at_end_line(items, start, end, opts)
    while True:
        new_end = _drop_teaser_list(items, start, end, opts)
        if new_end == end:
            new_end = _drop_last_group(items, start, end, opts)
        if new_end == end:
            return start, end
        end = new_end


# ============================================================================ header
def _headline_shaped(item: Item) -> bool:
    return (item.kind == "title" and 2 <= item.size <= 30) or (
        item.kind == "loose" and item.title_case)


def _headline_cohesion(item: Item, body: frozenset[str]) -> float:
    """Vocabulary overlap with the body, discounted for lines with under 4 content words
    (a tag line like "Xi Jinping" overlaps fully but is no headline)."""
    return _overlap(item.stems, body) * min(1.0, len(item.stems) / 4)


def pick_headline(items: Sequence[Item], start: int, body: frozenset[str],
                  opts: CleanOptions = CleanOptions()) -> int | None:
    """Index of the headline among the units above the body, or None.

    Among the title-shaped lines above the body, the headline is the earliest one
    nearly as cohesive with the body as the best (a title-shaped standfirst comes
    after it; navigation shares no vocabulary). With no cohesive candidate, the
    title-shaped line nearest the body is taken if it has 3+ words."""
    cands = [i for i in range(start) if _headline_shaped(items[i])]
    if not cands:
        return None
    scores = {i: _headline_cohesion(items[i], body) for i in cands}
    top = max(scores.values())
    if top >= opts.headline_cohesion:
        best = next(i for i in cands if scores[i] >= max(top - 0.25, opts.headline_cohesion))
        if best - 1 in scores and scores[best - 1] >= opts.headline_cohesion and (
                5 <= items[best - 1].size < items[best].size and items[best].size >= 15):
            best -= 1  # a shorter on-topic line right above a long one: headline over standfirst
    elif items[cands[-1]].size >= 3:
        best = cands[-1]
    else:
        return None
    return next(i for i in cands if _same_title(items[i].unit.text, items[best].unit.text))


@dataclass
class _Plan:
    """What becomes of each unit: kept (in order) or removed with a reason."""

    keep: list[int]
    removed: list[tuple[int, str]]
    header: list[str]


def _standfirst(items: Sequence[Item], i: int, headline: int | None,
                body: frozenset[str], opts: CleanOptions) -> bool:
    """True when unit ``i`` above the body is a standfirst (summary) to keep."""
    it = items[i]
    if headline is None:
        return it.kind in ("prose", "loose") and it.size >= 8 and _overlap(
            it.stems, body) >= opts.standfirst_cohesion
    if i < headline:
        return False
    if it.kind in TEXT_KINDS:
        return it.kind != "bullet" or it.size >= 5
    between = items[headline + 1:i]
    right_under = all(b.kind in DROP_KINDS or _same_title(b.unit.text, items[headline].unit.text)
                      for b in between)
    return (it.kind == "title" and right_under and it.size >= 6
            and _overlap(it.stems, body) >= opts.standfirst_cohesion)


def plan_header(items: Sequence[Item], start: int, headline: int | None,
                body: frozenset[str], opts: CleanOptions) -> _Plan:
    """Decide the fate of every unit above the body (the headline excluded)."""
    plan = _Plan([], [], [])
    title = items[headline].unit.text if headline is not None else None
    for i in range(start):
        it = items[i]
        if i == headline:
            continue
        if title and it.kind in TITLE_KINDS | {"loose"} and _same_title(it.unit.text, title):
            plan.removed.append((i, "repeated headline"))
        elif it.kind == "meta":
            plan.header.append(it.unit.text)
            plan.removed.append((i, it.reason))
        elif it.kind in DROP_KINDS:
            plan.removed.append((i, it.reason))
        elif _standfirst(items, i, headline, body, opts):
            plan.keep.append(i)
        else:
            plan.removed.append((i, "page header"))
    return plan


# ============================================================================ blocks
def _is_heading(items: Sequence[Item], keep: Sequence[int], pos: int,
                opts: CleanOptions) -> bool:
    """A short title line standing between two pieces of article text in the body."""
    i = keep[pos]
    if items[i].kind != "title" or items[i].size > opts.max_heading_words:
        return False
    if pos == 0 or pos == len(keep) - 1:
        return False
    prev, nxt = items[keep[pos - 1]], items[keep[pos + 1]]
    if prev.kind not in TEXT_KINDS or nxt.kind not in TEXT_KINDS:
        return False
    return not any(it.action == "end" for it in items[keep[pos - 1] + 1:i])


def build_blocks(items: Sequence[Item], keep: Sequence[int],
                 paragraphs: frozenset[int] = frozenset(), opts: CleanOptions = CleanOptions(),
                 ) -> tuple[list[Block], list[tuple[int, str]]]:
    """Blocks from the kept units in order. Title lines are headings when they stand
    between text, else removed; units in ``paragraphs`` (standfirsts) are paragraphs."""
    blocks: list[Block] = []
    removed: list[tuple[int, str]] = []
    bullets: list[tuple[str, int | None]] = []  # (item text, its number when the capture numbered it)
    for pos, i in enumerate(keep):
        it = items[i]
        if it.kind == "bullet":
            number = item_number(it.unit.full)
            if bullets and (number is None) != (bullets[0][1] is None):  # bullets after numbers: two lists
                blocks.append(_list_block(bullets))
                bullets = []
            bullets.append((it.unit.full if _LETTERED.match(it.unit.full) else it.unit.text, number))
            continue
        if bullets:
            blocks.append(_list_block(bullets))
            bullets = []
        if it.kind in TITLE_KINDS and i not in paragraphs:
            if _is_heading(items, keep, pos, opts):
                blocks.append(Block("heading", it.unit.text))
            else:
                removed.append((i, "stray line"))
        else:
            blocks.append(Block("paragraph", it.unit.text))
    if bullets:
        blocks.append(_list_block(bullets))
    return blocks, removed


_NUMBERED = re.compile(r"^\(?(\d{1,2})[.)]")
_LETTERED = re.compile(r"^[a-z]\)\s")  # "a) ...": Markdown numbers only with digits, so the letter stays in the text


def item_number(line: str) -> int | None:
    """The number of a numbered list item ("1." "2)" "(3)"), None for any other marker."""
    m = _NUMBERED.match(line)
    return int(m.group(1)) if m else None


def _list_block(items: list[tuple[str, int | None]]) -> Block:
    """A list: numbered from its first item's number when the capture numbered its items."""
    return Block("list", items=tuple(text for text, _ in items), start=items[0][1])


def plan_body(items: Sequence[Item], start: int, end: int, headline: str | None) -> _Plan:
    """Split the body units into kept ones and in-body furniture."""
    plan = _Plan([], [], [])
    for i in range(start, end + 1):
        it = items[i]
        if it.kind in DROP_KINDS:
            plan.removed.append((i, it.reason))
        elif headline and it.kind in TITLE_KINDS and _same_title(it.unit.text, headline):
            plan.removed.append((i, "repeated headline"))
        else:
            plan.keep.append(i)
    return plan


def _tail_reason(item: Item) -> str:
    if item.reason:
        return item.reason
    return "teaser" if item.kind in TITLE_KINDS | {"prose", "loose", "truncated"} else "page footer"


# ============================================================================ entry point
def _removed_lines(items: Sequence[Item], lines: Sequence[str],
                   removed: Iterable[tuple[int, str]]) -> tuple[RemovedLine, ...]:
    out = [RemovedLine(n + 1, lines[n], reason)
           for i, reason in removed for n in items[i].unit.lines]
    return tuple(sorted(out, key=lambda r: r.line))


def _classify_all(capture: Capture, opts: CleanOptions) -> tuple[list[str], list[Item], str]:
    lines = normalise_lines(capture.text)
    units = build_units(lines, opts)
    if not units:
        raise EmptyCaptureError("the capture is blank", path=capture.rel)
    language, group = detect_language(units)
    rules = load_rules(opts.patterns)
    return lines, [_classify_seen(u, rules, group, opts) for u in units], language


def _classify_seen(unit: Unit, rules: Sequence[Rule], group: str, opts: CleanOptions) -> Item:
    """``classify``, remembering the class of lines seen before (a site's navigation, share
    buttons and footer recur from capture to capture). A unit's class depends only on its
    text as written (``full``), the script of the article and the options."""
    screen = _screen(rules)
    if screen is None or len(unit.full) > 300:  # prose seldom recurs: not worth the memory
        return classify(unit, rules, group, opts)
    key = (unit.full, group, opts)
    seen = screen.seen.get(key)
    if seen is None:
        if len(screen.seen) >= 20_000:
            screen.seen.clear()
        seen = screen.seen[key] = classify(unit, rules, group, opts)
    return Item(unit, *_ITEM_CLASS(seen))


_ITEM_CLASS = operator.attrgetter(*(f.name for f in fields(Item) if f.name != "unit"))  # all but the unit


def clean(capture: Capture, options: CleanOptions = CleanOptions()) -> Cleaned:
    """Separate the article of ``capture`` from its page furniture.

    Raises EmptyCaptureError when the capture is blank or holds no article text."""
    lines, items, language = _classify_all(capture, options)
    span = find_body(items, options)
    if span is None:
        raise EmptyCaptureError("no article text found", path=capture.rel)
    start, end = span
    options = calibrate(items, start, end, options)
    body = _body_stems(items, start, end)
    h = pick_headline(items, start, body, options)
    headline = items[h].unit.text if h is not None else None
    head = plan_header(items, start, h, body, options)
    main = plan_body(items, start, end, headline)
    blocks, stray = build_blocks(items, head.keep + main.keep, frozenset(head.keep), options)
    tail = [(i, _tail_reason(items[i])) for i in range(end + 1, len(items))]
    removed = _removed_lines(items, lines, head.removed + main.removed + stray + tail)
    log.info("%s: %s, %d blocks, %d lines removed, headline %s", capture.rel, language,
             len(blocks), len(removed), "found" if headline else "none")
    return Cleaned(capture, headline, tuple(head.header), tuple(blocks), removed, language)
