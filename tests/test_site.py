"""The site as a person uses it: generate docs/, build it with MkDocs, follow every link,
and search it in a real browser (headless Chromium driven by Playwright).

Everything is built into a temporary directory from the repository's seeds/ and knowledge/,
so the tests never touch the committed docs/ or site/.
"""
from __future__ import annotations

import json
import logging
import re
import subprocess
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitecheck import check_links, copy_site_config, launch_chromium, local_only_context, serve_directory, tool_env

log = logging.getLogger(__name__)

SEARCH_TIMEOUT_S = 30.0

pytestmark = pytest.mark.site


# --------------------------------------------------------------------------- the build
@dataclass
class BuiltSite:
    root: Path  # temp dir holding mkdocs.yml, docs/ and site/
    docs: Path
    site: Path
    generator_output: str
    mkdocs_output: str

    def articles(self) -> list[dict]:
        path = self.docs / "data" / "articles.json"
        assert path.is_file(), f"the generator wrote no {path.relative_to(self.root)}"
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("articles", data)
        assert isinstance(data, list) and data, f"{path} holds no list of articles"
        return data


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess:
    log.info("running: %s", " ".join(map(str, cmd)))
    started = time.monotonic()
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    log.info("exit %d after %.1fs", proc.returncode, time.monotonic() - started)
    return proc


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, repo_root: Path, venv_bin: Path) -> BuiltSite:
    config = repo_root / "mkdocs.yml"
    if not config.is_file():
        pytest.fail(f"{config} is missing: the site cannot be built")
    root = tmp_path_factory.mktemp("sitebuild")
    cfg = copy_site_config(repo_root, root)
    docs = root / str(cfg.get("docs_dir") or "docs")
    site = root / "site"

    cmd = [venv_bin / "python", "-m", "build_scripts", "build", "--seeds", repo_root / "seeds", "--docs", docs]
    if (repo_root / "knowledge").is_dir():
        cmd += ["--knowledge", repo_root / "knowledge"]
    gen = _run(cmd, cwd=repo_root, env=tool_env(), timeout=500)
    if gen.returncode != 0:
        pytest.fail(f"generator exited {gen.returncode}:\n{gen.stdout}\n{gen.stderr}")

    mk = _run(
        [venv_bin / "mkdocs", "build", "--strict", "-f", root / "mkdocs.yml", "-d", site],
        cwd=root, env=tool_env(), timeout=500,
    )
    output = mk.stdout + mk.stderr
    if mk.returncode != 0:
        pytest.fail(f"mkdocs build --strict exited {mk.returncode}:\n{output}")
    return BuiltSite(root, docs, site, gen.stdout + gen.stderr, output)


def test_mkdocs_build_is_clean(built_site: BuiltSite) -> None:
    warnings = [line for line in built_site.mkdocs_output.splitlines() if "WARNING" in line]
    assert not warnings, "mkdocs build printed warnings:\n" + "\n".join(warnings)
    assert (built_site.site / "index.html").is_file()
    assert (built_site.site / "search" / "search_index.json").is_file(), "search plugin output missing"


def test_generator_wrote_the_archive(built_site: BuiltSite) -> None:
    docs = built_site.docs
    for rel in ("index.md", "timeline.md", "data/articles.json"):
        assert (docs / rel).is_file(), f"generator did not write docs/{rel}"
    assert any((docs / "articles").glob("*.md")), "generator wrote no article pages"
    assert len(built_site.articles()) >= 1


def test_every_internal_link_resolves(built_site: BuiltSite) -> None:
    broken, checked = check_links(built_site.site)
    assert checked > 0, "no internal links found: is the site empty?"
    assert not broken, f"{len(broken)} broken internal link(s) of {checked}:\n" + "\n".join(map(str, broken))


# --------------------------------------------------------------------------- picking queries
def _norm(text: str) -> str:
    """Compare titles as a reader would: case, quotes, dashes and spacing don't matter."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                          "\u2013": "-", "\u2014": "-", "\u00a0": " "}))
    return " ".join(text.split()).casefold()


def _names(value) -> list[str]:
    names = []
    for p in value or []:
        name = p.get("name") if isinstance(p, dict) else p
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def _text(record: dict) -> str:
    for key in ("text", "body", "body_text"):
        if isinstance(record.get(key), str):
            return record[key]
    raise AssertionError(f"article record has no text field; keys: {sorted(record)}")


def pick_person(articles: list[dict]) -> tuple[str, set[str]]:
    """A person named in some articles, with the titles of those articles.

    Prefers the person with the fewest articles (so all fit in the first results) and,
    among those, full names over single words.
    """
    titles: dict[str, set[str]] = {}
    for a in articles:
        for name in _names(a.get("people")):
            titles.setdefault(name, set()).add(a["title"])
    assert titles, "no article names any person: cannot test searching for one"
    name = min(titles, key=lambda n: (len(titles[n]), -len(n.split()), n))
    return name, titles[name]


WORD = re.compile(r"[A-Za-z]+")


def pick_phrase(articles: list[dict]) -> tuple[str, dict]:
    """Five consecutive plain words from one line of an article's text, one of them
    (5+ letters) found in no other article."""
    docs = [(a, [line.split() for line in _text(a).splitlines()]) for a in articles]
    df = Counter()
    for _, lines in docs:
        df.update({t.casefold() for tokens in lines for t in tokens if WORD.fullmatch(t)})
    for article, lines in sorted(docs, key=lambda d: str(d[0].get("id", d[0]["title"]))):
        for tokens in lines:
            for i in range(len(tokens) - 4):
                window = tokens[i:i + 5]
                if all(WORD.fullmatch(t) for t in window) and any(
                    df[t.casefold()] == 1 and len(t) >= 5 for t in window
                ):
                    return " ".join(window), article
    raise AssertionError("no article has a 5-word plain-text phrase with a distinctive word")


# --------------------------------------------------------------------------- the browser
@dataclass
class Browsing:
    page: object  # playwright.sync_api.Page
    base: str
    errors: list[str]
    blocked: list[str]


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as b:
        yield b


@pytest.fixture(scope="module")
def served_site(built_site: BuiltSite) -> Iterator[str]:
    with serve_directory(built_site.site) as base:
        yield base


@pytest.fixture
def browsing(browser, served_site: str) -> Iterator[Browsing]:
    """A fresh page that may reach only the local server; console errors are collected."""
    b = Browsing(page=None, base=served_site, errors=[], blocked=[])
    origin = urlsplit(served_site).netloc
    context = local_only_context(browser, served_site, b.blocked, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(SEARCH_TIMEOUT_S * 1000)

    def on_console(msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if where and urlsplit(where).netloc not in ("", origin):
            log.warning("ignored console error from blocked external resource %s: %s", where, msg.text)
            return
        b.errors.append(f"console: {msg.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: b.errors.append(f"uncaught: {exc}"))
    b.page = page
    try:
        yield b
    finally:
        if b.blocked:
            log.warning("blocked %d external request(s), e.g. %s", len(b.blocked), b.blocked[:3])
        context.close()


def search(b: Browsing, query: str, expected: set[str]) -> list[str]:
    """Open the search box, type ``query`` like a person, and return the result page titles
    once every title in ``expected`` shows (or the time-out passes)."""
    page = b.page
    page.goto(b.base + "/", wait_until="load")
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label[for='__search']").first.click()
    box.click()
    box.press_sequentially(query, delay=25)
    page.wait_for_selector(".md-search-result__item", timeout=SEARCH_TIMEOUT_S * 1000)
    want = {_norm(t) for t in expected}
    deadline = time.monotonic() + SEARCH_TIMEOUT_S
    titles: list[str] = []
    while True:
        titles = page.locator(".md-search-result__item h1").all_inner_texts()
        if want <= {_norm(t) for t in titles} or time.monotonic() > deadline:
            return titles
        items = page.locator(".md-search-result__item")
        if items.count():  # results load in batches as the list scrolls
            items.last.scroll_into_view_if_needed()
        page.wait_for_timeout(250)


@pytest.mark.browser
def test_home_page_loads_without_errors(browsing: Browsing) -> None:
    response = browsing.page.goto(browsing.base + "/", wait_until="load")
    assert response is not None and response.ok, f"home page: HTTP {response and response.status}"
    browsing.page.wait_for_load_state("networkidle")
    assert browsing.page.title().strip(), "home page has no <title>"
    assert browsing.page.locator("article h1, .md-content h1").count() >= 1, "home page has no heading"
    assert not browsing.errors, "errors on the home page:\n" + "\n".join(browsing.errors)


@pytest.mark.browser
def test_search_finds_a_persons_articles(browsing: Browsing, built_site: BuiltSite) -> None:
    name, titles = pick_person(built_site.articles())
    log.info("searching for %r, expecting %d article(s): %s", name, len(titles), sorted(titles))
    found = search(browsing, name, titles)
    missing = sorted(t for t in titles if _norm(t) not in {_norm(f) for f in found})
    assert not missing, (
        f"searching {name!r} did not list these articles: {missing}\nresults were: {found}"
    )
    assert not browsing.errors, "errors while searching:\n" + "\n".join(browsing.errors)


@pytest.mark.browser
def test_search_finds_an_article_by_a_phrase(browsing: Browsing, built_site: BuiltSite) -> None:
    phrase, article = pick_phrase(built_site.articles())
    log.info("searching for %r, expecting %r", phrase, article["title"])
    found = search(browsing, phrase, {article["title"]})
    assert _norm(article["title"]) in {_norm(f) for f in found}, (
        f"searching {phrase!r} did not find {article['title']!r}\nresults were: {found}"
    )
    assert not browsing.errors, "errors while searching:\n" + "\n".join(browsing.errors)


def test_removed_furniture_is_collapsed_unsearchable_and_not_in_the_export(built_site: BuiltSite) -> None:
    """Provenance: what cleaning removed is on the page, collapsed, but neither searched nor exported."""
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searchable = " ".join(doc["text"] for doc in index["docs"])
    export = " ".join(a["text"] for a in built_site.articles())
    removed_blocks = []
    for record in built_site.articles():
        html = (built_site.site / "articles" / record["id"] / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<details class="archive-removed"[^>]*>\s*<summary>Removed by cleaning.*?</details>',
                          html, re.S)
        if block:
            assert "open" not in block.group(0).split(">", 1)[0]  # collapsed
            removed_blocks.append(block.group(0))
    assert len(removed_blocks) >= 4  # 004 is the only seed with no furniture
    for furniture in ("Previous Story", "Send Us A Message", "Disqus (0 )", "mins read"):
        assert any(furniture in block for block in removed_blocks), f"{furniture!r} is not listed as removed"
        assert furniture not in searchable, f"{furniture!r} is searchable"
        assert furniture not in export, f"{furniture!r} is in the text export"


def test_raw_captures_and_checksums_are_published(built_site: BuiltSite, repo_root: Path) -> None:
    import hashlib

    sums = (built_site.site / "captures" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == len(list((repo_root / "seeds").rglob("*.txt")))
    for line in sums:
        digest, name = line.split("  ", 1)
        published = (built_site.site / "captures" / name).read_bytes()
        assert hashlib.sha256(published).hexdigest() == digest
        assert published == (repo_root / "seeds" / name).read_bytes(), name
