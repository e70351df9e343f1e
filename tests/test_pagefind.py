"""Search with Pagefind (extra.archive_search: pagefind): the seeds' site built with the
Pagefind index, searched in headless Chromium through the header search box.

Speed and bytes per query are measured by benchmarks/search_bench.py, not here.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from sitecheck import check_links, copy_site_config, launch_chromium, serve_directory, tool_env
from test_site import SEARCH_TIMEOUT_S, _norm, pick_person

log = logging.getLogger(__name__)
pytestmark = pytest.mark.site


def _hook(repo_root: Path):
    spec = importlib.util.spec_from_file_location("archive_search", repo_root / "hooks" / "archive_search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the mode switch
def test_auto_switches_to_pagefind_above_the_threshold(repo_root: Path, tmp_path: Path) -> None:
    hook = _hook(repo_root)
    assert hook.resolve_mode("auto", 500, 500) == "material"
    assert hook.resolve_mode("auto", 501, 500) == "pagefind"
    assert hook.resolve_mode(None, 10, 500) == "material"
    assert hook.resolve_mode("Pagefind", 1, 500) == "pagefind"
    assert hook.resolve_mode("material", 10_000, 500) == "material"
    from mkdocs.exceptions import PluginError
    with pytest.raises(PluginError, match="archive_search"):
        hook.resolve_mode("lunr", 10, 500)
    (tmp_path / "articles").mkdir()
    for name in ("a.md", "b.md", "index.md", "notes.txt"):
        (tmp_path / "articles" / name).write_text("x", encoding="utf-8")
    assert hook.count_articles(str(tmp_path)) == 2
    assert hook.count_articles(str(tmp_path / "missing")) == 0


def test_dates_are_shown_at_their_precision(repo_root: Path) -> None:
    hook = _hook(repo_root)
    assert hook.human_date("2018-04-21") == "21 April 2018"
    assert hook.human_date("2018-04") == "April 2018"
    assert hook.human_date("2018") == "2018"
    assert hook.human_date(None) == "" and hook.human_date("unknown") == "" and hook.human_date("2018-13") == ""


def test_dirty_serving_reindexes_in_the_background_and_its_notice_is_no_warning(
        repo_root: Path, tmp_path: Path, monkeypatch, caplog) -> None:
    """Under ``mkdocs serve --dirty`` only the first build waits for Pagefind (a re-index
    takes about 25 s at 10,000 pages); after an edit's rebuild the served index stays in use
    while Pagefind re-indexes in the background, and plain ``serve`` and ``build`` re-index
    every time, waiting for it."""
    hook = _hook(repo_root)
    monkeypatch.setattr(hook, "_mode", "pagefind")
    runs, background = [], []
    monkeypatch.setattr(hook.subprocess, "run", lambda *a, **k: runs.append(a) or SimpleNamespace(returncode=0))
    monkeypatch.setattr(hook, "refresh_in_background", lambda executable, site: background.append(site))
    config = SimpleNamespace(site_dir=str(tmp_path))
    hook.on_startup(command="serve", dirty=True)
    hook.on_post_build(config)  # the first build: no index yet
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind.js").write_text("", encoding="utf-8")
    hook.on_post_build(config)  # an edit's dirty rebuild: re-indexed in the background
    assert len(runs) == 1 and background == [tmp_path]
    with caplog.at_level(logging.INFO, logger="mkdocs.commands.build"):
        logging.getLogger("mkdocs.commands.build").warning("A 'dirty' build is being performed, this will ...")
        logging.getLogger("mkdocs.commands.build").warning("Doc file 'a.md' contains a link to 'b.md'")
    levels = [r.levelname for r in caplog.records if r.name == "mkdocs.commands.build"]
    assert levels == ["INFO", "WARNING"], "only the dirty-build notice is demoted"
    for command, dirty in (("serve", False), ("build", False)):
        hook.on_startup(command=command, dirty=dirty)
        hook.on_post_build(config)
    assert len(runs) == 3 and len(background) == 1


def _indexed_words(index: Path) -> bytes:
    """The index chunks the served page list names, decompressed (their words are stored
    as text, stemmed); chunks of an earlier index that are still on disk are not read."""
    names = b"".join(gzip.decompress(p.read_bytes()) for p in _entry_files(index))
    return b"".join(gzip.decompress(p.read_bytes()) for p in sorted((index / "index").glob("*.pf_index"))
                    if p.stem.split("_", 1)[1].encode() in names)


def _entry_files(index: Path) -> list[Path]:
    """The files the served entry file names (its page list, one per language)."""
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    return [index / f"pagefind.{lang['hash']}.pf_meta" for lang in entry["languages"].values()]


def test_a_background_reindex_replaces_the_served_index_without_a_missing_file(
        repo_root: Path, tmp_path: Path, monkeypatch) -> None:
    """The real Pagefind, as a dirty serve runs it: an edit's word is found once the
    background re-index is installed; the index served meanwhile stays whole (its entry
    file and what it names), the files of the index before the last are removed, and a
    re-index for an older edit is over (stopped) before the one for a newer edit starts."""
    hook = _hook(repo_root)
    monkeypatch.setattr(hook, "_mode", "pagefind")
    site = tmp_path / "site"
    for name, words in (("a", "alpha harbour"), ("b", "bravo walrus")):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(
            f"<html lang=en><body><main data-pagefind-body><h1>{name}</h1><p>{words}</p></main></body></html>",
            encoding="utf-8")
    config = SimpleNamespace(site_dir=str(site))
    hook.on_startup(command="serve", dirty=True)
    try:
        hook.on_post_build(config)  # the first build waits for its index
        first = hook._files(site / "pagefind")
        assert b"harbour" in _indexed_words(site / "pagefind") and b"zeppelin" not in _indexed_words(site / "pagefind")
        (site / "a" / "index.html").write_text(
            "<html lang=en><body><main data-pagefind-body><h1>a</h1><p>alpha zeppelin</p></main></body></html>",
            encoding="utf-8")
        hook.on_post_build(config)
        older = hook._refresh["process"]
        hook.on_post_build(config)  # a newer edit: the older re-index is stopped, a new one started
        assert older.returncode is not None and hook._refresh["process"] is not older
        assert all(p.is_file() for p in _entry_files(site / "pagefind")), "the served index stays whole meanwhile"
        hook.wait_for_refresh()
        words = _indexed_words(site / "pagefind")
        assert b"zeppelin" in words and b"harbour" not in words and b"walrus" in words
        assert all(p.is_file() for p in _entry_files(site / "pagefind"))
        assert not (site / hook.NEXT_INDEX).exists()
        second, installed = hook._files(site / "pagefind"), set(hook._refresh["installed"])
        assert first <= second, "the files of the index served before stay one more round"
        (site / "b" / "index.html").write_text(
            "<html lang=en><body><main data-pagefind-body><h1>b</h1><p>bravo cobalt</p></main></body></html>",
            encoding="utf-8")
        hook.on_post_build(config)
        hook.wait_for_refresh()
        third = hook._files(site / "pagefind")
        assert b"cobalt" in _indexed_words(site / "pagefind")
        gone = first - installed - hook._refresh["installed"]
        assert gone and not gone & third, "the files of the index before the last are removed"
        assert installed <= third
    finally:
        hook.on_shutdown()


def _search_block(header: str, first: str) -> list[str]:
    lines = [line.strip() for line in header.splitlines()]
    start = lines.index(first)
    return lines[start:lines.index("{% if config.repo_url %}", start)]


def test_header_override_keeps_materials_search_block_and_adds_pagefinds(repo_root: Path) -> None:
    """The override must follow Material's header: when Material is upgraded, this fails
    if the search block changed, so the override is brought up to date."""
    import material

    original = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text("utf-8")
    ours = (repo_root / "overrides" / "partials" / "header.html").read_text("utf-8")
    material_block = _search_block(original, '{% if "material/search" in config.plugins %}')
    our_block = _search_block(ours, '{% elif "material/search" in config.plugins %}')
    inner = material_block[1:-1]  # the branch's lines, without the closing endif
    assert our_block[1:1 + len(inner)] == inner, "Material's search block changed: update the override"
    pagefind_block = _search_block(ours, '{% if config.extra.archive_search_mode == "pagefind" %}')
    assert '{% include "partials/pagefind-search.html" %}' in pagefind_block


# --------------------------------------------------------------------------- the site
# A capture whose text is markup: search results must show it as text, never run it.
HOSTILE_CAPTURE = """Harbour Authority Reviews Zephyrquartz Cargo Rules

The harbour authority said on Tuesday that it would review the rules for zephyrquartz cargo, \
after inspectors found containers labelled <img src=x onerror="window.__xss=1"> in the port.

Officials said the zephyrquartz shipments had grown quickly and that the <b>inspection</b> \
regime needed new staff, new scanners and clearer paperwork for the importers concerned.

The review will take three months, the authority said, and its findings on zephyrquartz \
handling will be published, with a public hearing for the shipping companies and dock workers.

Dock workers welcomed the review but said the port needed more inspectors before the \
winter season, when cargo volumes usually rise and the queues at the gates grow longer.
"""
@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory, repo_root: Path, venv_bin: Path) -> Path:
    """The seeds' site built with ARCHIVE_SEARCH=pagefind (the hook runs Pagefind)."""
    root = tmp_path_factory.mktemp("pagefindsite")
    copy_site_config(repo_root, root)
    docs, seeds = root / "docs", root / "seeds"
    shutil.copytree(repo_root / "seeds", seeds)
    (seeds / "hostile-markup.txt").write_text(HOSTILE_CAPTURE, encoding="utf-8")
    env = tool_env()
    gen = subprocess.run([venv_bin / "python", "-m", "build_scripts", "build", "--seeds", seeds,
                          "--docs", docs, "--knowledge", repo_root / "knowledge"],
                         cwd=repo_root, env=env, capture_output=True, text=True, timeout=500)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    shutil.copy2(repo_root / "docs" / "performance.md", docs / "performance.md")  # hand-written, in the nav
    env["ARCHIVE_SEARCH"] = "pagefind"
    mk = subprocess.run([venv_bin / "mkdocs", "build", "--strict", "-f", root / "mkdocs.yml", "-d", root / "site"],
                        cwd=root, env=env, capture_output=True, text=True, timeout=500)
    assert mk.returncode == 0, f"mkdocs build --strict with Pagefind failed:\n{mk.stdout}{mk.stderr}"
    assert "archive search: pagefind" in mk.stderr
    return root


def test_pagefind_replaces_materials_index_and_everything_is_local(pagefind_site: Path) -> None:
    site = pagefind_site / "site"
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search" / "search_index.json").exists(), "Material's index was built too"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-archive-search" in home and "assets/pagefind-search.js" in home
    assert 'name="search"' not in home, "a form named search makes Material fetch its own index"
    broken, checked = check_links(site)
    assert checked and not broken, "\n".join(map(str, broken))
    resources = re.findall(r'<(?:script|link|img)\b[^>]*\s(?:src|href)="([^"]+)"', home)
    assert resources and all(urlsplit(url).netloc in ("", "127.0.0.1:8000") for url in resources), resources


def test_only_item_pages_are_indexed_down_to_the_end_of_their_text(pagefind_site: Path) -> None:
    docs = pagefind_site / "docs"
    articles = json.loads((docs / "data" / "articles.json").read_text(encoding="utf-8"))
    article_id = articles[0]["id"]
    page = (pagefind_site / "site" / "articles" / article_id / "index.html").read_text(encoding="utf-8")
    body = page.split("<div data-pagefind-body>", 1)[1]
    indexed, rest = body.split("<!-- archive:text:end -->", 1)
    assert 'data-pagefind-meta="title"' in indexed and 'data-pagefind-meta="kind"' in indexed
    assert "Related articles" not in indexed and "data-pagefind-body" not in rest
    person = next((pagefind_site / "site" / "people").glob("*/index.html")).read_text(encoding="utf-8")
    assert "<div data-pagefind-body>" in person and '</span></div><h2 id="articles"' in person, (
        "a person's page is indexed past its own text, into the lists of other pages")
    for listing in ("index.html", "articles/index.html", "timeline/index.html"):
        html = (pagefind_site / "site" / listing).read_text(encoding="utf-8")
        assert "data-pagefind-body" not in html, f"{listing} would flood every query with matches"


def _fragments(site: Path) -> dict[str, dict]:
    """Pagefind's stored result of every indexed page (gzipped JSON after a signature), by URL."""
    out = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        out[fragment["url"]] = fragment
    return out


def test_an_articles_facts_are_searched_by_value_not_by_label_nor_file_details(pagefind_site: Path) -> None:
    """The facts list above an article's text: its values are indexed (outlet, agency,
    event, people, date), not the labels, the "not stated" values, how the date was found
    ("printed in the capture: ...") or the capture file's path,
    size and SHA-256, which are on every article and would make any query for "stated",
    "bytes" or "raw" match the whole archive."""
    articles = json.loads((pagefind_site / "docs" / "data" / "articles.json").read_text(encoding="utf-8"))
    fragments = _fragments(pagefind_site / "site")
    outlets = agencies = 0
    for a in articles:
        content = next(f["content"] for url, f in fragments.items() if url.rstrip("/").endswith(a["id"]))
        assert a["seed_sha256"] not in content and "bytes" not in content and "(raw, as collected)" not in content
        assert not re.search(r"\b(?:Outlet|Agency|People|Places|Capture):", content), content[:300]
        assert "not stated" not in content and "none found" not in content and "in the capture" not in content
        assert a["title"].split()[0] in content and all(name in content for name in a["people"])
        outlets += bool(a["outlet"]) and a["outlet"] in content
        agencies += bool(a["agency"]) and a["agency"] in content
    assert outlets == sum(1 for a in articles if a["outlet"]) > 0
    assert agencies == sum(1 for a in articles if a["agency"]) > 0


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="module")
def chromium():
    with launch_chromium() as browser:
        yield browser


@pytest.mark.browser
def test_typing_a_name_in_the_header_lists_that_persons_articles_with_title_and_date(
        chromium, pagefind_site: Path, repo_root: Path) -> None:
    articles = json.loads((pagefind_site / "docs" / "data" / "articles.json").read_text(encoding="utf-8"))
    name, titles = pick_person(articles)
    hook = _hook(repo_root)
    dates = {_norm(a["title"]): hook.human_date(a.get("date")) for a in articles}
    with serve_directory(pagefind_site / "site") as base:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        origin, errors, requests = urlsplit(base).netloc, [], []
        context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc == origin
                      else (errors.append(f"external request {r.request.url}"), r.abort()))
        page = context.new_page()
        page.set_default_timeout(SEARCH_TIMEOUT_S * 1000)
        page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        try:
            page.goto(base + "/", wait_until="load")
            box = page.locator("header input.md-search__input")
            box.click()
            box.press_sequentially(name, delay=25)
            page.wait_for_selector(".md-search-result__item .md-search-result__article")
            results = _results(page, titles)
        finally:
            context.close()
    shown = {_norm(title): facts for title, facts in results}
    missing = sorted(t for t in titles if _norm(t) not in shown)
    assert not missing, f"searching {name!r} did not list {missing}; results: {list(shown)}"
    for title in titles:
        date = dates[_norm(title)]
        assert "Article" in shown[_norm(title)], f"{title!r} is not shown as an article: {shown[_norm(title)]!r}"
        if date:
            assert date in shown[_norm(title)], f"{title!r} shows {shown[_norm(title)]!r}, not its date {date}"
    assert any("/pagefind/" in url for url in requests), "the results did not come from Pagefind"
    assert not any("search_index.json" in url for url in requests), "Material's index was fetched"
    assert not errors, "\n".join(errors)


def _results(page, expected: set[str]) -> list[tuple[str, str]]:
    """(title, date-and-kind line) of each result, once every expected title is listed."""
    want = {_norm(t) for t in expected}
    for _ in range(int(SEARCH_TIMEOUT_S * 4)):
        # One snapshot of the list, read in the page: the list re-renders as results arrive,
        # so counting items and then reading the n-th one could wait for an item now gone.
        snapshot = page.eval_on_selector_all(
            ".md-search-result__article",
            "els => els.map(e => [e.querySelector('h1') ? e.querySelector('h1').innerText : '',"
            " Array.from(e.querySelectorAll('.archive-search-facts'), f => f.innerText)])")
        results = [(title, " ".join(facts)) for title, facts in snapshot]
        if want <= {_norm(t) for t, _ in results}:
            return results
        more = page.locator(".archive-search-more button")
        if more.count():
            more.click()
        page.wait_for_timeout(250)
    return results


@pytest.mark.browser
def test_markup_in_a_capture_shows_as_text_in_the_results(chromium, pagefind_site: Path) -> None:
    with serve_directory(pagefind_site / "site") as base:
        context = chromium.new_context()
        page = context.new_page()
        page.set_default_timeout(SEARCH_TIMEOUT_S * 1000)
        try:
            page.goto(base + "/", wait_until="load")
            box = page.locator("header input.md-search__input")
            box.click()
            box.press_sequentially("inspectors found containers labelled", delay=25)
            page.wait_for_selector(".md-search-result__item .md-search-result__article")
            page.wait_for_timeout(500)
            articles = page.locator(".md-search-result__article")
            texts = articles.all_inner_texts()
            tags = page.evaluate("""() => [...document.querySelectorAll('.md-search-result__article *')]
                                          .map(e => e.tagName.toLowerCase())""")
            injected = page.evaluate("() => window.__xss === 1")
        finally:
            context.close()
    assert any("Zephyrquartz" in t for t in texts), texts
    assert set(tags) <= {"h1", "p", "mark", "time"}, f"markup from the capture became elements: {set(tags)}"
    assert any("<img" in t for t in texts), f"the capture's markup is not shown as text: {texts}"
    assert not injected, "script from a capture ran"
