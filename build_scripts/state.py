"""The no-op fast path: when nothing the build reads has changed since the last build, the
build is skipped and the last report is replayed (warnings included, so ``--strict`` and
``--check`` answer exactly as a full build would).

"Everything the build reads" is digested: the code and heuristics, the knowledge files,
and the size and modification time of every capture and of every file under ``docs/``
(so a changed capture, a curator's edit or a deleted page always triggers a real build);
files modified within two seconds of the last build's end also count by their content, so
an edit in the same clock tick as a write is seen (git's "racy" rule). The state lives
next to the capture cache under ``.cache/`` and is safe to delete.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import asdict
from pathlib import Path

from .cache import fingerprint

log = logging.getLogger(__name__)


RACY_NS = 2_000_000_000  # files modified this close to the last save are compared by content


def inputs_digest(seeds: Path, docs: Path, knowledge: Path, paths: list[Path], options_repr: str,
                  racy_after: int) -> str:
    """Digest of every input. A docs/ file modified after ``racy_after`` (ns) counts by its
    content, not its timestamp: an edit in the same clock tick as the last write is seen."""
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
    for rel, size, mtime in _tree(docs):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
        if mtime >= racy_after:
            h.update(hashlib.sha256((docs / rel).read_bytes()).digest())
    return h.hexdigest()


def _tree(root: Path) -> list[tuple[str, int, int]]:
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


def save(path: Path | None, digest_of, report) -> None:
    """Save the report with the digest of the inputs as they are now (``digest_of(racy_after)``)."""
    if path is None:
        return
    now = time.time_ns()
    data = asdict(report)
    data["write"] = {"unchanged": len(report.write.written) + len(report.write.unchanged)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        record = {"digest": digest_of(now - RACY_NS), "saved_ns": now, "report": data}
        tmp.write_text(json.dumps(record, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not save the build state %s: %s", path, exc)
