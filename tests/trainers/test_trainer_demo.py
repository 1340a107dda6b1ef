"""The `make demo` learning check: the tiny policy learns ToyArith from scratch with GRPO."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_demo_reward_rises(tmp_path):
    out = tmp_path / "demo"
    cmd = [
        sys.executable,
        "-c",
        "from gymhub.cli import main; main()",
        "train",
        "--config",
        str(ROOT / "configs" / "demo.yaml"),
        "--output-dir",
        str(out),
        "--check-learning",
        "--eval",
        "20",
        "--quiet",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=880, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "learning check" in result.stdout and "PASS" in result.stdout
    rewards = [
        json.loads(x)["reward_mean"] for x in (out / "metrics.jsonl").read_text().splitlines()
    ]
    first, last = sum(rewards[:10]) / 10, sum(rewards[-10:]) / 10
    assert last >= 0.8 and last - first >= 0.4
    assert (out / "reward.png").is_file()
    report = json.loads((out / "eval.json").read_text())
    assert report["gymhub/ToyArith-v0"]["success_rate"] >= 0.8
