"""Property-based tests (hypothesis): whatever text comes in, what goes out is valid and whole.

- any text escaped for a page renders, through the site's own Markdown extensions, as
  exactly its characters: no element, no attribute, no entity expansion;
- any metadata dumped as front matter loads back equal (python-frontmatter, safe YAML);
- any capture (words, hostile tokens, free Unicode; any line ending; UTF-8, UTF-8 with
  BOM or UTF-16) either is skipped with a one-line CaptureError or becomes a page whose
  front matter loads, whose HTML holds only the page's own structure, and from which no
  line is lost: every non-blank line is kept in the article or listed as removed;
- page ids are URL-safe, unique, independent of order and stable when captures are added.

Examples are derandomized (the same on every run, so CI is reproducible) and no example
database is written; set ARCHIVE_HYPOTHESIS=explore for a longer, random search.
"""
from __future__ import annotations

import os
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.pipeline import assign_ids
from build_scripts.clean import clean
from build_scripts.errors import CaptureError
from build_scripts.extract import ExtractOptions, extract
from build_scripts.ingest import DECODERS, decode
from build_scripts.knowledge import load_knowledge
from build_scripts.link import LinkOptions, link_archive
from build_scripts.markup import escape, escape_block, front_matter, unescape
from build_scripts.records import SourceFile
from build_scripts.render import TEXT_END, TEXT_START, render_article
from sitecheck import load_mkdocs_config

ROOT = Path(__file__).resolve().parents[1]
settings.register_profile("ci", deadline=None, database=None, derandomize=True, max_examples=150,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("explore", deadline=None, database=None, max_examples=2000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("ARCHIVE_HYPOTHESIS", "ci"))

KNOWLEDGE = load_knowledge(ROOT / "knowledge")
OPTIONS = ExtractOptions.from_knowledge(KNOWLEDGE)


def site_markdown() -> markdown.Markdown:
    """A Markdown converter with the extensions (and their settings) of the site's mkdocs.yml."""
    names, configs = [], {}
    for ext in load_mkdocs_config(ROOT / "mkdocs.yml").get("markdown_extensions") or []:
        name, config = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        names.append(name)
        if isinstance(config, dict):
            configs[name] = config
    return markdown.Markdown(extensions=names, extension_configs=configs)


MD = site_markdown()


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)


def html_of(md_text: str) -> _Html:
    MD.reset()
    parser = _Html()
    parser.feed(MD.convert(md_text))
    parser.close()
    return parser


# Text as a capture can hold it after decoding: any character but surrogates and controls.
CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
TOKENS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))", "{{ x }}",
          "{% y %}", "**", "__", "_", "*", "`", "```", "#", "##", "!!!", "???", "???+", "&copy;", "&copy", "&lt",
          "&#60;", "\\", "<!--", "-->", "|", "---", "===", ">", "1.", "2)", "+", "-", ":", "'", '"', "&", "<", ">",
          "%", "{:", ".class", "}", "[TOC]", "<div markdown=1>", "</div>", "~~", "^", "[^1]", "*[HTML]:", "://"]
WORDS = ["the", "council", "said", "on", "Tuesday", "that", "its", "new", "rules", "would", "apply", "to",
         "data", "from", "next", "month", "officials", "Beijing", "report", "security", "Xi", "Li", "2023"]
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(TOKENS),
                 st.text(CHARS, min_size=1, max_size=10))
sentence = st.lists(word, min_size=3, max_size=22).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
short_line = st.lists(word, min_size=1, max_size=6).map(" ".join)
capture_text = st.lists(st.one_of(paragraph, paragraph, short_line), min_size=1, max_size=10).map("\n\n".join)


# --------------------------------------------------------------------------- escaping
@given(st.text(CHARS, max_size=200))
def test_escaped_text_renders_as_exactly_its_characters(text):
    html = html_of(escape_block(text))
    assert {tag for tag, _ in html.tags} <= {"p"}
    assert all(not attrs for _, attrs in html.tags)
    assert "".join(html.text).strip() == " ".join(text.split())
    assert unescape(escape_block(text)) == " ".join(text.split())


@given(st.text(CHARS, max_size=80), st.text(CHARS, max_size=80))
def test_escaped_inline_text_stays_inside_its_list_item(label, text):
    html = html_of(f"- **Outlet:** {escape(label)} · {escape(text)}")
    assert [tag for tag, _ in html.tags] == ["ul", "li", "strong"]
    rendered = " ".join("".join(html.text).split())
    assert rendered == " ".join(f"Outlet: {label} · {text}".split())


@given(st.dictionaries(st.sampled_from(["title", "outlet", "agency", "seed", "author"]),
                       st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)),
                       min_size=1),
       st.text(CHARS, max_size=100))
def test_any_metadata_round_trips_through_front_matter(meta, body):
    page = front_matter(meta, escape_block(body))
    post = frontmatter.loads(page)
    assert post.metadata == meta
    assert yaml.safe_load(page.split("---\n")[1]) == meta


# --------------------------------------------------------------------------- whole captures
ALLOWED_TAGS = {"p", "h1", "h2", "h3", "ul", "ol", "li", "a", "strong", "em", "code", "details", "summary", "div"}


def render_capture(text: str, newline: str, encoding: str):
    data = text.replace("\n", newline).encode(encoding)
    if encoding == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    source = SourceFile("prop/capture.txt", data, "0" * 64, len(data))
    capture = decode(source)
    cleaned = clean(capture)
    if not cleaned.blocks:
        raise CaptureError("no article text found after cleaning", path=source.rel)
    article = extract(cleaned, "capture", OPTIONS)
    archive = link_archive([article], KNOWLEDGE, LinkOptions())
    return capture, cleaned, article, render_article(article, archive)


@given(capture_text, st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
@settings(max_examples=120)
def test_any_capture_gives_a_valid_page_or_a_one_line_error(text, newline, encoding):
    try:
        capture, cleaned, article, page = render_capture(text, newline, encoding)
    except CaptureError as exc:
        assert str(exc).startswith("prop/capture.txt: ") and "\n" not in str(exc)
        return
    post = frontmatter.loads(page)
    assert post["id"] == "capture" and post["title"] == article.title and post["seed"] == "prop/capture.txt"
    assert post.content.count(TEXT_START) == 1 and post.content.count(TEXT_END) == 1
    html = html_of(post.content)
    for tag, attrs in html.tags:
        assert tag in ALLOWED_TAGS, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href", "")
        assert not re.match(r"\s*[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith(("http:", "https:")), href


# A list-item marker, which the cleaner turns into list structure (numbers included: see the report).
MARKER = re.compile(r"^\s*(?:[•·▪▫◦●○■□►▸▶➢➤✓✔→]\s*|[*–-]\s+"
                    r"|\(?\d{1,2}[.)]\s+|\(?[a-zA-Z][.)]\s+)")


def words(text: str) -> set[str]:
    """Word tokens, ignoring invisible format characters (a soft hyphen joins its halves)."""
    return set(re.findall(r"\w+", "".join(ch for ch in text if unicodedata.category(ch) != "Cf")))


@given(capture_text, st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=120)
def test_no_line_is_lost_kept_and_removed_cover_every_line(text, newline):
    try:
        capture, cleaned, article, _ = render_capture(text, newline, "utf-8")
    except CaptureError:
        return
    removed = {r.line for r in cleaned.removed}
    kept = " ".join([cleaned.headline or "", *(b.text for b in cleaned.blocks if b.kind != "list"),
                     *(i for b in cleaned.blocks for i in b.items)])
    kept_words = words(kept)
    items = {n for n, line in enumerate(capture.text.split("\n"), start=1) if MARKER.match(line)}
    for number, line in enumerate(capture.text.split("\n"), start=1):
        if not line.strip() or number in removed:
            continue
        missing = words(MARKER.sub("", line, count=1) if number in items else line) - kept_words
        assert not missing, f"line {number} {line!r}: {sorted(missing)} neither kept nor reported removed"
    for r in cleaned.removed:  # and what is reported removed is what stood on that line
        assert words(r.text) == words(capture.text.split("\n")[r.line - 1])


# --------------------------------------------------------------------------- any bytes
HTMLISH = st.lists(st.sampled_from(["<html>", "<head>", "<title>", "</title>", "<meta charset=gbk>", "<body>",
                                    "<article>", "<p>", "</p>", "<script>", "</script>", "<!--", "-->", "&",
                                    "&#0;", "&#xD800;", "<![CDATA[", "<?xml version='1.0'?>", "<svg>", "\x00",
                                    "\xff\xfe", "---\n", "title: [\n", "\n---\n", "é", "中文", "text "]),
                   max_size=40).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


@given(st.one_of(st.binary(max_size=400), HTMLISH), st.sampled_from(sorted(DECODERS)))
@settings(max_examples=300)
def test_any_bytes_give_a_capture_or_a_one_line_capture_error(data, suffix):
    source = SourceFile(f"any{suffix}", data, "0" * 64, len(data))
    try:
        capture = decode(source)
    except CaptureError as exc:
        assert str(exc).startswith(f"any{suffix}") and "\n" not in str(exc)
        return
    assert capture.text.endswith("\n") and "\r" not in capture.text and "\x00" not in capture.text


# --------------------------------------------------------------------------- ids
name = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"), min_size=1,
               max_size=20).filter(lambda s: s.strip(". ") != "")
rel = st.tuples(st.lists(name, min_size=0, max_size=2), name).map(lambda t: "/".join([*t[0], t[1] + ".txt"]))


@given(st.lists(rel, min_size=1, max_size=30, unique=True), st.randoms(use_true_random=False))
def test_ids_are_safe_unique_and_independent_of_order(rels, rnd):
    ids = assign_ids(rels)
    assert set(ids) == set(rels)
    assert len(set(ids.values())) == len(rels)
    for value in ids.values():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value) and value != "index"
    shuffled = list(rels)
    rnd.shuffle(shuffled)
    assert assign_ids(shuffled) == ids


@given(st.lists(rel, min_size=1, max_size=20, unique=True), st.lists(rel, min_size=1, max_size=10, unique=True))
def test_ids_stay_when_captures_are_added(old, new):
    first = assign_ids(old)
    later = assign_ids(list(dict.fromkeys(old + new)), previous=first)
    assert {r: later[r] for r in old} == first
    assert len(set(later.values())) == len(later)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_the_capture_strategy_reaches_real_pages(encoding):
    """Guard: the strategies above must produce captures that become pages, not only skips."""
    text = ("Council adopts the rules\n\nThe council said on Tuesday that its new rules on data would apply from "
            "next month, officials said. {{ x }} <script>alert(1)</script> !!! and ??? stay text.\n\n"
            "Officials said the rules would apply to every department that handles data from residents.")
    capture, cleaned, article, page = render_capture(text, "\r\n", encoding)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "\\{\\{ x \\}\\}" in page
