# Two commands on a fresh machine:  `make serve` (build and serve the demo site), `make test` (all tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install serve build test test-fast lint wheel snapshot clean

$(STAMP): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

# The install step of CI and of the GitHub workflows (.github/workflows/*.yml).
install: $(STAMP)

serve: $(STAMP)
	$(BIN)/ccdir serve --port $(PORT)

build: $(STAMP)
	$(BIN)/ccdir build

test: $(STAMP)
	$(BIN)/python -m pytest -n auto -q

# The inner loop: everything but the browser and slow tests (under 30 s on 2 cores).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -q -m "not slow and not browser"

# Lint, format check and type check, as CI runs them (.ci/run).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts build.py
	$(BIN)/ruff format --check src tests benchmarks scripts build.py
	$(BIN)/mypy

# A wheel in dist/ that carries the templates and browser libraries (see pyproject.toml).
wheel: $(STAMP)
	rm -rf dist
	$(BIN)/pyproject-build --wheel --outdir dist .

# Regenerate the expected output of the snapshot test after reviewing the change it shows.
snapshot: $(STAMP)
	$(BIN)/python tests/snapshot.py --update

clean:
	rm -rf site site.tmp-* site.old-* $(VENV) node_modules dist
