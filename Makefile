# The two commands of the README do all the set-up on a fresh Debian machine:
#   make demo   - set up, then train a tiny policy from scratch with GRPO and evaluate it
#   make test   - set up (Python and system packages), then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.gymhub-installed
SYSTEM_STAMP := $(VENV)/.gymhub-system

.PHONY: setup system demo demo-envs demo-rm test lint format bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	# the CPU build of torch (a plain `torch` requirement would pull a multi-GB CUDA build)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[all]"
	# OpenRLHF's own requirements (flash-attn built against torch, exact transformers and ray pins)
	# do not install beside ours; its agent classes import with the deps in the openrlhf extra
	$(BIN)/python -m pip install -q --no-deps openrlhf==0.11.2
	# veRL's own requirements would downgrade transformers and antlr4 (docs/integrations/verl.md):
	# the verl extra holds its runtime deps; its wheel also ships a top-level `tests` package,
	# removed so it cannot shadow ours
	$(BIN)/python -m pip install -q --no-deps verl==0.9.1
	$(BIN)/python -c "import pathlib, shutil, sysconfig; \
	  shutil.rmtree(pathlib.Path(sysconfig.get_paths()['purelib']) / 'tests', ignore_errors=True)"
	touch $(STAMP)

setup: $(STAMP)

system:
	bash scripts/setup_system.sh

# every registered env played by its reference policy (web envs need Chromium: `make system`)
demo-envs: setup system
	$(BIN)/gymhub eval --policy reference --seeds 2

# train the embedded tiny policy from scratch with GRPO on CPU, show the reward rising, evaluate it
demo: setup
	$(BIN)/gymhub train --config configs/demo.yaml --output-dir runs/demo --check-learning --eval 50

# learned rewards: preference pairs from a verifiable env -> a tiny reward model (held-out pairwise
# accuracy) -> GRPO with that reward model as the only reward, the env's verifier logged as gold
demo-rm: setup
	mkdir -p runs/demo-rm
	$(BIN)/gymhub rm pairs gymhub/ToyArith-v0 --count 800 --per-prompt 2 --noise -o runs/demo-rm/pairs.jsonl
	$(BIN)/gymhub rm train --data runs/demo-rm/pairs.jsonl --model tiny --output-dir runs/demo-rm/rm --epochs 8 --threads 1
	$(BIN)/gymhub train --config configs/demo-rm.yaml --output-dir runs/demo-rm/grpo
	$(BIN)/python -m gymhub.trainers.rm_report runs/demo-rm/grpo/metrics.jsonl

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
