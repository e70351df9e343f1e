"""Finding dates in text: explicit dates, datelines, month-day and weekday mentions.

Only recognition lives here. Deciding which date is the publication date, and how
certain it is, is the job of ``extract.extract_date``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .records import PartialDate

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:" + "|".join(WEEKDAYS) + r")"

# Full dates, most specific first. Each has named groups year, month, day.
_FULL_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # July 16, 2023
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 16 July 2023
    re.compile(rf"\b{_YEAR}[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),  # 2023-07-16, 2023-07-16T10:23
    re.compile(rf"{_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"),  # 2023年7月16日
]
_NUMERIC_DMY = re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I)
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+{_DAY}(?:\s*(?:-|–|to|and)\s*(?:{_MONTH.replace('month', 'month2')}\s+)?"
    rf"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?\b",
    re.I,
)
_DAY_MONTH = re.compile(
    rf"\b{_DAY}(?:\s+{_MONTH.replace('month', 'month0')})?(?:\s*(?:-|–|to|and)\s*"
    rf"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?\s+(?:of\s+)?{_MONTH}\b",
    re.I,
)
_WHEN = r"(?:on|from|to|and|last|this|since|until|till)"
_WEEKDAY_RE = re.compile(rf"\b{_WHEN}\s+(?P<wd>{_WEEKDAY})\b", re.I)
_DASH = r"(?:--|—|–|-|:)\s"
_DATELINE = re.compile(
    rf"^\s*(?P<place>[A-Z][A-Za-z.'’ -]{{1,40}}?)\s*(?:,\s*|(?=\([^)]{{1,40}}\)\s*{_DASH}))"
    rf"(?:\((?P<agency1>[^)]{{1,40}})\)\s*)?"
    rf"(?:(?i:{_MONTH})\s+{_DAY}(?:\s*,?\s*{_YEAR})?"
    rf"|(?P<day_b>[0-3]?\d)\s+(?i:{_MONTH.replace('month', 'month_b')})(?:\s*,?\s*(?P<year_b>(?:19|20)\d\d))?)?"
    rf"\s*(?:\((?P<agency2>[^)]{{1,40}})\)\s*)?{_DASH}",
)


@dataclass(frozen=True)
class Dateline:
    """The opening of a wire story: ``BEIJING, April 21 (Xinhua) --``."""

    place: str
    month: int | None
    day: int | None
    year: int | None
    agency: str | None


def _make(year: int | None, month: int, day: int | None) -> PartialDate | None:
    if year is None:
        return None
    try:
        pd = PartialDate(year, month, day)
        if day is not None:
            pd.as_date()
        elif not 1 <= month <= 12:
            return None
        return pd
    except ValueError:
        return None


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[_name(value).rstrip(".")]


def _name(value: str) -> str:
    """A month or weekday name as the regexes matched it ("JULY", "Auguſt"), as a key of
    ``MONTHS`` or ``WEEKDAYS``."""
    return value.translate(_FOLD).lower()


def full_dates(text: str) -> list[tuple[int, PartialDate]]:
    """Every complete date (with a year) in ``text``, as (offset, date), in text order."""
    found: dict[int, PartialDate] = {}
    taken: list[range] = []
    for pattern in _FULL_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() in r for r in taken):
                continue
            pd = _make(int(m["year"]), _month(m["month"]), int(m["day"]))
            if pd:
                found[m.start()] = pd
                taken.append(range(m.start(), m.end()))
    for m in _NUMERIC_DMY.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        day, month = (a, b) if b <= 12 else (b, a)  # day-first, the common form outside the US
        pd = _make(int(m["year"]), month, day)
        if pd and not any(m.start() in r for r in taken):
            found[m.start()] = pd
    return sorted(found.items())


def ambiguous_numeric(text: str) -> list[tuple[PartialDate, PartialDate]]:
    """Numeric dates whose day and month can be read either way ("04/05/2023"): both readings.

    ``full_dates`` reads them day first; a caller that cannot confirm the order from
    something else in the capture must not present that reading as fact."""
    out = []
    for m in _NUMERIC_DMY.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if a != b and a <= 12 and b <= 12:
            first, second = _make(int(m["year"]), b, a), _make(int(m["year"]), a, b)
            if first and second:
                out.append((first, second))
    return out


def month_years(text: str) -> list[PartialDate]:
    """Dates known to the month only: "July 2023"."""
    return [pd for m in _MONTH_YEAR.finditer(text) if (pd := _make(int(m["year"]), _month(m["month"]), None))]


# ---------------------------------------------------------------- scanning long texts fast
# A case-insensitive regex starting with \b is tried at every position of a text. For the
# long-text scans below, the places where a match can start are first found in a folded
# copy of the text with a case-sensitive regex the engine can skip through, then the
# real regex is tried there only: the same matches, in a fraction of the time.

#: Lower-cases ASCII letters, and the letters a case-insensitive regex takes for one (İ ı ſ K),
#: one character for one, so that positions are kept.
_FOLD = str.maketrans({**{chr(c): chr(c + 32) for c in range(0x41, 0x5B)},
                       "\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_MONTH_START = re.compile("|".join(sorted({m[:3] for m in MONTHS})))  # in folded text
_WEEKDAY_START = re.compile(rf"{_WHEN}\s+{_WEEKDAY}")  # in folded text
#: Month and weekday names in plain ASCII letters (an English locale), which ``_FOLD`` folds.
_FOLDABLE = all(ch.isascii() and ch.isalpha() for name in (*MONTHS, *WEEKDAYS) for ch in name)
_DAY_START = re.compile(r"\d(?<!\w\d)")  # a digit at the start of a word


def _starts(regex: re.Pattern[str], text: str) -> Iterator[int]:
    """Every position where ``regex`` matches, overlapping ones included, in order."""
    m = regex.search(text)
    while m is not None:
        yield m.start()
        m = regex.search(text, m.start() + 1)


def _finditer(regex: re.Pattern[str], text: str, starts: Iterator[int]) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` for a regex that matches no empty string, trying only at
    ``starts`` (in order; every position where a match can start must be among them)."""
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = regex.match(text, start)
        if m is not None:
            yield m
            pos = m.end()


def month_days(text: str) -> list[tuple[int, int]]:
    """(month, day) pairs named without a year, ranges expanded: "July 14th to 15th"."""
    out: set[tuple[int, int]] = set()
    folded = text.translate(_FOLD)
    if _FOLDABLE and _MONTH_START.search(folded) is None:
        return []
    month_day = _finditer(_MONTH_DAY, text, _starts(_MONTH_START, folded)) if _FOLDABLE else _MONTH_DAY.finditer(text)
    for m in month_day:
        month = _month(m["month"])
        days = [int(m["day"])]
        if m["day2"]:
            days.append(int(m["day2"]))
        month2 = _month(m["month2"]) if m["month2"] else month
        out.update((mo, d) for mo, d in zip((month, month2), days) if 1 <= d <= 31)
    for m in _finditer(_DAY_MONTH, text, _starts(_DAY_START, text)):
        month = _month(m["month"])
        first = _month(m["month0"]) if m["month0"] else month
        out.add((first, int(m["day"])))
        if m["day2"]:
            out.add((month, int(m["day2"])))
    return sorted((mo, d) for mo, d in out if 1 <= d <= 31)


def weekdays(text: str) -> list[int]:
    """Weekdays named as when something happened ("on Tuesday", "from Friday to Saturday")."""
    found = (_finditer(_WEEKDAY_RE, text, _starts(_WEEKDAY_START, text.translate(_FOLD))) if _FOLDABLE
             else _WEEKDAY_RE.finditer(text))
    return sorted({WEEKDAYS[_name(m["wd"])] for m in found})


def dateline(paragraph: str) -> Dateline | None:
    """Parse a dateline at the start of the first paragraph, if there is one."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place = m["place"].strip()
    words = place.split()
    if not words or len(words) > 4 or not all(w[0].isupper() for w in words):
        return None
    month = _month(m["month"] or m["month_b"]) if m["month"] or m["month_b"] else None
    day = int(m["day"] or m["day_b"]) if m["day"] or m["day_b"] else None
    year = int(m["year"] or m["year_b"]) if m["year"] or m["year_b"] else None
    if month is None and not (m["agency1"] or m["agency2"] or place.isupper()):
        return None  # "Xi, also ..." is not a dateline
    return Dateline(place, month, day, year, m["agency1"] or m["agency2"])


def years_matching_weekday(month: int, day: int, weekday: int, years: range, offsets: tuple[int, ...] = (1,)) -> list[int]:
    """Years in which ``weekday`` fell on (month, day) minus one of ``offsets`` days.

    Wire copy is commonly filed the day after what it reports, so by default "on
    Tuesday" in a story datelined July 13 means Tuesday, July 12.
    """
    out = []
    for year in years:
        try:
            anchor = dt.date(year, month, day)
        except ValueError:
            continue
        if any((anchor - dt.timedelta(days=o)).weekday() == weekday for o in offsets):
            out.append(year)
    return out
