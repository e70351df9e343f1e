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

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FrontMatterError
from .merge import Conflict, merge_page

STATE = ".archive"
MANIFEST = f"{STATE}/manifest.json"
BASE = f"{STATE}/base"


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


class DocsWriter:
    """Plans and applies the files of one build. ``check=True`` changes nothing."""

    def __init__(self, docs: Path, check: bool = False) -> None:
        self.docs = docs
        self.check = check
        self.manifest = load_manifest(docs)
        self.outputs: dict[str, bytes] = {}
        self.report = WriteReport()

    def add(self, rel: str, content: str | bytes) -> None:
        self.outputs[rel] = content.encode("utf-8") if isinstance(content, str) else content

    def apply(self) -> WriteReport:
        if not self.check:
            sweep_temporary_files(self.docs)
        for rel in sorted(self.outputs):
            self._put(rel, self._final(rel, self.outputs[rel]))
            if rel.endswith(".md"):
                self._put(f"{BASE}/{rel}", self.outputs[rel], track=False)
        for rel in sorted(set(self.manifest) - set(self.outputs)):
            self._retire(rel)
        manifest = {rel: sha256(data) for rel, data in sorted(self.outputs.items())}
        body = json.dumps({"files": manifest}, indent=1, sort_keys=True) + "\n"
        self._put(MANIFEST, body.encode(), track=False)
        return self.report

    def _final(self, rel: str, theirs: bytes) -> bytes:
        ours = _read(self.docs / rel)
        if ours is None or ours == theirs or not rel.endswith(".md"):
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

    def _put(self, rel: str, data: bytes, track: bool = True) -> None:
        path = self.docs / rel
        if _read(path) == data:
            if track:
                self.report.unchanged.append(rel)
            return
        if self.check:
            self.report.differs.append(rel)
            return
        atomic_write(path, data)
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
        if not rel.startswith(STATE):
            self.report.deleted.append(rel)


def sweep_temporary_files(docs: Path) -> None:
    """Remove temporary files an interrupted build left behind (``atomic_write``'s ``.name.XXXX.tmp``)."""
    for path in docs.rglob(".*.tmp") if docs.is_dir() else ():
        path.unlink(missing_ok=True)


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
