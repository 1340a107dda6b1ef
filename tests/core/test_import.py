"""`import gymhub` stays light: no torch, playwright, sympy, docker or math-verify."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "playwright", "sympy", "docker", "math_verify", "transformers", "ray", "fastapi")


def test_import_gymhub_is_light():
    code = (
        f"import sys, gymhub; gymhub.list_envs(); print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_readme_python_one_liner():
    code = "import gymnasium, gymhub; e = gymnasium.make('gymhub/GuessNumber-v0'); print(e.reset(seed=0)[1]['turn'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "0", out.stderr
