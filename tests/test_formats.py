"""Any capture a user drops in: encodings, saved HTML pages, Markdown with front matter, bad files.

Fixtures in tests/fixtures/ingest/ are named after the case; ``<name>.expected`` holds the
text (UTF-8) that decoding ``<name>.txt`` must give.
"""
import shutil
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from build_scripts.cli import main
from build_scripts.errors import CaptureError
from build_scripts.ingest import IngestOptions, decode, read_source
from build_scripts.markup import unescape
from build_scripts.render import TEXT_END, TEXT_START

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"

ENCODINGS = {
    "utf8_no_bom_lf": {"utf-8"},
    "utf8_bom_crlf": {"utf-8-sig"},
    "utf8_cr_only_line_endings": {"utf-8"},
    "utf16_le_bom": {"utf-16-le"},
    "utf16_be_bom": {"utf-16-be"},
    "gb18030_simplified_chinese": {"gb18030"},
    "gbk_simplified_chinese_crlf": {"gb18030", "gbk"},  # GBK is a subset of GB18030
    "big5_traditional_chinese": {"big5"},
    "windows1252_smart_quotes_euro": {"cp1252"},
    "latin1_french_accents": {"cp1252", "iso8859-1"},  # identical for printable Latin-1 text
    "latin1_german_umlauts": {"cp1252", "iso8859-1"},
    "mojibake_utf8_seen_as_cp1252": {"utf-8"},
}


def capture(name):
    return decode(read_source(FIXTURES / name, FIXTURES, IngestOptions()))


def page_text(post):
    body = post.content
    return unescape(body[body.index(TEXT_START) + len(TEXT_START): body.index(TEXT_END)].strip())


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("stem", sorted(ENCODINGS))
def test_every_common_encoding_decodes_to_the_same_text(stem):
    c = capture(f"{stem}.txt")
    expected = (FIXTURES / f"{stem}.expected").read_text(encoding="utf-8")
    assert c.text == expected
    assert c.encoding in ENCODINGS[stem]
    assert "\r" not in c.text and "\ufeff" not in c.text


def test_the_fixtures_really_are_in_those_encodings():
    """Guard against a fixture silently re-saved as UTF-8."""
    raw = {stem: (FIXTURES / f"{stem}.txt").read_bytes() for stem in ENCODINGS}
    for stem in ("gb18030_simplified_chinese", "big5_traditional_chinese", "windows1252_smart_quotes_euro",
                 "latin1_french_accents"):
        with pytest.raises(UnicodeDecodeError):
            raw[stem].decode("utf-8")
    assert raw["utf16_le_bom"].startswith(b"\xff\xfe") and raw["utf16_be_bom"].startswith(b"\xfe\xff")
    assert b"\r\n" in raw["utf8_bom_crlf"] and b"\n" not in raw["utf8_cr_only_line_endings"]
    assert "â€™".encode() in raw["mojibake_utf8_seen_as_cp1252"]


def test_mojibake_is_repaired_but_correct_text_is_left_alone(tmp_path):
    good = "SÃO PAULO — Ação e reação. Naïve café, 1 € = 1.08 $; “quotes” and ‘single’ — ok.\n"
    path = tmp_path / "good.txt"
    path.write_text(good, encoding="utf-8")
    assert decode(read_source(path, tmp_path, IngestOptions())).text == good
    fixed = capture("mojibake_utf8_seen_as_cp1252.txt").text
    assert "harbour’s" in fixed and "€400" in fixed and "â€" not in fixed


# --------------------------------------------------------------------------- HTML
def test_saved_page_gives_main_text_and_stated_metadata():
    c = capture("saved_news_page_with_metadata.html")
    assert c.format == "html" and c.encoding == "utf-8"
    assert dict(c.meta) == {"title": "Port authority opens new container terminal", "date": "2021-09-14",
                            "outlet": "Harbour Gazette", "author": "Maria Lindqvist",
                            "url": "https://gazette.example/2021/09/port-terminal"}
    for kept in ("doubling the harbour's capacity", "Rail links", "- Two new gantry cranes\n- A customs building",
                 "dredging of the approach channel"):
        assert kept in c.text
    for gone in ("window.tracking", "color:red", "Share on Facebook", "Most read", "Storm closes bridge",
                 "All rights reserved", "Cookie settings"):
        assert gone not in c.text
    paragraphs = c.text.split("\n\n")
    assert len(paragraphs) >= 6  # paragraphs stay paragraphs


def test_saved_page_in_a_declared_legacy_charset():
    c = capture("saved_page_gbk_declared_charset.htm")
    assert c.encoding == "gbk"
    assert dict(c.meta)["date"] == "2024-05-20"
    assert "市政府今天宣布了新的数据保护条例" in c.text and "首页" not in c.text


@pytest.mark.parametrize("printed, stated", [
    ('<meta property="article:published_time" content="2021-09-14T08:30:00+02:00">', "2021-09-14"),
    ('<meta name="date" content="2021/09/14">', "2021-09-14"),
    ('</head><body><p class="dateline">Published 14 September 2021</p>', "2021-09-14"),
    ('<meta property="article:published_time" content="2021-02-30">', None),  # impossible: never "2021-02-01"
])
def test_a_page_date_is_taken_only_as_printed(tmp_path, printed, stated):
    page = (f'<html><head><title>Budget passes</title>{printed}</head><body><article>'
            '<p>The council passed the budget on Thursday after a long debate about the new libraries.</p>'
            '<p>Councillors voted twelve to three in favour, and the mayor thanked the finance committee.</p>'
            '</article></body></html>')
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    c = decode(read_source(tmp_path / "p.html", tmp_path, IngestOptions()))
    assert dict(c.meta).get("date") == stated


def test_page_metadata_that_fails_the_checks_is_dropped_not_fatal(tmp_path):
    page = ('<html><head><title>Budget passes</title><link rel="canonical" href="javascript:alert(1)">'
            '<meta property="article:published_time" content="2021-02-30"></head><body><article>'
            '<p>The council passed the budget on Thursday after a long debate about the new libraries.</p>'
            '<p>Councillors voted twelve to three in favour, and the mayor thanked the finance committee.</p>'
            '</article></body></html>')
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    c = decode(read_source(tmp_path / "p.html", tmp_path, IngestOptions()))
    assert "url" not in dict(c.meta) and "date" not in dict(c.meta)
    assert "council passed the budget" in c.text


# --------------------------------------------------------------------------- Markdown
def test_markdown_front_matter_is_stated_metadata():
    c = capture("hand_curated_front_matter.md")
    assert c.format == "markdown"
    assert c.meta == (("title", "Council approves budget after four-hour debate"), ("date", "2022-03-04"),
                      ("outlet", "Town Crier"), ("author", "A. Writer; B. Editor"),
                      ("url", "https://crier.example/2022/03/budget"), ("language", "en"))
    assert "lasted more than four hours" in c.text and "**" not in c.text and "title:" not in c.text
    assert "- Libraries: two new branches\n- Roads: resurfacing of the ring road" in c.text


@pytest.mark.parametrize("name, where, reason", [
    ("front_matter_malformed_yaml.md", "front_matter_malformed_yaml.md:2 [title]", "malformed front matter"),
    ("front_matter_wrong_type.md", "front_matter_wrong_type.md:4 [author]", "expected text, got dict"),
    ("front_matter_impossible_date.md", "front_matter_impossible_date.md:3 [date]",
     "expected a date YYYY, YYYY-MM or YYYY-MM-DD, got '2022-02-30'"),
    ("front_matter_unknown_key.md", "front_matter_unknown_key.md:3 [publisher]", "unknown front-matter key"),
    ("front_matter_never_closed.md", "front_matter_never_closed.md:1", "never closed"),
])
def test_bad_front_matter_names_file_line_and_key(name, where, reason):
    with pytest.raises(CaptureError) as info:
        capture(name)
    message = str(info.value)
    assert message.startswith(where + ": ") and reason in message and "\n" not in message


@pytest.mark.parametrize("yaml_text, key, reason", [
    ("title: [a, b]", "title", "expected text, got list"),
    ("date: true", "date", "expected a date"),
    ("date: 2022-13", "date", "expected a date"),
    ("url: ftp://x.example/a", "url", "expected an http(s) URL"),
    ("language: English", "language", "expected an ISO 639-1 language code"),
    ("outlet: 42", "outlet", "expected text, got int"),
])
def test_every_stated_key_is_type_checked(tmp_path, yaml_text, key, reason):
    (tmp_path / "c.md").write_text(f"---\nagency: ok\n{yaml_text}\n---\n\nSome article text here.\n")
    with pytest.raises(CaptureError) as info:
        decode(read_source(tmp_path / "c.md", tmp_path, IngestOptions()))
    assert str(info.value).startswith(f"c.md:3 [{key}]: ") and reason in str(info.value)


# --------------------------------------------------------------------------- the build
BAD = {
    "empty.txt": "empty or blank file",
    "blank_whitespace_only.txt": "empty or blank file",
    "binary_png_renamed.txt": "binary file",
    "binary_no_nul_bytes.txt": "undecodable",
    "no_article_only_furniture.txt": "no article text",
    "saved_page_without_article.html": "no article text",
    "front_matter_wrong_type.md": "[author]",
    "front_matter_malformed_yaml.md": "malformed front matter",
}
GOOD = [*(f"{stem}.txt" for stem in ENCODINGS), "saved_news_page_with_metadata.html",
        "saved_page_gbk_declared_charset.htm", "hand_curated_front_matter.md"]


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    """A build of every format fixture, the bad ones included, plus an exact duplicate and a big file."""
    root = tmp_path_factory.mktemp("formats")
    seeds, docs = root / "seeds", root / "docs"
    seeds.mkdir()
    for name in [*GOOD, *BAD]:
        shutil.copy2(FIXTURES / name, seeds / name)
    shutil.copy2(FIXTURES / "utf8_no_bom_lf.txt", seeds / "same bytes, other name.txt")
    (seeds / "huge.txt").write_bytes((FIXTURES / "utf8_no_bom_lf.expected").read_bytes() * 40)
    args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--knowledge", str(ROOT / "knowledge"),
            "--max-bytes", "20000"]
    result = CliRunner().invoke(main, args)
    strict = CliRunner().invoke(main, [*args, "--strict", "--check"])
    pages = {}
    for path in (docs / "articles").glob("*.md"):
        if path.name != "index.md":
            post = frontmatter.load(path)
            pages[post["seed"]] = post
    return result, strict, pages, docs


def test_bad_files_are_named_with_their_reason_and_the_rest_builds(mixed_build):
    result, strict, pages, _ = mixed_build
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if ln.startswith("warning: ")]
    for name, reason in {**BAD, "huge.txt": "larger than the 20,000-byte limit"}.items():
        hits = [w for w in warnings if w.startswith(f"warning: skipped {name}") and reason in w]
        assert len(hits) == 1, (name, reason, warnings)
        assert name not in pages
    assert "Traceback" not in result.output
    assert sorted(pages) == sorted([*GOOD, "same bytes, other name.txt"])
    assert strict.exit_code == 1  # --strict: warnings fail the build


def test_every_encoding_gives_a_page_with_the_right_text(mixed_build):
    _, _, pages, _ = mixed_build
    for stem in ENCODINGS:
        text = page_text(pages[f"{stem}.txt"])
        expected = (FIXTURES / f"{stem}.expected").read_text(encoding="utf-8")
        body = expected.split("\n\n")[1]  # the first paragraph of the article
        assert body.strip() in text, stem
    assert pages["gb18030_simplified_chinese.txt"]["language"] == "zh"
    assert pages["latin1_french_accents.txt"]["title"] == "La réunion des ministres s'est tenue à Genève"


def test_html_metadata_reaches_the_article_as_stated(mixed_build):
    _, _, pages, _ = mixed_build
    post = pages["saved_news_page_with_metadata.html"]
    assert post["title"] == "Port authority opens new container terminal"
    assert post["title_source"] == "capture"
    assert (post["date"], post["date_precision"], post["date_certainty"]) == ("2021-09-14", "day", "stated")
    assert post["outlet"] == "Harbour Gazette"
    assert "stated in the page's metadata" in post.content
    assert "- **Author:** Maria Lindqvist" in post.content
    assert "https://gazette.example/2021/09/port-terminal" in post.content
    assert "](../captures/saved_news_page_with_metadata.html.txt)" in post.content


def test_markdown_front_matter_reaches_the_article_as_stated(mixed_build):
    _, _, pages, docs = mixed_build
    post = pages["hand_curated_front_matter.md"]
    assert (post["title"], post["date"], post["date_certainty"], post["outlet"]) == (
        "Council approves budget after four-hour debate", "2022-03-04", "stated", "Town Crier")
    assert "stated in the capture's front matter" in post.content
    assert "- **Author:** A. Writer; B. Editor" in post.content
    raw = docs / "captures" / "hand_curated_front_matter.md.txt"
    assert raw.read_bytes() == (FIXTURES / "hand_curated_front_matter.md").read_bytes()
    assert not (docs / "captures" / "hand_curated_front_matter.md").exists()  # never a page of its own


def test_an_exact_duplicate_is_kept_and_linked_to_its_original(mixed_build):
    result, _, pages, _ = mixed_build
    original, copy = pages["same bytes, other name.txt"], pages["utf8_no_bom_lf.txt"]
    # both entered in the same build: the first by path is the original
    assert "Duplicate:" not in original.content
    assert f"exact duplicate of [{original['title']}]({original['id']}.md)" in copy.content
    assert "warning: utf8_no_bom_lf.txt: exact duplicate of same bytes, other name.txt (same bytes)" in result.output
    assert page_text(copy) == page_text(original)


# --------------------------------------------------------------------------- hand-written front matter
PAGE = "articles/002-bcb90129e2034eb1.md"


@pytest.fixture(scope="module")
def curated_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("curated")
    seeds, docs = root / "seeds", root / "docs"
    shutil.copytree(ROOT / "seeds", seeds)

    def build(*extra):
        return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--docs", str(docs),
                                         "--knowledge", str(ROOT / "knowledge"), "--no-cache", *extra])

    assert build().exit_code == 0
    return docs, build


@pytest.mark.parametrize("key, value, reason", [
    ("title", "42", "expected text, got int"),
    ("outlet", "[a, b]", "expected text, got list"),
    ("event", "7", "expected text, got int"),
    ("people", "Xi Jinping", "expected a list of names"),
    ("places", "[1, 2]", "expected a list of names"),
    ("tags", "{a: b}", "expected a list of names"),
    ("date", "[2018]", "expected YYYY, YYYY-MM or YYYY-MM-DD, got [2018]"),
    ("date", "2018-02-30", "expected YYYY, YYYY-MM or YYYY-MM-DD, got '2018-02-30'"),
    ("date_certainty", "maybe", "expected stated, inferred or unknown"),
    ("event", "no-such-event", "unknown event id 'no-such-event'"),
])
def test_a_wrongly_typed_hand_edit_is_named_and_the_page_kept(curated_project, key, value, reason):
    docs, build = curated_project
    original = (docs / PAGE).read_text(encoding="utf-8")
    lines = original.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith(f"{key}:"))
    end = at + 1
    while end < len(lines) and lines[end].startswith("- "):
        end += 1  # a block list under the key
    edited = "\n".join([*lines[:at], f"{key}: {value}", *lines[end:]])
    (docs / PAGE).write_text(edited, encoding="utf-8")
    try:
        result = build()
        strict = build("--strict")
        kept = (docs / PAGE).read_text(encoding="utf-8")
    finally:
        (docs / PAGE).write_text(original, encoding="utf-8")
    assert result.exit_code == 0 and "Traceback" not in result.output and "internal error" not in result.output
    assert f"warning: {PAGE}:{at + 1} [{key}]: {reason}" in result.output, result.output
    assert kept == edited  # never overwritten
    assert strict.exit_code == 1


def test_a_hand_written_page_with_a_wrongly_typed_title_is_named_and_kept(curated_project):
    docs, build = curated_project
    page = docs / "articles" / "my-notes.md"
    text = "---\ntitle: [a, list]\ndate: 2018-04-21\n---\n\n# Notes\n\nThe curator's own notes.\n"
    page.write_text(text, encoding="utf-8")
    try:
        result = build()
        assert "warning: articles/my-notes.md:2 [title]: expected text, got list" in result.output
        assert page.read_text(encoding="utf-8") == text and result.exit_code == 0
    finally:
        page.unlink()
