"""Live preview: a saved seed or page shows in the served site within seconds, with no rebuild loop."""
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sitecheck import copy_site_config

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "articles/004-4ed872c58d4f809f/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, timeout):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.2)
    return None


@contextlib.contextmanager
def serving(tmp_path, *options):
    """``python -m build_scripts serve`` on a copy of the project's seeds, knowledge and site config."""
    for name in ("seeds", "knowledge"):
        shutil.copytree(ROOT / name, tmp_path / name)
    copy_site_config(ROOT, tmp_path)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "build_scripts", "serve", "-a", f"127.0.0.1:{port}", *options],
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env={**env, "PYTHONPATH": str(ROOT)},
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "Liu Yunshan" in fetch(base + ARTICLE), 60), (tmp_path / "serve.log").read_text()
        yield tmp_path, base, proc
    finally:
        proc.terminate()  # the serve command stops its mkdocs child on SIGTERM
        proc.wait(timeout=20)
        time.sleep(1)
        alive = subprocess.run(["pgrep", "-f", f"127.0.0.1:{port}"], capture_output=True, text=True).stdout
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # never leave a server behind, even if the check fails
        log.close()
        assert not alive.strip(), f"mkdocs serve outlived the serve command: {alive}"


@pytest.fixture
def served(tmp_path):
    with serving(tmp_path) as running:
        yield running


def rebuilds(tmp_path):
    return (tmp_path / "serve.log").read_text().count("rebuilt in")


def test_saved_seed_shows_within_seconds_without_a_loop(served):
    tmp_path, base, _ = served
    seed = tmp_path / "seeds" / "004_4ed872c58d4f809f.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("led a conference in Beijing",
                                                             "led a live-edited conference in Beijing"),
                    encoding="utf-8")
    took = wait_for(lambda: "live-edited conference" in fetch(base + ARTICLE), 30)
    assert took is not None and took < 15, (tmp_path / "serve.log").read_text()
    settled = rebuilds(tmp_path)
    time.sleep(4)
    assert rebuilds(tmp_path) == settled, "the generator kept rebuilding: a loop"
    assert settled <= 3  # the first build, the change (and at most one debounce split)


def test_curator_edit_of_a_page_flows_to_other_pages(served):
    tmp_path, base, _ = served
    page = tmp_path / "docs" / "articles" / "004-4ed872c58d4f809f.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "title: President Xi Speaks on China's Cybersecurity and Informatization Development",
        "title: A curated title seen live"), encoding="utf-8")
    took = wait_for(lambda: "A curated title seen live" in fetch(base + "timeline/"), 30)
    assert took is not None, (tmp_path / "serve.log").read_text()
    settled = rebuilds(tmp_path)
    time.sleep(4)
    assert rebuilds(tmp_path) == settled


def test_dirty_serving_rebuilds_the_pages_an_edit_changes(tmp_path):
    """``serve --dirty`` (the default above 500 articles): MkDocs rebuilds only the pages
    whose Markdown changed, which include every page the generator rewrote for an edit
    (here the timeline); MkDocs' own warning about dirty builds does not abort the strict build."""
    with serving(tmp_path, "--dirty") as (_, base, _proc):
        log = (tmp_path / "serve.log").read_text()
        assert "mkdocs serve --dirty" in log and not re.search(r"WARNING.*A 'dirty' build", log), log
        page = tmp_path / "docs" / "articles" / "004-4ed872c58d4f809f.md"
        page.write_text(page.read_text(encoding="utf-8").replace(
            "title: President Xi Speaks on China's Cybersecurity and Informatization Development",
            "title: A curated title seen live"), encoding="utf-8")
        assert wait_for(lambda: "A curated title seen live" in fetch(base + "timeline/"), 30), (
            (tmp_path / "serve.log").read_text())
        assert "A curated title seen live" in fetch(base + ARTICLE)
        log = (tmp_path / "serve.log").read_text()
        assert "Aborted" not in log and log.count("Building documentation") >= 2, log


def test_dirty_serving_is_the_default_above_500_articles(tmp_path):
    from build_scripts.serve import DIRTY_ABOVE, wants_dirty

    (tmp_path / "articles").mkdir()
    for i in range(DIRTY_ABOVE):
        (tmp_path / "articles" / f"a{i}.md").write_text("x", encoding="utf-8")
    (tmp_path / "articles" / "index.md").write_text("x", encoding="utf-8")
    assert not wants_dirty(tmp_path)
    (tmp_path / "articles" / "one-more.md").write_text("x", encoding="utf-8")
    assert wants_dirty(tmp_path) and not wants_dirty(tmp_path / "missing")
