# SATUSAMA: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
APPS := stakeholders roadmap programs umkm forums

.PHONY: run test test-fast lint messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $@

.env:
	@echo "DJANGO_DEBUG=1" > .env
	@echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env
	@echo "Wrote .env for local development (DEBUG on, SQLite, no Redis)."

run: $(VENV)/.installed .env
	$(PY) manage.py compiletranslations
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

# Tests run with DEBUG off like production, but over plain HTTP; DATABASE_URL picks PostgreSQL when set.
test: export SECRET_KEY ?= test-only-secret-key-not-for-production
test: export DJANGO_DEBUG = 0
test: export DJANGO_SECURE = 0
test: $(VENV)/.installed
	$(PY) manage.py compiletranslations
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# Extract new strings into the Indonesian catalogues (needs GNU gettext; see README).
messages: $(VENV)/.installed
	for app in $(APPS); do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l id -l en --no-obsolete); done
	$(PY) manage.py makemessages -l id -l en --no-obsolete $(foreach d,$(APPS) .venv tests bench,--ignore='$(d)/*')

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
