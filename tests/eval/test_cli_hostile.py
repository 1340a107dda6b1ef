"""`gymhub eval` refuses numbers it cannot use with a clear error, up front: no traceback, no run
that builds a list of billions of jobs before its first episode, no NaN sent to an endpoint."""

from __future__ import annotations

import pytest

from tests.eval.test_cli_eval import gymhub_cli

OPENAI = ["--policy", "openai", "--model", "m", "--base-url", "http://127.0.0.1:9"]
OPENAI += ["--max-retries", "0"]


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--seeds", "99999999999999999999"], "episodes"),
        (["--seeds", "2000000000"], "episodes"),
        (["--samples", "100000000"], "episodes"),
        (["--seeds", "2000", "--samples", "1000"], "episodes"),
        (["--seed-start", "99999999999999999999999", "--seeds", "1"], "seed"),
        (["--seed-start", str(2**63 - 1), "--seeds", "2"], "seed"),
        ([*OPENAI, "--temperature", "nan"], "--temperature"),
        ([*OPENAI, "--temperature", "-1"], "--temperature"),
        ([*OPENAI, "--timeout", "inf"], "--timeout"),
        ([*OPENAI, "--max-retries", "99999999999999999999"], "--max-retries"),
    ],
)
def test_numbers_the_run_cannot_use_are_a_clear_error(args, complaint):
    out = gymhub_cli("eval", "gymhub/Capitals-v0", *args)
    assert out.returncode == 2, (out.returncode, out.stdout[-500:], out.stderr[-2000:])
    assert "Traceback" not in out.stderr
    assert complaint in out.stderr


@pytest.mark.parametrize(
    "seeds, complaint",
    [
        ("10000000000", "at most"),
        ("{start: 0, count: 10000000000}", "at most"),
        ("{reserved: 10000000000}", "at most"),
        ("{start: 99999999999999999999999, count: 1}", "seeds must be <="),
        ("[99999999999999999999999]", "seeds must be <="),
    ],
)
def test_suite_seeds_past_what_a_run_can_use_are_refused_when_it_loads(tmp_path, seeds, complaint):
    suite = tmp_path / "suite.yaml"
    suite.write_text(f"name: x\nseeds: {seeds}\nenvs:\n  - {{id: gymhub/Capitals-v0}}\n")
    out = gymhub_cli("eval", "--suite", str(suite))
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    assert "Traceback" not in out.stderr and complaint in out.stderr
    per_env = tmp_path / "per_env.yaml"
    per_env.write_text(f"name: x\nenvs:\n  - {{id: gymhub/Capitals-v0, seeds: {seeds}}}\n")
    out = gymhub_cli("eval", "--suite", str(per_env))
    assert out.returncode == 2 and "Traceback" not in out.stderr and complaint in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--seeds", "99999999999999999999"],
        ["--seeds", "100000000"],
        ["--seed-start", str(2**63 - 1), "--seeds", "2"],
        ["--train-env", "gymhub/Capitals-v0@0:100000000"],
        ["--train-env", "gymhub/Capitals-v0@0:99999999999999999999"],
        ["--train-env", "gymhub/Capitals-v0@-5:3"],
        ["--train-env", "gymhub/Capitals-v0@0:0"],
    ],
)
def test_decontaminate_refuses_seed_ranges_it_cannot_use(tmp_path, args):
    train = tmp_path / "train.jsonl"
    train.write_text('{"text": "hello"}\n')
    out = gymhub_cli("eval", "decontaminate", "gymhub/Capitals-v0", "--train", str(train), *args)
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    assert "Traceback" not in out.stderr and "out of range" in out.stderr
