"""The gymhub command, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys


def gymhub_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gymhub", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_list_json_and_family_filter():
    out = gymhub_cli("list", "--json")
    assert out.returncode == 0, out.stderr
    ids = {e["id"] for e in json.loads(out.stdout)}
    assert "gymhub/GuessNumber-v0" in ids
    basic = json.loads(gymhub_cli("list", "--family", "basic", "--json").stdout)
    assert basic and {e["family"] for e in basic} == {"basic"}
    bad = gymhub_cli("list", "--family", "nope")
    assert bad.returncode == 2 and "families" in bad.stderr


def test_info_and_suggestions():
    out = gymhub_cli("info", "gymhub/UnitConvert-v0", "--json")
    assert json.loads(out.stdout)["multi_turn"] is True
    bad = gymhub_cli("info", "gymhub/UnitConvrt-v0")
    assert bad.returncode == 2 and "Did you mean: gymhub/UnitConvert-v0" in bad.stderr


def test_check_json_and_exit_code():
    out = gymhub_cli("check", "gymhub/Capitals-v0", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)[0]["passed"] is True
    assert gymhub_cli("check", "gymhub/Nope-v0").returncode == 2


def test_play_in_the_terminal():
    import gymhub

    env = gymhub.make("gymhub/GuessNumber-v0")
    env.reset(seed=0, options={"difficulty": 1})
    secret = env.task.answer
    wrong = 1 if secret != 1 else 2
    args = ["play", "gymhub/GuessNumber-v0", "--seed", "0", "--options", '{"difficulty": 1}']
    out = gymhub_cli(*args, stdin=f"{wrong}\n{secret}\n")
    assert out.returncode == 0, out.stderr
    assert "too" in out.stdout and "total reward 1" in out.stdout
    bad = gymhub_cli("play", "gymhub/GuessNumber-v0", "--options", "{nope")
    assert bad.returncode == 2 and "JSON" in bad.stderr
