# mamoru — the two commands of the README:
#   make run    set up everything on a fresh Debian machine and serve the platform with demo data
#   make test   install what the tests need, then lint, types and the whole suite on SQLite and PostgreSQL
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHON := $(CURDIR)/$(BIN)/python
export MAMORU_DATA_DIR ?= $(CURDIR)/var
PYTEST_WORKERS ?= 2

.PHONY: run test install install-dev assets system-run system-test lint types app-template deploy-check \
        suite-sqlite suite-postgres demo fuzz clean

# The demo scans a lab on 127.0.0.1 (asm/demo.py): loopback is allowed for the demo only.
run: system-run install assets demo
	MAMORU_MFA_ENFORCED=false MAMORU_SCAN_ALLOW_PRIVATE=true \
	$(BIN)/mamoru serve --host $(HOST) --port $(PORT) --with-worker

test: system-test install-dev assets lint types app-template deploy-check suite-sqlite suite-postgres

$(BIN)/python:
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's requirements change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-run:
	bash scripts/install-system-packages.sh run
system-test:
	bash scripts/install-system-packages.sh test

assets: | $(BIN)/python
	bash scripts/build-assets.sh

demo:
	mkdir -p $(MAMORU_DATA_DIR)
	$(BIN)/mamoru migrate --no-input -v 0
	$(BIN)/mamoru load-organisations
	$(BIN)/mamoru collectstatic --no-input -v 0
	MAMORU_SCAN_ALLOW_PRIVATE=true $(BIN)/mamoru seed-demo

lint:
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

types:
	DJANGO_SETTINGS_MODULE=mamoru.settings $(BIN)/mypy src bench

# The skeleton of docs/APP_TEMPLATE.md generates an app that passes lint, types and its tests.
app-template:
	bash scripts/check-app-template.sh

deploy-check:
	MAMORU_ENV=production MAMORU_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	MAMORU_OTP_ENCRYPTION_KEYS=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_') \
	MAMORU_ALLOWED_HOSTS=mamoru.example.lg.jp $(BIN)/mamoru check --deploy --fail-level WARNING

suite-sqlite:
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -q

suite-postgres:
	bash scripts/with-postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -q -m "not lab and not netns"

# The API fuzzers with new random cases, more of them (CI draws the same cases every run).
fuzz:
	MAMORU_FUZZ_RANDOM=1 MAMORU_FUZZ_EXAMPLES=$${MAMORU_FUZZ_EXAMPLES:-60} $(BIN)/pytest -n $(PYTEST_WORKERS) -q \
	  src/mamoru/api/tests/test_schema.py src/mamoru/api/tests/test_schema_roles.py

clean:
	rm -rf $(VENV) var node_modules src/mamoru/web/static/vendor
