"""The same docs/ and mkdocs.yml built by Zensical (`zensical build --strict`, `make zensical`):
the generator does not depend on MkDocs, so Zensical must render the archive too, with the
timeline, the citation box, the page head's metadata and the security policy; and a hostile
headline must come out as text under both engines.
"""
from __future__ import annotations

import html
import json
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitecheck import check_links, copy_site_config, load_mkdocs_config, serve_directory, tool_env
from test_cite import FIXTURES, HOSTILE, REPO, Generated, generate
from test_site import browser, pick_phrase  # noqa: F401 - browser: the module's headless Chromium

pytestmark = pytest.mark.site


@dataclass
class Site:
    root: Path
    site: Path
    docs: Path
    output: str
    articles: list[dict]


def build_site(engine: str, gen: Generated, venv_bin: Path, root: Path) -> Site:
    """``engine`` ("zensical" or "mkdocs") builds ``gen.docs`` with the repository's mkdocs.yml."""
    copy_site_config(REPO, root)
    shutil.copytree(gen.docs, root / "docs", dirs_exist_ok=True)  # beside the nav's hand-written pages
    cmd = [str(venv_bin / "zensical"), "build", "--strict"] if engine == "zensical" else [
        str(venv_bin / "mkdocs"), "build", "--strict", "-d", "site"]
    proc = subprocess.run(cmd, cwd=root, env=tool_env(), capture_output=True, text=True, timeout=500)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{engine} build exited {proc.returncode}:\n{out}"
    return Site(root, root / "site", root / "docs", out, gen.articles)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory, venv_bin: Path) -> Site:
    gen = generate(REPO / "seeds", tmp_path_factory.mktemp("zensical-gen"))
    return build_site("zensical", gen, venv_bin, tmp_path_factory.mktemp("zensical-site"))


class _Head(HTMLParser):
    """The parts of a page the tests read: <title>, meta tags, scripts, canonical link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.scripts: list[tuple[str, str]] = []  # (type, text)
        self.title = ""
        self.canonical = ""
        self._in: str | None = None
        self._type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")
        elif tag in ("script", "title"):
            self._in, self._type = tag, a.get("type", "")
            if tag == "script":
                self.scripts.append((self._type, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


def read_head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# --------------------------------------------------------------------------- the archive under Zensical
def test_zensical_builds_the_archive_strictly(zensical_site: Site) -> None:
    assert "zensical" in (zensical_site.site / "index.html").read_text(encoding="utf-8").lower()
    for a in zensical_site.articles:
        assert (zensical_site.site / "articles" / a["id"] / "index.html").is_file()
    for rel in ("timeline/index.html", "data/index.html", "feed.xml", "cite/archive.bib", "sitemap.xml",
                "data/datapackage.json", "assets/archive.css", "assets/archive.js"):
        assert (zensical_site.site / rel).is_file(), rel


def test_zensical_site_has_no_broken_internal_links(zensical_site: Site) -> None:
    broken, checked = check_links(zensical_site.site)
    assert checked > 0 and not broken, "\n".join(map(str, broken))


def test_zensical_article_pages_carry_metadata_and_citation(zensical_site: Site) -> None:
    for a in zensical_site.articles:
        page = zensical_site.site / "articles" / a["id"] / "index.html"
        head = read_head(page)
        assert head.meta["citation_title"] == [a["title"]]
        assert head.meta.get("citation_publication_date") == ([str(a["date"]).replace("-", "/")] if a["date"] else None)
        (ld,) = [text for kind, text in head.scripts if kind == "application/ld+json"]
        doc = json.loads(ld)
        assert doc["@type"] == "NewsArticle" and doc["headline"] == a["title"]
        assert doc["mainEntityOfPage"] == head.canonical and head.canonical.endswith(f"/articles/{a['id']}/")
        text = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in text
        assert 'class="archive-cite"' in text and f'href="../../cite/{a["id"]}.bib"' in text


def test_zensical_sitemap_and_timeline(zensical_site: Site) -> None:
    sitemap = (zensical_site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"/articles/{a['id']}/</loc>" in sitemap for a in zensical_site.articles)
    timeline = (zensical_site.site / "timeline" / "index.html").read_text(encoding="utf-8")
    events = [p for p in (zensical_site.docs / "events").glob("*.md") if p.stem != "index"]
    assert timeline.count('class="tl-card tl-card--event"') == len(events)
    assert timeline.count('<details class="tl-year"') >= 1


def test_zensical_pages_run_without_errors_or_policy_violations(zensical_site: Site, browser) -> None:  # noqa: F811
    paths = ["/", "/timeline/", f"/articles/{zensical_site.articles[0]['id']}/", "/data/"]
    with serve_directory(zensical_site.site) as base:
        context = browser.new_context()
        origin = urlsplit(base).netloc
        context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == origin else r.abort())
        context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            for path in paths:
                assert page.goto(base + path, wait_until="load").ok
                page.wait_for_load_state("networkidle")
                assert not page.evaluate("window.__csp"), (path, page.evaluate("window.__csp"))
                if path == "/timeline/":  # archive.js ran under the policy
                    assert page.locator(".tl-controls button").count() == 2
        finally:
            context.close()
        assert not errors, errors


def zensical_search(page, query: str) -> list[str]:
    """Zensical's own search dialog: open it, type like a person, return the result links."""
    page.locator(".md-search__button").first.click()
    dialog = page.locator("dialog[aria-label='Search']")
    dialog.locator("input[role='combobox']").press_sequentially(query, delay=25)
    links = dialog.locator("ol[role='listbox'] a")
    links.first.wait_for(timeout=30_000)
    return links.evaluate_all("els => els.map(e => new URL(e.href).pathname)")


def test_zensical_search_works_under_the_policy(zensical_site: Site, browser) -> None:  # noqa: F811
    phrase, article = pick_phrase(zensical_site.articles)
    with serve_directory(zensical_site.site) as base:
        context = browser.new_context()
        context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        try:
            page.goto(base + "/", wait_until="load")
            found = zensical_search(page, phrase)
            assert f"/articles/{article['id']}/" in found, f"searching {phrase!r} found {found}"
            assert not page.evaluate("window.__csp")
        finally:
            context.close()


# --------------------------------------------------------------------------- a hostile headline, both engines
@pytest.fixture(scope="module")
def hostile_docs(tmp_path_factory) -> Generated:
    return generate(FIXTURES, tmp_path_factory.mktemp("hostile-gen"))


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_hostile_headline_stays_text_in_the_head(engine: str, hostile_docs: Generated, venv_bin: Path,
                                                 tmp_path: Path) -> None:
    site = build_site(engine, hostile_docs, venv_bin, tmp_path)
    raw = hostile_docs.by_id()[HOSTILE]["title"]
    assert "</script>" in raw and '"' in raw and "&" in raw
    page = site.site / "articles" / HOSTILE / "index.html"
    head = read_head(page)
    assert head.title == f"{raw} - {load_mkdocs_config(REPO / 'mkdocs.yml')['site_name']}"
    for name in ("citation_title", "DC.title", "og:title"):
        assert head.meta[name] == [raw], name
    (ld,) = [text for kind, text in head.scripts if kind == "application/ld+json"]
    assert "</" not in ld and json.loads(ld)["headline"] == raw
    assert not [text for kind, text in head.scripts if 'alert("x")' in text and kind != "application/ld+json"]
    text = page.read_text(encoding="utf-8")
    assert '<script>alert("x")' not in text and html.escape('<script>alert("x")</script>', quote=False) in text
