# `make run` and `make test` work on a fresh machine: each creates or reuses .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test check lint docs bench bench-startup eval-text test-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backspasm serve --host 127.0.0.1 --port 8000

# Lint, formatting, types, and the layering contracts in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench docs
	$(BIN)/ruff format --check src tests bench docs
	$(BIN)/mypy src docs/figures.py
	$(BIN)/lint-imports

# The fast loop (under a minute): lint, the knowledge lint, and the engine and knowledge tests
# but those marked slow (which `make test` runs).
check: lint
	$(BIN)/backspasm kb lint
	$(BIN)/pytest -q -p no:cacheprovider -m "not slow" tests/engine tests/knowledge

# Regenerate every figure in the documentation (cog blocks in README.md and docs/*.md, filled by
# docs/figures.py): after a knowledge change, run this and read the diff. The suite fails
# (tests/knowledge/test_docs.py) while any figure is stale.
DOCS := README.md $(wildcard docs/*.md)
docs: $(STAMP)
	$(BIN)/cog -r -I docs $(DOCS)

# Real programs the tests drive, installed when missing: Debian's pango and poppler (PDF
# summary), Chromium (browser tests), nginx (two instances behind a proxy, docs/deploy.md),
# axe-core (accessibility), and the pinned npm packages LHC-Forms and the FHIR R4
# definitions (unpacked into the gitignored .js-deps/).
test-deps:
	scripts/ensure-system-deps.sh
	scripts/apt-ensure /usr/bin/chromium chromium
	scripts/apt-ensure /usr/sbin/nginx nginx
	scripts/ensure-js-deps.sh
	$(MAKE) --no-print-directory $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $(AXE)

# Storage tests run on SQLite and on a real PostgreSQL server that ensure-postgres.sh installs
# and starts on 127.0.0.1 when it is not running (it prints the URL).
test: lint test-deps
	$(BIN)/backspasm kb lint
	url=$$(scripts/ensure-postgres.sh) && \
	  BACKSPASM_TEST_POSTGRES_URL=$$url BACKSPASM_REQUIRE_POSTGRES=1 $(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/startup.py
	scripts/apt-ensure wrk wrk
	$(BIN)/python bench/web_load.py

bench-startup: $(STAMP)
	$(BIN)/python bench/startup.py

eval-text: $(STAMP)
	$(BIN)/backspasm eval-text
