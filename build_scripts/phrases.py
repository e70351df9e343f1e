"""Fast matching of many fixed phrases (names, aliases, keywords) in text.

A regex alternation of hundreds of phrases is tried phrase by phrase at every position;
here each word of the text is looked up in a dict of the phrases that start with it, so
the cost grows with the text, not with the number of phrases. Matches are leftmost and,
at one position, longest first: the same as a longest-first regex alternation.

Phrases in Latin script match as whole words. A phrase in Chinese or Japanese characters
(written without spaces between words) also matches inside a run of them.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")
_FEW = 24  # up to this many first words are looked up in a text directly, not through its word list


class _Index:
    """The words and CJK characters of a text, and where each one stands, found on demand:
    built once per text and shared by every matcher that looks at it."""

    __slots__ = ("text", "_words", "_chars", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: frozenset[str] | None = None
        self._chars: frozenset[str] | None = None
        self._starts: dict[str, list[int]] = {}

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(_WORD.findall(self.text))
        return self._words

    @property
    def chars(self) -> frozenset[str]:
        if self._chars is None:
            self._chars = frozenset(_CJK.findall(self.text))
        return self._chars

    def present(self, words: frozenset[str]) -> Iterable[str]:
        """Those of ``words`` that stand in the text as whole words. A few are looked up
        directly; for many, the text's words are listed once."""
        if len(words) > _FEW:
            return words & self.words
        return [w for w in words if self.word_starts(w)]

    def word_starts(self, word: str) -> list[int]:
        """Where ``word`` stands as a whole ``\\w+`` token, as ``_WORD.finditer`` would find it."""
        starts = self._starts.get(word)
        if starts is None:
            starts = self._starts[word] = [m.start() for m in _whole(word).finditer(self.text)] \
                if word in self.text else []
        return starts

    def char_starts(self, ch: str) -> list[int]:
        """Every position of the CJK character ``ch``."""
        key = "\0" + ch
        starts = self._starts.get(key)
        if starts is None:
            starts, p = [], self.text.find(ch)
            while p != -1:
                starts.append(p)
                p = self.text.find(ch, p + 1)
            self._starts[key] = starts
        return starts


@functools.lru_cache(maxsize=4096)
def _whole(word: str) -> re.Pattern[str]:
    """``word`` as a whole ``\\w+`` token: not after or before a word character (the look-behind
    comes after the word, so that the regex engine can skip ahead to the word's first letters)."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<!\w{w})(?!\w)")


@functools.lru_cache(maxsize=16)
def _index(text: str) -> _Index:
    return _Index(text)


class PhraseMatcher:
    def __init__(self, phrases, hyphen_joins_words: bool = False, fold=lambda s: s) -> None:
        """``hyphen_joins_words``: "Beijing-based" does not contain the phrase "Beijing"."""
        self.fold = fold
        self.joiners = "_-" if hyphen_joins_words else "_"
        self.by_word: dict[str, list[str]] = {}
        self.by_char: dict[str, list[str]] = {}
        odd: list[str] = []
        for phrase in sorted({fold(p) for p in phrases if p}, key=lambda x: (-len(x), x)):
            first = _WORD.match(phrase)
            if _CJK.match(phrase[:1]):
                self.by_char.setdefault(phrase[0], []).append(phrase)
            elif first:
                self.by_word.setdefault(first.group(), []).append(phrase)
            else:
                odd.append(phrase)
        self.odd = re.compile("|".join(re.escape(p) for p in odd)) if odd else None
        self.first_words = frozenset(self.by_word)
        self.first_chars = frozenset(self.by_char)

    def _ends(self, text: str, end: int, phrase: str) -> bool:
        if _CJK.match(phrase[-1:]) or end >= len(text):
            return True
        return not (text[end].isalnum() or text[end] in self.joiners)

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        hits: list[tuple[int, int, str]] = []
        index = _index(text)
        for word in index.present(self.first_words):
            for start in index.word_starts(word):
                if start and text[start - 1] in self.joiners:
                    continue
                hits += [(start, start + len(p), p) for p in self.by_word[word]
                         if text.startswith(p, start) and self._ends(text, start + len(p), p)]
        for ch in self.first_chars & index.chars if self.first_chars else ():
            for start in index.char_starts(ch):
                hits += [(start, start + len(p), p) for p in self.by_char[ch]
                         if text.startswith(p, start) and self._ends(text, start + len(p), p)]
        if self.odd is not None:
            hits += [(x.start(), x.end(), x.group()) for x in self.odd.finditer(text)]
        return hits

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, phrase) matches, leftmost and longest first."""
        folded = self.fold(text)
        out, end = [], -1
        for s, e, phrase in sorted(self._candidates(folded), key=lambda h: (h[0], -(h[1] - h[0]))):
            if s >= end:
                out.append((s, e, phrase))
                end = e
        return out

    def findall(self, text: str) -> list[str]:
        return [phrase for _, _, phrase in self.finditer(text)]
