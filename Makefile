# Newsroom: `make run` to serve the site locally, `make test` to run the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Absolute links (share buttons, canonical, feeds) name the address the site is served on.
SITE_URL ?= http://127.0.0.1:$(PORT)
PYTHON ?= $(shell scripts/find_python.sh)
# Tests need a key; it signs nothing that outlives the run.
TEST_ENV := SECRET_KEY=insecure-test-key DEBUG=0
PYTEST_ARGS ?= -n 2

.PHONY: help run serve bench bench-cluster test test-postgres test-sqlite lint format check chromium vnu varnish cluster-tools lock clean

help:
	@echo "make run     set everything up and serve http://127.0.0.1:$(PORT) with demo content"
	@echo "             (PORT=8041 serves on another port; links follow it)"
	@echo "make test    install test tools and run the whole suite on PostgreSQL and SQLite"
	@echo "make serve   run gunicorn as production would (DEBUG off, hashed static files)"
	@echo "make lint    ruff check and format check"
	@echo "make lock    pin every dependency with hashes in requirements/ after editing pyproject.toml"
	@echo "make bench   measure 1,000 articles under gunicorn with wrk, page cache off, on local"
	@echo "             memory and on Redis; Varnish against nginx; where a hit's time goes"
	@echo "             (BENCH_ARGS=--large: 100,000 articles, 1,000,000 comments, PostgreSQL);"
	@echo "             then make bench-cluster: two app servers behind nginx and Varnish"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer found. Install Python 3.13 (or 3.12), or run" >&2; \
	  echo "'make PYTHON=/path/to/python3.13 ...'." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the lock files only (exact versions, checked by hash); `make lock`
# makes them anew from pyproject.toml.
$(VENV)/.installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	@touch $@ $(VENV)/.installed

LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.12 \
	--generate-hashes --no-header
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(LOCK) -o requirements/base.txt
	$(LOCK) --extra dev -o requirements/dev.txt

run: $(VENV)/.installed
	@DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	@DEBUG=1 $(BIN)/python manage.py demo
	@DEBUG=1 $(BIN)/python manage.py refresh_renditions
	@DEBUG=1 $(BIN)/python manage.py ensure_admin --url http://127.0.0.1:$(PORT)/admin/
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: $(VENV)/.installed
	@DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	@export DEBUG=0 SERVE_MEDIA=1 SITE_URL=$(SITE_URL) SECRET_KEY="$${SECRET_KEY:-$$(cat $${VAR_DIR:-var}/secret_key)}" && \
	  $(BIN)/python manage.py collectstatic --noinput -v0 && \
	  exec $(BIN)/gunicorn newsroom.wsgi --config python:newsroom.gunicorn --bind 127.0.0.1:$(PORT) \
	    --workers $${WEB_CONCURRENCY:-4}

# Benchmarks (run by hand): BENCH_ARGS="--large" for 100,000 articles on PostgreSQL.
# wrk, nginx, redis-server, varnish: installed when missing (as root), like Chromium for tests.
bench: $(VENV)/.installed-dev
	@scripts/install_bench_tools.sh
	PYTHON_BIN=$(BIN)/python scripts/with_postgres.sh $(BIN)/python tests/benchmarks/bench.py $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-cluster

# Two app servers behind nginx (a plain load balancer) and behind Varnish, against one.
bench-cluster: $(VENV)/.installed-dev
	@scripts/install_bench_tools.sh
	PYTHON_BIN=$(BIN)/python scripts/with_postgres.sh $(BIN)/python tests/benchmarks/cluster.py $(BENCH_CLUSTER_ARGS)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python manage.py check

# The Nu Html Checker (vnu.jar, with Java) for the HTML validation tests.
vnu: | $(BIN)/python
	@scripts/install_vnu.sh

# Varnish with its xkey module, for the tests that put it in front of the site.
varnish:
	@scripts/install_varnish.sh

# redis-server and PostgreSQL's binaries, for the tests that start a cluster on loopback.
cluster-tools:
	@scripts/install_cluster_tools.sh

test: lint check chromium vnu varnish cluster-tools
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-sqlite

test-postgres: $(VENV)/.installed-dev
	@echo "== Test suite on PostgreSQL"
	$(TEST_ENV) PYTHON_BIN=$(BIN)/python scripts/with_postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

test-sqlite: $(VENV)/.installed-dev
	@echo "== Test suite on SQLite"
	env -u DATABASE_URL $(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
