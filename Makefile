# Two commands for a fresh machine:
#   make run    set up, migrate the SQLite database, load demo data, serve http://127.0.0.1:8000
#               (with the background jobs: SMS sending and reminders, printed by the console backend)
#   make test   set up with the test tools and run the whole suite (DATABASE_URL picks PostgreSQL)
# And:
#   make bench  the benchmarks (bench/run.py; PostgreSQL on 127.0.0.1:5432, see bench/dbs.py);
#               BENCH_ARGS=--quick for a run of about two minutes that writes nothing;
#               PEERS_SRC=/path/to/the/peer/harness adds the django-appointment and django-helpdesk baselines
.PHONY: run test setup setup-dev lint bench

PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	@scripts/setup.sh run

setup-dev:
	@scripts/setup.sh dev

run: setup
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py seed_demo
	@echo "Digipunt Helpdesk on http://$(HOST):$(PORT)/  (log in with one of the demo logins above)"
	@# The background jobs (sending SMS, reminders) run beside the web server and stop with it.
	$(PY) manage.py run_jobs --interval 5 & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup-dev
	$(PY) bench/run.py $(BENCH_ARGS)

lint: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
