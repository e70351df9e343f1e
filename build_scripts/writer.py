"""Writing ``docs/``: atomic, only when bytes change, and never losing a curator's edit.

State lives in ``docs/.archive/`` (not published by MkDocs, which skips dot folders):

- ``manifest.json``: every file the build generated, with the SHA-256 of what it generated;
- ``base/<page>``: the last generated version of every Markdown page.

For each page the writer compares three versions: the last generated one (base), the
one on disk (ours, maybe edited by hand) and the new one (theirs). An untouched page is
replaced; an edited page is merged (``merge.merge_page``): the curator's fields and
passages stay, everything else follows the build, and clashes are reported.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import multiprocessing as mp
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import FrontMatterError
from .merge import Conflict, merge_page

log = logging.getLogger(__name__)

STATE = ".archive"
MANIFEST = f"{STATE}/manifest.json"
BASE = f"{STATE}/base"
RACY_NS = 2_000_000_000  # a file modified this close to the index's save is read, not trusted
MISSING = ""  # KnownFiles.sha256 of a file that does not exist


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and ``os.replace``: readers see the old or the new file.

    A killed build leaves each file old or new (the rename is atomic). There is no fsync:
    that would guard against power loss, not against a killed process, at ~0.3 ms a file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Lazy:
    """A generated file not rendered unless needed: ``key`` digests everything ``make``
    reads. When the key is the one the file was last generated from, and the file (and
    its merge base) are as that build left them, the writer keeps it without calling
    ``make``."""

    key: str
    make: Callable[[], str | bytes]


class KnownFiles:
    """What the last build left in ``docs/``: path -> (size, mtime, SHA-256), kept locally
    (under ``.cache/``, never committed), so unchanged files need not be read again.

    A file counts as known only when its size and modification time are the recorded
    ones and it was not modified within ``RACY_NS`` of the index's save (git's "racy"
    rule): any edit, by hand or by a tool, makes it unknown, and it is read. Without an
    index file (``path=None``, or deleted) every file is unknown: slower, same result."""

    def __init__(self, docs: Path, path: Path | None, seen: list[tuple[str, int, int]] | None = None) -> None:
        self.docs, self.path = docs, path
        self.seen = {rel: (size, mtime) for rel, size, mtime in seen or ()}  # (size, mtime) by the walk
        self.entries: dict[str, list] = {}
        self.keys: dict[str, str] = {}  # path -> key of the inputs it was last generated from (Lazy)
        self.saved_ns = 0
        try:
            saved = json.loads(path.read_text(encoding="utf-8")) if path else {}
            if saved.get("docs") == str(docs.resolve()):
                self.entries, self.saved_ns = dict(saved["files"]), int(saved["saved_ns"])
                self.keys = dict(saved.get("keys", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries, self.keys = {}, {}

    def sha256(self, rel: str, stat: bool = True) -> str | None:
        """The file's SHA-256 if known without reading it, MISSING if absent, else None.

        ``stat=False``: as the walk of ``docs/`` the build began with saw the file
        (``seen``, from ``state.tree``), without a stat, and None for a file it did not see.
        Only a decision to leave a file alone may rest on it: a file edited since is then
        left alone too, and the next build, which walks ``docs/`` again, sees the edit."""
        if stat:
            try:
                st = os.stat(self.docs / rel)
            except FileNotFoundError:
                return MISSING
            except OSError:
                return None
            size, mtime = st.st_size, st.st_mtime_ns
        elif rel in self.seen:
            size, mtime = self.seen[rel]
        else:
            return None
        entry = self.entries.get(rel)
        if entry and entry[0] == size and entry[1] == mtime < self.saved_ns - RACY_NS:
            return entry[2]
        return None

    def record(self, rel: str, digest: str) -> None:
        self.seen.pop(rel, None)
        try:
            st = os.stat(self.docs / rel)
        except OSError:
            self.entries.pop(rel, None)
            return
        self.entries[rel] = [st.st_size, st.st_mtime_ns, digest]

    def forget(self, rel: str) -> None:
        self.seen.pop(rel, None)
        self.entries.pop(rel, None)
        self.keys.pop(rel, None)

    def save(self) -> None:
        if self.path is None:
            return
        record = {"docs": str(self.docs.resolve()), "saved_ns": time.time_ns(), "files": self.entries,
                  "keys": self.keys}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record, separators=(",", ":"), sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("could not save the index of docs/ files %s: %s", self.path, exc)


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # generated pages carrying hand edits
    kept: list[str] = field(default_factory=list)  # hand-written or unreadable pages left alone
    conflicts: list[Conflict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)  # --check: what a build would change
    # Every file of docs/ the build may have changed (written, deleted, its own state, swept
    # temporary files): the walk of docs/ taken before the build, with these stat'ed again,
    # is docs/ after it (``state.walk_after``).
    touched: list[str] = field(default_factory=list)


class DocsWriter:
    """Plans and applies the files of one build. ``check=True`` changes nothing."""

    def __init__(self, docs: Path, check: bool = False, known: KnownFiles | None = None) -> None:
        self.docs = docs
        self.check = check
        self.manifest = load_manifest(docs)
        self.known = known or KnownFiles(docs, None)
        self.outputs: dict[str, bytes] = {}
        self.digests: dict[str, str] = {}
        self.report = WriteReport()

    def add(self, rel: str, content: str | bytes | Lazy) -> None:
        self.outputs[rel] = content  # type: ignore[assignment] - Lazy until apply() needs its bytes

    def apply(self, workers: int = 1, tick: Callable[[int], object] = lambda n: None,
              later: Callable[[], Iterable[tuple[str, str | bytes]]] | None = None) -> WriteReport:
        """Write every file; with ``workers`` > 1 and enough files, in forked processes
        that share this writer's plan (nothing is pickled but their reports). ``tick(n)``
        is called as files are done (a progress bar). ``later()``: more files, asked for
        once the others are written (made meanwhile elsewhere), and written here."""
        touched = set(sweep_temporary_files(self.docs)) if not self.check else set()
        rels = [rel for rel in sorted(self.outputs) if not self._seen_kept(rel)]  # no process for those
        tick(len(self.outputs) - len(rels))
        if workers > 1 and len(rels) >= PARALLEL_FILES and "fork" in mp.get_all_start_methods():
            self._apply_forked(rels, workers, tick)
        else:
            for rel in rels:
                self._apply_files([rel])
                tick(1)
        for rel, content in sorted(later() if later else ()):
            self.add(rel, content)
            self._apply_files([rel])
            rels.append(rel)
        for name in ("written", "unchanged", "merged", "kept", "differs"):  # forked or later: in order
            getattr(self.report, name).sort()
        retired = sorted(set(self.manifest) - set(self.outputs))
        for rel in retired:
            self._retire(rel)
        self.report.errors.sort()
        body = manifest_text(self.digests)
        self._put(MANIFEST, body.encode(), None, track=False)
        if not self.check:
            self.known.save()
            touched.update(rels + retired)
            touched.update(f"{BASE}/{rel}" for rel in rels + retired if rel.endswith(".md"))
            self.report.touched = sorted(touched | {MANIFEST})
        return self.report

    def _apply_files(self, rels: list[str]) -> None:
        for rel in rels:
            content = self.outputs[rel]
            if isinstance(content, Lazy) and self._kept(rel, content.key):
                continue
            data = content.make() if isinstance(content, Lazy) else content
            data = data.encode("utf-8") if isinstance(data, str) else data
            self.digests[rel] = sha256(data)
            on_disk = self.known.sha256(rel)  # one stat, for the merge decision and the write
            final = self._final(rel, data, on_disk)
            self._put(rel, final, self.digests[rel] if final is data else sha256(final), on_disk=on_disk)
            if rel.endswith(".md"):
                self._put(f"{BASE}/{rel}", data, self.digests[rel], track=False)
            if isinstance(content, Lazy) and not self.check:
                self.known.keys[rel] = content.key
            self.outputs[rel] = b""  # written: its bytes are not needed any more

    def _apply_forked(self, rels: list[str], workers: int, tick: Callable[[int], object]) -> None:
        global _FORKED
        _FORKED = self
        chunks = [rels[i::workers * 8] for i in range(workers * 8)]  # interleaved: even costs; 8 a worker: progress
        try:
            with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                futures = {pool.submit(_apply_part, chunk): len(chunk) for chunk in chunks if chunk}
                for future in cf.as_completed(futures):
                    tick(futures[future])
                parts = [f.result() for f in futures]
        finally:
            _FORKED = None
        for report, digests, entries, keys in parts:
            for name in ("written", "unchanged", "merged", "kept", "differs", "errors", "conflicts"):
                getattr(self.report, name).extend(getattr(report, name))
            self.digests.update(digests)
            self.known.keys.update(keys)
            for path, entry in entries.items():
                if entry is None:
                    self.known.entries.pop(path, None)
                else:
                    self.known.entries[path] = entry
        self.report.conflicts.sort(key=lambda c: c.page)  # stable: a page's conflicts keep their order

    def _seen_kept(self, rel: str) -> bool:
        """``_kept``, decided from the walk of ``docs/`` the build began with, without a stat
        (``KnownFiles.sha256``): after a small change, most files are kept this way, in this
        process, and only the others go to forked writers, or none when they are few."""
        content = self.outputs[rel]
        return isinstance(content, Lazy) and self._kept(rel, content.key, stat=False)

    def _kept(self, rel: str, key: str, stat: bool = True) -> bool:
        """A lazy file generated from the same inputs last time, left as it was: kept, unread."""
        digest = self.manifest.get(rel)
        if not digest or self.known.keys.get(rel) != key or self.known.sha256(rel, stat) != digest:
            return False
        if rel.endswith(".md") and self.known.sha256(f"{BASE}/{rel}", stat) != digest:
            return False
        self.digests[rel] = digest
        self.report.unchanged.append(rel)
        return True

    def _final(self, rel: str, theirs: bytes, digest: str | None) -> bytes:
        """``digest``: the page on disk as ``KnownFiles.sha256`` knows it."""
        if digest == self.digests[rel] or digest == MISSING or not rel.endswith(".md"):
            return theirs
        if digest is not None and digest == self.manifest.get(rel):
            return theirs  # as the last build left it: not edited
        ours = _read(self.docs / rel)
        if ours is None or ours == theirs:
            return theirs
        base = _read(self.docs / BASE / rel)
        if base is None:
            if self.manifest.get(rel) == sha256(ours):
                return theirs
            self.report.kept.append(rel)  # written by hand where the build now puts a page
            return ours
        if ours == base:
            return theirs
        try:
            merged, conflicts = merge_page(base.decode(), ours.decode(), theirs.decode(), rel)
        except (FrontMatterError, UnicodeDecodeError) as exc:
            self.report.errors.append(f"{exc}; page kept as is, not updated")
            self.report.kept.append(rel)
            return ours
        self.report.merged.append(rel)
        self.report.conflicts.extend(conflicts)
        return merged.encode()

    def _put(self, rel: str, data: bytes, digest: str | None, track: bool = True, on_disk: object = ...) -> None:
        """``on_disk``: ``KnownFiles.sha256(rel)`` when the caller has it already."""
        path = self.docs / rel
        digest = digest or sha256(data)
        known = self.known.sha256(rel) if on_disk is ... else on_disk
        if known == digest or (known is None and _read(path) == data):
            if known is None and not self.check:
                self.known.record(rel, digest)
            if track:
                self.report.unchanged.append(rel)
            return
        if self.check:
            self.report.differs.append(rel)
            return
        atomic_write(path, data)
        self.known.record(rel, digest)
        if track:
            self.report.written.append(rel)

    def _retire(self, rel: str) -> None:
        """A file the build no longer generates: deleted, unless a curator edited it."""
        path, base_path = self.docs / rel, self.docs / BASE / rel
        ours = _read(path)
        if ours is not None and sha256(ours) != self.manifest[rel]:
            self.report.kept.append(rel)  # edited by hand: from now on a hand-written page
            self._remove(base_path, f"{BASE}/{rel}")
            return
        self._remove(path, rel)
        self._remove(base_path, f"{BASE}/{rel}")

    def _remove(self, path: Path, rel: str) -> None:
        if not path.exists():
            return
        if self.check:
            self.report.differs.append(rel)
            return
        path.unlink()
        self.known.forget(rel)
        if not rel.startswith(STATE):
            self.report.deleted.append(rel)


PARALLEL_FILES = 2000  # fewer files than this are written by this process alone
_FORKED: DocsWriter | None = None  # the writer a forked worker inherits


def _apply_part(rels: list[str]) -> tuple[WriteReport, dict[str, str], dict[str, list | None], dict[str, str]]:
    """In a forked worker: write ``rels`` and return what the parent needs to know."""
    w = _FORKED
    assert w is not None
    w.report, w.digests = WriteReport(), {}
    w._apply_files(rels)
    paths = [p for rel in rels for p in (rel, f"{BASE}/{rel}")]
    return (w.report, w.digests, {p: w.known.entries.get(p) for p in paths},
            {rel: w.known.keys[rel] for rel in rels if rel in w.known.keys})


def sweep_temporary_files(docs: Path) -> list[str]:
    """Remove temporary files an interrupted build left behind (``atomic_write``'s
    ``.name.XXXX.tmp``); returns their paths, relative to ``docs``."""
    removed = []
    stack = [str(docs)]
    while stack:  # os.scandir: file types come with the names, nothing is stat'ed
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.startswith(".") and entry.name.endswith(".tmp"):
                Path(entry.path).unlink(missing_ok=True)
                removed.append(os.path.relpath(entry.path, docs).replace(os.sep, "/"))
    return removed


def manifest_text(digests: dict[str, str]) -> str:
    """``json.dumps({"files": digests}, indent=1, sort_keys=True)``, byte for byte, written
    a line at a time by the C encoder (``indent`` alone would use the slow pure-Python one)."""
    if not digests:
        return '{\n "files": {}\n}\n'
    lines = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(digests.items()))
    return '{\n "files": {\n' + lines + "\n }\n}\n"


def load_manifest(docs: Path) -> dict[str, str]:
    try:
        return dict(json.loads((docs / MANIFEST).read_text(encoding="utf-8")).get("files", {}))
    except (OSError, ValueError):
        return {}


def page_versions(docs: Path, rel: str) -> tuple[str | None, str | None]:
    """(on disk, last generated) text of a page, for reading curators' edits before a build."""
    ours, base = _read(docs / rel), _read(docs / BASE / rel)
    return (ours.decode("utf-8", "replace") if ours is not None else None,
            base.decode("utf-8", "replace") if base is not None else None)
