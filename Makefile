# Two commands on a fresh machine: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install.stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo test test-fast bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# Debian's Chromium for the browser tests (Playwright never downloads a browser here); sudo only when not root.
	command -v chromium >/dev/null || { SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium; }
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/tracing demo

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks.matchers
	$(BIN)/python -m benchmarks.linkage
	$(BIN)/python -m benchmarks.tracing
	$(BIN)/python -m benchmarks.scale

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .tracing .pytest_cache .ruff_cache .hypothesis
