"""Live preview: ``mkdocs serve`` plus the generator re-run on every change, with no loop.

The generator runs outside MkDocs' event loop, in this process. It watches ``seeds/``,
``knowledge/`` and ``docs/`` (a curator's edit to an article's front matter changes
event and people pages too). A rebuild writes only files whose bytes changed, and the
watcher ignores the files the last rebuild wrote itself, so a rebuild never triggers
another one. MkDocs sees the changed pages in ``docs/`` and reloads the browser.
"""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import BuildOptions, BuildReport, build
from .errors import ArchiveError
from .writer import STATE

log = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 0.3
# Above this many article pages MkDocs rebuilds only the pages whose Markdown changed
# (``mkdocs serve --dirty``): a full rebuild after each edit takes minutes at 10,000
# (docs/performance.md), a dirty one seconds. The generator rewrites every page an edit
# affects (event, people, index and timeline pages), so those are rebuilt too; only
# Material's tags page stays as first built (Pagefind re-indexes in the background,
# hooks/archive_search.py).
DIRTY_ABOVE = 500


class Rebuilder(FileSystemEventHandler):
    """Debounced rebuilds; events caused by the rebuild's own writes are ignored."""

    def __init__(self, options: BuildOptions, on_report) -> None:
        self.options = options
        self.on_report = on_report
        self.own_writes: dict[Path, int] = {}  # path -> mtime of the rebuild's own write
        self.pending = threading.Event()
        self.lock = threading.Lock()
        self.changed: set[Path] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        with self.lock:
            self.changed.update(Path(p).resolve() for p in (event.src_path, getattr(event, "dest_path", "")) if p)
        self.pending.set()

    def _take_changes(self) -> bool:
        """Whether anything changed that the last rebuild did not write itself."""
        with self.lock:
            changed, self.changed = self.changed, set()
        return any(not self._ignored(p) for p in changed)

    def _ignored(self, path: Path) -> bool:
        docs = self.options.docs.resolve()
        if path.name.startswith(".") or path.name.endswith(".tmp"):
            return True
        if path.is_relative_to(docs / STATE):
            return True
        return path in self.own_writes and _mtime(path) == self.own_writes[path]

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if not self.pending.wait(0.2):
                continue
            time.sleep(DEBOUNCE_SECONDS)
            self.pending.clear()
            if self._take_changes():
                self.rebuild()

    def rebuild(self) -> BuildReport | None:
        try:
            report = build(self.options)
        except ArchiveError as exc:
            log.error("rebuild failed: %s", exc)
            return None
        except Exception as exc:  # noqa: BLE001 - keep serving; the next save retries
            log.error("rebuild failed: %s: %s", type(exc).__name__, exc)
            return None
        docs = self.options.docs.resolve()
        self.own_writes = {docs / rel: _mtime(docs / rel) for rel in (*report.write.written, *report.write.deleted)}
        self.on_report(report)
        return report


def wants_dirty(docs: Path) -> bool:
    """Whether ``docs`` holds more than ``DIRTY_ABOVE`` article pages (its index.md excluded)."""
    return sum(1 for p in (docs / "articles").glob("*.md") if p.name != "index.md") > DIRTY_ABOVE


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return -1


def serve(options: BuildOptions, config: Path, dev_addr: str, on_report, dirty: bool = False) -> int:
    """Build, start ``mkdocs serve``, rebuild on changes until interrupted. Returns mkdocs' status.
    ``dirty``: MkDocs rebuilds only the changed pages after an edit (``wants_dirty``)."""
    rebuilder = Rebuilder(options, on_report)
    rebuilder.rebuild()
    observer = Observer()
    for folder in (options.seeds, options.knowledge, options.docs):
        if folder.is_dir():
            observer.schedule(rebuilder, str(folder), recursive=True)
    stop = threading.Event()
    worker = threading.Thread(target=rebuilder.run_forever, args=(stop,), daemon=True)
    observer.start()
    worker.start()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", dev_addr]
    command += ["--dirty"] if dirty else []
    process = subprocess.Popen(command)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())  # stopping us stops mkdocs too
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
    finally:
        stop.set()
        observer.stop()
        observer.join(timeout=5)
