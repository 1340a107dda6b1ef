# The two commands of the README do all the set-up on a fresh Debian machine:
#   make demo   - set up, then show what gymhub does
#   make test   - set up (Python and system packages), then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.gymhub-installed
SYSTEM_STAMP := $(VENV)/.gymhub-system

.PHONY: setup system demo demo-envs test lint format bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	# the CPU build of torch (a plain `torch` requirement would pull a multi-GB CUDA build)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[all]"
	touch $(STAMP)

setup: $(STAMP)

system:
	bash scripts/setup_system.sh

demo-envs: setup
	$(BIN)/gymhub list
	$(BIN)/gymhub eval --policy reference --seeds 2

demo: setup
	$(BIN)/gymhub eval --policy reference --seeds 2 --family basic

test: setup system
	$(BIN)/python -m pytest -q -ra --durations=25

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python benchmarks/core.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache runs
