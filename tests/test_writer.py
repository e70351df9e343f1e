"""Writing docs/: atomic, only changed bytes, hand edits kept, stale pages removed."""
import os

from build_scripts.writer import MANIFEST, DocsWriter


def write(docs, files, check=False):
    w = DocsWriter(docs, check=check)
    for rel, text in files.items():
        w.add(rel, text)
    return w.apply()


def test_first_build_writes_everything(tmp_path):
    r = write(tmp_path, {"a.md": "A", "sub/b.md": "B"})
    assert sorted(r.written) == [MANIFEST, "a.md", "sub/b.md"]
    assert (tmp_path / "sub/b.md").read_text() == "B"


def test_unchanged_rebuild_touches_nothing(tmp_path):
    write(tmp_path, {"a.md": "A"})
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    r = write(tmp_path, {"a.md": "A"})
    assert r.written == [] and r.unchanged == ["a.md", MANIFEST]
    assert before == {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}


def test_hand_edit_is_kept_and_reported(tmp_path):
    write(tmp_path, {"a.md": "A"})
    (tmp_path / "a.md").write_text("A, edited by a curator")
    r = write(tmp_path, {"a.md": "A2"})
    assert r.kept_edits == ["a.md"]
    assert (tmp_path / "a.md").read_text() == "A, edited by a curator"
    # and it stays kept on the next build too
    r = write(tmp_path, {"a.md": "A3"})
    assert r.kept_edits == ["a.md"]


def test_hand_written_page_is_never_overwritten(tmp_path):
    (tmp_path / "a.md").write_text("mine")
    r = write(tmp_path, {"a.md": "generated"})
    assert r.kept_edits == ["a.md"] and (tmp_path / "a.md").read_text() == "mine"


def test_stale_generated_page_is_deleted_but_edited_one_kept(tmp_path):
    write(tmp_path, {"a.md": "A", "b.md": "B"})
    (tmp_path / "b.md").write_text("B edited")
    r = write(tmp_path, {})
    assert r.deleted == ["a.md"] and not (tmp_path / "a.md").exists()
    assert r.kept_edits == ["b.md"] and (tmp_path / "b.md").exists()


def test_check_mode_reports_and_writes_nothing(tmp_path):
    write(tmp_path, {"a.md": "A"})
    r = write(tmp_path, {"a.md": "A changed", "new.md": "N"}, check=True)
    assert sorted(r.differs) == [MANIFEST, "a.md", "new.md"]
    assert (tmp_path / "a.md").read_text() == "A" and not (tmp_path / "new.md").exists()


def test_no_temporary_files_left_behind(tmp_path):
    write(tmp_path, {"a.md": "A" * 100_000})
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert os.listdir(tmp_path / ".archive") == ["manifest.json"]
