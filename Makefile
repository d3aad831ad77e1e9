# Two set-up commands: `make run` (the daemon) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= db/monitor.db

.PHONY: run test install bench score clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/monitor --db $(DB) run

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/rules_speed.py

score: install
	../shared/eval/score --cmd "$(BIN)/monitor extract --jsonl" seed domain-dev polnear-dev newsquant-dev

clean:
	rm -rf $(VENV) build dist *.egg-info
