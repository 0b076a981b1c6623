# `make run` and `make test` work on a fresh machine: each creates or reuses .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench test-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,web,fhir]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backspasm eval cases

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests bench)
	$(BIN)/mypy src

# Real programs the tests drive: Debian's Chromium (browser tests) and the pinned npm packages
# (LHC-Forms, the FHIR R4 definitions) unpacked into the gitignored .js-deps/.
test-deps:
	scripts/apt-ensure /usr/bin/chromium chromium
	scripts/ensure-js-deps.sh

test: lint test-deps
	$(BIN)/backspasm kb lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py
