"""Shared fixtures: where the repository is and which venv runs the tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (holds seeds/, knowledge/, docs/, mkdocs.yml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def venv_bin() -> Path:
    """The bin/ directory of the Python running the tests (.venv/bin under `make test`)."""
    return Path(sys.executable).parent



def _seed_fingerprint() -> dict[str, tuple[str, int]]:
    import hashlib

    seeds = REPO_ROOT / "seeds"
    return {p.relative_to(seeds).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(seeds.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def seeds_are_never_modified():
    """Nothing the project runs may modify seeds/: checked around the whole test session."""
    before = _seed_fingerprint()
    yield
    assert _seed_fingerprint() == before, "seeds/ was modified during the test session"
