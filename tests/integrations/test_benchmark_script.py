"""`benchmarks/integrations.py` runs and prints a ratio per adapter and env, and `--once` runs one
side once (the instruction-count mode docs/benchmarks.md uses)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "integrations.py"
ENV = "gymhub/GuessNumber-v0"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600
    )


def test_paired_rounds_print_a_ratio_for_each_in_process_adapter():
    done = _run("--only", "trl,skyrl", "--envs", ENV, "--episodes", "3", "--rounds", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {line.split()[0]: line for line in done.stdout.splitlines() if "GuessNumber" in line}
    assert set(rows) == {"trl", "skyrl"}
    for line in rows.values():
        ratio = float(line.split()[-3])
        assert 0.05 < ratio < 20  # both sides really stepped the env


def test_once_runs_one_side_and_refuses_an_ambiguous_choice():
    done = _run("--once", "adapter", "--only", "trl", "--envs", ENV, "--episodes", "3")
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"trl adapter gymhub/GuessNumber-v0: \d+ steps/s", done.stdout)
    done = _run("--once", "baseline", "--only", "trl,skyrl", "--envs", ENV)
    assert done.returncode != 0 and "exactly one adapter" in done.stderr
