"""Shared fixtures: where the repository is and which venv runs the tests."""
from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def tool_env() -> dict[str, str]:
    """Environment for subprocesses (generator, mkdocs, check-jsonschema, npm)."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner on every mkdocs run
    env["PYTHONUTF8"] = "1"
    env.pop("UPDATE_GOLDEN", None)
    return env
