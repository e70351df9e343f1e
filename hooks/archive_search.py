"""MkDocs hook: the archive's search box, served by Material's search or by Pagefind.

``extra.archive_search`` in mkdocs.yml chooses:

- ``material``: Material's built-in search (one JSON index of every page, loaded whole
  by the browser on the first search). Best for small archives.
- ``pagefind``: Material's search plugin is switched off; after the build, Pagefind
  (the ``pagefind[bin]`` package) indexes the article, event, people and organization
  pages into ``site/pagefind/``, a chunked index of which a query fetches only a few
  small files. The header search box is the same, its results come from Pagefind.
- ``auto`` (default): ``pagefind`` when ``docs/articles/`` holds more than
  ``extra.archive_search_threshold`` article pages (default below), else ``material``.

The resolved choice is put in ``extra.archive_search_mode`` for the templates
(overrides/partials/header.html). Under ``mkdocs serve`` Pagefind re-indexes the whole
site after every rebuild (see docs/performance.md for how long that takes). Under
``mkdocs serve --dirty`` (what ``python -m build_scripts serve`` runs for large archives)
the rebuild does not wait for it: the index already served stays in use while Pagefind
re-indexes the site in the background, and the new index replaces it when done (at
10,000 articles the re-index takes 37-45 s beside the rest; README, "Live preview"); a
newer edit restarts the re-index.
"""
from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.archive_search")

MODES = ("material", "pagefind", "auto")
DEFAULT_THRESHOLD = 100  # article pages; measured in docs/performance.md ("Search")
SECTIONS = {"articles": "Article", "events": "Event", "people": "Person", "organizations": "Organization"}
END_OF_TEXT = "<!-- archive:text:end -->"  # render.py's marker after an article's text
# An article's facts list (render.article_facts), above its text: the values are searched
# (outlet, agency, date, event, names), not the labels, the "nothing found" values, how a
# date was found ("printed in the capture"), nor the line about the capture file (path,
# size, SHA-256, date it entered): words on every page, which would make "stated", "bytes"
# or "raw" match the whole archive.
START_OF_TEXT = "<!-- archive:text:start -->"
FACT = re.compile(r"<li><strong>([^<>]{1,40}):</strong>\s*(.*?)</li>", re.S)
UNSEARCHED_FACTS = frozenset({"Capture"})
EXPLAINED_FACTS = frozenset({"Date"})  # "<value> — <how the build found it>": the value searched
NOTHING = frozenset({"not stated", "none found", "not linked to an event"})
# Sections of event, people and organization pages that list other pages: cross-references,
# not content (a person's name in a co-mention list must not make their page a match).
LISTINGS = re.compile(r'<h2 id="(?:articles|coverage|mentions|appears-with|people-named-in-the-coverage)"')
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

INDEX, NEXT_INDEX = "pagefind", ".pagefind-next"  # the served index; a background re-index's output
ENTRY = "pagefind-entry.json"  # what a browser reads first: replaced last, so it never names missing files

_mode = "material"
_dirty_serve = False  # mkdocs serve --dirty: rebuilds after the first re-index in the background
_refresh: dict = {}  # that background re-index: "process", "thread", "installed" (the files served)


def count_articles(docs_dir: str) -> int:
    """Article pages in ``docs_dir/articles`` (index.md excluded)."""
    try:
        with os.scandir(Path(docs_dir) / "articles") as entries:
            return sum(1 for e in entries if e.name.endswith(".md") and e.name != "index.md")
    except OSError:
        return 0


def resolve_mode(wanted: object, articles: int, threshold: int) -> str:
    wanted = str(wanted or "auto").strip().lower()
    if wanted not in MODES:
        raise PluginError(f"extra.archive_search must be one of {', '.join(MODES)}, not {wanted!r}")
    if wanted == "auto":
        return "pagefind" if articles > threshold else "material"
    return wanted


def on_startup(command, dirty):
    global _dirty_serve
    _dirty_serve = command == "serve" and dirty
    if _dirty_serve:  # chosen knowingly (build_scripts/serve.py): not a warning that aborts a strict build
        logging.getLogger("mkdocs.commands.build").addFilter(_dirty_build_notice)  # added once: a set


def _dirty_build_notice(record: logging.LogRecord) -> bool:
    """MkDocs' warning that a dirty build is being performed, as information."""
    if record.levelno == logging.WARNING and str(record.msg).startswith("A 'dirty' build is being performed"):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


def on_config(config):
    global _mode
    extra = config.extra
    threshold = int(extra.get("archive_search_threshold") or DEFAULT_THRESHOLD)
    articles = count_articles(config.docs_dir)
    _mode = resolve_mode(extra.get("archive_search"), articles, threshold)
    extra["archive_search_mode"] = _mode
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if _mode == "pagefind" and search is not None:
        search.config.enabled = False  # no search_index.json: Pagefind serves the search box
    log.info("archive search: %s (%d article pages, threshold %d)", _mode, articles, threshold)
    return config


def human_date(value: object) -> str:
    """'2018-04-21' -> '21 April 2018'; '2018-04' -> 'April 2018'; '2018' -> '2018'."""
    parts = str(value or "").split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return ""
    if len(numbers) == 3 and 1 <= numbers[1] <= 12:
        return f"{numbers[2]} {MONTHS[numbers[1] - 1]} {numbers[0]}"
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{MONTHS[numbers[1] - 1]} {numbers[0]}"
    return str(numbers[0]) if len(numbers) == 1 else ""


def page_meta(page) -> dict[str, str]:
    """What a search result shows: the page's title, its kind and its date."""
    section = page.file.src_uri.split("/", 1)[0]
    meta = {"title": html.unescape(str(page.title or "")), "kind": SECTIONS.get(section, "Page")}
    date = human_date(page.meta.get("date") or page.meta.get("start"))
    if date:
        meta["date"] = date
    return meta


def on_page_content(content, page, config, files):
    """Mark what Pagefind indexes: the pages of articles, events, people and organizations,
    each down to the end of its own text (not an article's removed lines, citation and
    related articles, nor the lists of articles and people on the other pages; of an
    article's facts list, the values only), with its title, kind and date as result metadata."""
    if _mode != "pagefind" or "id" not in page.meta:
        return content
    cut = content.find(END_OF_TEXT)
    if cut < 0:
        listing = LISTINGS.search(content)
        cut = listing.start() if listing else len(content)
    head, tail = content[:cut], content[cut:]
    facts_end = head.find(START_OF_TEXT)
    if facts_end >= 0:
        head = FACT.sub(_searched_fact, head[:facts_end]) + head[facts_end:]
    head = head.replace('class="headerlink"', 'class="headerlink" data-pagefind-ignore')
    head = head.replace("data-search-exclude", "data-search-exclude data-pagefind-ignore")
    tags = "".join(f'<span data-pagefind-meta="{key}" data-pagefind-ignore hidden>{html.escape(value)}</span>'
                   for key, value in page_meta(page).items())
    return f"<div data-pagefind-body>{head}{tags}</div>{tail}"


def _searched_fact(m: re.Match) -> str:
    """One item of an article's facts list, marked for Pagefind: its value searched, or none of it."""
    label, value = m.group(1), m.group(2)
    if label in UNSEARCHED_FACTS or value.strip() in NOTHING:
        return f"<li data-pagefind-ignore><strong>{label}:</strong> {value}</li>"
    if label in EXPLAINED_FACTS and " — " in value:  # "12 June 2012 — printed in the capture: ..."
        value, basis = value.split(" — ", 1)
        value += f' <span data-pagefind-ignore>— {basis}</span>'
    return f"<li><strong data-pagefind-ignore>{label}:</strong> {value}</li>"


def on_post_build(config):
    if _mode != "pagefind":
        return
    site = Path(config.site_dir)
    if _dirty_serve and (site / INDEX / "pagefind.js").is_file():
        refresh_in_background(_executable(), site)
        return
    started = time.perf_counter()
    proc = subprocess.run([_executable(), "--site", config.site_dir, "--quiet"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise PluginError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()}")
    _refresh["installed"] = _files(site / INDEX)
    log.info("pagefind indexed %s in %.1fs", config.site_dir, time.perf_counter() - started)


def _executable() -> str:
    try:
        from pagefind_bin import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise PluginError(f"archive_search: pagefind is not installed ({exc}); "
                          "pip install -r requirements.txt") from exc


def refresh_in_background(executable: str, site: Path) -> None:
    """Re-index ``site`` into NEXT_INDEX while the served index stays in use, then install
    the new one (``_install``). A re-index still running for an earlier edit is stopped
    first: the latest rebuild's pages are the ones to index."""
    stop_refresh()
    shutil.rmtree(site / NEXT_INDEX, ignore_errors=True)
    process = subprocess.Popen([executable, "--site", str(site), "--output-subdir", NEXT_INDEX, "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    thread = threading.Thread(target=_install_when_done, args=(process, site, time.perf_counter()), daemon=True)
    _refresh.update(process=process, thread=thread)
    thread.start()
    log.info("archive search: re-indexing with Pagefind in the background; the current index serves meanwhile")


def stop_refresh() -> None:
    """Stop a background re-index, if one runs (a newer edit, or the end of the serve)."""
    process, thread = _refresh.pop("process", None), _refresh.pop("thread", None)
    if process is not None and process.poll() is None:
        process.kill()
    if thread is not None:
        thread.join()


def wait_for_refresh() -> None:
    """Wait until the background re-index, if any, has installed its index (tests)."""
    thread = _refresh.get("thread")
    if thread is not None:
        thread.join()


def _install_when_done(process: subprocess.Popen, site: Path, started: float) -> None:
    _, errors = process.communicate()
    if process.returncode != 0:  # killed for a newer edit (negative), or failed: the served index stays
        if process.returncode > 0:
            log.error("pagefind failed (%s): %s; search keeps the last index", process.returncode, errors.strip())
        return
    _install(site / NEXT_INDEX, site / INDEX)
    log.info("archive search: Pagefind index refreshed in %.1fs", time.perf_counter() - started)


def _install(new: Path, served: Path) -> None:
    """Move the files of the ``new`` index over the ``served`` one. Pagefind names its index
    and fragment files by their content, so a new file never replaces one a browser may
    still fetch for the old index; the entry file, which names the current ones, goes last
    (``os.replace``: atomic). Files the index served before the last one are removed."""
    fresh = _files(new)
    for rel in sorted(fresh - {ENTRY}) + [ENTRY]:
        (served / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(new / rel, served / rel)
    for rel in _files(served) - fresh - _refresh.get("installed", set()):
        (served / rel).unlink(missing_ok=True)
    _refresh["installed"] = fresh
    shutil.rmtree(new, ignore_errors=True)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def on_shutdown():
    stop_refresh()
