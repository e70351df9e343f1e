"""Writing ``docs/``: atomic, only when bytes change, and never over a curator's edit.

The writer keeps a manifest (``docs/.archive/manifest.json``) of the SHA-256 of every
file it generated. A file whose bytes no longer match the manifest was edited by hand:
it is left as the curator left it and reported. A generated file that the build no
longer produces is deleted only if nobody edited it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
MANIFEST = ".archive/manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and ``os.replace``: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)  # for --check: what a build would change


class DocsWriter:
    """Plans and applies the files of one build. ``check=True`` changes nothing."""

    def __init__(self, docs: Path, check: bool = False) -> None:
        self.docs = docs
        self.check = check
        self.manifest: dict[str, str] = self._load_manifest()
        self.outputs: dict[str, bytes] = {}

    def _load_manifest(self) -> dict[str, str]:
        path = self.docs / MANIFEST
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")).get("files", {}))
        except (OSError, ValueError):
            return {}

    def add(self, rel: str, content: str | bytes) -> None:
        self.outputs[rel] = content.encode("utf-8") if isinstance(content, str) else content

    def is_hand_edited(self, rel: str) -> bool:
        path = self.docs / rel
        return path.exists() and rel in self.manifest and sha256(path.read_bytes()) != self.manifest[rel]

    def is_hand_written(self, rel: str) -> bool:
        return (self.docs / rel).exists() and rel not in self.manifest

    def apply(self) -> WriteReport:
        report = WriteReport()
        for rel in sorted(self.outputs):
            self._write_one(rel, self.outputs[rel], report)
        for rel in sorted(set(self.manifest) - set(self.outputs)):
            self._remove_stale(rel, report)
        manifest = {rel: sha256(data) for rel, data in self.outputs.items()}
        manifest.update({rel: self.manifest[rel] for rel in report.kept_edits if rel in self.manifest})
        body = json.dumps({"files": dict(sorted(manifest.items()))}, indent=1, sort_keys=True) + "\n"
        self._write_one(MANIFEST, body.encode(), report, track=False)
        return report

    def _write_one(self, rel: str, data: bytes, report: WriteReport, track: bool = True) -> None:
        path = self.docs / rel
        if path.exists() and path.read_bytes() == data:
            report.unchanged.append(rel)
            return
        if track and (self.is_hand_edited(rel) or self.is_hand_written(rel)):
            report.kept_edits.append(rel)
            return
        if self.check:
            report.differs.append(rel)
            return
        atomic_write(path, data)
        report.written.append(rel)

    def _remove_stale(self, rel: str, report: WriteReport) -> None:
        path = self.docs / rel
        if not path.exists():
            return
        if self.is_hand_edited(rel):
            report.kept_edits.append(rel)
            return
        if self.check:
            report.differs.append(rel)
            return
        path.unlink()
        report.deleted.append(rel)
