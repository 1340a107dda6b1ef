"""The runnable example of docs/writing-an-environment.md works as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_custom_env_example_runs_and_passes_checks():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "custom_env.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "reference answer -> 0.5 correct" in out.stdout
    assert "example/Sum-v0: PASS" in out.stdout
