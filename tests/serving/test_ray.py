"""Rollouts with envs on Ray actors, on a local Ray instance (ray.init(num_cpus=2))."""

from __future__ import annotations

import pytest

import gymhub
from gymhub.policies import ReferencePolicy, ScriptedPolicy

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


class KillFirstActor(ReferencePolicy):
    """Kills the actor serving the first episode mid-episode (as a crashed node would)."""

    name = "reference-killer"

    def __init__(self) -> None:
        self.killed: list[object] = []

    async def act(self, conversation, tools, env=None):
        if not self.killed:
            self.killed.append(env.actor)
            ray.kill(env.actor)
        return await super().act(conversation, tools, env)


@pytest.mark.slow
def test_ray_rollout_matches_asyncio(local_ray):
    ids = ["gymhub/GuessNumber-v0", "gymhub/Capitals-v0"]
    on_ray = gymhub.run_rollouts(
        ids, ReferencePolicy(), seeds=[0, 1, 2], concurrency=2, backend="ray"
    )
    local = gymhub.run_rollouts(ids, ReferencePolicy(), seeds=[0, 1, 2], concurrency=2)
    assert [(t.env_id, t.seed) for t in on_ray] == [(i, s) for i in ids for s in (0, 1, 2)]
    assert all(t.total_reward == 1.0 and not t.infra_error for t in on_ray)
    for a, b in zip(on_ray, local):
        assert a.messages == b.messages and a.rewards == b.rewards and a.task_id == b.task_id
        assert a.env_version == b.env_version and a.verifier == b.verifier
    # a non-reference policy goes through the same path (no prefetched references)
    wrong = gymhub.run_rollouts(
        ["gymhub/Capitals-v0"], ScriptedPolicy(["Atlantis"]), seeds=[5], backend="ray"
    )
    assert wrong[0].total_reward == 0.0 and wrong[0].status == "incorrect"


@pytest.mark.slow
def test_dead_actor_marks_infra_error_and_is_replaced(local_ray):
    policy = KillFirstActor()
    traces = gymhub.run_rollouts(
        ["gymhub/GuessNumber-v0"], policy, seeds=[0, 1, 2, 3], concurrency=1, backend="ray"
    )
    # one actor: episodes 1-3 can only succeed if the dead actor was replaced
    assert traces[0].infra_error and "died" in (traces[0].error or "").lower()
    assert [t.total_reward for t in traces[1:]] == [1.0, 1.0, 1.0]
    assert not any(t.infra_error for t in traces[1:])


def test_ray_rollout_rejects_bad_arguments(local_ray):
    with pytest.raises(gymhub.UnknownEnvError):
        gymhub.run_rollouts(["gymhub/Nope-v0"], ReferencePolicy(), seeds=[0], backend="ray")
    with pytest.raises(ValueError, match="concurrency"):
        gymhub.run_rollouts(
            ["gymhub/Capitals-v0"], ReferencePolicy(), seeds=[0], concurrency=0, backend="ray"
        )
