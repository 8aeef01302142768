# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test lint format bench docs clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Bytecode is compiled up front: an editable install writes none, and compiling Hindsight's
# modules on every run would add ~100 ms to each command's start (PYTHONDONTWRITEBYTECODE).
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	$(PY) -m compileall -q src
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m compileall -q src
	touch $(VENV)/.installed $@

## run: create a postmortem from the example incident details in the default SQLite store and print it
run: $(VENV)/.installed
	$(BIN)/hindsight new --from examples/checkout-outage.yaml --show

## test: install what the tests need, then lint, type-check and run every test
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## bench: measure throughput and start-up; prints a table (SECTIONS="core lint" to pick)
bench: $(VENV)/.installed-test
	$(PY) bench/run.py $(SECTIONS)

## docs: regenerate the generated docs (CLI reference)
docs: $(VENV)/.installed
	$(PY) -m hindsight.cli.reference > docs/cli.md
	$(PY) -m hindsight.lint.docs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
