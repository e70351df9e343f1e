"""The archive in a real browser (headless Chromium): the timeline, the citation box and its
downloads, the page head's metadata, the Content-Security-Policy, and an axe-core audit of
the main kinds of page in the light and the dark scheme.

Builds on tests/test_site.py: the same temporary site (generator + `mkdocs build --strict`),
static server and browser. Search by a person's name and by a phrase is tested there.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import bibtexparser
import frontmatter
import pytest
import rispy

from sitecheck import local_only_context, npm_install
from test_site import Browsing, BuiltSite, browser, built_site, search, served_site  # noqa: F401 - fixtures

log = logging.getLogger(__name__)
IMPACTS_THAT_FAIL = ("serious", "critical")

pytestmark = [pytest.mark.site, pytest.mark.browser]


# --------------------------------------------------------------------------- helpers
@pytest.fixture(scope="session")
def axe_script(tmp_path_factory) -> Path:
    """axe-core, installed with `npm ci` from tests/npm's lockfile into a temp dir."""
    work = npm_install(tmp_path_factory.mktemp("npm-axe"))
    script = work / "node_modules" / "axe-core" / "axe.min.js"
    assert script.is_file(), f"{script} missing after npm ci"
    return script


CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def open_page(browser, base: str, scheme: str = "light") -> Browsing:
    """A fresh page that reaches only the local server; console errors and CSP violations recorded."""
    b = Browsing(page=None, base=base, errors=[], blocked=[])
    context = local_only_context(browser, base, b.blocked, viewport={"width": 1280, "height": 900},
                                 color_scheme=scheme)
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("console", lambda m: b.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: b.errors.append(f"uncaught: {exc}"))
    b.page = page
    return b


@pytest.fixture
def visit(browser, served_site: str) -> Iterator:
    opened: list[Browsing] = []

    def go(path: str, scheme: str = "light") -> Browsing:
        b = open_page(browser, served_site, scheme)
        opened.append(b)
        response = b.page.goto(served_site + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        b.page.wait_for_load_state("networkidle")
        return b

    yield go
    for b in opened:
        b.page.context.close()


def page_paths(site: BuiltSite) -> dict[str, str]:
    """One page of each kind, by URL path."""
    article = sorted(site.articles(), key=lambda a: a["id"])[0]
    event = sorted(p.stem for p in (site.docs / "events").glob("*.md") if p.stem != "index")[0]
    person = sorted(p.stem for p in (site.docs / "people").glob("*.md") if p.stem != "index")[0]
    return {"home": "/", "article": f"/articles/{article['id']}/", "event": f"/events/{event}/",
            "person": f"/people/{person}/", "timeline": "/timeline/", "data": "/data/"}


def csp_violations(b: Browsing) -> list[str]:
    return b.page.evaluate("window.__csp")


# --------------------------------------------------------------------------- the timeline
def test_timeline_renders_every_event_and_its_links_work(visit, built_site: BuiltSite) -> None:
    b = visit("/timeline/")
    page = b.page
    events = [p.stem for p in (built_site.docs / "events").glob("*.md") if p.stem != "index"]
    assert page.locator(".tl-card--event").count() == len(events)
    articles = built_site.articles()
    listed = page.locator(".tl a[href*='articles/']")
    assert listed.count() == len(articles)
    inferred = sum(1 for a in articles if a["date_certainty"] == "inferred")
    assert page.locator(".tl .tl-inferred").count() == inferred
    assert page.locator(".tl-inferred").first.is_visible()
    hrefs = page.eval_on_selector_all(".tl a[href]", "els => els.map(e => e.href)")
    for href in hrefs:
        r = page.request.get(href)
        assert r.ok, f"timeline link {href}: HTTP {r.status}"
    first = listed.first
    title = first.inner_text().strip()
    first.click()
    page.wait_for_load_state("load")
    assert "/articles/" in page.url and page.locator("article h1").first.inner_text().rstrip("¶").strip() == title
    assert not b.errors, b.errors


def test_timeline_works_from_the_keyboard_and_prints_every_year(visit) -> None:
    b = visit("/timeline/")
    page = b.page
    year_link = page.locator(".tl-years a").nth(1)
    target = year_link.get_attribute("href")
    year_link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    summary = page.locator("details.tl-year > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('details.tl-year').open") is False
    page.keyboard.press("Space")
    assert page.evaluate("document.querySelector('details.tl-year').open") is True
    page.get_by_role("button", name="Collapse all years").click()
    assert page.locator("details.tl-year[open]").count() == 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.tl-year:not([open])").count() == 0, "printing must show every year"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.tl-year[open]").count() == 0
    page.emulate_media(media="print")
    assert not page.locator(".tl-years").is_visible() and not page.locator(".tl-controls").is_visible()
    assert not b.errors, b.errors


# --------------------------------------------------------------------------- the article page
def test_article_page_shows_its_citation_and_the_downloads_resolve(visit, built_site: BuiltSite) -> None:
    for a in built_site.articles():
        b = visit(f"/articles/{a['id']}/")
        box = b.page.locator(".archive-cite")
        assert box.is_visible()
        text = box.inner_text()
        assert "Chicago:" in text and "APA:" in text and a["id"] in text
        links = box.locator("a[href*='cite/']")
        assert links.count() == 6
        for href in links.evaluate_all("els => els.map(e => e.href)"):
            r = b.page.request.get(href)
            assert r.ok, f"{href}: HTTP {r.status}"
            body = r.text()
            if href.endswith(f"{a['id']}.bib"):
                assert [e.key for e in bibtexparser.parse_string(body).entries] == [a["id"]]
            elif href.endswith(f"{a['id']}.ris"):
                assert rispy.loads(body)[0]["accession_number"] == a["id"]
            elif href.endswith(f"{a['id']}.json"):
                assert json.loads(body)[0]["id"] == a["id"]
        assert not b.errors, b.errors


def test_copy_button_copies_the_reference(browser, served_site: str, built_site: BuiltSite) -> None:
    b = open_page(browser, served_site)
    try:
        b.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site)
        a = sorted(built_site.articles(), key=lambda a: a["id"])[0]
        b.page.goto(f"{served_site}/articles/{a['id']}/", wait_until="load")
        para = b.page.locator(".archive-cite p", has_text="Chicago:")
        button = para.get_by_role("button", name="Copy the Chicago reference")
        button.click()
        copied = b.page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("“") and a["id"] in copied and "Chicago:" not in copied and "Copy" not in copied
        assert button.inner_text() == "Copied"
    finally:
        b.page.context.close()


def test_article_head_carries_citation_metadata(visit, built_site: BuiltSite) -> None:
    for a in built_site.articles():
        b = visit(f"/articles/{a['id']}/")
        page = b.page
        meta = page.eval_on_selector_all(
            "meta[name], meta[property]",
            "els => els.map(e => [e.getAttribute('name') || e.getAttribute('property'), e.content])")
        tags: dict[str, list[str]] = {}
        for name, content in meta:
            tags.setdefault(name, []).append(content)
        canonical = page.locator("link[rel=canonical]").get_attribute("href")
        assert canonical and canonical.endswith(f"/articles/{a['id']}/")
        assert tags["citation_title"] == [a["title"]] and tags["DC.title"] == [a["title"]]
        assert tags["citation_public_url"] == [canonical] and tags["og:url"] == [canonical]
        date = tags.get("citation_publication_date")
        assert date == ([str(a["date"]).replace("-", "/")] if a["date"] else None)
        assert tags.get("citation_journal_title") == ([a["outlet"] or a["agency"]] if a["outlet"] or a["agency"] else None)
        assert ("article:published_time" in tags) == (a["date_precision"] == "day")
        (ld,) = page.eval_on_selector_all("script[type='application/ld+json']", "els => els.map(e => e.textContent)")
        doc = json.loads(ld)
        assert doc["@type"] == "NewsArticle" and doc["headline"] == a["title"]
        assert doc.get("datePublished") == (str(a["date"]) if a["date"] else None)
        assert doc["isBasedOn"]["url"].endswith(f"/captures/{a['seed']}")
        assert doc["isBasedOn"]["sha256"] == a["seed_sha256"]
        if a["event"]:
            assert doc["about"]["@type"] == "Event" and doc["about"]["url"].endswith(f"/events/{a['event']}/")
        r = page.request.get(urljoin(page.url, urlsplit(doc["isBasedOn"]["url"]).path))  # site_url: not this server
        assert r.ok and r.body() == (built_site.docs / "captures" / a["seed"]).read_bytes()


def test_sitemap_lists_every_article(built_site: BuiltSite) -> None:
    sitemap = (built_site.site / "sitemap.xml").read_text(encoding="utf-8")
    for a in built_site.articles():
        assert f"/articles/{a['id']}/</loc>" in sitemap


def test_citation_box_is_kept_out_of_the_search_index(built_site: BuiltSite) -> None:
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    article_docs = [d for d in index["docs"] if d["location"].startswith("articles/") and d["location"] != "articles/"]
    assert article_docs, "no article in the search index"
    assert not [d["location"] for d in article_docs if "Download this reference" in d["text"] or
                "Cite this article" in d["title"]]


def test_search_finds_an_event_by_its_title(browser, served_site: str, built_site: BuiltSite) -> None:
    path = sorted((built_site.docs / "events").glob("*.md"))[0]
    title = frontmatter.loads(path.read_text(encoding="utf-8"))["title"]
    b = open_page(browser, served_site)
    try:
        found = search(b, title, {title})
        assert title in found, f"searching {title!r} found {found}"
        assert not b.errors and not csp_violations(b), (b.errors, csp_violations(b))
    finally:
        b.page.context.close()


# --------------------------------------------------------------------------- security policy
def test_pages_load_without_console_errors_or_policy_violations(visit, built_site: BuiltSite) -> None:
    for kind, path in page_paths(built_site).items():
        b = visit(path)
        policy = b.page.locator("meta[http-equiv='Content-Security-Policy']")
        assert policy.count() == 1, f"{kind}: no Content-Security-Policy"
        assert not b.errors, f"{kind} {path}: {b.errors}"
        assert not csp_violations(b), f"{kind} {path}: {csp_violations(b)}"
        assert not b.blocked, f"{kind} {path} reached outside the site: {b.blocked}"


def test_the_policy_blocks_what_it_should(visit) -> None:
    """Guards the guard: an image from another host and a plugin object are refused."""
    b = visit("/")
    b.page.evaluate("""() => {
      const img = document.createElement('img'); img.src = 'https://tracker.example/pixel.png';
      document.body.appendChild(img);
      const f = document.createElement('iframe'); f.src = 'https://frame.example/';
      document.body.appendChild(f);
    }""")
    b.page.wait_for_timeout(300)
    directives = " ".join(csp_violations(b))
    assert "img-src" in directives and "frame-src" in directives, directives


# --------------------------------------------------------------------------- accessibility
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violations(visit, built_site: BuiltSite, axe_script: Path,
                                                     scheme: str) -> None:
    failures, summary = [], {}
    for kind, path in page_paths(built_site).items():
        b = visit(path, scheme)
        b.page.add_script_tag(path=str(axe_script))
        result = b.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = result["violations"]
        summary[kind] = {v["id"]: (v["impact"], len(v["nodes"])) for v in violations}
        for v in violations:
            if v["impact"] in IMPACTS_THAT_FAIL:
                nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                  for n in v["nodes"][:5])
                failures.append(f"{kind} {path} [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s): {nodes})")
    log.info("axe (%s scheme), violations by page: %s", scheme, summary)
    assert not failures, "\n".join(failures)


def test_axe_is_really_auditing(visit, axe_script: Path) -> None:
    """Guards the guard: an image without alt text and an unnamed button are reported."""
    b = visit("/")
    b.page.evaluate("""() => {
      const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      const btn = document.createElement('button');
      document.querySelector('article').append(img, btn);
    }""")
    b.page.add_script_tag(path=str(axe_script))
    result = b.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = {v["id"]: v["impact"] for v in result["violations"]}
    assert found.get("image-alt") == "critical" and found.get("button-name") == "critical", found
