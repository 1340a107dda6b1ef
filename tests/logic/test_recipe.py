"""The "adding a logic family" recipe (docs/logic.md) works as written: the one-file family of
examples/logic_family.py registers with one line, scores its gold 1 and a hedge 0, is a Verifier,
and passes `gymhub check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_logic_family_example_runs_and_passes_checks() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "logic_family.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "reference answer -> 1.0" in lines
    assert "hedge -> 0.0" in lines
    assert "example/Logic-Parity-v0: PASS" in lines


def test_the_recipe_in_the_docs_names_the_example() -> None:
    text = (ROOT / "docs" / "logic.md").read_text()
    assert "examples/logic_family.py" in text and "register_family_env" in text
