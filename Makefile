# Two commands from a fresh clone: `make run` to use the tracker, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test golden lint check-migrations docs install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py quickstart
	@echo "Serving the tracker at http://127.0.0.1:8000/ (stop with Ctrl-C)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	$(BIN)/python -m pytest

# The golden export files (tests/data/export_*) written afresh, after a change meant to change an export.
golden: install-dev
	$(BIN)/python -m pytest tests/test_export_golden.py --write-golden -q

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# The documentation site, built offline into site/; fails on a broken internal link.
docs: install-dev
	$(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles site
