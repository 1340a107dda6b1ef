"""The docs' examples run: examples/custom_env.py (docs/writing-an-environment.md), the
logic-family recipe of docs/logic.md (examples/logic_family.py), and every doc code block marked
runnable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


# ---- runnable code blocks of the docs -------------------------------------------------------
# A fenced block preceded by the line `<!-- runnable -->` is run by the test below: the python
# blocks of one page in order, in one interpreter (later blocks may use earlier names); a bash
# block with `bash -e` from the repository root, with this interpreter's `gymhub` on PATH.

MARKER = "<!-- runnable -->"
FENCE = re.compile(r"^```(\w*)\s*$")


def runnable_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line number, language, code) of every block right after the marker."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == MARKER:
            match = FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
            assert match, f"line {i + 1}: {MARKER} must be followed by a fenced block"
            end = next(j for j in range(i + 2, len(lines)) if lines[j].startswith("```"))
            blocks.append((i + 3, match.group(1) or "text", "\n".join(lines[i + 2 : end])))
            i = end
        i += 1
    return blocks


PAGES = sorted(
    page
    for page in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    if MARKER in page.read_text(encoding="utf-8")
)
RUNNER = """
import json, sys, traceback
page, blocks = sys.argv[1], json.load(open(sys.argv[2]))
namespace = {"__name__": "__main__"}
for line, code in blocks:
    try:
        exec(compile(code, f"{page}:{line}", "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        print(f"runnable block at {page}:{line} failed", file=sys.stderr)
        sys.exit(1)
"""


def test_runnable_marker_is_parsed():
    text = f"x\n{MARKER}\n```python\nprint(1)\n```\n```python\nnot run\n```\n"
    assert runnable_blocks(text) == [(4, "python", "print(1)")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_runnable_doc_blocks(page, tmp_path):
    blocks = runnable_blocks(page.read_text(encoding="utf-8"))
    assert blocks, f"{page} has the marker but no block after it"
    name = str(page.relative_to(ROOT))
    python = [(line, code) for line, lang, code in blocks if lang == "python"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if python:
        (tmp_path / "blocks.json").write_text(json.dumps(python))
        out = subprocess.run(
            [sys.executable, "-c", RUNNER, name, str(tmp_path / "blocks.json")],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            env=env,
        )
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    for line, lang, code in blocks:
        if lang in ("bash", "sh", "console"):
            out = subprocess.run(
                ["bash", "-e", "-c", code],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
                env=env,
            )
            assert out.returncode == 0, f"{name}:{line}\n{out.stdout[-2000:]}{out.stderr[-4000:]}"
            assert "Traceback" not in out.stdout + out.stderr
        else:
            assert lang == "python", f"{name}:{line}: cannot run a {lang!r} block"
