# Two commands on a fresh machine: `make run` (demo on http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: setup run serve test bench translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# instance/config.py gets a random secret key once; the database is created or migrated and
# the demo data loaded (the demo users' passwords are printed the first time only).
instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@
	chmod 600 $@

run: setup instance/config.py
	$(BIN)/flask --app vetting db upgrade
	$(BIN)/flask --app vetting demo load
	@echo "Serving on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	$(BIN)/python -m vetting.consumer --workers 2 --worker-type thread --quiet & \
	  CONSUMER=$$!; trap 'kill $$CONSUMER 2>/dev/null' EXIT INT TERM; \
	  VETTING_SESSION_COOKIE_SECURE=0 $(BIN)/flask --app vetting run --host $(HOST) --port $(PORT)

# Production serving on one machine: gunicorn with several worker processes and the huey consumer
# as its own process, JSON logs. Behind a TLS reverse proxy (README "Deployment"); systemd units
# there run the two separately. Needs VETTING_SECRET_KEY (or instance/config.py).
WEB_WORKERS ?= 4
serve: setup instance/config.py
	$(BIN)/flask --app vetting db upgrade
	@echo "Serving on http://$(HOST):$(PORT)/ with gunicorn ($(WEB_WORKERS) workers) and a queue consumer (Ctrl-C stops both)"
	VETTING_LOG_FORMAT=json $(BIN)/python -m vetting.consumer --workers 2 --worker-type thread & \
	  CONSUMER=$$!; trap 'kill $$CONSUMER 2>/dev/null' EXIT INT TERM; \
	  VETTING_LOG_FORMAT=json VETTING_BIND=$(HOST):$(PORT) VETTING_WEB_WORKERS=$(WEB_WORKERS) \
	  $(BIN)/gunicorn -c deploy/gunicorn.conf.py "vetting:create_app()"

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	for script in bench/*.py; do $(BIN)/python $$script --quick || exit 1; done

# Extract strings, update the Swedish catalogue, compile it (the .mo is committed).
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o vetting/translations/messages.pot .
	$(BIN)/pybabel update -i vetting/translations/messages.pot -d vetting/translations -l sv --no-fuzzy-matching
	$(BIN)/pybabel compile -d vetting/translations

clean:
	rm -rf $(VENV) build dist *.egg-info test-results
