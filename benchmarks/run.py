"""The archive benchmark: generator and site at 1,000 and 10,000 captures (``make bench``).

    python benchmarks/run.py [--write-docs]     # BENCH_SIZES=1000,10000 BENCH_RUNS=3 BENCH_DIR=/tmp

For each size it generates a synthetic corpus (benchmarks/generate.py), then measures,
each figure the median of BENCH_RUNS runs, every build in its own subprocess:

- the generator (``build_scripts.build.build()``, called as a library): cold (no docs/,
  no cache), no-op rebuild, rebuild after one changed capture; the time of each stage
  (``BuildReport.stages``); peak RSS; the size of docs/;
- ``mkdocs build`` of the archive (search as configured: Pagefind above the threshold)
  next to a plain Material build of as many trivial pages, run alternately;
- the site: its size, HTML bytes per article page, Material's search_index.json (raw and
  gzipped, from a build with ``ARCHIVE_SEARCH=material``), and Pagefind's bytes and time
  for a first query in headless Chromium (benchmarks/search_bench.py).

It prints a table with PASS/FAIL against the targets (it never fails on them) and, with
``--write-docs``, writes docs/performance.md. Work folders go under BENCH_DIR (default: a
temporary folder) and are deleted afterwards.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import report  # noqa: E402
from benchmarks.generate import write_corpus  # noqa: E402

log = logging.getLogger("benchmarks.run")
REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


# ============================================================================ one build (child process)
def child_build(seeds: Path, docs: Path, cache: Path) -> int:
    """Run the generator once in this process and print its report as JSON (last line)."""
    import resource

    snapshot = os.environ.get("BENCH_GENERATOR")
    if snapshot:  # the generator as copied when the bench started (see snapshot_generator)
        sys.path.insert(0, snapshot)
    from build_scripts.build import BuildOptions, build

    names = {f.name for f in dataclasses.fields(BuildOptions)}
    extra = {"cache": cache} if "cache" in names else {}
    logging.basicConfig(level=logging.WARNING)
    knowledge = Path(os.environ.get("BENCH_KNOWLEDGE") or REPO / "knowledge")
    result = build(BuildOptions(seeds=seeds, docs=docs, knowledge=knowledge, **extra))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.write(json.dumps({"seconds": result.seconds, "stages": result.stages,
                                 "captures": result.captures, "articles": result.articles,
                                 "skipped": len(result.skipped), "workers_maxrss_kb": usage}) + "\n")
    sys.stdout.flush()
    os._exit(0)  # as ``python -m build_scripts build`` ends (cli.finish): no object-by-object teardown


def run_build(seeds: Path, docs: Path, cache: Path) -> dict:
    """The generator in a subprocess: its report, wall time and peak RSS (main process and workers)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-build", str(seeds), str(docs), str(cache)]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=err, env=_env())
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"generator failed ({proc.returncode}):\n{stderr[-3000:]}")
    data = json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
    data["wall"] = wall
    data["maxrss_mb"] = max(usage.ru_maxrss, data["workers_maxrss_kb"]) / 1024
    data["main_maxrss_mb"] = usage.ru_maxrss / 1024
    return data


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.pop("SITE_URL", None)
    return env


def snapshot_generator(root: Path) -> None:
    """Copy build_scripts/ and knowledge/ as they are now: every build of the bench runs
    this copy, so edits made to the tree meanwhile neither mix versions nor invalidate
    the generator's cache between runs."""
    shutil.copytree(REPO / "build_scripts", root / "generator" / "build_scripts",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "knowledge", root / "knowledge")
    os.environ["BENCH_GENERATOR"] = str(root / "generator")
    os.environ["BENCH_KNOWLEDGE"] = str(root / "knowledge")


# ============================================================================ the generator
def bench_generator(n: int, work: Path, runs: int) -> dict:
    seeds, docs, cache = work / "seeds", work / "docs", work / "cache" / "captures.sqlite"
    cold = []
    for i in range(runs):
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(cache.parent, ignore_errors=True)
        cold.append(run_build(seeds, docs, cache))
        log.info("  cold build %d/%d: %.1fs (%s)", i + 1, runs, cold[-1]["wall"], _stages(cold[-1]))
    noop = []
    for i in range(runs):
        noop.append(run_build(seeds, docs, cache))
        log.info("  no-op rebuild %d/%d: %.2fs", i + 1, runs, noop[-1]["wall"])
    changed = []
    for i in range(runs):
        touch_one_capture(seeds, i)
        changed.append(run_build(seeds, docs, cache))
        log.info("  one changed capture %d/%d: %.2fs", i + 1, runs, changed[-1]["wall"])
    return {"cold": cold, "noop": noop, "changed": changed, "docs_bytes": tree_bytes(docs),
            "docs_files": sum(1 for p in docs.rglob("*") if p.is_file())}


def _stages(r: dict) -> str:
    return ", ".join(f"{k} {v:.1f}s" for k, v in r["stages"].items())


def touch_one_capture(seeds: Path, k: int) -> Path:
    """Change one sentence in the k-th capture's longest line (an article paragraph)."""
    path = sorted(seeds.rglob("*.txt"))[k * 7 % 100]
    lines = path.read_text(encoding="utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += f" Officials gave a further update ({k + 1})."
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


# ============================================================================ the site
def mkdocs_project(work: Path, docs: Path, name: str) -> Path:
    """A folder holding the repository's mkdocs.yml (+ overrides and hooks) over ``docs``."""
    from benchmarks.search_bench import copy_project  # noqa: PLC0415 (keeps --child-build light)

    return copy_project(REPO, work / name, docs)


def mkdocs_build(project: Path, site: Path, search: str | None = None) -> tuple[float, float | None, str]:
    """(seconds, Pagefind's seconds or None, log) of ``mkdocs build`` of ``project``."""
    env = _env()
    if search:
        env["ARCHIVE_SEARCH"] = search
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.run([str(VENV_BIN / "mkdocs"), "build", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed in {project}:\n{proc.stderr[-3000:]}")
    found = re.search(r"pagefind indexed .* in ([\d.]+)s", proc.stderr)
    return seconds, float(found.group(1)) if found else None, proc.stderr


def plain_project(work: Path, pages: int) -> Path:
    """A dummy Material project of ``pages`` trivial pages: the yardstick for mkdocs build time."""
    root = work / "plain"
    docs = root / "docs"
    (docs / "pages").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Plain\n\nA plain Material site.\n", encoding="utf-8")
    for i in range(pages - 1):
        (docs / "pages" / f"page-{i:05d}.md").write_text(
            f"# Page {i}\n\nA trivial page number {i}, with one paragraph of text to index.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\nplugins:\n  - search\n"
                                     "nav:\n  - Home: index.md\n", encoding="utf-8")
    return root


def bench_site(n: int, work: Path, runs: int, gen: dict) -> dict:
    docs = work / "docs"
    (docs / "performance.md").write_text("# Performance\n", encoding="utf-8")  # the nav names it
    pages = count_pages(docs)
    archive, plain = mkdocs_project(work, docs, "archive"), plain_project(work, pages)
    archive_times, pagefind_times, plain_times = [], [], []
    for i in range(runs):  # alternately, so both see the same machine load
        seconds, pagefind, _ = mkdocs_build(archive, work / "site")
        archive_times.append(seconds)
        pagefind_times += [pagefind] if pagefind is not None else []
        plain_times.append(mkdocs_build(plain, work / "plain-site")[0])
        log.info("  mkdocs build %d/%d: archive %.1fs (pagefind %s), plain Material %.1fs", i + 1, runs,
                 seconds, f"{pagefind:.1f}s" if pagefind else "not run", plain_times[-1])
    site = work / "site"
    result = {"pages": pages, "mkdocs": archive_times, "pagefind": pagefind_times, "plain": plain_times,
              "site_bytes": tree_bytes(site), "article_html": article_html_bytes(site),
              "search_mode": "pagefind" if (site / "pagefind").is_dir() else "material"}
    if (site / "pagefind").is_dir():
        result["pagefind_bytes"] = tree_bytes(site / "pagefind")
        result["search"] = search_measure(site, work / "seeds" / "corpus.json")
    material_site = work / "site-material"
    seconds, _, _ = mkdocs_build(archive, material_site, search="material")
    index = (material_site / "search" / "search_index.json").read_bytes()
    result.update(material_mkdocs=seconds, material_index=len(index), material_index_gz=len(gzip.compress(index, 6)))
    log.info("  Material search index: %.1f MB (%.1f MB gzipped)", len(index) / 1e6, result["material_index_gz"] / 1e6)
    return result


def count_pages(docs: Path) -> int:
    """The Markdown pages MkDocs builds: hidden folders (docs/.archive/, the merge bases) excluded."""
    return sum(1 for p in docs.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(docs).parts))


def article_html_bytes(site: Path) -> float:
    sizes = [p.stat().st_size for p in (site / "articles").glob("*/index.html")]
    return statistics.fmean(sizes) if sizes else 0.0


def search_measure(site: Path, manifest: Path) -> dict:
    from benchmarks.search_bench import measure_site  # noqa: PLC0415

    return measure_site(site, manifest)


# ============================================================================ the whole bench
def bench_size(n: int, root: Path, runs: int, save) -> dict:
    """All measures of one size; ``save(partial)`` is called after each phase, so an
    interrupted bench keeps what it measured."""
    work = root / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    log.info("N=%d: generating the corpus", n)
    started = time.perf_counter()
    write_corpus(n, work / "seeds", seed=1, knowledge=Path(os.environ.get("BENCH_KNOWLEDGE") or REPO / "knowledge"))
    log.info("N=%d: corpus written in %.1fs; generator, %d run(s) of each", n, time.perf_counter() - started, runs)
    result = {"n": n, "runs": runs, "generator": bench_generator(n, work, runs)}
    save(result)
    log.info("N=%d: mkdocs build, %d run(s) of the archive and of a plain Material site", n, runs)
    result["site"] = bench_site(n, work, runs, result["generator"])
    save(result)
    shutil.rmtree(work, ignore_errors=True)
    return result


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "build_scripts"], cwd=REPO, capture_output=True,
                           text=True).stdout.strip()
    return {"date": dt.date.today().isoformat(), "nproc": os.cpu_count(), "cpu": cpu,
            "ram_gb": round(mem / 1024 / 1024, 1), "python": platform.python_version(),
            "load_start": round(os.getloadavg()[0], 1),
            "commit": commit.strip() + (" + uncommitted generator changes" if dirty else "")}


def runs_for(spec: str, n: int) -> int:
    """BENCH_RUNS: "3" for every size, or "1000:3,10000:1" per size (default 3)."""
    if ":" not in spec:
        return int(spec)
    per_size = dict(item.split(":") for item in spec.split(","))
    return int(per_size.get(str(n), 3))


def run_all(sizes: list[int], runs: str, where: Path | None, checkpoint: Path | None) -> dict:
    root = Path(tempfile.mkdtemp(prefix="archive-bench-", dir=where))
    results = {"machine": machine(), "sizes": []}

    def save(partial: dict) -> None:
        results["machine"]["load_end"] = round(os.getloadavg()[0], 1)
        if checkpoint:
            done = [s for s in results["sizes"] if s["n"] != partial["n"]]
            checkpoint.write_text(json.dumps({**results, "sizes": done + [partial]}, indent=1) + "\n",
                                  encoding="utf-8")

    try:
        snapshot_generator(root)
        for n in sizes:
            results["sizes"].append(bench_size(n, root, runs_for(runs, n), save))
        return results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the archive generator and site.")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000"))
    parser.add_argument("--runs", default=os.environ.get("BENCH_RUNS", "3"),
                        help='runs of each measure: "3", or per size: "1000:3,10000:1"')
    parser.add_argument("--dir", type=Path, default=os.environ.get("BENCH_DIR") or None)
    parser.add_argument("--write-docs", action="store_true", help="write docs/performance.md")
    parser.add_argument("--json", type=Path, help="save the raw results as JSON (also after each phase)")
    parser.add_argument("--from-json", type=Path, nargs="+", help="report saved results (merged) instead of running")
    parser.add_argument("--child-build", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        return child_build(*args.child_build)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    if args.from_json:
        loaded = [json.loads(p.read_text(encoding="utf-8")) for p in args.from_json]
        for r in loaded:  # each size keeps the machine record of its own run (date, load, commit)
            for size in r["sizes"]:
                size.setdefault("machine", r["machine"])
        results = {"machine": loaded[0]["machine"],
                   "sizes": sorted((s for r in loaded for s in r["sizes"]), key=lambda s: s["n"])}
    else:
        sizes = [int(s) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
        results = run_all(sizes, args.runs, args.dir, args.json)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    table = report.markdown(results)
    sys.stdout.write(table + "\n")
    if args.write_docs:
        (REPO / "docs" / "performance.md").write_text(report.page(results, table), encoding="utf-8")
        log.info("wrote docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
