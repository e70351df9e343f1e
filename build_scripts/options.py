"""The build's options, one typed record per stage that has tunables, and the whole build's.

Kept apart from the stages, with nothing heavier than ``ingest`` imported: a build whose
inputs are all unchanged reads its options (they are part of the inputs' digest) and
nothing else, so it must not pay for importing the cleaning, linking and rendering code.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .ingest import IngestOptions


@dataclass(frozen=True)
class CleanOptions:
    """Tunables of the clean stage; the defaults suit news pages."""

    patterns: Path | None = None  # furniture pattern file; default data/furniture.yaml
    max_title_words: int = 20  # an unterminated line longer than this is prose, not a title
    max_heading_words: int = 12  # longest line taken as a section heading
    teaser_cohesion: float = 0.12  # a trailing group sharing less vocabulary is a teaser
    teaser_list_cohesion: float = 0.35  # same, for a run of [title, one paragraph] pairs
    resume_cohesion: float = 0.15  # least overlap of text after an "end" line to resume the body
    headline_cohesion: float = 0.1  # least vocabulary a headline shares with the body
    standfirst_cohesion: float = 0.2  # least vocabulary a title-shaped standfirst shares
    cohesion_reference: float = 0.3  # typical paragraph-to-body overlap the ones above assume
    foreign_share: float = 0.5  # share of a sentence's letters in another script
    foreign_share_short: float = 0.15  # the same for a short line (nav, teaser title)
    max_wrap_width: int = 100  # widest line of a hard-wrapped text


@dataclass(frozen=True)
class LinkOptions:
    """Tunables of the link stage: how related articles are scored and how many are kept."""

    related_max: int = 5
    event_bonus: float = 0.25
    person_bonus: float = 0.05
    min_score: float = 0.1


@dataclass(frozen=True)
class BuildOptions:
    seeds: Path = Path("seeds")
    docs: Path = Path("docs")
    knowledge: Path = Path("knowledge")
    strict: bool = False
    check: bool = False
    ingest: IngestOptions = IngestOptions()
    clean: CleanOptions = CleanOptions()
    link: LinkOptions = LinkOptions()
    cache: Path | None = Path(".cache/archive/captures.sqlite")  # None: no cache
    workers: int | None = None  # processes for per-capture stages and writing; None: one per core
    remember: bool = False  # keep per-capture results in memory for this process's next build (live preview)
