"""Hostile captures render as text: nothing executes, nothing expands, odd file names work.

A real site is built from tests/fixtures/hostile/ (raw HTML and script, event handlers,
``javascript:`` links, iframes, Markdown and template syntax, a YAML-breaking headline,
front-matter-looking lines at the top of a .txt, a hostile saved page and Markdown
capture) plus captures with odd file names, by the generator and ``mkdocs build
--strict``. The built HTML is parsed and, in a real browser, loaded and searched.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import frontmatter
import pytest

from sitecheck import check_links, copy_site_config, launch_chromium, serve_directory, tool_env

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
SITE_NAME = "News Capture Archive"


def benign(n: int, topic: str) -> str:
    return (f"Library branch {n} opens in the {topic} district\n\n"
            f"The council opened library branch number {n} in the {topic} district on Saturday, with a reading "
            f"by local children and a concert in the park next door that lasted well into the evening.\n\n"
            f"Officials said branch {n} would stay open late on Thursdays and would lend tools as well as books, "
            f"a service that residents of the {topic} district had asked for in a survey last year.\n")


# Odd file names: spaces, '#', '&', '<', '>', '%', '?', quotes, non-ASCII; two pairs slugify alike.
ODD_NAMES = {
    "odd name #1 & <b>.txt": benign(1, "harbour"),
    "odd_name 1 b.txt": benign(2, "market"),  # slugifies like the one above
    "100% done?.txt": benign(3, "station"),
    "北京 报告.txt": benign(4, "river"),
    "東京 報告.txt": benign(5, "castle"),  # no Latin letters either: slugifies like the one above
    "sub dir/quote's \"x\" (draft).txt": benign(6, "airport"),
    "a&b=c;d.html": f"<html><head><title>Branch 7 opens</title></head><body><article>"
                    f"{''.join(f'<p>{p}</p>' for p in benign(7, 'forest').split(chr(10) * 2)[1:])}"
                    f"</article></body></html>",
}


# --------------------------------------------------------------------------- parsing
@dataclass
class Parsed:
    scripts: list[tuple[dict, str]] = field(default_factory=list)  # (attributes, inline text)
    tags: list[tuple[str, dict]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # visible text, outside script/style/title
    title: str = ""
    article_tags: list[tuple[str, dict]] = field(default_factory=list)  # inside <article>

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Parsed()
        self.stack: list[str] = []
        self.article_depth = 0

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        self.out.tags.append((tag, values))
        if self.article_depth:
            self.out.article_tags.append((tag, values))
        if tag == "script":
            self.out.scripts.append((values, ""))
        if tag == "article":
            self.article_depth += 1
        if tag not in ("meta", "link", "img", "br", "hr", "input", "source", "wbr"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag == "article" and self.article_depth:
            self.article_depth -= 1

    def handle_data(self, data):
        current = self.stack[-1] if self.stack else ""
        if current == "script" and self.out.scripts:
            attrs, text = self.out.scripts[-1]
            self.out.scripts[-1] = (attrs, text + data)
        elif current == "title":
            self.out.title += data
        elif current != "style":
            self.out.text.append(data)


def parse(path: Path) -> Parsed:
    p = _Parser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p.out


# --------------------------------------------------------------------------- the site
@dataclass
class Site:
    root: Path
    seeds: Path
    docs: Path
    site: Path
    generator_output: str

    def page(self, seed: str) -> frontmatter.Post:
        for path in (self.docs / "articles").glob("*.md"):
            post = frontmatter.load(path)
            if post.get("seed") == seed:
                return post
        raise AssertionError(f"no article page for {seed}")

    def html(self, seed: str) -> Path:
        return self.site / "articles" / self.page(seed)["id"] / "index.html"


def _nav_files(nav) -> list[str]:
    out: list[str] = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out += _nav_files(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory, repo_root: Path, venv_bin: Path) -> Site:
    root = tmp_path_factory.mktemp("hostile")
    seeds, docs, out = root / "seeds", root / "docs", root / "site"
    shutil.copytree(HOSTILE, seeds)
    for name, text in ODD_NAMES.items():
        (seeds / name).parent.mkdir(parents=True, exist_ok=True)
        (seeds / name).write_text(text, encoding="utf-8")
    cfg = copy_site_config(repo_root, root)
    gen = subprocess.run([str(venv_bin / "python"), "-m", "build_scripts", "build", "--seeds", str(seeds),
                          "--docs", str(docs), "--knowledge", str(repo_root / "knowledge")],
                         cwd=repo_root, env=tool_env(), capture_output=True, text=True, timeout=500)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    for rel in _nav_files(cfg.get("nav")):  # hand-written pages the nav names (not generated)
        if not (docs / rel).exists() and (repo_root / "docs" / rel).is_file():
            shutil.copy2(repo_root / "docs" / rel, docs / rel)
    mk = subprocess.run([str(venv_bin / "mkdocs"), "build", "--strict", "-f", str(root / "mkdocs.yml"),
                         "-d", str(out)], cwd=root, env=tool_env(), capture_output=True, text=True, timeout=500)
    assert mk.returncode == 0, mk.stdout + mk.stderr
    return Site(root, seeds, docs, out, gen.stdout + gen.stderr)


HOSTILE_SEEDS = sorted(p.name for p in HOSTILE.iterdir())
EXECUTABLE = ("", "text/javascript", "application/javascript", "module")


def assert_inert(page: Parsed, where: str) -> None:
    """No script, handler, frame or script URL that came from a capture."""
    for attrs, text in page.scripts:
        kind = attrs.get("type", "").lower()
        src = attrs.get("src", "")
        assert not urlsplit(src).scheme and not src.startswith("//"), f"{where}: external script {src}"
        if kind in EXECUTABLE:
            assert "alert" not in text and "evil" not in text and "document.write" not in text, where
        else:
            json.loads(text)  # a data block (JSON, JSON-LD) must be data, whole
    for tag, attrs in page.tags:
        assert tag not in ("iframe", "frame", "frameset", "object", "embed", "base", "applet"), f"{where}: <{tag}>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            v = re.sub(r"\s", "", unquote(value)).lower()
            bad = v.startswith(("javascript:", "vbscript:", "data:text/html"))
            assert not bad, f"{where}: <{tag} {name}={value!r}>"
            assert "evil.example" not in value, f"{where}: <{tag} {name}={value!r}>"
        if tag == "meta":
            assert attrs.get("http-equiv", "").lower() != "refresh", where


# --------------------------------------------------------------------------- static checks
@pytest.mark.site
def test_every_hostile_capture_has_a_page_and_the_build_is_clean(site: Site):
    for name in HOSTILE_SEEDS:
        assert site.html(name).is_file(), name
    assert ", 0 skipped," in site.generator_output and "warning:" not in site.generator_output


@pytest.mark.site
@pytest.mark.parametrize("seed", HOSTILE_SEEDS)
def test_nothing_from_the_capture_executes(site: Site, seed: str):
    assert_inert(parse(site.html(seed)), seed)


@pytest.mark.site
def test_every_page_of_the_site_is_inert(site: Site):
    """Event, people, index, timeline, tag and search pages show capture text too."""
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        assert_inert(parse(path), path.relative_to(site.site).as_posix())


LITERALS = {
    "script_and_event_handlers.txt": ['<script>alert("body")</script>', '<img src=x onerror=alert("inline")>',
                                      """<a href="javascript:alert('link')">a good first step</a>""",
                                      '<iframe src="https://evil.example/frame"></iframe>',
                                      '<svg onload=alert("svg")>'],
    "markdown_and_template_syntax.txt": ["{{ page.meta.title }}", '{% raw %}final{% endraw %}',
                                         "[the appendix](javascript:alert('md'))",
                                         "![a chart](https://evil.example/pixel.png)", "{# a comment #}",
                                         "# Not a heading but a line", "> not a quotation",
                                         # a plain-text bullet is a list item to the cleaner: words kept, no <ol>
                                         "not a list item, just an asterisk", "not an ordered list, a number",
                                         """{: onclick="alert('attr')" }""", '<div markdown="1">**bold**</div>',
                                         "${7*7} and <%= 7*7 %>"],
    "yaml_breaking_title.txt": ["""!!python/object/apply:os.system ['echo pwned'] # not a comment --- |"""],
    "front_matter_lookalike_at_top.txt": ["title: Injected title", "template: evil.html"],
    "hostile_saved_page.html": ['<script>alert("escaped-in-page")</script>'],
    "hostile_front_matter.md": ['<script>alert("md-body")</script>', '<iframe src="https://evil.example/md"></iframe>',
                                "</title><script>alert('md-title')</script>{{ config }}",
                                "<img src=x onerror=alert('outlet')>", "{% include 'x' %}"],
}


@pytest.mark.site
@pytest.mark.parametrize("seed", sorted(LITERALS))
def test_the_page_shows_the_literal_characters(site: Site, seed: str):
    visible = parse(site.html(seed)).visible
    for literal in LITERALS[seed]:
        assert " ".join(literal.split()) in visible, (seed, literal)


@pytest.mark.site
def test_markdown_syntax_in_a_capture_builds_no_structure(site: Site):
    inside = parse(site.html("markdown_and_template_syntax.txt")).article_tags
    names = [t for t, _ in inside]
    assert names.count("h1") == 1  # the page's own title only
    assert "blockquote" not in names and "img" not in names
    # "* ..." and "1. ..." lines are what plain-text captures mark list items with: the
    # cleaner reads them as a bullet list and a numbered list (its marker dropped), nothing more
    assert names.count("ol") == 1
    assert not any("admonition" in a.get("class", "") for _, a in inside)
    assert all("archive-removed" in a.get("class", "") for t, a in inside if t == "details")
    hrefs = [a.get("href", "") for t, a in inside if t == "a"]
    assert not any("javascript" in h or "evil" in h for h in hrefs)


@pytest.mark.site
def test_the_archive_text_markers_cannot_be_forged(site: Site):
    post = site.page("markdown_and_template_syntax.txt")
    assert post.content.count("<!-- archive:text:end -->") == 1
    data = json.loads((site.docs / "data" / "articles.json").read_text(encoding="utf-8"))
    record = next(r for r in data if r["seed"] == "markdown_and_template_syntax.txt")
    assert "The council's review" in record["text"]


@pytest.mark.site
def test_titles_are_text_in_the_head_and_header(site: Site):
    title = "</title><script>alert('md-title')</script>{{ config }}"
    post = site.page("hostile_front_matter.md")
    assert post["title"] == title  # the front matter keeps the plain text
    page = parse(site.html("hostile_front_matter.md"))
    assert page.title.strip() == f"{title} - {SITE_NAME}"
    assert f"{title}" in page.visible  # header bar and H1 show it as text
    breaking = site.page("yaml_breaking_title.txt")
    assert breaking["title"] == ("\"Budget\": yes, no & *alias !!python/object/apply:os.system ['echo pwned'] "
                                 "# not a comment --- |")
    html_page = site.page("hostile_saved_page.html")
    assert html_page["title"].startswith('</title><script>alert("html-title")</script>')
    assert parse(site.html("hostile_saved_page.html")).title.startswith('</title><script>alert("html-title")')


@pytest.mark.site
def test_front_matter_lookalike_lines_stay_text(site: Site):
    post = site.page("front_matter_lookalike_at_top.txt")
    assert post["title"] != "Injected title"
    assert "template" not in post.metadata and "hide" not in post.metadata
    assert post["seed"] == "front_matter_lookalike_at_top.txt" and post["id"] == "front-matter-lookalike-at-top"


@pytest.mark.site
def test_hostile_stated_metadata_is_escaped_on_the_page(site: Site):
    post = site.page("hostile_front_matter.md")
    assert post["outlet"] == "<img src=x onerror=alert('outlet')>"
    assert "- **Author:** \\{% include 'x' %\\}" in post.content
    visible = parse(site.html("hostile_saved_page.html")).visible
    assert "Canonical URL: https://news.example/a?x=%22%3E%3Cscript%3Ealert%28%27url%27%29" in visible
    assert "Outlet: <Img Src=X Onerror=Alert('Site')>" in visible  # the site name, as trafilatura reads it


# --------------------------------------------------------------------------- odd names
@pytest.mark.site
def test_odd_file_names_give_safe_unique_ids(site: Site):
    ids = {name: site.page(name)["id"] for name in ODD_NAMES}
    assert len(set(ids.values())) == len(ids)
    for name, id_ in ids.items():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", id_), (name, id_)
    assert ids["odd name #1 & <b>.txt"] != ids["odd_name 1 b.txt"]
    assert ids["odd name #1 & <b>.txt"].startswith("odd-name-1-b-")
    assert ids["北京 报告.txt"] != ids["東京 報告.txt"]


@pytest.mark.site
def test_ids_are_stable_across_rebuilds(site: Site, repo_root: Path, venv_bin: Path, tmp_path: Path):
    before = {p.name for p in (site.docs / "articles").glob("*.md")}
    docs = tmp_path / "docs"
    shutil.copytree(site.docs, docs)
    (site.seeds / "odd name 1 b.txt").write_text(benign(8, "meadow"), encoding="utf-8")  # another lookalike
    try:
        run = subprocess.run([str(venv_bin / "python"), "-m", "build_scripts", "build", "--seeds", str(site.seeds),
                              "--docs", str(docs), "--knowledge", str(repo_root / "knowledge")],
                             cwd=repo_root, env=tool_env(), capture_output=True, text=True, timeout=500)
    finally:
        (site.seeds / "odd name 1 b.txt").unlink()
    assert run.returncode == 0, run.stdout + run.stderr
    after = {p.name for p in (docs / "articles").glob("*.md")}
    assert before < after and len(after - before) == 1


@pytest.mark.site
def test_every_link_resolves_raw_captures_included(site: Site):
    broken, checked = check_links(site.site)
    assert checked > 0 and not broken, "\n".join(map(str, broken))


@pytest.mark.site
def test_raw_capture_links_download_the_exact_bytes(site: Site):
    with serve_directory(site.site) as base:
        for name in [*ODD_NAMES, *HOSTILE_SEEDS]:
            page_url = f"{base}/articles/{site.page(name)['id']}/"
            links = [a.get("href", "") for t, a in parse(site.html(name)).tags if t == "a"]
            raw = [h for h in links if "/captures/" in h and not h.endswith("SHA256SUMS")]
            assert len(raw) == 1, (name, raw)
            with urllib.request.urlopen(urljoin(page_url, raw[0]), timeout=10) as response:
                assert response.read() == (site.seeds / name).read_bytes(), name
                kind = response.headers.get("Content-Type", "")
                assert "html" not in kind, (name, kind)  # a saved page is served as text, never run


# --------------------------------------------------------------------------- in a browser
@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as b:
        yield b


@pytest.mark.browser
@pytest.mark.site
def test_hostile_pages_run_nothing_in_a_browser(site: Site, browser):
    dialogs, outside = [], []
    with serve_directory(site.site) as base:
        context = browser.new_context()
        origin = urlsplit(base).netloc

        def route(r):
            if urlsplit(r.request.url).netloc == origin:
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in [*HOSTILE_SEEDS, *ODD_NAMES]:
            page.goto(f"{base}/articles/{quote(site.page(name)['id'])}/", wait_until="load")
            page.wait_for_load_state("networkidle")
            assert page.locator("iframe, object, embed").count() == 0, name
            page.mouse.move(200, 300)
            page.locator("article").first.click(position={"x": 5, "y": 5})
        # search for the hostile words: results render titles and snippets of hostile pages
        page.goto(base + "/", wait_until="load")
        box = page.locator("input.md-search__input, input[type=search]").first
        if not box.is_visible():
            page.locator("label[for='__search']").first.click()
        box.click()
        box.press_sequentially("alert script", delay=20)
        page.wait_for_selector(".md-search-result__item, .pagefind-ui__result", timeout=30_000)
        page.wait_for_timeout(500)
        context.close()
    assert not dialogs, f"script from a capture ran: {dialogs}"
    assert not [u for u in outside if "evil.example" in u], outside
