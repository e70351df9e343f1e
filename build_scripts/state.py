"""The no-op fast path: when nothing the build reads has changed since the last build, the
build is skipped and the last report is replayed (warnings included, so ``--strict`` and
``--check`` answer exactly as a full build would).

"Everything the build reads" is digested: the code and heuristics, the knowledge files,
every capture's bytes, and the size and modification time of every file under ``docs/``
(so a curator's edit, or a deleted page, always triggers a real build). The state lives
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
    for path in paths:
        h.update(path.relative_to(seeds).as_posix().encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"unreadable")
    for rel, size, mtime in _tree(docs):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
        if mtime >= racy_after:
            h.update(hashlib.sha256((docs / rel).read_bytes()).digest())
    return h.hexdigest()


def _tree(root: Path) -> list[tuple[str, int, int]]:
    out = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            out.append((os.path.relpath(path, root), st.st_size, st.st_mtime_ns))
    return out


def state_file(cache: Path | None, docs: Path) -> Path | None:
    if cache is None:
        return None
    tag = hashlib.sha256(str(docs.resolve()).encode()).hexdigest()[:16]
    return cache.parent / f"last-build-{tag}.json"


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
