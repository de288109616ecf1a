# Partnerwerk: `make run` and `make test` do all set-up on a fresh machine.
# Needs Python 3.11+, Node.js/npm and make. Stamps in .make/ keep a second run fast.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMPS := .make

.PHONY: install run test lint format bench bench-load lighthouse messages clean

install: $(STAMPS)/python $(STAMPS)/npm

$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "  Partnerwerk runs on http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password: demo): staff, caseworker, manager, admin"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py
	$(PY) bench/load.py

# The load benchmark (bench/load.py): two gunicorn instances, locust; exits 1 on a missed budget.
bench-load: install
	$(PY) bench/load.py

# Slow (about 20 s a page): not part of `make test`. See docs/layout.md.
lighthouse: install
	bench/lighthouse.sh

messages: install
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=node_modules --no-obsolete
	$(PY) manage.py compilemessages -l nl --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules $(STAMPS) staticfiles
