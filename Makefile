# `make run` and `make test` work on a fresh machine: each creates or reuses .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test lint browser bench system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,web,store,summary]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backspasm serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy src

# Debian packages for the PDF summary and its tests.
system-deps:
	scripts/ensure-system-deps.sh

# What the browser tests need beyond pip: Debian's Chromium and the axe-core npm package.
browser:
	scripts/apt-ensure /usr/bin/chromium chromium
	$(MAKE) --no-print-directory $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $(AXE)

# Storage tests run on SQLite and on a real PostgreSQL server that ensure-postgres.sh installs
# and starts on 127.0.0.1 when it is not running (it prints the URL).
test: lint system-deps browser
	$(BIN)/backspasm kb lint
	url=$$(scripts/ensure-postgres.sh) && \
	  BACKSPASM_TEST_POSTGRES_URL=$$url BACKSPASM_REQUIRE_POSTGRES=1 $(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py
	scripts/apt-ensure wrk wrk
	$(BIN)/python bench/web_load.py
