"""The runnable examples of the docs work as documented: docs/writing-an-environment.md
(examples/custom_env.py) and the logic-family recipe of docs/logic.md (examples/logic_family.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_custom_env_example_runs_and_passes_checks():
    lines = run_example("custom_env.py")
    assert "reference answer -> 0.5 correct" in lines
    assert "example/Sum-v0: PASS" in lines


def test_logic_family_example_runs_and_passes_checks():
    """One file plus one registration line: the gold scores 1, a hedge 0, `gymhub check` passes."""
    lines = run_example("logic_family.py")
    assert "reference answer -> 1.0" in lines
    assert "hedge -> 0.0" in lines
    assert "example/Logic-Parity-v0: PASS" in lines
    text = (ROOT / "docs" / "logic.md").read_text()
    assert "examples/logic_family.py" in text and "register_family_env" in text
