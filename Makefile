# `make run` and `make test` work on a fresh machine: each creates or reuses .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,store,web,summary]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backspasm eval cases

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy src

# Debian packages for the PDF summary and its tests.
system-deps:
	scripts/ensure-system-deps.sh

# Storage tests run on SQLite and on a real PostgreSQL server that ensure-postgres.sh installs
# and starts on 127.0.0.1 when it is not running (it prints the URL).
test: lint system-deps
	$(BIN)/backspasm kb lint
	url=$$(scripts/ensure-postgres.sh) && \
	  BACKSPASM_TEST_POSTGRES_URL=$$url BACKSPASM_REQUIRE_POSTGRES=1 $(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py
