"""The runnable example of docs/rewards.md works as documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_learned_rewards_example_runs():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "learned_rewards.py")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    accuracy = float(re.search(r"held-out pairwise accuracy: ([\d.]+)", out.stdout).group(1))
    assert accuracy >= 0.85
    right = float(re.search(r"answer 7: reward [\d.]+, rm_score ([-+\d.]+)", out.stdout).group(1))
    wrong = float(re.search(r"answer 3: reward [\d.]+, rm_score ([-+\d.]+)", out.stdout).group(1))
    assert right > wrong
    assert "answer 7: reward 0.50" in out.stdout  # the reference itself sits at the centre
    assert "'Thought process:' -> answer is only a reasoning opener" in out.stdout
    assert "Chat-v0 reward" in out.stdout
