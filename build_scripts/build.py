"""Running a build: replay the last one when no input changed, else the pipeline.

``build(options)`` digests every input the build reads (``state.py``): when the digest
is the one the last build saved, nothing is read or written and that build's report is
replayed; otherwise the whole pipeline runs (``pipeline.full_build``). This module and
what it imports stay light, so that the no-op rebuild does not import the cleaning,
linking and rendering code it never runs.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import state
from .ingest import discover
from .options import BuildOptions
from .writer import WriteReport

__all__ = ["BuildOptions", "BuildReport", "build"]


@dataclass
class BuildReport:
    captures: int = 0
    articles: int = 0
    hand_written: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    uncurated: int = 0
    write: WriteReport = field(default_factory=WriteReport)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)

    def lap(self, stage: str, started: float) -> None:
        self.stages[stage] = time.perf_counter() - started - sum(self.stages.values())


def build(options: BuildOptions) -> BuildReport:
    """Build docs/ from the captures, or replay the last report when no input changed."""
    with cycle_collector_paused():
        return _build(options)


@contextmanager
def cycle_collector_paused():
    """Python's cycle collector off for the build, back as it was after.

    A build holds every article of the archive at once (millions of objects) and makes
    almost no reference cycles, which reference counting cannot free: at 10,000 captures
    the collector freed a few hundred objects per build, yet its full passes over the
    growing heap cost 7 s of 30 (one changed capture) and 10 s of 80 (cold), at the same
    peak memory. Processes forked for extraction and writing inherit the setting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    paths = discover(options.seeds, options.ingest)
    saved_at = state.state_file(options.cache, options.docs)
    saved = state.load(saved_at)
    seen = state.tree(options.docs) if saved else None  # docs/ as the build found it: the digest, the writer

    def digest(racy_after: int, docs_racy_after: int, docs_files: list | None = None) -> str:
        return state.inputs_digest(options.seeds, options.docs, options.knowledge, paths,
                                   repr((options.ingest, options.clean, options.link)), racy_after, docs_racy_after,
                                   docs_files)

    if saved and digest(*state.racy_marks(saved), seen) == saved["digest"]:
        return replay(saved["report"], started)
    from .pipeline import full_build  # the stages' code, imported only when some input changed

    report = full_build(options, paths, started, seen)
    if not options.check:
        after = None if seen is None else state.walk_after(options.docs, seen, report.write.touched)
        state.save(saved_at, digest, report, options.docs, after)
    return report


def replay(saved: dict, started: float) -> BuildReport:
    """The report of a build whose inputs are all unchanged: nothing to read, nothing to write."""
    report = BuildReport(**{k: v for k, v in saved.items() if k not in ("write", "stages", "seconds")})
    report.write = WriteReport(unchanged=[""] * saved["write"]["unchanged"])
    report.stages = {"unchanged inputs": time.perf_counter() - started}
    report.seconds = time.perf_counter() - started
    return report
