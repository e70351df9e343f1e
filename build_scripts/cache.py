"""A content-hash cache of per-capture results, so a rebuild re-processes only what changed.

The key of a capture's result is the SHA-256 of its bytes, its path and page id, and a
fingerprint of everything extraction depends on: the code of the per-capture stages
(the modules ``parallel.py`` imports), the heuristics data, the versions of the libraries
they use, and the curated knowledge files. Change any of those and every
entry is stale; change one capture and only its entry is. The cache is an SQLite file
under ``.cache/`` (never committed) and is safe to delete at any time.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import logging
import os
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent
SCHEMA = "create table if not exists results (key text primary key, value blob not null)"


def fingerprint(knowledge: Path, extra: str = "", entry: str | None = None) -> str:
    """A digest of the code, the heuristics data and the knowledge files the stages read.

    ``entry`` (a module of this package) narrows the code to what that module imports,
    directly or not, plus the versions of the libraries those modules import: an edit to
    the linking or rendering code then leaves the per-capture results valid. Without it,
    every module of the package counts."""
    h = hashlib.sha256(extra.encode())
    if entry is None:
        files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".yml"))
    else:
        modules, libraries = import_closure(entry)
        files = [PACKAGE / f"{m}.py" for m in modules] + sorted((PACKAGE / "data").rglob("*.y*ml"))
        h.update(repr(library_versions(libraries)).encode())
    files += sorted(p for p in knowledge.rglob("*") if p.is_file()) if knowledge.is_dir() else []
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=8)
def import_closure(entry: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(modules of this package, top-level outside packages) that ``entry`` imports, transitively."""
    todo, seen, outside = [entry], set(), set()
    while todo:
        name = todo.pop()
        if name in seen or not (PACKAGE / f"{name}.py").is_file():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(PACKAGE.name)):
                base = (node.module or "").removeprefix(PACKAGE.name).lstrip(".")
                todo += [base.split(".")[0]] if base else [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                outside.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                outside.update(a.name.split(".")[0] for a in node.names)
    return tuple(sorted(seen)), tuple(sorted(outside - {PACKAGE.name}))


@functools.lru_cache(maxsize=8)
def library_versions(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(distribution, version) of the installed libraries behind these top-level modules."""
    import importlib.metadata  # here: a rebuild whose inputs are unchanged never needs it

    out, unknown = set(), []
    for name in (n for n in names if n not in sys.stdlib_module_names):
        try:  # most distributions are named like their module
            out.add((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            unknown.append(name)
    for name in unknown:  # the others (yaml for PyYAML): the version the module states
        module = sys.modules.get(name) or importlib.import_module(name)
        out.add((name, str(getattr(module, "__version__", ""))))
    return sorted(out)


def digest(*parts: Any) -> str:
    """A short digest of picklable values, the same in every run (page keys, texts)."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).hexdigest()


def key(sha256: str, rel: str, article_id: str, print_: str) -> str:
    return hashlib.sha256(f"{sha256}\0{rel}\0{article_id}\0{print_}".encode()).hexdigest()


class ResultCache:
    """Pickled results by key. Unreadable or missing cache files behave as empty caches."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute(SCHEMA)
        except sqlite3.Error as exc:
            log.warning("cache disabled (%s): %s", path, exc)
            self.db = None

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` have an entry (read or not: ``get_many`` may still miss a corrupt one)."""
        return {k for k, in self._select("key", keys)}

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        out: dict[str, object] = {}
        for k, blob in self._select("key, value", keys):
            try:
                out[k] = pickle.loads(blob)
            except Exception:  # noqa: BLE001 - a stale or corrupt entry is just a miss
                continue
        return out

    def _select(self, columns: str, keys: Iterable[str]) -> Iterator[tuple]:
        """The rows of ``keys`` that have an entry, ``columns`` of each; a failed read ends them."""
        if self.db is None:
            return
        wanted = list(keys)
        for i in range(0, len(wanted), 900):  # SQLite's limit on the parameters of one statement
            chunk = wanted[i:i + 900]
            try:
                rows = self.db.execute(f"select {columns} from results where key in ({','.join('?' * len(chunk))})",
                                       chunk).fetchall()
            except sqlite3.Error as exc:
                log.warning("cache read failed: %s", exc)
                return
            yield from rows

    def put_many(self, items: dict[str, object]) -> None:
        """Store results by key; a result given as ``bytes`` is taken as already pickled."""
        if self.db is None or not items:
            return
        rows = [(k, v if isinstance(v, bytes) else pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
                for k, v in items.items()]
        try:
            with self.db:
                self.db.executemany("insert or replace into results values (?, ?)", rows)
        except sqlite3.Error as exc:
            log.warning("cache write failed: %s", exc)

    def prune(self, keep: set[str]) -> None:
        """Drop entries no capture of this build uses, so the cache does not grow forever."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("create temp table if not exists keep (key text primary key)")
                self.db.execute("delete from keep")
                self.db.executemany("insert or ignore into keep values (?)", [(k,) for k in keep])
                self.db.execute("delete from results where key not in (select key from keep)")
        except sqlite3.Error as exc:
            log.warning("cache prune failed: %s", exc)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def load_memo(path: Path | None, tag: str) -> dict:
    """What ``save_memo`` kept under the same ``tag`` (a fingerprint of the code that made
    it); a missing, stale or unreadable file is an empty memo."""
    if path is None:
        return {}
    try:
        saved_tag, data = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - a broken memo is just no memo
        return {}
    return data if saved_tag == tag and isinstance(data, dict) else {}


def save_memo(path: Path | None, tag: str, data: dict) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two builds at once never share it
        tmp.write_bytes(pickle.dumps((tag, data), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not save %s: %s", path, exc)
