# vpclab: `make lab` opens the lessons, `make test` runs every test.
# Both install what is missing first: a Python virtual environment in .venv with the
# pinned packages (constraints.txt), and graphviz's `dot` through apt-get (or brew);
# `make test` also Chromium and CJK fonts for the browser tests.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.vpclab-installed
PYTEST_ARGS ?=

.PHONY: lab test setup system-deps browser-deps lint typecheck unit notebooks lock clean

lab: setup
	$(VENV)/bin/vpclab lab

test: setup lint typecheck browser-deps
	$(PY) -m pytest -n 2 --dist loadscope $(PYTEST_ARGS) \
	    tests --nbval notebooks solutions --nbval-sanitize-with tests/nbval_sanitize.cfg

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "vpclab needs Python 3.11 or newer: set PYTHON=python3.11")'
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { \
	    echo "Could not create a virtual environment. On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt pip setuptools
	$(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

browser-deps:
	@bash scripts/system-deps.sh --browser

lint: setup
	$(VENV)/bin/ruff check vpclab tests benchmarks

typecheck: setup
	$(VENV)/bin/mypy

# Rebuild constraints.txt from a fresh environment (run after changing pyproject.toml).
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet --upgrade pip setuptools
	build/lock-venv/bin/pip install --quiet --no-build-isolation -e '.[dev]'
	{ echo "# Pinned environment for vpclab. Regenerate with 'make lock'; commit the result."; \
	  build/lock-venv/bin/pip freeze --all --exclude-editable | grep -v '^vpclab'; } > constraints.txt
	rm -rf build/lock-venv

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
