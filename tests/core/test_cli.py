"""The gymhub command, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def gymhub_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gymhub", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "250"},  # rich tables unwrapped, so text can be matched
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


# ---- user modules, failures that say what happened, the terminal -----------------------------

PLUGIN = '''
import gymhub
from gymhub import ListSource, MultiTurnEnv, SingleTurnEnv, Verdict


class Contains:
    """Correct when the reference text appears in the response (enough for these tests)."""

    name, version = "contains", "1"

    def verify(self, response, reference, **context):
        ok = str(reference) in response
        return Verdict(reward=float(ok), status="correct" if ok else "incorrect")


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def make_markup(**kw):
    task = {"question": "Pick [3] or [/x] or [bold]this[/bold]; answer in a code block.",
            "answer": "def f():\\n    return 3"}
    return SingleTurnEnv(ListSource([task], "markup"), Contains(), **kw)


def make_tools(**kw):
    task = {"question": "Use the add tool on 2 and 40, then answer.", "answer": "42"}
    return MultiTurnEnv(ListSource([task], "tools"), Contains(), tools=[add], max_turns=4, **kw)


def make_broken(**kw):
    raise RuntimeError("constructor exploded on purpose")


gymhub.register("test/Markup-v0", make_markup, family="testfam", description="markup")
gymhub.register("test/Tools-v0", make_tools, family="testfam", description="tools",
                multi_turn=True)
gymhub.register("test/Broken-v0", make_broken, family="testfam", description="broken")
'''


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "cli_test_envs.py"
    path.write_text(PLUGIN)
    return str(path)


def test_version():
    import gymhub

    out = gymhub_cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"gymhub {gymhub.__version__}"


def test_import_makes_user_envs_usable_from_every_command(plugin, tmp_path):
    listed = gymhub_cli("--import", plugin, "list", "--family", "testfam", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {e["id"] for e in json.loads(listed.stdout)} >= {"test/Markup-v0", "test/Tools-v0"}
    info = gymhub_cli("--import", plugin, "info", "test/Tools-v0", "--json")
    assert json.loads(info.stdout)["multi_turn"] is True
    # a dotted module name found from the current directory works too
    dotted = subprocess.run(
        [sys.executable, "-m", "gymhub", "--import", "cli_test_envs", "info", "test/Markup-v0"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert dotted.returncode == 0, dotted.stderr
    missing = gymhub_cli("--import", "no_such_module_xyz", "list")
    assert missing.returncode == 2 and "no_such_module_xyz" in missing.stderr


def test_check_keeps_going_past_a_constructor_that_raises(plugin):
    out = gymhub_cli("--import", plugin, "check", "test/Broken-v0", "gymhub/Capitals-v0", "--json")
    assert out.returncode == 1, out.stderr
    reports = {r["env_id"]: r for r in json.loads(out.stdout)}
    assert reports["gymhub/Capitals-v0"]["passed"] is True
    broken = reports["test/Broken-v0"]
    assert broken["passed"] is False
    assert "constructor exploded on purpose" in broken["results"][0]["detail"]
    bad_family = gymhub_cli("check", "--family", "nope")
    assert bad_family.returncode == 2 and "families" in bad_family.stderr


def test_eval_reports_failed_episodes_apart_and_exits_nonzero_when_all_failed():
    out = gymhub_cli(
        "eval", "gymhub/Capitals-v0", "--policy", "openai", "--model", "m",
        "--base-url", "http://127.0.0.1:9", "--max-retries", "0", "--seeds", "2", "--json",
    )  # fmt: skip
    assert out.returncode == 1, out.stdout + out.stderr
    summary = json.loads(out.stdout)
    env = summary["envs"][0]
    assert env["failed"] == 2 and env["scored"] == 0 and env["pass_at_k"] == {}
    assert any("cannot reach" in reason for reason in env["failures"])
    table = gymhub_cli(
        "eval", "gymhub/Capitals-v0", "--policy", "openai", "--model", "m",
        "--base-url", "http://127.0.0.1:9", "--max-retries", "0", "--seeds", "1",
    )  # fmt: skip
    assert table.returncode == 1 and "failure reasons" in table.stdout
    assert "every episode failed" in table.stderr


BAD_INPUT = [
    ["list", "--family", "nope"],
    ["info", "gymhub/Nope-v0"],
    ["play", "gymhub/Nope-v0"],
    ["play", "gymhub/GuessNumber-v0", "--options", "[1]"],
    ["play", "gymhub/GuessNumber-v0", "--options", '{"difficulty": 99}'],
    ["play", "gymhub/GuessNumber-v0", "--seed", "-1"],
    ["check", "gymhub/Nope-v0"],
    ["bench", "gymhub/Nope-v0"],
    ["bench", "--family", "nope"],
    ["eval", "gymhub/Nope-v0"],
    ["eval", "gymhub/Capitals-v0", "--policy", "bogus"],
    ["eval", "gymhub/Capitals-v0", "--policy", "openai"],
    ["eval", "gymhub/Capitals-v0", "--policy", "hf:/no/such/model"],
    ["eval", "--suite", "no-such-suite"],
    ["eval", "--family", "nope"],
    ["eval", "gymhub/Capitals-v0", "--resume"],
    ["eval", "rescore", "/no/such/run.jsonl"],
    ["eval", "compare", "/no/a.jsonl", "/no/b.jsonl"],
    ["eval", "report", "/no/such/run.jsonl", "--html", "/tmp/x.html"],
    ["train", "--env", "gymhub/Nope-v0"],
    ["train", "--model", "./no/such/model"],
    ["train", "--model", "/no/such/model"],
    ["train", "--set", "nonsense=1"],
    ["train", "--group-size", "1"],
    ["train", "--config", "/no/such/config.yaml"],
    ["train", "--env", "gymhub/ToyArith-v0=heavy"],
    ["--import", "/no/such/file.py", "list"],
    ["serve", "gymhub/GuessNumber-v0", "--port", "-5"],
    ["sandbox", "serve", "--port", "-1"],
    ["rm", "serve", "tiny", "--port", "70000"],
]


@pytest.mark.parametrize("args", BAD_INPUT, ids=lambda a: " ".join(a)[:60])
def test_bad_input_gets_a_clear_message_and_never_a_traceback(args):
    out = gymhub_cli(*args)
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    text = out.stdout + out.stderr
    assert "Traceback" not in text
    assert "error" in text.lower() or "invalid" in text.lower(), text


def test_train_refuses_another_runs_output_dir(tmp_path):
    run = tmp_path / "run"
    (run / "checkpoint-3").mkdir(parents=True)
    (run / "metrics.jsonl").write_text("{}\n")
    out = gymhub_cli("train", "--steps", "1", "-o", str(run))
    assert out.returncode == 2 and "--resume" in out.stderr and "--overwrite" in out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert (run / "checkpoint-3").is_dir()


def test_train_options_are_generated_from_the_config():
    from gymhub.cli.train import NOT_FLAGS
    from gymhub.trainers.config import GRPOConfig

    out = subprocess.run(
        [sys.executable, "-m", "gymhub", "train", "--help"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    for name, field in GRPOConfig.model_fields.items():
        assert field.description, f"GRPOConfig.{name} has no description"
        if name not in NOT_FLAGS:
            assert f"--{name.replace('_', '-')}" in out.stdout, name


def test_play_multiline_blocks_verbatim_text_and_tool_commands(plugin):
    answer = "```python\ndef f():\n    return 3\n```\n"
    out = gymhub_cli("--import", plugin, "play", "test/Markup-v0", stdin=answer)
    assert out.returncode == 0, out.stderr
    assert "Pick [3] or [/x] or [bold]this[/bold]" in out.stdout
    assert "verdict correct" in out.stdout and "total reward 1" in out.stdout
    # the tool: listed, called without JSON, its result shown; a bad call is explained
    session = "/tools\n/tool add a=2 b=x\n/tool nope\n/tool add a=2 b=40\nThe answer is 42\n"
    out = gymhub_cli("--import", plugin, "play", "test/Tools-v0", stdin=session)
    assert out.returncode == 0, out.stderr
    assert "/tool add a=<integer> b=<integer>" in out.stdout
    assert "b='x' is not a valid integer" in out.stdout
    assert "unknown tool 'nope'" in out.stdout
    assert "42" in out.stdout and "total reward 1" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
