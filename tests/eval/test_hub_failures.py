"""The hub failing around one episode fails that episode (infra_error, out of the scores, rerun on
resume), never the whole run."""

from __future__ import annotations

import pytest

import gymhub
from gymhub.env import StepResult
from gymhub.evaluation import evaluate, read_traces
from gymhub.policies import ScriptedPolicy


class _CloseFails(gymhub.Env):
    """Single-turn, 'ok' is correct; closing the env of seed 1 raises (a container gone)."""

    def _reset(self, options):
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="say ok")])

    def _step(self, action):
        ok = action.text == "ok"
        verdict = "correct" if ok else "incorrect"
        return StepResult(gymhub.Observation(), float(ok), True, False, {"verdict": verdict})

    def close(self):
        if self.episode_seed == 1:
            raise RuntimeError("container gone")


gymhub.register(
    "test/CloseFails-v0", _CloseFails, family="test", description="close raises", override=True
)


def test_an_env_whose_close_raises_fails_its_episode_not_the_run(tmp_path):
    """The exception escaped the rollout and ended the whole evaluation: every other episode's
    result was lost from the summary and those still to run never ran."""
    run = tmp_path / "run.jsonl"
    (s,), traces = evaluate(
        ["test/CloseFails-v0"], ScriptedPolicy(["ok"]), seeds=range(4), output=run
    )
    assert s.scored == 3 and s.failed == 1 and s.infra_errors == 1 and s.mean_reward == 1.0
    (bad,) = [t for t in traces if t.error]
    assert bad.seed == 1 and bad.infra_error and "container gone" in bad.error
    assert len(read_traces(run)) == 4  # written, so a resume reruns just that one


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seeds": [-1]},
        {"seeds": [0.5]},
        {"seeds": None},
        {"seeds": [0], "max_turns": 0},
        {"seeds": [0], "samples": True},
        {"seeds": [0], "concurrency": 1.5},
        {"seeds": [0], "options": ["difficulty"]},
    ],
)
def test_the_callers_bad_arguments_are_an_error_not_failed_episodes(kwargs):
    """Caught around each episode, a bad argument would come back as infra-error episodes."""
    with pytest.raises((TypeError, ValueError)):
        evaluate(["gymhub/Capitals-v0"], ScriptedPolicy(["ok"]), **kwargs)


def test_options_a_factory_made_env_refuses_are_an_error_not_failed_episodes():
    from gymhub.errors import InvalidOptionsError

    def make_env(env_id):
        return lambda: gymhub.make(env_id)

    with pytest.raises(InvalidOptionsError):
        evaluate(
            ["gymhub/MathGen-v0"], ScriptedPolicy(["1"]), seeds=[0], make_env=make_env,
            options={"difficulty": 999},
        )  # fmt: skip


def test_a_policy_without_act_is_refused():
    with pytest.raises(TypeError, match="act"):
        evaluate(["gymhub/Capitals-v0"], object(), seeds=[0])


def test_one_env_id_as_a_string_is_that_env_not_its_letters():
    (s,), _ = evaluate("gymhub/Capitals-v0", ScriptedPolicy(["x"]), seeds=[0])
    assert s.env_id == "gymhub/Capitals-v0" and s.episodes == 1
