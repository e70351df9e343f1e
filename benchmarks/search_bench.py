"""Search at scale: bytes fetched and time to first results of a first Pagefind query,
in headless Chromium against the served site (part of ``make bench``, benchmarks/run.py).

    python benchmarks/search_bench.py --site SITE --manifest SEEDS/corpus.json

Each query runs in a fresh browser context (empty cache): the page is loaded, the header
search box is focused (which starts loading Pagefind) and a person's name is entered at
once. Counted: every response from the focus on (Pagefind's script, WebAssembly, index
chunks, result fragments; headers included), and the time from the input event to the
first result in the list (the search box's 120 ms debounce included).
"""
from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # sitecheck: static server, mkdocs.yml helpers (stdlib only)

from sitecheck import copy_site_config, launch_chromium, serve_directory  # noqa: E402

log = logging.getLogger("benchmarks.search")
TIMEOUT_MS = 30_000

FIRST_RESULT_JS = """() => {
  const list = document.querySelector('[data-archive-search-results]');
  window.__firstResult = null;
  new MutationObserver(() => {
    if (window.__firstResult === null && list.querySelector('.md-search-result__article'))
      window.__firstResult = performance.now();
  }).observe(list, {childList: true, subtree: true});
}"""
TYPE_JS = """(query) => {
  const input = document.querySelector('[data-archive-search] input[name=query]');
  input.value = query;
  window.__typed = performance.now();
  input.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def copy_project(repo: Path, dest: Path, docs: Path) -> Path:
    """``dest`` with the repository's mkdocs.yml, theme overrides and hooks, and ``docs``."""
    copy_site_config(repo, dest)
    link = dest / "docs"
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():  # copy_site_config put the nav's hand-written pages there: the bench writes its own
        shutil.rmtree(link)
    link.symlink_to(docs.resolve(), target_is_directory=True)
    return dest


def pick_queries(manifest: Path) -> list[str]:
    """Three people's names: the most often named, one of median frequency, a rare one."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    counts = Counter(name for c in data["captures"] for name in c["people"])
    ranked = [name for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2]
    return [ranked[0], ranked[len(ranked) // 2], ranked[-1]] if ranked else []


def first_query(browser, base: str, query: str) -> dict:
    """Bytes and milliseconds of one first query in a fresh (cold-cache) browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    counting, fetched = [False], []

    def finished(request) -> None:
        if counting[0]:
            sizes = request.sizes()
            fetched.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    page.on("requestfinished", finished)
    try:
        page.goto(base + "/", wait_until="networkidle")
        page.evaluate(FIRST_RESULT_JS)
        counting[0] = True
        page.locator("header input.md-search__input").focus()
        page.evaluate(TYPE_JS, query)
        ms = _wait_first_result(page)
        page.wait_for_load_state("networkidle")
        results = page.locator(".md-search-result__item .md-search-result__article").count()
    finally:
        context.close()
    return {"query": query, "ms": ms, "bytes": sum(b for _, b in fetched), "requests": len(fetched),
            "results_shown": results, "files": sorted({u.rsplit("/", 2)[-2] for u, _ in fetched})}


def _wait_first_result(page) -> float:
    """Milliseconds from the input event to the first result (polled: the site's
    Content-Security-Policy forbids the eval that Playwright's wait_for_function uses)."""
    for _ in range(TIMEOUT_MS // 50):
        ms = page.evaluate("() => window.__firstResult === null ? null : window.__firstResult - window.__typed")
        if ms is not None:
            return ms
        page.wait_for_timeout(50)
    raise TimeoutError("no search result within 30 s")


def measure_site(site: Path, manifest: Path) -> dict:
    """First-query bytes and time for each picked query, medians and maxima: served as
    Python's ``http.server`` serves files (nothing compressed), and under ``"gzip"`` with
    text files gzipped, as GitHub Pages serves the published site."""
    queries = pick_queries(manifest)
    out: dict = {}
    for compress in (False, True):
        with serve_directory(site, compress=compress) as base, launch_chromium() as browser:
            rows = [first_query(browser, base, q) for q in queries]
        for row in rows:
            log.info("  search %r%s: %d bytes in %d requests, first result after %.0f ms (%d shown)", row["query"],
                     " (gzip)" if compress else "", row["bytes"], row["requests"], row["ms"], row["results_shown"])
        figures = {"queries": rows,
                   "bytes_median": statistics.median(r["bytes"] for r in rows),
                   "bytes_max": max(r["bytes"] for r in rows),
                   "ms_median": statistics.median(r["ms"] for r in rows),
                   "ms_max": max(r["ms"] for r in rows)}
        if compress:
            out["gzip"] = figures
        else:
            out.update(figures)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a site built with ARCHIVE_SEARCH=pagefind")
    parser.add_argument("--manifest", type=Path, required=True, help="corpus.json of benchmarks/generate.py")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    sys.stdout.write(json.dumps(measure_site(args.site, args.manifest), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
