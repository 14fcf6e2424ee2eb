# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/xxgk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

.PHONY: install system-deps demo test lint
# The project's modules compiled, as a wheel install does (an editable install leaves them to each
# process, and where PYTHONDONTWRITEBYTECODE is set every crawl and worker compiles them again);
# only what changed is compiled again.
install: $(BIN)/xxgk
	@$(BIN)/python -m compileall -q crawler pipelines storage fixture_portal > /dev/null

# Chromium and LibreOffice from Debian when missing (root or sudo), else a line saying what to install.
system-deps:
	@bash scripts/system-deps.sh

demo: install system-deps
	$(BIN)/xxgk demo

test: install system-deps
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
