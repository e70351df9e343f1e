"""Writing docs/: atomic, only changed bytes, hand edits merged, stale pages removed."""
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
