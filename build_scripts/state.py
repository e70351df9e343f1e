"""The no-op fast path: when nothing the build reads has changed since the last build, the
build is skipped and the last report is replayed (warnings included, so ``--strict`` and
``--check`` answer exactly as a full build would).

"Everything the build reads" is digested: the code and heuristics, the knowledge files,
and the size and modification time of every capture and of every file under ``docs/``
(so a changed capture, a curator's edit or a deleted page always triggers a real build).
A file modified in the same clock tick as the state's save (or after it) also counts by
its content, so an edit in the same tick as a write is seen (git's "racy" rule): for
``docs/``, the tick is read from the clock of its own file system (the time stamp of a
file created there at the save, as git compares with its index file's time stamp); for
captures, which the build does not write, any modification in the two seconds before the
save counts. The state lives next to the capture cache under ``.cache/`` and is safe to
delete.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from .cache import fingerprint
from .writer import STATE  # the build's own folder in docs/, where the clock is read

log = logging.getLogger(__name__)


RACY_NS = 2_000_000_000  # captures modified this close to the last save are compared by content


def inputs_digest(seeds: Path, docs: Path, knowledge: Path, paths: list[Path], options_repr: str,
                  racy_after: int, docs_racy_after: int | None = None,
                  docs_files: list[tuple[str, int, int]] | None = None) -> str:
    """Digest of every input. A capture modified at or after ``racy_after`` (ns), a docs/
    file at or after ``docs_racy_after`` (default: the same), counts by its content, not
    its time stamp: an edit in the same clock tick as the last write is seen.
    ``docs_files``: ``tree(docs)`` when the caller has walked it already."""
    docs_racy_after = racy_after if docs_racy_after is None else docs_racy_after
    h = hashlib.sha256()
    for part in (str(seeds.resolve()), str(docs.resolve()), str(knowledge.resolve()), options_repr,
                 fingerprint(knowledge)):
        h.update(part.encode() + b"\0")
    prefix = os.path.join(str(seeds), "")
    for path in paths:  # captures count by size and time, and by content when touched lately
        name = str(path)  # plain strings: 10,000 captures through pathlib would cost a tenth of a second
        rel = name[len(prefix):] if name.startswith(prefix) else path.relative_to(seeds).as_posix()
        h.update(rel.replace(os.sep, "/").encode() + b"\0")
        try:
            st = os.stat(name)
            h.update(f"{st.st_size}\0{st.st_mtime_ns}\n".encode())
            if st.st_mtime_ns >= racy_after:
                h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"unreadable")
    for rel, size, mtime in tree(docs) if docs_files is None else docs_files:
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
        if mtime >= docs_racy_after:
            h.update(hashlib.sha256((docs / rel).read_bytes()).digest())
    return h.hexdigest()


def tree(root: Path) -> list[tuple[str, int, int]]:
    """(path relative to root, size, mtime) of every file below ``root``, sorted."""
    out: list[tuple[str, int, int]] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, prefix + entry.name + "/"))
            else:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                out.append((prefix + entry.name, st.st_size, st.st_mtime_ns))
    return sorted(out)


def walk_after(docs: Path, before: list[tuple[str, int, int]], touched: list[str]) -> list[tuple[str, int, int]]:
    """``tree(docs)`` after a build, from the walk taken before it (``before``) and the
    files the build may have changed (``touched``), each stat'ed now: after a small change
    a few stats, not a walk of every file. A file a curator edits during the build keeps
    its old size and time here, so the next build does not take it for unchanged."""
    files = {rel: (size, mtime) for rel, size, mtime in before}
    for rel in touched:
        try:
            st = os.stat(docs / rel)
            files[rel] = (st.st_size, st.st_mtime_ns)
        except OSError:
            files.pop(rel, None)
    return sorted((rel, size, mtime) for rel, (size, mtime) in files.items())


def state_file(cache: Path | None, docs: Path) -> Path | None:
    """Where the last build's input digest and report are kept (the no-op fast path)."""
    return _local_file(cache, docs, "last-build")


def files_index(cache: Path | None, docs: Path) -> Path | None:
    """Where the index of the files the last build left in ``docs/`` is kept (writer.KnownFiles)."""
    return _local_file(cache, docs, "docs-files")


def memo_file(cache: Path | None, name: str) -> Path | None:
    """Where a memo of cross-article work is kept, beside the cache (None: no cache)."""
    return None if cache is None else cache.parent / f"{name}.pickle"


def _local_file(cache: Path | None, docs: Path, prefix: str) -> Path | None:
    """A state file beside the cache, one per ``docs/`` folder (None: no cache, no state)."""
    if cache is None:
        return None
    tag = hashlib.sha256(str(docs.resolve()).encode()).hexdigest()[:16]
    return cache.parent / f"{prefix}-{tag}.json"


def load(path: Path | None) -> dict:
    """The saved state of the last build: ``digest``, ``saved_ns``, ``report`` (or empty)."""
    if path is None:
        return {}
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) and "digest" in saved and "saved_ns" in saved else {}


def racy_marks(saved: dict) -> tuple[int, int]:
    """(captures, docs/ files): modified at or after these times (ns), they count by content."""
    return saved["saved_ns"] - RACY_NS, saved.get("docs_ns", saved["saved_ns"] - RACY_NS)


def file_system_now(folder: Path) -> int | None:
    """The time now by the clock that stamps files in ``folder`` (the modification time
    of a file created there), at that file system's own granularity; None if no file can
    be created there."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".clock.", suffix=".tmp")
    except OSError:
        return None
    try:
        return os.fstat(fd).st_mtime_ns
    finally:
        os.close(fd)
        os.unlink(tmp)


def save(path: Path | None, digest_of, report, docs: Path, docs_files: list[tuple[str, int, int]] | None = None,
         ) -> None:
    """Save the report with the digest of the inputs as they are now
    (``digest_of(captures_racy_after, docs_racy_after, docs_files)``); ``docs_files``:
    ``tree(docs)`` as the build left it (``walk_after``), else docs/ is walked again."""
    if path is None:
        return
    now = time.time_ns()
    docs_now = file_system_now(docs / STATE)  # None without the folder (no build wrote docs/ yet)
    docs_ns = now - RACY_NS if docs_now is None else docs_now
    data = asdict(report)
    data["write"] = {"unchanged": len(report.write.written) + len(report.write.unchanged)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        record = {"digest": digest_of(now - RACY_NS, docs_ns, docs_files), "saved_ns": now, "docs_ns": docs_ns, "report": data}
        tmp.write_text(json.dumps(record, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not save the build state %s: %s", path, exc)
