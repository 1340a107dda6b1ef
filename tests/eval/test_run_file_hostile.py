"""Run files edited or corrupted by hand: a line the harness could never have written (a reward
that is not a finite number) is skipped like a torn line, never counted into a summary (a NaN
mean, and `--json` output that is not JSON) nor kept by `--resume` as a finished episode."""

from __future__ import annotations

import json

import pytest

from gymhub.evaluation import evaluate, read_traces
from gymhub.policies import ReferencePolicy
from tests.eval.test_hardening import cli


def _strict(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "field, value",
    [
        ("rewards", [float("nan")]),
        ("rewards", [float("inf")]),
        ("rewards", [1e308, 1e308]),  # each finite, their total is not
        ("reward_components", {"exact": float("-inf")}),
    ],
)
def test_a_line_with_a_reward_that_is_not_finite_is_skipped_and_rerun(tmp_path, field, value):
    run = tmp_path / "run.jsonl"
    evaluate(["gymhub/Capitals-v0"], ReferencePolicy(), seeds=range(3), output=run)
    lines = run.read_text().splitlines()
    bad = json.loads(lines[1])
    bad[field] = value
    lines[1] = json.dumps(bad)  # writes NaN / Infinity, as a hand edit or another tool might
    run.write_text("\n".join(lines) + "\n")

    skipped: list[int] = []
    assert len(read_traces(run, lambda number, why: skipped.append(number))) == 2
    assert skipped == [2]

    code, out = cli(
        "eval", "gymhub/Capitals-v0", "--seeds", "3", "-o", str(run), "--resume", "--json"
    )
    assert code == 0, out
    summary = _strict(out[out.index("{") :])
    env = summary["envs"][0]
    assert env["episodes"] == 3 and env["mean_reward"] == 1.0  # the bad line's job ran again
    assert len(read_traces(run)) == 3

    code, out = cli("eval", "compare", str(run), str(run), "--json")
    assert code == 0, out
    _strict(out[out.index("[") :])
