"""A pass is the env's full reward (`max_reward`), not a reward of 1: on an env scored out of 10,
a reward of 1 is a poor answer, and pass@k, compare and the Inspect scorer must say so."""

from __future__ import annotations

import pytest

import gymhub
from gymhub.evaluation import evaluate, summarise
from gymhub.evaluation.compare import compare_runs
from gymhub.policies import ScriptedPolicy


class OutOfTen(gymhub.Env):
    """Single-turn: 'best' earns 10 (the full reward), 'ok' earns 1."""

    def _reset(self, options):
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="rate me")])

    def _step(self, action):
        from gymhub.env import StepResult

        reward = {"best": 10.0, "ok": 1.0}.get(action.text.strip(), 0.0)
        verdict = "correct" if reward == 10.0 else "partial" if reward else "incorrect"
        return StepResult(gymhub.Observation(), reward, True, False, {"verdict": verdict})


gymhub.register(
    "test/OutOfTen-v0", OutOfTen, family="test", description="scored out of 10", max_reward=10.0,
    override=True,
)  # fmt: skip


def test_a_reward_below_the_envs_full_reward_is_not_a_pass():
    (ok,), ok_traces = evaluate(["test/OutOfTen-v0"], ScriptedPolicy(["ok"]), seeds=range(4))
    assert ok.mean_reward == 1.0 and ok.pass_at_k == {"pass@1": 0.0}
    assert ok.by_difficulty["default"]["success"] == 0.0
    (best,), best_traces = evaluate(["test/OutOfTen-v0"], ScriptedPolicy(["best"]), seeds=range(4))
    assert best.pass_at_k == {"pass@1": 1.0}
    (row,) = compare_runs(ok_traces, best_traces)
    assert row["a"] == 0.0 and row["b"] == 1.0
    # an explicit threshold still wins
    (lenient,) = summarise(ok_traces, success=1.0)
    assert lenient.pass_at_k == {"pass@1": 1.0}


def test_the_inspect_scorer_uses_the_full_reward(tmp_path, monkeypatch):
    pytest.importorskip("inspect_ai")
    import tiktoken
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import ModelOutput, get_model

    from gymhub.evaluation.inspect import gymhub_task

    class Words:
        def encode(self, text, **kwargs):
            return text.split()

    monkeypatch.setattr(tiktoken, "get_encoding", lambda name: Words())  # offline token counts
    outputs = [ModelOutput.from_content(model="mockllm/model", content=t) for t in ("ok", "best")]
    model = get_model("mockllm/model", custom_outputs=outputs)
    (log,) = inspect_eval(
        gymhub_task("test/OutOfTen-v0", seeds=range(2)),
        model=model,
        log_dir=str(tmp_path),
        display="none",
    )
    assert log.status == "success", log.error
    values = sorted(next(iter(s.scores.values())).value for s in log.samples)
    assert values == ["C", "I"]


class InfraEveryStep(gymhub.Env):
    """Multi-turn; every step is the hub's failure (infra_error), the episode not over."""

    steps = 0

    def _reset(self, options):
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="go")])

    def _step(self, action):
        from gymhub.env import StepResult

        InfraEveryStep.steps += 1
        return StepResult(
            gymhub.Observation(messages=[gymhub.Message(role="user", content="again")]),
            0.0,
            False,
            False,
            {"verdict": "infra_error", "infra_error": True},
        )


gymhub.register(
    "test/InfraEveryStep-v0", InfraEveryStep, family="test", description="hub fails",
    multi_turn=True, override=True,
)  # fmt: skip


def test_the_inspect_solver_stops_at_the_hubs_failure(tmp_path, monkeypatch):
    """After an infra_error step the episode went on asking the model for more turns (model calls
    spent on an episode already lost)."""
    pytest.importorskip("inspect_ai")
    import tiktoken
    from inspect_ai import eval as inspect_eval

    from gymhub.evaluation.inspect import gymhub_task

    class Words:
        def encode(self, text, **kwargs):
            return text.split()

    monkeypatch.setattr(tiktoken, "get_encoding", lambda name: Words())
    InfraEveryStep.steps = 0
    (log,) = inspect_eval(
        gymhub_task("test/InfraEveryStep-v0", seeds=[0], max_turns=6),
        model="mockllm/model",
        log_dir=str(tmp_path),
        display="none",
        fail_on_error=False,
    )
    assert InfraEveryStep.steps == 1
    assert all(s.error and "infra_error" in s.error.message for s in log.samples)


def test_the_reward_interval_of_an_env_scored_out_of_ten_is_not_a_single_point():
    (best,), _ = evaluate(["test/OutOfTen-v0"], ScriptedPolicy(["best"]), seeds=range(3))
    assert best.mean_reward == 10.0
    lo, hi = best.ci["mean_reward"]
    assert hi == 10.0 and lo < 6.0  # 3 tasks cannot show certainty, whatever the reward scale
    assert best.ci["pass@1"][0] < 0.6


@pytest.mark.parametrize("success", [0.0, -1.0, float("nan"), float("inf")])
def test_a_pass_threshold_that_is_not_a_positive_number_is_refused(success):
    _, traces = evaluate(["test/OutOfTen-v0"], ScriptedPolicy(["ok"]), seeds=range(2))
    with pytest.raises(ValueError, match="success"):
        summarise(traces, success=success)
