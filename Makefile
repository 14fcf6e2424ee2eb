# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/xxgk: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

.PHONY: install demo test lint
install: $(BIN)/xxgk

demo: install
	$(BIN)/xxgk demo

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
