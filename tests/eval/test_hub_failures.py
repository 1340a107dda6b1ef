"""The hub failing around one episode fails that episode (infra_error, out of the scores, rerun on
resume), never the whole run."""

from __future__ import annotations

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
