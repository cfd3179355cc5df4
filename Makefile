# Two commands on a fresh machine:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# Test workers (pytest-xdist): one per core, at most 8 (each has its own test database and Redis
# database, and Redis has 16); TEST_JOBS=0 runs the suite in one process.
TEST_JOBS ?= auto

.PHONY: install run test lint migrate seed messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_taxonomy
	$(BIN)/python manage.py load_holidays --years 2024-2030
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rebuild_index

## Set up everything, then serve http://$(HOST):$(PORT) with the django-q2 worker beside it.
run: seed
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py qcluster & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/pip check
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run

## ruff, mypy, the migrations check and the whole test suite.
test: lint
	$(BIN)/pytest -n $(TEST_JOBS) --maxprocesses=8 $(PYTEST_ARGS)

## Refresh the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l kk -l ru -l en --ignore=.venv --ignore=tests --ignore='matching/engine/*' --ignore='matching/bench/*'
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles
