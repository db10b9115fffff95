# Two commands on a fresh machine:  `make serve` (build and serve the demo site), `make test` (all tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# ccdir and the browser libraries: enough to validate, build and serve.
STAMP := $(VENV)/.installed
# Plus the test and lint tools (the `test` and `dev` extras of pyproject.toml).
TOOLS := $(VENV)/.installed-tools

.PHONY: install install-tools serve build test test-fast lint wheel snapshot clean

$(STAMP): pyproject.toml package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error  # first: the package maps node_modules/ (pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TOOLS): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(TOOLS)

# The install step of the GitHub workflows (.github/workflows/*.yml): validate and build need the runtime only.
install: $(STAMP)

# The install step of CI (.ci/run): tests, lint, wheel.
install-tools: $(TOOLS)

serve: $(STAMP)
	$(BIN)/ccdir serve --port $(PORT)

build: $(STAMP)
	$(BIN)/ccdir build

# Bytecode caches kept even where the environment turns them off: pytest rewrites every test module's asserts,
# and caching that halves the collection time.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

test: $(TOOLS)
	$(PYTEST) -n auto -q

# The inner loop: everything but the browser and slow tests (under 30 s on 2 cores).
test-fast: $(TOOLS)
	$(PYTEST) -n auto -q -m "not slow and not browser"

# Lint, format check and type check, as CI runs them (.ci/run).
lint: $(TOOLS)
	$(BIN)/ruff check src tests benchmarks scripts build.py
	$(BIN)/ruff format --check src tests benchmarks scripts build.py
	$(BIN)/mypy

# A wheel in dist/ that carries the templates and browser libraries (see pyproject.toml).
wheel: $(TOOLS)
	rm -rf dist
	$(BIN)/pyproject-build --wheel --outdir dist .

# Regenerate the expected output of the snapshot test after reviewing the change it shows.
snapshot: $(TOOLS)
	$(BIN)/python tests/snapshot.py --update

clean:
	rm -rf site site.tmp-* site.old-* $(VENV) node_modules dist
