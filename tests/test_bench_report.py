"""The bench's report (benchmarks/report.py): medians, PASS/FAIL against the targets, the page."""
from benchmarks import report


def _size(n, cold, noop, changed, link, mkdocs, plain, html, query_bytes, gzip_bytes=None):
    run = {"wall": cold, "maxrss_mb": 100.0 * n / 1000, "stages": {"extract": cold / 2, "link": link,
                                                                   "render+write": cold / 2 - link}}
    return {"n": n, "runs": 3, "generator": {
        "cold": [run, {**run, "wall": cold + 1}, {**run, "wall": cold - 1}],
        "noop": [{"wall": noop, "maxrss_mb": 50.0, "stages": {}}] * 3,
        "changed": [{"wall": changed, "maxrss_mb": 60.0, "stages": {"extract": 0.5, "link": link,
                                                                      "render+write": 0.2}}] * 3,
        "docs_bytes": 50 * n * 1000, "docs_files": 7 * n},
        "site": {"pages": 2 * n, "mkdocs": [mkdocs] * 3, "plain": [plain] * 3, "pagefind": [1.0],
                 "site_bytes": 80 * n * 1000, "article_html": html, "material_index": 13e3 * n,
                 "material_index_gz": 2.3e3 * n, "pagefind_bytes": 4e3 * n, "search_mode": "pagefind",
                 "search": {"bytes_median": query_bytes, "bytes_max": query_bytes, "ms_median": 200, "ms_max": 250,
                            **({"gzip": {"bytes_median": gzip_bytes, "bytes_max": gzip_bytes, "ms_median": 190,
                                         "ms_max": 600}} if gzip_bytes else {})}}}


def _rows(table: str) -> dict[str, str]:
    """The table's lines by their first cell."""
    return {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}


def test_the_table_judges_every_target_and_the_page_explains_the_largest_size():
    results = {"machine": {"date": "2026-11-22", "nproc": 2, "cpu": "test", "ram_gb": 24, "python": "3.11",
                           "load_start": 0.1, "load_end": 0.2, "commit": "abc1234"},
               "sizes": [_size(1000, 10.0, 0.3, 1.5, 2.0, 20.0, 5.0, 30000, 200_000, 150_000),
                         _size(10000, 100.0, 0.8, 30.0, 25.0, 150.0, 30.0, 40000, 301_535, 240_000)]}
    table = report.markdown(results)
    rows = _rows(table)
    assert rows["Generator, cold (captures/s)"].endswith("| FAIL · FAIL |")  # 100 and 100 captures/s
    assert rows["No-op rebuild (s)"].endswith("| PASS · PASS |")
    assert rows["One changed capture (s)"].endswith("| PASS · FAIL |")
    assert "| 12.5 |" in rows["Linking time, N = 10,000 / N = 1,000"] and rows[
        "Linking time, N = 10,000 / N = 1,000"].endswith("| FAIL |")
    assert rows["HTML bytes per article page (mean)"].endswith("| FAIL |")  # 40,000 is +33%
    raw, zipped = "served uncompressed (`http.server`)", "served gzipped, as by GitHub Pages"
    assert rows[f"Pagefind, first query, {raw}: bytes fetched (kB, median / max)"].endswith(
        "| 200 / 200 | 302 / 302 | ≤ 300 kB (300,000 bytes) | PASS · FAIL |")  # 301,535 bytes is over 300 kB
    assert rows[f"Pagefind, first query, {zipped}: bytes fetched (kB, median / max)"].endswith("| PASS · PASS |")
    assert rows[f"Pagefind, first query, {zipped}: time to first results (ms, median / max)"].endswith(
        "| FAIL · FAIL |")  # a worst query of 600 ms
    assert "&nbsp;&nbsp;stage `link`, one changed capture (s)" in rows
    # "the whole `make build`": generator + mkdocs (10 + 20 s against 5 s) and the generator alone (10 / 5 s)
    assert rows["Whole build (generator + mkdocs) / plain Material"].endswith("| 6.00 | 8.33 | ≤ 1.3 × plain | FAIL · FAIL |")
    assert rows["Generator alone (`make build`) / plain Material"].endswith("| 2.00 | 3.33 | ≤ 1.3 × plain | FAIL · FAIL |")
    fast = dict(results, sizes=[_size(1000, 6.0, 0.3, 1.5, 2.0, 20.0, 5.0, 30000, 200_000)])
    assert _rows(report.markdown(fast))["Generator alone (`make build`) / plain Material"].endswith("| 1.20 | ≤ 1.3 × plain | PASS |")
    page = report.page(results, table)
    assert "## Where the time goes at N = 10,000" in page and "70,000 in all" in page
    assert "7.0 files per capture" in page and "(25.0 s)" in page  # the link stage of one changed capture


def test_the_gzip_server_compresses_text_files_as_github_pages_does(tmp_path):
    import gzip
    import sys
    import urllib.request
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from sitecheck import serve_directory

    script = "const pagefind = 1;\n" * 500
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind.js").write_text(script)
    (tmp_path / "index.html").write_text("<p>home</p>\n" * 100)
    (tmp_path / "pagefind" / "chunk.pf_index").write_bytes(b"\x1f\x8b already compressed")

    def get(base: str, path: str, accept: str = "gzip, deflate") -> tuple[str | None, bytes]:
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": accept})
        with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback test server
            return response.headers.get("Content-Encoding"), response.read()

    with serve_directory(tmp_path, compress=True) as base:
        encoding, body = get(base, "/pagefind/pagefind.js")
        assert encoding == "gzip" and gzip.decompress(body).decode() == script and len(body) < len(script) / 10
        encoding, body = get(base, "/")
        assert encoding == "gzip" and gzip.decompress(body).startswith(b"<p>home</p>")
        assert get(base, "/pagefind/chunk.pf_index") == (None, b"\x1f\x8b already compressed")
        assert get(base, "/pagefind/pagefind.js", accept="identity") == (None, script.encode())
    with serve_directory(tmp_path) as base:
        assert get(base, "/pagefind/pagefind.js") == (None, script.encode())
