"""Incremental builds: a content-hash cache, a no-op fast path, and both safe to delete."""
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_scripts.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def build(project, *extra):
    args = ["-v", "build", "--seeds", str(project / "seeds"), "--docs", str(project / "docs"),
            "--knowledge", str(ROOT / "knowledge"), "--cache", str(project / "cache"), *extra]
    return CliRunner().invoke(main, args)


def assert_docs_of_a_build_without_cache(project):
    """docs/ holds what a build of the same seeds without cache (and without memory) writes."""
    fresh = project / "fresh"
    args = ["build", "--seeds", str(project / "seeds"), "--docs", str(fresh), "--knowledge", str(ROOT / "knowledge"),
            "--no-cache"]
    assert CliRunner().invoke(main, args).exit_code == 0
    files = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    assert {p: (project / "docs" / p).read_bytes() for p in files} == {p: (fresh / p).read_bytes() for p in files}


def test_only_changed_captures_are_processed_again(project, caplog):
    caplog.set_level(logging.INFO, logger="build_scripts.parallel")
    assert build(project).exit_code == 0
    assert "0 cached, 5 processed" in caplog.text
    caplog.clear()
    seed = project / "seeds" / "004_4ed872c58d4f809f.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new closing paragraph, added to the capture.\n",
                    encoding="utf-8")
    result = build(project)
    assert result.exit_code == 0 and "4 cached, 1 processed" in caplog.text
    assert "A new closing paragraph" in (project / "docs/articles/004-4ed872c58d4f809f.md").read_text()


def test_unchanged_inputs_skip_the_build_and_replay_its_report(project):
    (project / "seeds" / "empty.txt").write_text("  \n")
    first = build(project)
    assert first.exit_code == 0 and "skipped empty.txt" in first.output
    again = build(project)
    assert "unchanged inputs" in again.output and "0 written" in again.output
    assert "skipped empty.txt" in again.output  # the warning is replayed, not lost
    assert build(project, "--strict").exit_code == 1
    assert build(project, "--check").exit_code == 0


def test_a_same_size_edit_right_after_a_build_is_seen(project):
    assert build(project).exit_code == 0
    page = project / "docs/articles/001-f23e8d0d1bd20d81.md"
    page.write_text(page.read_text().replace("remarkable achievements", "REMARKABLE achievements"))
    result = build(project)
    assert "unchanged inputs" not in result.output and "1 with hand edits merged" in result.output


def test_docs_files_count_by_content_only_from_the_saves_tick_by_their_own_clock(project, monkeypatch):
    """The no-op check reads a docs/ file only if it was modified at or after the last
    save, by the clock of docs/' own file system (git's racy rule, as against the time
    stamp of its index file): not every file the build wrote in its last two seconds."""
    import json
    import os
    import time

    from build_scripts import state

    assert build(project).exit_code == 0
    saved = json.loads(next((project / "cache").glob("last-build-*.json")).read_text())
    assert abs(saved["docs_ns"] - time.time_ns()) < 60 * 10**9  # a time stamp of now, not of long ago
    assert state.racy_marks(saved) == (saved["saved_ns"] - state.RACY_NS, saved["docs_ns"])
    docs = project / "docs"
    old, new = docs / "articles/old.md", docs / "articles/new.md"
    old.write_text("Written long before the save.\n")
    new.write_text("Written after it.\n")
    os.utime(old, ns=(saved["docs_ns"] - 10**9, saved["docs_ns"] - 10**9))
    os.utime(new, ns=(saved["docs_ns"], saved["docs_ns"]))  # the save's own tick counts
    read = []
    real_read = type(docs).read_bytes
    monkeypatch.setattr(type(docs), "read_bytes",
                        lambda self: (docs in self.parents and read.append(self.name)) or real_read(self))
    state.inputs_digest(project / "seeds", docs, ROOT / "knowledge", [], "", 0, saved["docs_ns"])
    assert "new.md" in read and "old.md" not in read
    read.clear()
    state.inputs_digest(project / "seeds", docs, ROOT / "knowledge", [], "", saved["docs_ns"] + 10**9)
    assert not read  # one threshold for both, later than every file


def test_without_the_builds_folder_in_docs_the_clock_is_the_systems_less_two_seconds(tmp_path):
    import time

    from build_scripts import state

    marks = []
    before = time.time_ns()
    state.save(tmp_path / "state.json", lambda *racy: marks.append(racy) or "digest", _report(), tmp_path / "docs")
    seeds_after, docs_after, docs_files = marks[0]
    assert docs_files is None  # not given: docs/ is walked again
    assert docs_after == seeds_after and before - state.RACY_NS <= docs_after <= time.time_ns() - state.RACY_NS


def _report():
    from build_scripts.build import BuildReport

    return BuildReport()


def test_deleting_the_cache_changes_nothing(project):
    assert build(project).exit_code == 0
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    shutil.rmtree(project / "cache")
    result = build(project)
    assert result.exit_code == 0 and "0 written" in result.output
    assert before == {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    assert build(project, "--no-cache").exit_code == 0


def test_a_process_that_builds_again_takes_unchanged_results_from_memory(project, monkeypatch, caplog):
    """The live preview (``remember``): a rebuild in the same process reads no cached result
    of an unchanged capture from the cache file, processes only the changed one, and gives
    the docs/ of a build without memory or cache; a cache file deleted meanwhile is filled
    again from memory. A build without ``remember`` keeps nothing in memory."""
    from build_scripts import parallel
    from build_scripts.build import BuildOptions
    from build_scripts.build import build as run
    from build_scripts.cache import ResultCache

    monkeypatch.setattr(parallel, "_LAST", {})
    read = []
    real_get_many = ResultCache.get_many
    monkeypatch.setattr(ResultCache, "get_many", lambda self, keys: real_get_many(self, read.extend(keys) or read))
    options = BuildOptions(seeds=project / "seeds", docs=project / "docs", knowledge=ROOT / "knowledge",
                           cache=project / "cache" / "captures.sqlite", remember=True)

    def edit(name: str) -> None:
        seed = project / "seeds" / name
        seed.write_text(seed.read_text(encoding="utf-8") + "\nA paragraph added while previewing.\n", encoding="utf-8")

    run(BuildOptions(**{**options.__dict__, "remember": False}))
    assert parallel._LAST == {}
    edit("002_bcb90129e2034eb1.txt")
    run(options)  # the first build that remembers: four results read from the cache file, five kept
    assert len(read) == 4 and len(parallel._LAST) == 5
    read.clear()
    edit("004_4ed872c58d4f809f.txt")
    (project / "cache" / "captures.sqlite").unlink()
    caplog.set_level(logging.INFO, logger="build_scripts.parallel")
    run(options)
    assert read == [] and "4 cached, 1 processed" in caplog.text
    assert len(ResultCache(project / "cache" / "captures.sqlite").present(parallel._LAST)) == 5
    assert_docs_of_a_build_without_cache(project)


def test_a_corrupt_cache_is_ignored(project):
    assert build(project).exit_code == 0
    (project / "cache" / "captures.sqlite").write_bytes(b"not a database")
    assert (project / "cache" / "reuse-pairs.pickle").is_file()
    (project / "cache" / "reuse-pairs.pickle").write_bytes(b"not a pickle")
    for state in (project / "cache").glob("last-build-*.json"):
        state.write_text("{broken")
    result = build(project)
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_an_unreadable_cache_entry_is_processed_again_beside_a_changed_capture(project, caplog):
    """One capture changed (processed in a forked process while the others are loaded)
    and one entry of the cache that no longer unpickles: both are processed, and docs/ is
    that of a build without the cache."""
    import sqlite3

    assert build(project, "--jobs", "2").exit_code == 0
    with sqlite3.connect(project / "cache" / "captures.sqlite") as db:
        db.execute("update results set value = ? where rowid = (select min(rowid) from results)", (b"broken",))
    seed = project / "seeds" / "002_bcb90129e2034eb1.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more paragraph, added later.\n", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="build_scripts.parallel")
    assert build(project, "--jobs", "2").exit_code == 0
    assert "3 cached, 2 processed" in caplog.text
    assert_docs_of_a_build_without_cache(project)


def test_parallel_and_serial_builds_are_identical(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    for i in range(31):  # 160 captures: enough for the process pool
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            text = seed.read_text(encoding="utf-8")
            (tmp_path / "seeds" / f"copy{i:02d}-{seed.name}").write_text(text + f"\nCopy number {i}.\n",
                                                                        encoding="utf-8")
    out = {}
    for jobs in ("1", "2"):
        docs = tmp_path / f"docs{jobs}"
        args = ["build", "--seeds", str(tmp_path / "seeds"), "--docs", str(docs), "--knowledge",
                str(ROOT / "knowledge"), "--no-cache", "--jobs", jobs]
        result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
        out[jobs] = {p.relative_to(docs): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert out["1"] == out["2"]


def test_the_cache_key_covers_exactly_the_code_the_per_capture_stages_import():
    """An edit to linking or rendering keeps cached extractions; an edit to cleaning does not."""
    import subprocess
    import sys

    from build_scripts.cache import import_closure, library_versions

    modules, libraries = import_closure("parallel")
    assert {"parallel", "ingest", "clean", "extract", "entities", "dates", "knowledge", "records"} <= set(modules)
    assert not {"link", "render", "build", "writer", "cli", "export"} & set(modules)
    probe = ("import sys, build_scripts.parallel; "
             "print(' '.join(sorted(m.split('.')[1] for m in sys.modules if m.startswith('build_scripts.'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert set(loaded.stdout.split()) <= set(modules)  # nothing it imports is left out of the key
    versions = dict(library_versions(libraries))
    assert {"ftfy", "trafilatura", "yaml"} <= set(versions) and all(versions.values())


def test_an_edit_outside_the_per_capture_stages_keeps_the_cache_key(tmp_path, monkeypatch):
    from build_scripts import cache

    package = tmp_path / "build_scripts"
    shutil.copytree(ROOT / "build_scripts", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.import_closure.cache_clear()

    def key():
        cache.import_closure.cache_clear()
        return cache.fingerprint(ROOT / "knowledge", "options", entry="parallel")

    before = key()
    (package / "link.py").write_text((package / "link.py").read_text() + "\n# an edit to linking\n")
    (package / "render.py").write_text((package / "render.py").read_text() + "\n# an edit to rendering\n")
    assert key() == before
    (package / "clean.py").write_text((package / "clean.py").read_text() + "\n# an edit to cleaning\n")
    assert key() != before
    cleaned = key()
    (package / "data" / "furniture.yaml").write_text((package / "data" / "furniture.yaml").read_text() + "\n")
    assert key() != cleaned
    cache.import_closure.cache_clear()


# --------------------------------------------------------------------------- incremental == cold
def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _mutations(project: Path):
    """Changes a user makes between builds, each applied to the seeds or docs of ``project``."""
    seeds, docs = project / "seeds", project / "docs"

    def append_sentence():
        p = seeds / "c03-reuters-2018-conference.txt"
        p.write_text(p.read_text(encoding="utf-8") + "\nA sentence added to the capture later on.\n", encoding="utf-8")

    def retitle_capture():
        p = seeds / "c01-daily-2018-conference.txt"
        lines = p.read_text(encoding="utf-8").split("\n")
        i = next(i for i, line in enumerate(lines) if line.strip())
        lines[i] = lines[i] + " (updated)"
        p.write_text("\n".join(lines), encoding="utf-8")

    def copy_capture():
        shutil.copy(seeds / "c04-xinhua-wire-2018-conference.txt", seeds / "c99-copy-of-the-wire.txt")

    def delete_capture():
        (seeds / "c05-portal-copy-2018-conference.txt").unlink()

    def curator_retitles_page():
        page = next(p for p in sorted((docs / "articles").glob("c0*.md")))
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("\ntitle: ", "\ntitle: Curated title, ", 1), encoding="utf-8")

    def change_a_person_page_input():
        p = seeds / "c02-xinhua-zh-2018-conference.txt"
        p.write_text(p.read_text(encoding="utf-8") + "\nPremier Li Qiang also attended the meeting.\n", encoding="utf-8")

    def add_a_furniture_line():  # cleaning removes it: the text stays, the page's list of removed lines grows
        p = seeds / "c01-daily-2018-conference.txt"
        p.write_text(p.read_text(encoding="utf-8") + "\nShare this article: Facebook | Twitter | Email\n",
                     encoding="utf-8")

    return [append_sentence, retitle_capture, copy_capture, delete_capture, curator_retitles_page,
            change_a_person_page_input, add_a_furniture_line]


def test_incremental_builds_equal_cold_builds_after_every_kind_of_change(tmp_path, monkeypatch):
    """Pages kept unrendered (their inputs unchanged) and files kept unread (the local index)
    give exactly the docs/ a build without cache or index gives from the same state."""
    from build_scripts import render, writer

    monkeypatch.setattr(writer, "RACY_NS", 0)  # trust the index at once: builds here follow each other fast
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    rendered = []
    real = render.render_article
    monkeypatch.setattr(render, "render_article", lambda a, *rest: rendered.append(a.id) or real(a, *rest))
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "corpus" / "captures", project / "seeds")
    assert build(project).exit_code == 0
    for mutate in _mutations(project):
        mutate()
        cold = tmp_path / f"cold-{mutate.__name__}"
        shutil.copytree(project / "docs", cold)  # the same starting state, curators' edits included
        rendered.clear()
        result = build(project)
        assert result.exit_code == 0, result.output
        incremental_renders = list(rendered)
        args = ["build", "--seeds", str(project / "seeds"), "--docs", str(cold), "--knowledge",
                str(ROOT / "knowledge"), "--no-cache"]
        assert CliRunner().invoke(main, args).exit_code == 0
        assert _tree_bytes(project / "docs") == _tree_bytes(cold), mutate.__name__
        assert len(incremental_renders) < len(rendered) - len(incremental_renders), mutate.__name__


def test_the_command_line_ends_at_once_with_the_builds_exit_code_and_its_whole_report(project):
    """``python -m build_scripts build`` skips the interpreter's teardown (cli.finish): its
    output is still complete in a pipe, and --strict and --check still fail with 1."""
    import subprocess
    import sys

    (project / "seeds" / "empty.txt").write_text("  \n")

    def run(*extra):
        cmd = [sys.executable, "-m", "build_scripts", "build", "--seeds", str(project / "seeds"), "--docs",
               str(project / "docs"), "--knowledge", str(ROOT / "knowledge"), "--cache", str(project / "cache"), *extra]
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)

    first = run()
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("6 captures, 5 articles, 1 skipped") and lines[-1].startswith("done in ")
    assert "warning: skipped empty.txt" in first.stdout
    assert run("--strict").returncode == 1
    assert run("--check").returncode == 0
    (project / "docs" / "feed.xml").unlink()
    checked = run("--check")
    assert checked.returncode == 1 and "differs: feed.xml" in checked.stdout and checked.stdout.endswith("\n")


STAGE_MODULES = ("clean", "extract", "entities", "link", "reuse", "autoevents", "formulations", "render",
                 "render_analysis", "timeline", "export", "cite", "curate", "pagekeys", "pipeline", "parallel")


def test_a_rebuild_with_unchanged_inputs_imports_none_of_the_stages(project):
    """The no-op path (build.py, state.py, ingest.discover) must not pay for importing the
    cleaning, linking and rendering code it never runs: at 10,000 captures that import
    was a third of the no-op rebuild. Checked in a fresh interpreter, as a user runs it;
    a changed capture must then import the pipeline again."""
    import subprocess
    import sys

    probe = ("import sys\nfrom build_scripts.cli import main\n"
             "main(sys.argv[1:], standalone_mode=False)\n"
             "print('MODULES', ' '.join(sorted(m for m in sys.modules if m.startswith('build_scripts.'))))\n")

    def modules(*args):
        cmd = [sys.executable, "-c", probe, "build", "--seeds", str(project / "seeds"), "--docs", str(project / "docs"),
               "--knowledge", str(ROOT / "knowledge"), "--cache", str(project / "cache"), *args]
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=True).stdout
        loaded = [line for line in out.splitlines() if line.startswith("MODULES ")]
        assert loaded, out
        return out, {m.removeprefix("build_scripts.") for m in loaded[-1].split()[1:]}

    assert build(project).exit_code == 0
    out, loaded = modules()
    assert "unchanged inputs" in out
    assert {"build", "state", "ingest", "options"} <= loaded
    assert loaded.isdisjoint(STAGE_MODULES), sorted(loaded & set(STAGE_MODULES))
    seed = project / "seeds" / "004_4ed872c58d4f809f.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    out, loaded = modules()
    assert "unchanged inputs" not in out and set(STAGE_MODULES) <= loaded


def test_the_cycle_collector_is_off_during_a_build_and_restored_after(project, monkeypatch):
    """The build pauses Python's cycle collector (its full passes over a big archive cost
    seconds and free almost nothing) and puts it back as it was, even when a build fails."""
    import gc

    from build_scripts import build as build_module
    from build_scripts import pipeline

    seen = []
    real_link = pipeline.link_archive

    def spying_link(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_link(*args, **kwargs)

    monkeypatch.setattr(pipeline, "link_archive", spying_link)
    assert gc.isenabled()
    assert build(project).exit_code == 0
    assert seen == [False] and gc.isenabled()

    def failing_link(*args, **kwargs):
        raise RuntimeError("a bug in linking")

    monkeypatch.setattr(pipeline, "link_archive", failing_link)
    (project / "seeds" / "new.txt").write_text("A new capture\n\nIts one paragraph of text, long enough.\n")
    with pytest.raises(RuntimeError):
        build_module.build(build_module.BuildOptions(seeds=project / "seeds", docs=project / "docs",
                                                     knowledge=ROOT / "knowledge", cache=None))
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.setattr(pipeline, "link_archive", real_link)
        build_module.build(build_module.BuildOptions(seeds=project / "seeds", docs=project / "docs",
                                                     knowledge=ROOT / "knowledge", cache=None))
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_steps_run_in_forked_processes_give_the_same_docs_as_one_process(tmp_path, monkeypatch):
    """With more than one job, the few captures to extract (while the others are loaded
    from the cache), text reuse, half of the similar articles and the formulations
    (linking) and the data files (rendering) are made in forked processes beside the rest;
    every file is the same as with one job."""
    from build_scripts import forked

    monkeypatch.setattr(forked, "FORK_ARTICLES", 0)  # forked for a corpus of any size
    forks = []
    real_init = forked.Forked.__init__

    def counting_init(self, fn, *args, enabled=True):
        forks.append((fn.__name__, enabled))
        real_init(self, fn, *args, enabled=enabled)

    monkeypatch.setattr(forked.Forked, "__init__", counting_init)
    out = {}
    for jobs in ("1", "2"):
        docs = tmp_path / f"docs{jobs}"
        args = ["build", "--seeds", str(ROOT / "seeds"), "--docs", str(docs), "--knowledge", str(ROOT / "knowledge"),
                "--no-cache", "--jobs", jobs]
        result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
        out[jobs] = {p.relative_to(docs): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    steps = ("_reuse", "analyse", "data_files")  # and, with 2 jobs, the few captures to extract
    assert forks == [(step, False) for step in steps] + [(step, True) for step in ("_run", *steps)]
    assert out["1"] == out["2"] and any(p.parts[0] == "data" for p in out["2"])


def test_an_article_pages_key_takes_its_texts_digest_from_the_per_capture_stage_and_covers_every_text_field():
    """``features.text_key``, computed once per capture and cached, gives the key computed
    afresh; a change to any text field alone (the removed lines, say: a cleaning option
    changed) changes the key, whichever way it is computed."""
    from dataclasses import replace

    from build_scripts import features
    from build_scripts.cite import default_info
    from build_scripts.knowledge import load_knowledge
    from build_scripts.link import link_archive
    from build_scripts.pagekeys import PageKeys
    from build_scripts.records import RemovedLine
    from tests.test_reuse import articles_of

    k = load_knowledge(ROOT / "knowledge")
    archive = link_archive(list(articles_of(ROOT / "seeds")), k)
    cached = {a.id: features.compute(a, k.formulations).page_text for a in archive.articles}
    with_cache, afresh = PageKeys(archive, "code", default_info(), cached), PageKeys(archive, "code", default_info())
    assert [with_cache.article(a) for a in archive.articles] == [afresh.article(a) for a in archive.articles]
    a = archive.articles[0]
    changes = {"removed": a.removed + (RemovedLine(99, "Share this article", "share widget"),),
               "blocks": a.blocks[:-1], "markdown": a.markdown + "\n"}
    assert set(changes) == set(features.TEXT_FIELDS)
    for name, value in changes.items():
        changed = replace(a, **{name: value})
        other = replace(archive, articles=tuple(changed if x.id == a.id else x for x in archive.articles))
        recomputed = {**cached, a.id: features.compute(changed, k.formulations).page_text}
        assert PageKeys(other, "code", default_info(), recomputed).article(changed) != with_cache.article(a), name
        assert PageKeys(other, "code", default_info()).article(changed) != afresh.article(a), name


def test_an_articles_text_rendered_with_its_features_is_the_text_rendered_afresh():
    """``Features.markdown`` (rendered once per capture, cached) is what the article's page
    and ``data/articles.json`` would render from its blocks, hostile characters included,
    and an article whose blocks differ gets its own text, not a stale one."""
    from dataclasses import replace

    from build_scripts import features
    from build_scripts.export import articles_json
    from build_scripts.knowledge import load_knowledge
    from build_scripts.link import link_archive
    from build_scripts.markup import render_blocks
    from build_scripts.records import Block
    from build_scripts.render import render_article
    from tests.test_reuse import articles_of

    k = load_knowledge(ROOT / "knowledge")
    hostile = Block("paragraph", "1. <script>alert(1)</script> *not emphasis* [a](javascript:x) {{ x }}")
    articles = list(articles_of(ROOT / "seeds"))
    articles[0] = replace(articles[0], blocks=articles[0].blocks + (hostile,))
    archive = link_archive(articles, k)
    texts = {a.id: features.compute(a, k.formulations).markdown for a in archive.articles}
    for a in archive.articles:
        assert texts[a.id] == render_blocks(a.blocks) and texts[a.id]
        assert render_article(a, archive, texts[a.id]) == render_article(a, archive)
    assert "&lt;script&gt;" in texts[articles[0].id] and "<script>" not in texts[articles[0].id]
    assert articles_json(archive, texts) == articles_json(archive)
    assert len(set(texts.values())) == len(texts)


def test_the_walk_of_docs_after_a_build_is_the_walk_before_it_updated_with_what_it_touched(project, monkeypatch):
    """The no-op digest a build saves takes ``docs/`` from the walk the build began with
    and the files the writer touched (``state.walk_after``), not from a second walk: it
    must be exactly the second walk, whatever the build wrote, deleted or swept away."""
    from build_scripts import build as build_module
    from build_scripts import state
    from build_scripts import writer
    from build_scripts.ingest import raw_copy

    monkeypatch.setattr(writer, "RACY_NS", 0)  # trust the index at once: builds here follow each other fast
    walks = []
    real_walk_after = state.walk_after
    monkeypatch.setattr(state, "walk_after", lambda docs, before, touched: walks.append(
        (before, touched)) or real_walk_after(docs, before, touched))
    assert build(project).exit_code == 0
    assert walks == []  # no saved state yet: the first save walks docs/
    (project / "docs" / "articles" / ".004-4ed872c58d4f809f.md.x1y2.tmp").write_text("left by a killed build")
    (project / "seeds" / "003_0935aea23c1a1073.txt").unlink()  # its pages are deleted
    seed = project / "seeds" / "004_4ed872c58d4f809f.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    options = build_module.BuildOptions(seeds=project / "seeds", docs=project / "docs", knowledge=ROOT / "knowledge",
                                        cache=project / "cache" / "captures.sqlite")
    report = build_module.build(options)
    assert report.write.deleted and report.write.written and len(walks) == 1
    before, touched = walks[0]
    assert "articles/.004-4ed872c58d4f809f.md.x1y2.tmp" in touched
    unchanged = f"captures/{raw_copy('000_9d6aa4acf7f198b6.txt')}"  # an unchanged capture's raw copy: kept
    assert unchanged in {rel for rel, _, _ in before} and unchanged not in touched
    assert real_walk_after(project / "docs", before, touched) == state.tree(project / "docs")
    assert "unchanged inputs" in build(project).output


def test_a_page_edited_during_a_build_is_seen_by_the_next_build(project, monkeypatch):
    """A curator who saves a page while a build runs (after its walk of docs/) must not
    have the edit taken for the build's own output: the next build merges it."""
    from build_scripts import pipeline, writer

    monkeypatch.setattr(writer, "RACY_NS", 0)  # trust the index at once: builds here follow each other fast
    assert build(project).exit_code == 0
    page = project / "docs" / "articles" / "001-f23e8d0d1bd20d81.md"
    real_link = pipeline.link_archive

    def editing_link(*args, **kwargs):
        page.write_text(page.read_text().replace("remarkable achievements", "REMARKABLE achievements"))
        return real_link(*args, **kwargs)

    seed = project / "seeds" / "004_4ed872c58d4f809f.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "link_archive", editing_link)
    during = build(project)  # the edit lands mid-build, on a page this build keeps
    assert during.exit_code == 0 and "0 with hand edits merged" in during.output, during.output
    monkeypatch.setattr(pipeline, "link_archive", real_link)
    again = build(project)
    assert "unchanged inputs" not in again.output and "1 with hand edits merged" in again.output
    assert "REMARKABLE achievements" in page.read_text()
