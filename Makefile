# `make run` and `make test` work on a fresh machine: each creates or reuses .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench bench-startup eval-text

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,nlp]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backspasm check

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

test: lint
	$(BIN)/backspasm kb lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-startup: $(STAMP)
	$(BIN)/python bench/startup.py

eval-text: $(STAMP)
	$(BIN)/backspasm eval-text
