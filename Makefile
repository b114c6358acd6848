# The two commands a newcomer runs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test lint typecheck unit install install-dev clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "incidex needs Python 3.11; set PYTHON=/path/to/python3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The sources setup.py compiles (incidex.native names them): an edit to one rebuilds them
# (until then their source runs).
COMPILED := $(shell $(PYTHON) -c 'import runpy; print(*runpy.run_path("src/incidex/native.py")["sources"]())')

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock setup.py $(COMPILED)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	$(BIN)/incidex prepare
	touch $@

# The dev tools alone: installing '.[dev]' would build (and compile) the package again.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c requirements.lock $$($(BIN)/python -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["dev"]))')
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/incidex ingest --db $(DEMO_DB) src/incidex/demo
	$(BIN)/incidex incidents --db $(DEMO_DB)

lint: install-dev
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check src tests bench training

typecheck: install-dev
	$(BIN)/mypy

unit: install-dev
	$(BIN)/pytest -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .mypy_cache .ruff_cache .pytest_cache
