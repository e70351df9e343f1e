"""The benchmark's results as a Markdown table and as docs/performance.md."""
from __future__ import annotations

import statistics

KB, MB = 1024, 1024 * 1024
FILE_CREATE_MS = 0.13  # one new file by writer.atomic_write, measured once here (see where_time_goes)
TARGETS = {
    "rate": (300, "≥ 300 captures/s"),
    "noop": (1.0, "≤ 1 s"),
    "changed": (2.0, "≤ 2 s"),
    "link_ratio": (12.0, "≤ 12"),
    "rss": (1.5 * 1024, "≤ 1.5 GB"),
    "flat": (0.20, "within ±20%"),
    "whole": (1.3, "≤ 1.3 × plain"),
    "query_bytes": (300_000, "≤ 300 kB (300,000 bytes)"),
    "query_ms": (500.0, "≤ 500 ms"),
}


def med(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def check(value: float | None, limit: float, below: bool = True) -> bool | None:
    """value within the limit; None when it was not measured."""
    if value is None or value != value:  # None or NaN
        return None
    return value <= limit if below else value >= limit


def figures(size: dict) -> dict:
    """The medians and derived figures of one size (NaN for what was not measured)."""
    gen, site = size["generator"], size.get("site") or {}
    nan = float("nan")
    cold = med(r["wall"] for r in gen["cold"])
    stages = list(gen["cold"][0]["stages"]) if gen["cold"] else []
    search = site.get("search") or {}
    mkdocs, plain = med(site.get("mkdocs", [])), med(site.get("plain", []))
    return {
        "n": size["n"], "cold": cold, "rate": size["n"] / cold, "noop": med(r["wall"] for r in gen["noop"]),
        "changed": med(r["wall"] for r in gen["changed"]),
        "stages": {k: med(r["stages"].get(k) for r in gen["cold"]) for k in stages},
        "changed_stages": {k: med(r["stages"].get(k, 0.0) for r in gen["changed"]) for k in stages}
        if gen["changed"] else {},
        "rss": max(r["maxrss_mb"] for r in gen["cold"] + gen["noop"] + gen["changed"]),
        "docs_mb": gen["docs_bytes"] / MB, "docs_files": gen["docs_files"], "pages": site.get("pages", 0),
        "mkdocs": mkdocs, "plain": plain, "pagefind": med(site.get("pagefind", [])),
        "whole": (cold + mkdocs) / plain, "generator_ratio": cold / plain, "site_mb": site.get("site_bytes", nan) / MB,
        "article_html": site.get("article_html", nan), "material_index": site.get("material_index", nan),
        "material_index_gz": site.get("material_index_gz", nan), "pagefind_mb": site.get("pagefind_bytes", 0) / MB,
        "query_bytes": search.get("bytes_median"), "query_bytes_max": search.get("bytes_max"),
        "query_ms": search.get("ms_median"), "query_ms_max": search.get("ms_max"),
        "gzip_bytes": (search.get("gzip") or {}).get("bytes_median"),
        "gzip_bytes_max": (search.get("gzip") or {}).get("bytes_max"),
        "gzip_ms": (search.get("gzip") or {}).get("ms_median"), "gzip_ms_max": (search.get("gzip") or {}).get("ms_max"),
        "search_mode": site.get("search_mode", "not measured"),
    }


def markdown(results: dict) -> str:
    figs = [figures(s) for s in results["sizes"]]
    head = "| Measure | " + " | ".join(f"N = {f['n']:,}" for f in figs) + " | Target | Result |"
    rows = [head, "|---|" + "---:|" * len(figs) + "---|---|"]

    def row(label: str, values: list[str], key: str | None = None, oks: list[bool | None] | None = None) -> None:
        target = TARGETS[key][1] if key else ""
        result = " · ".join(f"{verdict(ok)}" for ok in oks) if oks else ""
        values = ["—" if v.startswith("nan") else v for v in values]
        rows.append(f"| {label} | " + " | ".join(values) + f" | {target} | {result} |")

    row("Generator, cold (s)", [f"{f['cold']:.1f}" for f in figs])
    row("Generator, cold (captures/s)", [f"{f['rate']:.0f}" for f in figs], "rate", [check(f["rate"], 300, below=False) for f in figs])
    row("No-op rebuild (s)", [f"{f['noop']:.2f}" for f in figs], "noop", [check(f["noop"], 1) for f in figs])
    row("One changed capture (s)", [f"{f['changed']:.2f}" for f in figs], "changed", [check(f["changed"], 2) for f in figs])
    for stage in figs[0]["stages"]:
        row(f"&nbsp;&nbsp;stage `{stage}`, cold (s)", [f"{f['stages'].get(stage, float('nan')):.2f}" for f in figs])
    for stage in figs[0]["changed_stages"]:
        row(f"&nbsp;&nbsp;stage `{stage}`, one changed capture (s)",
            [f"{f['changed_stages'].get(stage, float('nan')):.2f}" for f in figs])
    link = next((k for k in figs[0]["stages"] if "link" in k), None)
    if link and len(figs) > 1:
        ratio = figs[-1]["stages"][link] / figs[0]["stages"][link]
        row(f"Linking time, N = {figs[-1]['n']:,} / N = {figs[0]['n']:,}", ["", f"{ratio:.1f}"][-len(figs):],
            "link_ratio", [check(ratio, 12)])
    row("Peak RSS of the generator (MB)", [f"{f['rss']:.0f}" for f in figs], "rss", [check(f["rss"], 1536) for f in figs])
    row("docs/ size (MB, files)", [f"{f['docs_mb']:.0f} MB, {f['docs_files']:,}" for f in figs])
    row("Pages built by MkDocs", [f"{f['pages']:,}" for f in figs])
    row("`mkdocs build` of the archive (s)", [f"{f['mkdocs']:.1f}" for f in figs])
    row("&nbsp;&nbsp;of which Pagefind indexing (s)", [f"{f['pagefind']:.1f}" for f in figs])
    row("`mkdocs build`, plain Material, same page count (s)", [f"{f['plain']:.1f}" for f in figs])
    row("Whole build (generator + mkdocs) / plain Material", [f"{f['whole']:.2f}" for f in figs], "whole",
        [check(f["whole"], 1.3) for f in figs])
    row("Generator alone (`make build`) / plain Material", [f"{f['generator_ratio']:.2f}" for f in figs], "whole",
        [check(f["generator_ratio"], 1.3) for f in figs])
    row("Site size (MB)", [f"{f['site_mb']:.0f}" for f in figs])
    base = figs[0]["article_html"]
    row("HTML bytes per article page (mean)", [f"{f['article_html']:,.0f}" for f in figs], "flat",
        [check(abs(f["article_html"] / base - 1), 0.2) for f in figs[1:]] or None)
    row("Material `search_index.json` (MB raw / gzipped)",
        [f"{f['material_index'] / MB:.1f} / {f['material_index_gz'] / MB:.1f}" for f in figs])
    row("Pagefind index on disk (MB)", [f"{f['pagefind_mb']:.1f}" for f in figs])
    for prefix, label in (("query", "served uncompressed (`http.server`)"), ("gzip", "served gzipped, as by GitHub Pages")):
        if all(f[f"{prefix}_bytes"] is None for f in figs):
            continue
        row(f"Pagefind, first query, {label}: bytes fetched (kB, median / max)",
            [_pair(f[f"{prefix}_bytes"], f[f"{prefix}_bytes_max"], 1000) for f in figs], "query_bytes",
            [check(f[f"{prefix}_bytes_max"], 300_000) for f in figs])
        row(f"Pagefind, first query, {label}: time to first results (ms, median / max)",
            [_pair(f[f"{prefix}_ms"], f[f"{prefix}_ms_max"], 1) for f in figs], "query_ms",
            [check(f[f"{prefix}_ms_max"], 500) for f in figs])
    return "\n".join(rows)


def _pair(median: float | None, worst: float | None, unit: float) -> str:
    return "—" if median is None else f"{median / unit:.0f} / {worst / unit:.0f}"


def _loads(results: dict) -> str:
    out = []
    for size in results["sizes"]:
        m = size.get("machine") or results["machine"]
        out.append(f"{m.get('load_start')} → {m.get('load_end')} (N = {size['n']:,}, generator at {m.get('commit')})")
    return "; ".join(out)


def where_time_goes(f: dict) -> str:
    """What the figures of the largest size say about the targets that fail."""
    stages = f["stages"]
    files = f["docs_files"] / f["n"]
    extract, link = stages.get("extract", float("nan")), stages.get("link", float("nan"))
    write = stages.get("render+write", float("nan"))
    changed = f["changed_stages"]
    return f"""## Where the time goes at N = {f['n']:,}

- **Cold, {f['rate']:.0f} captures/s.** Extraction (decode, clean, extract, and each
  article's linking features) runs on both cores: {extract:.0f} s, {extract * 2 / f['n'] * 1000:.1f} ms
  of one core per capture. Linking ({link:.0f} s) compares articles with each other (its
  per-article parts are done during extraction); it uses the second core for text reuse
  and half of the similarity search, the rest is a chain of steps on one. Rendering and
  writing ({write:.0f} s) runs on both cores: the build leaves {files:.1f} files per capture
  in `docs/` (the page, its merge base for curators' edits, the raw capture, three
  citation formats; {f['docs_files']:,} in all). Creating a new file of a few KB with
  the writer's `atomic_write` cost about {FILE_CREATE_MS} ms on this machine's disk (ext4; a
  one-off measurement of 20,000 files in one folder, 2026-12-06), so the files take about
  {f['docs_files'] * FILE_CREATE_MS / 1000:.0f} s of one core; the rest is rendering. 300 captures/s
  leaves 3.3 ms of wall time per capture for everything, 6.7 ms of the two cores, and
  extraction alone uses more than that: it is the per-capture cleaning and extraction
  (a flat profile: the largest item, regular expressions' `findall`, is about 15%), not
  the files, that would have to become about three times cheaper.
- **One changed capture, {f['changed']:.1f} s.** The cache spares re-extracting the other
  captures (the `extract` stage is then loading them:
  {changed.get('extract', float('nan')):.1f} s), the page keys spare rendering the pages that
  do not show the changed article (a key covers what its page shows: a related article's
  reason, not its score, which moves with every change of the term weights), the local index spares reading unchanged files,
  and the files to keep are told from the walk of `docs/` the build starts with (no stat
  each, no writer process when few files change). The
  files about the whole archive (the data exports with every article's text, made in a
  second process meanwhile, the indexes, the timeline, the citations of every article)
  are made again ({changed.get('render+write', float('nan')):.1f} s with the pages that did
  change, and the keys of every page), and the
  whole index is linked again ({changed.get('link', float('nan')):.1f} s). Text reuse keeps the
  pairs it compared word for word (`.cache/archive/reuse-pairs.pickle`), so only the
  changed text's pairs are compared again, but its candidate pairs are found again from
  every article's shingles. Similarity cannot be spared that way: TF-IDF weights depend
  on how many articles use each word, so one capture's new words move the weights of
  every article that shares them. In a one-off measurement on the 10,000-capture corpus
  (2026-11-22, on the corpus before its long tail of rare words; five edits like the
  bench's), one appended sentence changed between 1 and
  110 of the 10,000 term profiles and between 5 and 540 term posting lists, which left
  between 235 and 9,900 neighbour lists to recompute: remembering the last build's
  neighbours would save little. The output stays a function of
  the inputs alone (a build after one change equals a cold build, byte for byte). Going
  below 2 s needs linking that updates only what a change touches: corpus-independent
  term weights and persisted candidate indexes (shingle postings, term postings), so a
  change re-scores the few articles that share its shingles and terms.
- **`mkdocs build`, {f['mkdocs'] / max(f['plain'], 1e-9):.1f}× the plain Material build.** The
  plain pages are one sentence each; an article page here is {f['article_html'] / 1024:.0f} KiB of
  HTML: the text, its facts list, related articles, shared passages, citations.
  Python-Markdown's cost grows with the blocks and links of a page, and Pagefind indexes
  the full text ({f['pagefind']:.0f} s of the {f['mkdocs']:.0f} s). The templates alone cost
  about what a whole plain page costs; a site of pages this rich stays several times
  slower than trivial pages under MkDocs, however fast the generator is. Two ways out
  were measured and do not help (2026-12-05): Python's cycle collector takes 4.6 s of a
  232 s `mkdocs build` at 10,000 captures, so switching it off saves 2%; and Zensical
  0.0.73 (the newest that installs here) builds the 1,000-capture site in 41 s against
  30 s for MkDocs.
"""


def page(results: dict, table: str) -> str:
    m = results["machine"]
    figs = [figures(s) for s in results["sizes"]]
    runs = " / ".join(f"{s['runs']} (N = {s['n']:,})" for s in results["sizes"])
    measured = [f for f in figs if check(f["material_index_gz"], float("inf")) is not None]
    per_article_gz = measured[0]["material_index_gz"] / measured[0]["n"] if measured else 0
    crossover = int(300 * KB / per_article_gz) if per_article_gz else 0
    return f"""# Performance

Measured by `make bench` (`benchmarks/run.py --write-docs`) on {m['date']}: {m['nproc']} cores
({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}.
Each figure is the median of several runs: {runs}; every generator run is its own process.
Load average (1 min) at the start and end of each run: {_loads(results)} on {m['nproc']} cores:
anything above {m['nproc']} means other work shared the machine and the times are inflated by it.

The corpus is synthetic (`benchmarks/generate.py --seed 1`): 600–900-word articles with
varied page furniture, about 5% re-captures of the same story, and a vocabulary with a
long tail of rare words, as news text has (about 20,000 distinct words in 2,000 articles,
growing about as the square root of the text; the corpus before 2026-12-06 had about
3,000, which made Pagefind's index and TF-IDF linking look cheaper than they are). The targets are the ones
set for the archive at scale; the bench reports against them and never fails on them.

{table}

## What the rows mean

- **Cold**: no `docs/`, no cache. **No-op**: the same build again, nothing changed.
  **One changed capture**: one sentence edited in one capture, then a build.
- **Peak RSS**: largest resident set of the generator's processes (main or worker).
- **Whole build**: the cold generator plus `mkdocs build` of its output, against
  `mkdocs build` of a plain Material project with as many trivial pages, the two run
  alternately so they see the same machine load. The target names "the whole `make
  build`", and `make build` here runs the generator only (`make site` adds `mkdocs
  build`), so the generator alone against the same plain build is shown too: the
  stricter reading is the first, and both are reported against 1.3.
- **Search**: above `extra.archive_search_threshold` article pages (`auto`), the site is
  searched with Pagefind; the Material index is measured from a separate build with
  `ARCHIVE_SEARCH=material`. The first query is measured in headless Chromium with an
  empty cache: from focusing the header search box (Pagefind's script and WebAssembly
  load then) to the first result shown, for three people's names (most named, median,
  rare). Each query is measured twice: with the site served by Python's `http.server`,
  which compresses nothing, and by a server that gzips text files (HTML, JavaScript,
  CSS, JSON) for browsers that accept it, as GitHub Pages does for the published site.
  Pagefind's index files are compressed by Pagefind itself, so the difference is mostly
  its two scripts (`pagefind.js`, `pagefind-worker.js`, 87 KB raw). Bytes are counted as
  transferred (headers included) and in decimal kB, the stricter reading of "300 KB".

{where_time_goes(figs[-1])}

## Search: why Pagefind above {crossover or 'N'} articles

Material's search loads its whole index before the first result: about
{per_article_gz / KB:.1f} KiB gzipped per article here, so it passes the 300 KiB first-query
budget at about {crossover:,} articles. Pagefind fetches its scripts and WebAssembly (a
fixed cost), its page list (which grows with the archive, by about 7 bytes a page), the
index chunks of the words searched and the fragments of the results shown: far less
than a whole index, and growing slowly (compare the two sizes above).
`extra.archive_search: auto` switches at `archive_search_threshold` (100 article pages),
a round number below that crossover.

Under plain `mkdocs serve`, MkDocs rebuilds the whole site after every edit and Pagefind
re-indexes it (the "mkdocs build" and "Pagefind indexing" rows). `make serve` on an archive
of more than 500 articles runs `mkdocs serve --dirty` instead: MkDocs rebuilds only the
pages whose Markdown changed, and Pagefind re-indexes in the background while the last
index keeps serving (README, "Live preview").
"""
