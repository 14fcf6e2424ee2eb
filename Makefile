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
install: $(BIN)/xxgk

# Chromium and LibreOffice from Debian when missing (root or sudo), else a line saying what to install.
system-deps:
	@bash scripts/system-deps.sh

demo: install system-deps
	$(BIN)/xxgk demo

test: install system-deps
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
