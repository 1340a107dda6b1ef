"""`compare` pairs tasks only between runs that measured the same thing: an env whose version,
verifier or turn cap differs between the runs is refused (named, no figures), never paired."""

from __future__ import annotations

import json

import pytest

from gymhub.evaluation import evaluate
from gymhub.evaluation.compare import compare_runs
from gymhub.policies import ReferencePolicy, ScriptedPolicy
from tests.eval.test_hardening import cli


def _runs():
    _, a = evaluate(["gymhub/Capitals-v0"], ScriptedPolicy(["Atlantis"]), seeds=range(6))
    _, b = evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(6))
    return a, b


def test_runs_of_the_same_setup_are_compared():
    a, b = _runs()
    (row,) = compare_runs(a, b)
    assert row["tasks"] == 6 and row["diff"] == 1.0 and row["refused"] is None


@pytest.mark.parametrize(
    "change, what",
    [
        (lambda t: setattr(t, "env_version", 1), "env version"),
        (lambda t: setattr(t, "verifier", "exact_match@2"), "verifier"),
        (lambda t: t.run.update(max_turns=3), "max_turns"),
    ],
)
def test_runs_that_measured_different_things_are_refused(change, what):
    """Run B on a newer version of the env (or another verifier, or episodes cut at another turn
    cap) was paired task by task with run A: a 'significant' difference that the change of env,
    not the model, made."""
    a, b = _runs()
    for t in b:
        change(t)
    (row,) = compare_runs(a, b)
    assert row["tasks"] == 0 and row["diff"] is None and not row["significant"]
    assert row["refused"] and what in row["refused"]


def test_the_command_says_why_an_env_was_not_compared(tmp_path):
    a, b = _runs()
    for t in b:
        t.env_version = 3
    paths = []
    for name, traces in (("a.jsonl", a), ("b.jsonl", b)):
        path = tmp_path / name
        path.write_text("".join(t.model_dump_json() + "\n" for t in traces))
        paths.append(str(path))
    code, out = cli("eval", "compare", *paths)
    assert code == 0 and "not compared: env" in out and "differs" in out, out
    code, out = cli("eval", "compare", *paths, "--json")
    (row,) = json.loads(out[out.index("[") :])
    assert row["refused"] == "env version differs: 0 vs 3" and row["p"] is None
