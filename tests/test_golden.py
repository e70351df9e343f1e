"""Golden files: the seeds' rendered pages, byte for byte.

Regenerate after an intended change with ``make golden`` (UPDATE_GOLDEN=1), then review
the diff of tests/golden/ like any other change.
"""
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_scripts.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
PAGES = ["index.md", "timeline.md", "articles/index.md", "events/index.md", "people/index.md",
         "organizations/index.md", "data/articles.json"]


# The build date every page shows ("in the archive since"): fixed, or the golden files
# would only match on the day they were made.
BUILD_DATE_EPOCH = "1795348800"  # 2026-11-22, 12:00 UTC


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    docs = tmp_path_factory.mktemp("golden") / "docs"
    result = CliRunner().invoke(main, ["build", "--seeds", str(ROOT / "seeds"), "--knowledge",
                                       str(ROOT / "knowledge"), "--docs", str(docs)],
                                env={"SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH})
    assert result.exit_code == 0, result.output
    return docs


def golden_pages(docs):
    articles = sorted(p.relative_to(docs).as_posix() for p in (docs / "articles").glob("*.md"))
    events = sorted(p.relative_to(docs).as_posix() for p in (docs / "events").glob("*.md"))
    return sorted(set(PAGES + articles + events + ["people/xi-jinping.md", "people/liu-yunshan.md"]))


def test_golden_pages(built):
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    pages = golden_pages(built)
    stale = sorted({p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()} - set(pages)) \
        if GOLDEN.exists() else []
    mismatched = []
    for rel in pages:
        produced, golden = (built / rel).read_bytes(), GOLDEN / rel
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(produced)
        elif not golden.exists() or golden.read_bytes() != produced:
            mismatched.append(rel)
    if update:
        for rel in stale:
            (GOLDEN / rel).unlink()
        return
    assert not stale, f"golden files no longer produced: {stale} (run `make golden`)"
    assert not mismatched, f"pages differ from tests/golden: {mismatched} (review, then `make golden`)"
