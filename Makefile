# Fyren: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: bench-setup run serve setup demo-db test test-setup lint check-migrations test-sqlite test-postgres test-browser messages translations compile-messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-base: $(PY) requirements/base.txt requirements/constraints.txt
	$(PIP) install --quiet -r requirements/base.txt -c requirements/constraints.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt requirements/constraints.txt
	$(PIP) install --quiet -r requirements/test.txt -c requirements/constraints.txt
	touch $@

# What the load benchmarks need beyond the tests (locust); see docs/operations.md.
bench-setup: $(VENV)/.installed-test requirements/bench.txt requirements/constraints.txt
	$(PIP) install --quiet -r requirements/bench.txt -c requirements/constraints.txt

compile-messages: $(VENV)/.installed-base
	$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics

setup: $(VENV)/.installed-base compile-messages

demo-db: setup
	FYREN_DEMO=1 $(PY) manage.py migrate --noinput
	FYREN_DEMO=1 $(PY) manage.py load_demo_data

# The demo server, a background worker (notifications), the scheduler (periodic jobs) and Hamnen's record system
# (prints the subscription notifications it gets; its page http://127.0.0.1:8766/ opens Fyren for a patient);
# stopping the server stops all.
run: demo-db
	@echo "Fyren demo: http://127.0.0.1:$(PORT)/  (see README for the demo logins)"
	FYREN_DEMO=1 $(PY) manage.py demo_record_system & receiver=$$!; \
	FYREN_DEMO=1 $(PY) manage.py db_worker --interval 2 & worker=$$!; \
	FYREN_DEMO=1 $(PY) manage.py run_scheduler >/dev/null & scheduler=$$!; \
	trap 'kill $$receiver $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	FYREN_DEMO=1 FYREN_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production-style: gunicorn in its own process group, restartable after a crash (docs/operations.md).
serve: setup
	scripts/serve

# Update locale/sv/LC_MESSAGES/django.po after changing user-facing text (needs gettext).
messages: $(VENV)/.installed-base
	$(PY) manage.py makemessages --locale=sv --locale=fi --locale=ar --locale=fa --locale=so --locale=ti --locale=uk --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=tests --ignore="*/tests/*" --ignore=conftest.py

# Per page language: how many messages are translated, and how many of those a
# qualified translator has reviewed (scripts/translations.py).
translations: $(VENV)/.installed-test
	$(PY) scripts/translations.py status
	$(PY) scripts/translations.py check

test-setup: $(VENV)/.installed-test compile-messages
	bash scripts/test-services.sh

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

check-migrations: $(VENV)/.installed-test
	$(PY) manage.py makemigrations --check --dry-run

# Redis for the scaled-out configuration's test, started by scripts/test-services.sh.
TEST_REDIS := FYREN_TEST_REDIS_URL=redis://127.0.0.1:6390/15

test-sqlite: $(VENV)/.installed-test
	$(TEST_REDIS) $(VENV)/bin/pytest -m "not browser"

test-postgres: $(VENV)/.installed-test
	$(TEST_REDIS) DATABASE_URL=postgres://fyren:fyren@127.0.0.1:5432/fyren $(VENV)/bin/pytest -m "not browser"

test-browser: $(VENV)/.installed-test
	$(VENV)/bin/pytest -m browser

test: test-setup lint check-migrations test-sqlite test-postgres test-browser

clean:
	rm -rf $(VENV) node_modules var db.sqlite3*
