# Two commands on a fresh machine:  `make serve` (build and serve the demo site), `make test` (all tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install serve build test snapshot clean

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

# Regenerate the expected output of the snapshot test after reviewing the change it shows.
snapshot: $(STAMP)
	$(BIN)/python tests/snapshot.py --update

clean:
	rm -rf site site.tmp-* site.old-* $(VENV) node_modules
