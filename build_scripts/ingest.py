"""Reading captures: find the files, read their bytes, decode them to normalised text.

Decoding is a registry keyed by file suffix (``DECODERS``): plain text in any common
encoding, saved HTML pages (main text and metadata through trafilatura) and Markdown
with a front-matter block. Every decoder returns the article text as plain lines and
the metadata the file states about itself; a file that cannot be read raises a
``CaptureError`` naming the file and the reason, and only that file is skipped.
"""
from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import os
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple

import yaml

from . import dates
from .errors import CaptureError, DecodeError, EmptyCaptureError
from .records import Capture, PartialDate, SourceFile

log = logging.getLogger(__name__)

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters, dropped
_ODD_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
"""Runs of spaces (tab, no-break and typographic spaces) that are not one plain space already:
what becomes one plain space (a plain space alone needs no replacing)."""
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DROPPED = re.compile(f"[{_INVISIBLE}{_CONTROLS.pattern[1:-1]}]")  # both dropped, in one pass
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: Legacy encodings in order of how common they are for news text; among the encodings
#: that fit the bytes about equally well, the most common one wins.
COMMON_ENCODINGS = ("cp1252", "gb18030", "big5", "shift_jis", "cp1251", "euc_kr", "cp949", "euc_jp",
                    "cp1250", "iso8859_15", "latin_1", "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256",
                    "cp1257", "cp874", "cp1258")
CHAOS_TOLERANCE = 0.03  # how much worse a common encoding may fit than the best fit
MAX_CONTROL_SHARE = 0.01  # more control characters than this: a binary file


class Decoded(NamedTuple):
    """What a decoder makes of a file's bytes."""

    text: str  # the article text, plain lines (not yet normalised)
    encoding: str  # the character encoding the bytes were read in
    format: str  # "text", "html" or "markdown"
    meta: tuple[tuple[str, str], ...] = ()  # metadata the file states about itself


# --------------------------------------------------------------------------- bytes -> str
def decode_bytes(data: bytes, rel: str, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding of ``data``: BOM, a declared charset, UTF-8, else detection.

    Mojibake (UTF-8 read as a legacy encoding somewhere upstream) is repaired with ftfy.
    """
    text, encoding = _decode_raw(data, rel, declared)
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise DecodeError(f"binary file ({controls} control characters), not text", path=rel)
    fixed = text
    if may_be_mojibake(text):
        import ftfy

        fixed = ftfy.fix_encoding(text)
    if fixed != text:
        log.info("%s: repaired mojibake", rel)
    return fixed, encoding


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


@functools.lru_cache(maxsize=1)
def _mojibake_width() -> int | None:
    """The longest match of ftfy's mojibake detector, when every way it matches holds a
    non-ASCII character and nothing but the start of the text is looked at outside the
    match: then it only ever matches within that many characters of a non-ASCII one.
    None when the detector (another ftfy version) is not of that shape."""
    try:
        from re import _constants as c, _parser  # noqa: PLC0415 - CPython's own regex parser

        from ftfy.badness import BADNESS_RE
        tree = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    except (ImportError, AttributeError, re.error):
        return None

    def non_ascii(op: Any, av: Any) -> bool:
        if op == c.LITERAL:
            return av > 0x7F
        return op == c.IN and all((o == c.LITERAL and a > 0x7F) or (o == c.RANGE and a[0] > 0x7F) for o, a in av)

    def plain(items: Any) -> bool:  # no look-around, no anchor but the text's start
        for op, av in items:
            if op in (c.ASSERT, c.ASSERT_NOT) or (op == c.AT and av != c.AT_BEGINNING):
                return False
            nested = {c.BRANCH: lambda: av[1], c.MAX_REPEAT: lambda: [av[2]], c.MIN_REPEAT: lambda: [av[2]],
                      c.SUBPATTERN: lambda: [av[3]]}.get(op)
            if nested and not all(plain(sub.data) for sub in nested()):
                return False
        return True

    items = list(tree.data)
    ways = [list(b.data) for b in items[0][1][1]] if len(items) == 1 and items[0][0] == c.BRANCH else [items]
    width = tree.getwidth()[1]
    if not plain(items) or width > 64 or not all(any(non_ascii(op, av) for op, av in way) for way in ways):
        return None
    return width


def may_be_mojibake(text: str) -> bool:
    """Whether ftfy would find mojibake to repair in ``text`` (``ftfy.badness.is_bad``),
    looking only around its non-ASCII characters: clean ASCII or UTF-8 text is common."""
    if text.isascii():
        return False
    from ftfy.badness import BADNESS_RE

    width = _mojibake_width()
    if width is None:
        return bool(BADNESS_RE.search(text))
    reach = width - 1
    start = end = -1
    for m in _NON_ASCII_RUN.finditer(text):
        if m.start() - reach > end:  # a new window: look in the last one
            if end >= 0 and BADNESS_RE.search(text, start, end):
                return True
            start = max(0, m.start() - reach)
        end = min(len(text), m.end() + reach)
    return end >= 0 and bool(BADNESS_RE.search(text, start, end))


def _decode_raw(data: bytes, rel: str, declared: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding.removesuffix("-sig"), rel), encoding
    if declared:
        try:
            return data.decode(declared), codecs.lookup(declared).name
        except (UnicodeDecodeError, LookupError):
            log.info("%s: declared charset %s does not fit the bytes", rel, declared)
    if b"\x00" in data:
        raise DecodeError("binary file (NUL bytes), not text", path=rel)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return detect_encoding(data, rel)


def _strict(data: bytes, encoding: str, rel: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not valid {encoding.upper()} at byte {exc.start} (after its byte-order mark)",
                          path=rel) from None


def detect_encoding(data: bytes, rel: str) -> tuple[str, str]:
    """A legacy encoding for ``data`` by charset-normalizer, preferring common ones on a near tie."""
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    matches = list(results)
    if not matches:
        raise DecodeError("undecodable: no text encoding fits the bytes (binary file?)", path=rel)
    best = min(m.chaos for m in matches)
    for name in COMMON_ENCODINGS:
        for m in matches:
            if m.chaos <= best + CHAOS_TOLERANCE and name in m.could_be_from_charset:
                return data.decode(name), codecs.lookup(name).name
    chosen = results.best() or matches[0]
    return str(chosen), codecs.lookup(chosen.encoding).name


# --------------------------------------------------------------------------- decoders
def decode_text(data: bytes, rel: str) -> Decoded:
    """A plain-text capture. Lines that look like front matter are text like any other."""
    text, encoding = decode_bytes(data, rel)
    return Decoded(text, encoding, "text")


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HTML_META = (("title", "title"), ("date", "date"), ("sitename", "outlet"), ("author", "author"), ("url", "url"))


def decode_html(data: bytes, rel: str) -> Decoded:
    """A saved web page: its main text and the metadata it states, through trafilatura."""
    import trafilatura

    declared = _META_CHARSET.search(data[:4096])
    text, encoding = decode_bytes(data, rel, declared.group(1).decode("ascii") if declared else None)
    if not text.strip():
        raise EmptyCaptureError("empty or blank file", path=rel)
    try:
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=True,
                                          date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # noqa: BLE001 - a library boundary: one odd page must not stop the build
        raise DecodeError(f"the HTML page cannot be parsed ({type(exc).__name__}: {exc})", path=rel) from None
    body = (doc.text or "") if doc is not None else ""
    if not body.strip():
        raise EmptyCaptureError("no article text found in the HTML page", path=rel)
    meta = {ours: getattr(doc, theirs, None) for theirs, ours in HTML_META}
    if meta["date"] and not date_in_page(meta["date"], text):
        log.info("%s: page date %s ignored: not printed in the page in any form", rel, meta["date"])
        meta["date"] = None
    return Decoded(paragraphs(body), encoding, "html", clean_meta(meta, rel))


def date_in_page(iso: str, page: str) -> bool:
    """Whether the page prints this date: as 2021-09-14, 2021/09/14, 20210914 or in words.

    The date library fills in a day it cannot read (a month-only or impossible date
    becomes the 1st); the archive never invents a date, so such a date is not taken.
    """
    y, m, d = (iso.split("-") + ["", ""])[:3]
    if not d:
        return True
    if re.search(rf"(?<!\d){y}(?:-{m}-{d}|/{m}/{d}|\.{m}\.{d}|{m}{d})(?!\d)", page):
        return True
    return any(found.iso() == iso for _, found in dates.full_dates(re.sub(r"<[^>]*>", " ", page)))


def paragraphs(text: str) -> str:
    """One paragraph per line (trafilatura's text) as blank-line separated paragraphs; lists stay together."""
    out: list[str] = []
    for line in (ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        if out and not (line.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def decode_markdown(data: bytes, rel: str) -> Decoded:
    """A hand-curated Markdown capture: front matter (stated metadata) and the text of its body."""
    text, encoding = decode_bytes(data, rel)
    meta, body = split_front_matter(_LINE_BREAKS.sub("\n", text), rel)
    return Decoded(markdown_to_text(body), encoding, "markdown", meta)


DECODERS: dict[str, Callable[[bytes, str], Decoded]] = {
    ".txt": decode_text, ".text": decode_text,
    ".html": decode_html, ".htm": decode_html,
    ".md": decode_markdown, ".markdown": decode_markdown,
}


# --------------------------------------------------------------------------- markdown
def markdown_to_text(body: str) -> str:
    """The plain text of a Markdown body: one paragraph, heading or list item per line.

    Raw HTML is not interpreted: it stays text (markdown-it with ``html`` off), so a
    ``<script>`` in a Markdown capture is shown as the characters it is.
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(body)
    out: list[str] = []
    items = 0  # open list items; the first block of an item gets the "- " marker
    fresh = False
    row: list[str] | None = None
    for tok in tokens:
        if tok.type == "list_item_open":
            items, fresh = items + 1, True
        elif tok.type == "list_item_close":
            items -= 1
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            out += ["", " | ".join(row)]
            row = None
        elif tok.type == "inline" and row is not None:
            row.append(_inline_text(tok))
        elif tok.type == "inline":
            marker, fresh = ("- " if items and fresh else ""), False
            out += ([] if marker and out and out[-1].startswith("- ") else [""]) + [marker + _inline_text(tok)]
        elif tok.type in ("fence", "code_block"):
            out += [""] + tok.content.rstrip("\n").split("\n")
    return "\n".join(out).strip("\n") + "\n"


def _inline_text(tok: Any) -> str:
    parts = []
    for child in tok.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()


# --------------------------------------------------------------------------- stated metadata
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", re.S | re.M)
STATED_KEYS = ("title", "date", "outlet", "agency", "author", "url", "language")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that reads dates as text, so an impossible one (2022-02-30) gets a clear error."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def split_front_matter(text: str, rel: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The validated front matter of a Markdown capture and its body. Errors name file, line and key."""
    if not re.match(r"---[ \t]*\n", text):
        return (), text
    m = _FRONT_MATTER.match(text)
    if m is None:
        raise CaptureError("front matter opened with '---' is never closed", path=rel, line=1)
    try:
        meta = yaml.load(m.group(1), Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        problem = "; ".join(filter(None, (getattr(exc, "context", None), getattr(exc, "problem", None))))
        lines = m.group(1).split("\n")
        key = re.match(r"\s*([\w-]+)\s*:", lines[mark.line]) if mark is not None and mark.line < len(lines) else None
        raise CaptureError(f"malformed front matter: {problem or str(exc).splitlines()[0]}", path=rel,
                           key=key.group(1) if key else None,
                           line=mark.line + 2 if mark is not None else None) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise CaptureError(f"malformed front matter: {exc}", path=rel, line=2) from None
    if meta is None:
        return (), text[m.end():]
    if not isinstance(meta, dict):
        raise CaptureError("front matter must be a mapping of keys to values", path=rel, line=2)
    return validate_front_matter(meta, m.group(1), rel), text[m.end():]


def validate_front_matter(meta: dict, source: str, rel: str) -> tuple[tuple[str, str], ...]:
    def fail(key: object, message: str) -> None:
        line = next((i for i, ln in enumerate(source.split("\n"), start=2)
                     if re.match(rf"\s*['\"]?{re.escape(str(key))}['\"]?\s*:", ln)), None)
        raise CaptureError(message, path=rel, key=str(key), line=line)

    out: dict[str, str] = {}
    for key, value in meta.items():
        if key not in STATED_KEYS:
            fail(key, f"unknown front-matter key (known: {', '.join(STATED_KEYS)})")
        if value is None:
            continue
        problem, text = _stated_value(key, value)
        if problem:
            fail(key, problem)
        out[key] = text
    return tuple((k, out[k]) for k in STATED_KEYS if k in out)


def _stated_value(key: str, value: Any) -> tuple[str | None, str]:
    """(problem or None, the value as text) for one stated key."""
    if key == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if isinstance(value, (bool, float)) or not _is_partial_date(text):
            return f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}", ""
        return None, text
    if key == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "; ".join(v.strip() for v in value if v.strip())
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__} {value!r}", ""
    text = " ".join(value.split())
    if key == "url" and not re.match(r"https?://\S+$", text):
        return f"expected an http(s) URL, got {value!r}", ""
    if key == "language" and not re.fullmatch(r"[a-z]{2,3}", text):
        return f"expected an ISO 639-1 language code such as 'en', got {value!r}", ""
    return None, text


def _is_partial_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text):
        return False
    try:
        PartialDate.parse(text)
    except ValueError:
        return False
    return True


def clean_meta(meta: dict[str, Any], rel: str) -> tuple[tuple[str, str], ...]:
    """Metadata read from a page by a library: values that fail the checks are dropped, not fatal."""
    out = []
    for key in STATED_KEYS:
        value = meta.get(key)
        if not value:
            continue
        problem, text = _stated_value(key, value)
        if problem:
            log.info("%s: page metadata %s ignored: %s", rel, key, problem)
        elif text:
            out.append((key, text))
    return tuple(out)


# --------------------------------------------------------------------------- files
@dataclass(frozen=True)
class IngestOptions:
    suffixes: tuple[str, ...] = field(default_factory=lambda: tuple(sorted(DECODERS)))
    max_bytes: int = 5_000_000


def discover(seeds: Path, options: IngestOptions) -> list[Path]:
    """Every capture under ``seeds``, subfolders included, in a stable order.

    Hidden files and folders are skipped, and so are links that lead outside ``seeds``
    (their target would otherwise be published as a raw capture).
    """
    root = os.path.realpath(seeds)
    found: list[tuple[str, Path]] = []
    stack = [(str(seeds), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = prefix + entry.name
                if entry.is_symlink() and not _inside(os.path.realpath(entry.path), root):
                    continue
                if entry.is_dir():
                    stack.append((entry.path, rel + "/"))
                elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in options.suffixes:
                    found.append((rel, seeds / rel))
    return [path for _, path in sorted(found)]


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_source(path: Path, seeds: Path, options: IngestOptions) -> SourceFile:
    rel = path.relative_to(seeds).as_posix()
    size = path.stat().st_size
    if size > options.max_bytes:
        raise CaptureError(f"larger than the {options.max_bytes:,}-byte limit ({size:,} bytes)", path=rel)
    data = path.read_bytes()
    return SourceFile(rel, data, hashlib.sha256(data).hexdigest(), len(data))


def raw_copy(seed: str) -> str:
    """Where the raw capture is published under ``docs/captures/``.

    Plain text is published as it is; any other format gets ``.txt`` appended, so a
    saved page or a Markdown file is served as text: never run as HTML by a browser,
    never rendered as a page by MkDocs.
    """
    return seed if os.path.splitext(seed.rsplit("/", 1)[-1])[1].lower() == ".txt" else f"{seed}.txt"


def normalise(text: str) -> str:
    """Unicode NFC, one kind of line ending, no invisible or control characters, no trailing blanks."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = _DROPPED.sub("", text)
    lines = [line.strip() for line in _ODD_SPACES.sub(" ", text).split("\n")]  # no line break is a space
    return "\n".join(lines).strip("\n") + "\n"


def decode(source: SourceFile) -> Capture:
    suffix = Path(source.rel).suffix.lower()
    decoder = DECODERS.get(suffix)
    if decoder is None:
        raise CaptureError(f"no reader for '{suffix}' files", path=source.rel)
    if not source.data.strip():
        raise EmptyCaptureError("empty or blank file", path=source.rel)
    decoded = decoder(source.data, source.rel)
    text = normalise(decoded.text)
    if not text.strip():
        raise EmptyCaptureError("empty or blank file" if decoded.format == "text" else "no text in it",
                                path=source.rel)
    return Capture(source.rel, source.sha256, source.size, decoded.encoding, text, decoded.format, decoded.meta)
