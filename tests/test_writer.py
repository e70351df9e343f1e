"""Writing docs/: atomic, only changed bytes, hand edits merged, stale pages removed."""
import pytest

from build_scripts.writer import BASE, MANIFEST, DocsWriter


def write(docs, files, check=False):
    w = DocsWriter(docs, check=check)
    for rel, text in files.items():
        w.add(rel, text)
    return w.apply()


def files(docs):
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())


def test_first_build_writes_pages_base_and_manifest(tmp_path):
    r = write(tmp_path, {"a.md": "A\n", "sub/b.md": "B\n", "data.json": "{}"})
    assert sorted(r.written) == ["a.md", "data.json", "sub/b.md"]
    assert files(tmp_path) == [f"{BASE}/a.md", f"{BASE}/sub/b.md", MANIFEST, "a.md", "data.json", "sub/b.md"]


def test_unchanged_rebuild_touches_nothing(tmp_path):
    write(tmp_path, {"a.md": "A\n"})
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    r = write(tmp_path, {"a.md": "A\n"})
    assert r.written == [] and r.unchanged == ["a.md"]
    assert before == {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}


def test_hand_edit_is_merged_with_new_output(tmp_path):
    write(tmp_path, {"a.md": "---\ntitle: A\n---\n\nOne.\n\nTwo.\n"})
    (tmp_path / "a.md").write_text("---\ntitle: Mine\n---\n\nOne.\n\nTwo.\n\nNote.\n")
    r = write(tmp_path, {"a.md": "---\ntitle: A\n---\n\nOne, updated.\n\nTwo.\n"})
    assert r.merged == ["a.md"] and r.conflicts == []
    assert (tmp_path / "a.md").read_text() == "---\ntitle: Mine\n---\n\nOne, updated.\n\nTwo.\n\nNote.\n"
    assert (tmp_path / BASE / "a.md").read_text() == "---\ntitle: A\n---\n\nOne, updated.\n\nTwo.\n"


def test_page_written_by_hand_where_the_build_puts_one_is_kept(tmp_path):
    (tmp_path / "a.md").write_text("mine")
    r = write(tmp_path, {"a.md": "generated"})
    assert r.kept == ["a.md"] and (tmp_path / "a.md").read_text() == "mine"


def test_stale_page_deleted_unless_edited(tmp_path):
    write(tmp_path, {"a.md": "A\n", "b.md": "B\n"})
    (tmp_path / "b.md").write_text("B edited\n")
    r = write(tmp_path, {})
    assert r.deleted == ["a.md"] and not (tmp_path / "a.md").exists()
    assert r.kept == ["b.md"] and (tmp_path / "b.md").read_text() == "B edited\n"
    assert files(tmp_path) == [MANIFEST, "b.md"]  # b.md is now the curator's own page


def test_check_mode_reports_and_writes_nothing(tmp_path):
    write(tmp_path, {"a.md": "A\n"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    r = write(tmp_path, {"a.md": "A changed\n", "new.md": "N\n"}, check=True)
    assert sorted(r.differs) == [f"{BASE}/a.md", f"{BASE}/new.md", MANIFEST, "a.md", "new.md"]
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


def test_no_temporary_files_left_behind(tmp_path):
    write(tmp_path, {"a.md": "A" * 100_000})
    assert [f for f in files(tmp_path) if f.endswith(".tmp")] == []


def test_temporary_files_of_an_interrupted_build_are_swept(tmp_path):
    write(tmp_path, {"sub/a.md": "A\n"})
    leftover = tmp_path / "sub" / ".a.md.k3j2_x.tmp"
    leftover.write_text("half a page")
    write(tmp_path, {"sub/a.md": "A\n"})
    assert not leftover.exists() and (tmp_path / "sub/a.md").read_text() == "A\n"


# --------------------------------------------------------------------------- known files (no re-reading)
def known_write(docs, index, files_, monkeypatch):
    """A write with the local index of known files; returns (report, files read)."""
    from build_scripts import writer

    reads = []
    real = writer._read
    monkeypatch.setattr(writer, "_read", lambda path: reads.append(path.relative_to(docs).as_posix()) or real(path))
    w = writer.DocsWriter(docs, known=writer.KnownFiles(docs, index))
    for rel, text in files_.items():
        w.add(rel, text)
    return w.apply(), reads


def test_known_files_are_not_read_again(tmp_path, monkeypatch):
    from build_scripts import writer

    monkeypatch.setattr(writer, "RACY_NS", 0)
    docs, index = tmp_path / "docs", tmp_path / "cache" / "files.json"
    pages = {"a.md": "A\n", "b.md": "B\n", "data.json": "{}"}
    known_write(docs, index, pages, monkeypatch)
    report, reads = known_write(docs, index, {**pages, "b.md": "B2\n"}, monkeypatch)
    assert report.written == ["b.md"] and sorted(report.unchanged) == ["a.md", "data.json"]
    assert reads == []  # every page was as the last build left it: nothing read, b.md replaced


def test_a_hand_edit_of_the_same_size_is_still_seen(tmp_path, monkeypatch):
    from build_scripts import writer

    monkeypatch.setattr(writer, "RACY_NS", 0)
    docs, index = tmp_path / "docs", tmp_path / "cache" / "files.json"
    known_write(docs, index, {"a.md": "---\ntitle: Old\n---\n\nText.\n"}, monkeypatch)
    page = docs / "a.md"
    page.write_text("---\ntitle: New\n---\n\nText.\n")  # same size, new modification time
    report, reads = known_write(docs, index, {"a.md": "---\ntitle: Old\n---\n\nText, updated.\n"}, monkeypatch)
    assert "a.md" in reads and report.merged == ["a.md"]
    assert page.read_text() == "---\ntitle: New\n---\n\nText, updated.\n"


def test_files_written_just_before_the_index_was_saved_are_read(tmp_path, monkeypatch):
    """The racy rule: a file modified within RACY_NS of the save may have changed unseen."""
    docs, index = tmp_path / "docs", tmp_path / "cache" / "files.json"
    known_write(docs, index, {"a.md": "A\n"}, monkeypatch)  # RACY_NS is 2 s: all of it is racy
    _, reads = known_write(docs, index, {"a.md": "A\n"}, monkeypatch)
    assert "a.md" in reads


def test_a_lost_or_foreign_index_only_costs_reads(tmp_path, monkeypatch):
    from build_scripts import writer

    monkeypatch.setattr(writer, "RACY_NS", 0)
    docs, index = tmp_path / "docs", tmp_path / "cache" / "files.json"
    known_write(docs, index, {"a.md": "A\n"}, monkeypatch)
    index.write_text("{not json")
    report, reads = known_write(docs, index, {"a.md": "A\n"}, monkeypatch)
    assert report.unchanged == ["a.md"] and "a.md" in reads
    assert writer.KnownFiles(tmp_path / "elsewhere", index).entries == {}  # an index of another docs/ is ignored


def test_forked_workers_write_exactly_what_one_process_writes(tmp_path, monkeypatch):
    """The same plan applied by two forked workers and by this process alone: same files,
    same report (merges and conflicts included), same manifest, same local index."""
    import json

    from build_scripts import writer

    monkeypatch.setattr(writer, "PARALLEL_FILES", 1)
    monkeypatch.setattr(writer, "RACY_NS", 0)
    first = {f"p{i:02d}.md": f"---\ntitle: Page {i}\n---\n\nOne {i}.\n\nTwo {i}.\n" for i in range(24)}
    first.update({f"data/{i}.json": "{}" for i in range(6)})
    second = {rel: text.replace("Two", "Second") for rel, text in first.items()}
    second["p03.md"] = second["p03.md"].replace("title: Page 3", "title: Page three")  # clashes with the edit below
    results = []
    for workers in (1, 2):
        docs, index = tmp_path / f"docs{workers}", tmp_path / f"index{workers}.json"
        w = writer.DocsWriter(docs, known=writer.KnownFiles(docs, index))
        for rel, text in first.items():
            w.add(rel, writer.Lazy("k1", lambda text=text: text) if rel.startswith("p1") else text)
        w.apply(workers)
        (docs / "p03.md").write_text(first["p03.md"].replace("title: Page 3", "title: Page 3 (curated)"))
        (docs / "p05.md").write_text(first["p05.md"] + "\nA curator's note.\n")
        (docs / "p07.md").unlink()
        w = writer.DocsWriter(docs, known=writer.KnownFiles(docs, index))
        for rel, text in second.items():
            w.add(rel, writer.Lazy("k2", lambda text=text: text) if rel.startswith("p1") else text)
        report = w.apply(workers)
        files = {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}
        saved = json.loads(index.read_text())
        results.append((files, report, saved["files"] | {"": saved["keys"]}))
    serial, forked = results
    assert forked[0] == serial[0] and forked[1] == serial[1]
    assert {k: v[2] if k else v for k, v in forked[2].items()} == {k: v[2] if k else v for k, v in serial[2].items()}
    assert serial[1].conflicts and serial[1].merged == ["p03.md", "p05.md"]



def test_files_made_later_are_written_tracked_and_merged_like_the_others(tmp_path):
    """``apply(later=...)``: files made meanwhile elsewhere are asked for after the others,
    written like them, tracked in the manifest (never retired as stale), merged with hand
    edits, and listed in order in the report."""
    import json

    from build_scripts import writer

    docs = tmp_path / "docs"

    def build(later_text):
        w = writer.DocsWriter(docs)
        w.add("a.md", "---\ntitle: A\n---\n\nFirst page.\n")
        w.add("b.md", "---\ntitle: B\n---\n\nPlain.\n")
        return w.apply(1, later=lambda: [("data/z.md", later_text), ("data/y.json", "{}\n")])

    first = build("---\ntitle: Data\n---\n\nFirst.\n\nKept by the curator.\n")
    assert first.written == ["a.md", "b.md", "data/y.json", "data/z.md"]
    manifest = json.loads((docs / writer.MANIFEST).read_text())["files"]
    assert sorted(manifest) == ["a.md", "b.md", "data/y.json", "data/z.md"]
    page = docs / "data/z.md"
    page.write_text(page.read_text().replace("Kept by the curator.", "Kept by the curator, who edited it."))
    second = build("---\ntitle: Data\n---\n\nSecond.\n\nKept by the curator.\n")
    assert second.merged == ["data/z.md"] and not second.deleted
    assert second.unchanged == ["a.md", "b.md", "data/y.json"]
    assert "Second." in page.read_text() and "who edited it" in page.read_text()
    assert (docs / "data/y.json").read_text() == "{}\n"


# --------------------------------------------------------------------------- kept from the build's walk of docs/
def seen_write(docs, index, files_, workers=1):
    """A write of ``Lazy`` files (key: the text's first letter), with the walk of docs/
    taken now, as a build takes it."""
    from build_scripts import state, writer

    w = writer.DocsWriter(docs, known=writer.KnownFiles(docs, index, state.tree(docs)))
    for rel, text in files_.items():
        w.add(rel, writer.Lazy(text[:1], lambda text=text: text))
    return w, w.apply(workers)


def test_files_the_walk_saw_unchanged_are_kept_without_a_stat_or_a_writer_process(tmp_path, monkeypatch):
    """After a small change, the files the build's walk of docs/ saw as the last build left
    them are kept in this process: no stat each, and no forked writer for the rest."""
    import os

    from build_scripts import writer

    monkeypatch.setattr(writer, "RACY_NS", 0)
    monkeypatch.setattr(writer, "PARALLEL_FILES", 2)
    docs, index = tmp_path / "docs", tmp_path / "index.json"
    pages = {f"p{i}.md": f"A page {i}\n" for i in range(6)}
    seen_write(docs, index, pages, workers=2)
    stats, real_stat = [], os.stat
    monkeypatch.setattr(writer.os, "stat", lambda p, *a, **k: stats.append(str(p)) or real_stat(p, *a, **k))
    monkeypatch.setattr(writer.DocsWriter, "_apply_forked", lambda *a: pytest.fail("forked for one file"))
    _, report = seen_write(docs, index, {**pages, "p3.md": "B page 3\n"}, workers=2)
    assert report.written == ["p3.md"] and report.unchanged == sorted(set(pages) - {"p3.md"})
    assert (docs / "p3.md").read_text() == "B page 3\n"
    unchanged = [s for s in stats if any(s.endswith(f"/{rel}") for rel in pages if rel != "p3.md")]
    assert unchanged == [] and any(s.endswith("/p3.md") for s in stats)  # only the file written


def test_a_file_edited_after_the_walk_is_left_alone_and_merged_by_the_next_build(tmp_path, monkeypatch):
    """A curator saves a page while a build runs, after its walk of docs/: the build keeps
    the page as the curator left it (it decided from the walk, and a kept file is never
    written), and the next build sees the edit and merges it."""
    from build_scripts import state, writer

    monkeypatch.setattr(writer, "RACY_NS", 0)
    docs, index = tmp_path / "docs", tmp_path / "index.json"
    seen_write(docs, index, {"a.md": "A\n\nOne.\n"})
    w = writer.DocsWriter(docs, known=writer.KnownFiles(docs, index, state.tree(docs)))
    (docs / "a.md").write_text("A\n\nOne.\n\nA curator's note.\n")  # after the walk
    w.add("a.md", writer.Lazy("A", lambda: "A\n\nOne.\n"))
    assert w.apply().unchanged == ["a.md"]
    assert (docs / "a.md").read_text() == "A\n\nOne.\n\nA curator's note.\n"
    _, report = seen_write(docs, index, {"a.md": "Another\n\nOne.\n"})
    assert report.merged == ["a.md"]
    assert (docs / "a.md").read_text() == "Another\n\nOne.\n\nA curator's note.\n"


def test_a_file_the_walk_did_not_see_is_decided_by_a_stat(tmp_path, monkeypatch):
    """No walk (a first build, no cache) or a file missing from it: the writer stats it."""
    from build_scripts import writer

    monkeypatch.setattr(writer, "RACY_NS", 0)
    docs, index = tmp_path / "docs", tmp_path / "index.json"
    seen_write(docs, index, {"a.md": "A\n"})
    known = writer.KnownFiles(docs, index, [])
    assert known.sha256("a.md", stat=False) is None and known.sha256("a.md") == writer.sha256(b"A\n")
    w = writer.DocsWriter(docs, known=known)
    w.add("a.md", writer.Lazy("A", lambda: pytest.fail("rendered again")))
    assert w.apply().unchanged == ["a.md"]
