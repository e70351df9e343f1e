"""Crash safety, for real: ``kill -9`` at any moment of a build leaves every file of docs/
either as it was or as the build makes it, never truncated or mixed, and the next build
completes and passes ``--check``.

A corpus of a few hundred captures (the seeds, replicated with a sentence of their own)
is built once (the "before" docs/). The corpus is then changed (captures edited, added,
removed) and built from a copy of "before" (the "after" docs/). Then, again and again,
docs/ is reset to "before", the changed corpus is built in a subprocess, and the whole
process group is SIGKILLed: at random moments of the run, and at random moments after
the first file is written. After each kill every file must equal its before or its after
version and parse (front matter, JSON); then a build without a kill must give exactly
"after", and ``--check`` must pass.

Moments are drawn from a seeded generator; nothing here asserts how long anything takes.
"""
from __future__ import annotations

import json
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger(__name__)
COPIES = 40  # x 5 seeds = 200 captures
KILLS_ANYWHERE = 3
KILLS_WHILE_WRITING = 5
TEMP_FILE = re.compile(r"^\..+\.tmp$")  # writer.atomic_write's temporary files

pytestmark = [pytest.mark.slow]


def make_corpus(seeds: Path) -> None:
    for i in range(COPIES):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            text = seed.read_text(encoding="utf-8").rstrip("\n")
            out = seeds / f"batch{i:03d}" / seed.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f"{text}\n\nThis copy was filed as number {i} of the test archive.\n", encoding="utf-8")


def change_corpus(seeds: Path) -> None:
    """Edit a third of the captures, remove a tenth, add a few: many files change, some go, some come."""
    files = sorted(seeds.rglob("*.txt"))
    for n, path in enumerate(files):
        if n % 10 == 3:
            path.unlink()
        elif n % 3 == 0:
            path.write_text(path.read_text(encoding="utf-8") + "\nA correction was appended to this copy.\n",
                            encoding="utf-8")
    for i in range(5):
        src = files[i * 7 + 1]
        (seeds / "late" / f"added-{i}.txt").parent.mkdir(exist_ok=True)
        (seeds / "late" / f"added-{i}.txt").write_text(src.read_text(encoding="utf-8") + f"\nLate copy {i}.\n",
                                                       encoding="utf-8")


def env(code: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(code)
    e["SOURCE_DATE_EPOCH"] = "1700000000"  # the same "entered" date in every build
    e.pop("UPDATE_GOLDEN", None)
    return e


@dataclass(frozen=True)
class Corpus:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def code(self) -> Path:
        """A copy of build_scripts/ and knowledge/: every build of the module runs the same generator,
        even while the working tree is being edited."""
        return self.root / "code"

    def command(self, docs: Path, *extra: str) -> list[str]:
        return [sys.executable, "-m", "build_scripts", "build", "--seeds", str(self.seeds), "--docs", str(docs),
                "--knowledge", str(self.code / "knowledge"), "--cache", str(self.root / "cache"), *extra]

    def run(self, docs: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(docs, *extra), cwd=self.root, env=env(self.code), capture_output=True,
                              text=True, timeout=600)

    def start(self) -> subprocess.Popen:
        """The build of docs/ as a process group of its own, to be killed whole."""
        return subprocess.Popen(self.command(self.docs), cwd=self.root, env=env(self.code),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def parses(rel: str, data: bytes) -> None:
    if rel.endswith(".md"):
        post = frontmatter.loads(data.decode("utf-8"))
        assert isinstance(post.metadata, dict), rel
    elif rel.endswith(".json"):
        json.loads(data.decode("utf-8"))


def check_state(docs: Path, before: dict[str, bytes], after: dict[str, bytes], moment: str) -> int:
    """Every file is its before or after version and parses; returns the number of leftover temp files."""
    now = snapshot(docs)
    debris = 0
    for rel, data in now.items():
        if TEMP_FILE.match(Path(rel).name):
            debris += 1
            continue
        versions = [v for v in (before.get(rel), after.get(rel)) if v is not None]
        assert versions, f"{moment}: unexpected file {rel}"
        assert data in versions, (f"{moment}: {rel} is neither the old nor the new version ({len(data)} bytes); "
                                  f"vs old: {first_difference(before.get(rel), data)}; "
                                  f"vs new: {first_difference(after.get(rel), data)}")
        parses(rel, data)
    for rel in set(before) & set(after):
        assert rel in now, f"{moment}: {rel} vanished (it exists before and after the build)"
    return debris


def first_difference(expected: bytes | None, got: bytes) -> str:
    if expected is None:
        return "no such file"
    lines, theirs = expected.decode("utf-8", "replace").split("\n"), got.decode("utf-8", "replace").split("\n")
    for n, (a, b) in enumerate(zip(lines, theirs), start=1):
        if a != b:
            return f"line {n}: {a[:120]!r} != {b[:120]!r}"
    return f"{len(lines)} lines != {len(theirs)} lines"


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def first_write(docs: Path, proc: subprocess.Popen) -> bool:
    """Wait until the build starts writing docs/articles (its directory changes); False if it ended first."""
    folder = docs / "articles"
    mark = folder.stat().st_mtime_ns
    while proc.poll() is None:
        if folder.stat().st_mtime_ns != mark:
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    c = Corpus(tmp_path_factory.mktemp("crash"))
    shutil.copytree(ROOT / "build_scripts", c.code / "build_scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "knowledge", c.code / "knowledge")
    make_corpus(c.seeds)
    first = c.run(c.docs)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{COPIES * 5} captures, {COPIES * 5} articles" in first.stdout
    before = snapshot(c.docs)
    change_corpus(c.seeds)
    after_docs = c.root / "after"
    shutil.copytree(c.docs, after_docs)
    started = time.monotonic()
    second = c.run(after_docs)
    duration = time.monotonic() - started
    assert second.returncode == 0, second.stdout + second.stderr
    after = snapshot(after_docs)
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    return c, before, after, changed, duration


def test_the_rebuild_changes_many_files(states):
    _, before, after, changed, _ = states
    assert len(changed) > 200  # enough for a kill to land among the writes
    assert set(before) - set(after) and set(after) - set(before)  # pages removed and added
    for rel, data in [*before.items(), *after.items()]:
        parses(rel, data)


def test_kill_9_at_any_moment_leaves_old_or_new_files_and_the_next_build_completes(states):
    c, before, after, changed, duration = states
    rng = random.Random(20240607)
    moments = [("anywhere", rng.uniform(0.05, duration)) for _ in range(KILLS_ANYWHERE)]
    moments += [("writing", rng.uniform(0.0, 0.8)) for _ in range(KILLS_WHILE_WRITING)]
    landed, mixed, debris = 0, 0, 0
    for kind, delay in moments:
        _restore(c.docs, before)
        proc = c.start()
        if kind == "writing" and not first_write(c.docs, proc):
            continue  # finished before writing was seen: nothing to kill
        time.sleep(delay)
        if proc.poll() is not None:
            continue
        kill_group(proc)
        landed += 1
        debris += check_state(c.docs, before, after, f"kill {kind} +{delay:.2f}s")
        now = snapshot(c.docs)
        new = any(rel in now and now[rel] == after.get(rel) for rel in changed if rel in after)
        old = any(rel in now and now[rel] == before.get(rel) for rel in changed if rel in before)
        mixed += new and old
    assert landed >= (KILLS_ANYWHERE + KILLS_WHILE_WRITING) // 2, "too few kills landed during a build"
    assert mixed, "no kill landed in the middle of the writes: the test would not test anything"
    log.info("%d kills landed, %d in the middle of the writes; %d temporary files left behind", landed, mixed, debris)
    # the next build completes and gives exactly what an uninterrupted build gives
    final = c.run(c.docs)
    assert final.returncode == 0, final.stdout + final.stderr
    now = {rel: data for rel, data in snapshot(c.docs).items() if not TEMP_FILE.match(Path(rel).name)}
    differ = sorted(rel for rel in set(now) | set(after) if now.get(rel) != after.get(rel))
    assert not differ, [f"{rel}: {first_difference(after.get(rel), now.get(rel, b''))}" for rel in differ[:5]]
    check = c.run(c.docs, "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "check: docs/ up to date" in check.stdout


def _restore(docs: Path, state: dict[str, bytes]) -> None:
    if docs.exists():
        shutil.rmtree(docs)
    for rel, data in state.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
