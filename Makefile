# Cocrea — `make run` serves the demo, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The site's public address for every absolute link (e-mails, feeds, the API) and the Site
# records: from PORT unless SITE_URL (or its older name BASE_URL) is given.
RUN_SITE_URL := $(or $(SITE_URL),$(BASE_URL),http://127.0.0.1:$(PORT))
PYTHON ?= python3

.PHONY: run test lint format worker install migrate demo messages makemessages bench scale-out check clean

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

messages: install
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else \
		echo "msgfmt (GNU gettext) not found: install 'gettext' for the Spanish interface."; \
	fi

makemessages: install
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=tests --no-obsolete

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# `make run` and what it runs (migrate, seed_demo) see the same SITE_URL.
run demo migrate: export SITE_URL := $(RUN_SITE_URL)

run: messages demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	mkdir -p tmp && $(VENV)/bin/celery -A cocrea worker -B -s tmp/celerybeat-schedule -l info -Q cocrea

# The whole suite is two pytest processes: everything but the browser journeys, then the
# journeys on a freshly created test database (their restored database must not meet what the
# flushes of the other transactional tests leave behind in one process). With PYTEST_ARGS, one
# run of what you name.
test: messages
	@if [ -n "$(PYTEST_ARGS)" ]; then \
		$(PY) -m pytest $(PYTEST_ARGS); \
	else \
		$(PY) -m pytest --ignore=tests/e2e && $(PY) -m pytest tests/e2e; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

scale-out: messages
	$(PY) -m bench.scale_out $(SCALE_ARGS)

bench: messages
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
