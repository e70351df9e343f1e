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

