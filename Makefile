# Two set-up commands: `make run` (the daemon) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= db/monitor.db

.PHONY: run test install browser bench score clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,ui,cluster]'
	touch $@

# The browser test drives Debian's chromium (playwright cannot download browsers here); install it
# where we can, and let the test skip with its reason where we cannot.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "chromium not installed: the browser test will skip"

install: $(VENV)/.installed

run: install
	$(BIN)/monitor --db $(DB) run

test: install browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/rules_speed.py

score: install
	../shared/eval/score --cmd "$(BIN)/monitor extract --jsonl" seed domain-dev polnear-dev newsquant-dev

clean:
	rm -rf $(VENV) build dist *.egg-info
