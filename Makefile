# The README's two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Test processes (pytest-xdist): "auto" = one per core; 0 = everything in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

.PHONY: demo test install install-dev lint typecheck checks pytest openapi messages bench-jair bench-matching bench-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: install, migrate, load the shipped ESCP-4i data, serve on http://127.0.0.1:8000
demo: install
	$(BIN)/escp4i init-secret
	$(BIN)/escp4i migrate --noinput -v 0
	$(BIN)/escp4i load_escp4i
	$(BIN)/escp4i load_collaboration
	$(BIN)/escp4i seed_calls
	$(BIN)/escp4i seed_labels --demo
	$(BIN)/escp4i seed_demo_events
	$(BIN)/escp4i seed_demo_collaboration
	$(BIN)/escp4i collectstatic --noinput -v 0
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/escp4i runserver $(HOST):$(PORT)

## make test: install test dependencies, lint, type-check, check migrations, run the whole suite
test: install-dev lint typecheck checks pytest

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck:
	$(BIN)/mypy

checks:
	DJANGO_SETTINGS_MODULE=escp4i.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=escp4i.settings_test $(BIN)/python manage.py collectstatic --noinput -v 0

pytest:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "Chromium found at $(CHROMIUM): browser tests included"; \
		$(PYTEST) --run-browser; \
	else \
		echo "No Chromium at $(CHROMIUM): browser tests skipped"; \
		$(PYTEST); \
	fi

## make openapi: regenerate the committed OpenAPI document (docs/api/openapi.json)
openapi: install-dev
	DJANGO_SETTINGS_MODULE=escp4i.settings_test $(BIN)/python manage.py export_openapi_schema \
		--api escp4i.api.api.api --output docs/api/openapi.json --indent 2

## make messages: refresh and compile the translation catalogues (needs GNU gettext). The
## compiled .mo files are committed, so install/demo/test need no gettext. Add a language here
## and to LANGUAGES in settings.py (see docs/translations.md).
LOCALES := fr de
messages: install-dev
	cd src/escp4i && ../../$(BIN)/django-admin makemessages $(addprefix -l ,$(LOCALES)) \
		--ignore='*/data/*' && ../../$(BIN)/django-admin compilemessages $(addprefix -l ,$(LOCALES))

## benchmarks (never part of make test)
bench-jair: install-dev
	$(BIN)/python benchmarks/b2b_jair.py $${ESCP4I_B2B_JAIR_DIR:-../shared/benchmarks/b2b-jair}

bench-matching: install-dev
	$(BIN)/python benchmarks/matching_eval.py

## make bench-scale: 100k-organisation dataset on PostgreSQL, gunicorn, concurrent load (needs
## DATABASE_URL=postgres://...; wrk if installed). Generates the data once, then reuses it.
bench-scale: install-dev
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgres://... (a PostgreSQL database)"; exit 2; }
	$(BIN)/python benchmarks/scale.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
