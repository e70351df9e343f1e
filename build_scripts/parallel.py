"""Per-capture stages over the whole corpus: cached, and spread over every core.

``analyse`` is the pure per-capture pipeline (decode, clean, extract); each article's
linking features (``features.py``) are computed with it. ``extract_all``
runs it for every capture that the content-hash cache does not already hold, in a
process pool when there are enough of them to pay for the workers' start-up. Swapping
the pool for a distributed executor (Dask, Ray) changes only ``_run``.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import features
from .cache import ResultCache, fingerprint, key
from .clean import CleanOptions, clean
from .errors import CaptureError
from .extract import ExtractOptions, extract
from .forked import Forked
from .ingest import IngestOptions, decode, read_source
from .knowledge import load_knowledge
from .records import Article, SourceFile
from .stated import apply_stated

log = logging.getLogger(__name__)
POOL_THRESHOLD = 150  # fewer misses than this run inline: a pool's start-up costs more


@dataclass(frozen=True)
class StageOptions:
    ingest: IngestOptions
    clean: CleanOptions


def analyse(source: SourceFile, article_id: str, options: StageOptions, extract_options: ExtractOptions) -> Article:
    """Decode, clean and extract one capture. Raises CaptureError for a capture with no article."""
    capture = decode(source)
    cleaned = clean(capture, options.clean)
    if not cleaned.blocks:
        raise CaptureError("no article text found after cleaning", path=source.rel)
    return apply_stated(extract(cleaned, article_id, extract_options), capture, extract_options)


Result = tuple[str, object]  # ("ok", (Article, Features)) or ("error", message)
_WORKER: dict[str, object] = {}


def _init_worker(knowledge: Path) -> None:
    _WORKER["extract"] = ExtractOptions.from_knowledge(load_knowledge(knowledge))


def _job(source: SourceFile, article_id: str, options: StageOptions,
         extract_options: ExtractOptions | None = None) -> Result:
    try:
        extract_options = extract_options or _WORKER["extract"]  # type: ignore[assignment]
        article = analyse(source, article_id, options, extract_options)  # type: ignore[arg-type]
        return "ok", (article, features.compute(article, extract_options.knowledge.formulations))  # type: ignore[union-attr]
    except CaptureError as exc:
        return "error", str(exc)


def _batch(jobs: list[tuple[SourceFile, str]], options: StageOptions) -> list[bytes]:
    """In a worker: several captures' results, pickled here (the parent keeps the bytes for
    the cache as they are, and unpickles each once)."""
    return [pickle.dumps(_job(source, article_id, options), protocol=pickle.HIGHEST_PROTOCOL)
            for source, article_id in jobs]


# The results of this process's last build, by cache key (``remember``): a process that
# builds again and again (the live preview, ``serve.py``) takes them from memory instead
# of unpickling every cached result anew. The keys cover content, path, page id, code and
# knowledge, as the cache's do; the cache file is still read for what memory lacks.
_LAST: dict[str, Result] = {}

BATCH = 16  # captures per task sent to a worker: fewer round trips, still an even spread


def _run(jobs: list[tuple[SourceFile, str]], options: StageOptions, extract_options: ExtractOptions,
         knowledge: Path, workers: int, tick: Callable[[], None]) -> list[tuple[Result, bytes | None]]:
    """Each job's result, with its pickled bytes when a worker made them."""
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        out: list[tuple[Result, bytes | None]] = []
        for source, article_id in jobs:
            out.append((_job(source, article_id, options, extract_options), None))
            tick()
        return out
    batches = [jobs[i:i + BATCH] for i in range(0, len(jobs), BATCH)]
    with cf.ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(knowledge,)) as pool:
        futures = {pool.submit(_batch, batch, options): n for n, batch in enumerate(batches)}
        done: dict[int, list[tuple[Result, bytes]]] = {}
        for future in cf.as_completed(futures):  # unpickled as they come, while the workers go on
            done[futures[future]] = [(pickle.loads(blob), blob) for blob in future.result()]
            for _ in done[futures[future]]:
                tick()
        return [pair for n in range(len(batches)) for pair in done[n]]


def _early(todo: list[tuple[SourceFile, str]], options: StageOptions, extract_options: ExtractOptions,
           knowledge: Path, workers: int) -> Forked | None:
    """A few captures to process (too few for a pool) are processed in a forked process
    while this one loads the others from the cache: at 10,000 captures with one changed,
    loading them and processing it (its first capture compiles the cleaning rules) take
    about as long. None: not worth it, or the pool will do them."""
    if workers < 2 or not todo or len(todo) >= POOL_THRESHOLD:
        return None
    return Forked(_run, todo, options, extract_options, knowledge, 1, lambda: None)


def extract_all(paths: list[Path], seeds: Path, ids: dict[str, str], options: StageOptions,
                extract_options: ExtractOptions, knowledge: Path, cache_file: Path | None,
                workers: int | None = None, tick: Callable[[], None] = lambda: None,
                remember: bool = False) -> list[tuple[str, Result]]:
    """(seed path, result) for every capture, in ``paths`` order. ``remember``: results are
    taken from, and kept in, this process's memory too (``_LAST``), beside the cache."""
    print_ = fingerprint(knowledge, repr(options), entry=__name__.rsplit(".", 1)[-1])
    cache = ResultCache(cache_file)
    keyed = _keyed(paths, seeds, ids, options, print_)
    workers = workers or os.cpu_count() or 1
    memo = _LAST if remember and cache_file is not None else {}
    stored = cache.present(k for _, k, _, _ in keyed if k)
    present = stored | memo.keys()
    todo = [(s, ids[rel]) for rel, k, s, r in keyed if k and k not in present and s is not None]
    # Meanwhile, the hits are loaded: unless they are in memory, and processing here keeps
    # what the first capture compiles (the cleaning rules) for the next rebuild.
    early = None if memo else _early(todo, options, extract_options, knowledge, workers)
    hits = _hits([k for _, k, _, _ in keyed if k in present], cache, memo, stored)
    for _ in hits:
        tick()
    if early is None:
        ran = _run(todo, options, extract_options, knowledge, workers, tick)
    else:
        ran = early.result()
        for _ in ran:
            tick()
    late = [(s, ids[rel]) for rel, k, s, r in keyed if k in present and k not in hits and s is not None]
    todo, ran = todo + late, ran + _run(late, options, extract_options, knowledge, workers, tick)  # unreadable
    done = {s.rel: result for (s, _), (result, _) in zip(todo, ran)}
    blobs = {s.rel: blob for (s, _), (_, blob) in zip(todo, ran)}
    cache.put_many({k: blobs[rel] or done[rel] for rel, k, _, _ in keyed if k and rel in done})
    cache.prune({k for _, k, _, _ in keyed if k})
    cache.close()
    log.info("captures: %d cached, %d processed", len(hits), len(done))
    results = [(rel, r or hits.get(k) or done[rel]) for rel, k, _, r in keyed]
    if memo is _LAST:  # this build's results replace the last one's: memory holds one corpus
        _LAST.clear()
        _LAST.update((k, result) for (_, k, _, r), (_, result) in zip(keyed, results) if k and r is None)
    return results  # type: ignore[return-value]


def _keyed(paths: list[Path], seeds: Path, ids: dict[str, str], options: StageOptions, print_: str,
           ) -> list[tuple[str, str | None, SourceFile | None, Result | None]]:
    """(seed path, cache key, source, None) for each capture; (seed path, None, None, error)
    for one that cannot be read."""
    keyed: list[tuple[str, str | None, SourceFile | None, Result | None]] = []
    for path in paths:
        rel = path.relative_to(seeds).as_posix()
        try:
            source = read_source(path, seeds, options.ingest)
        except (CaptureError, OSError) as exc:
            message = str(exc) if isinstance(exc, CaptureError) else f"{rel}: cannot read ({exc.strerror})"
            keyed.append((rel, None, None, ("error", message)))
            continue
        keyed.append((rel, key(source.sha256, rel, ids[rel], print_), source, None))
    return keyed


def _hits(keys: list[str], cache: ResultCache, memo: dict[str, Result], stored: set[str]) -> dict[str, Result]:
    """The results of ``keys`` from memory, else from the cache file (an entry that no longer
    unpickles is missing); results in memory that the cache file lacks (``stored``: the keys
    it has) are put back in it."""
    hits = {k: memo[k] for k in keys if k in memo}
    cache.put_many({k: v for k, v in hits.items() if k not in stored})  # the cache file was deleted meanwhile
    hits.update(cache.get_many(k for k in keys if k not in memo))
    return hits
