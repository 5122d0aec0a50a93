# Two commands on a fresh machine with Python 3.11 and git: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= .demo

.PHONY: demo test lint bench clean chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,otel]'
	touch $(STAMP)

# The UI's tests drive Debian's Chromium (Playwright never downloads a browser here).
chromium:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)

test: lint chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check registry tests bench hooks/pre-receive hooks/post-receive
	$(BIN)/ruff format --check registry tests bench

demo: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" DEMO_SERVE=$${DEMO_SERVE:-1} bash scripts/demo.sh $(DEMO)

bench: $(STAMP) chromium
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO)
