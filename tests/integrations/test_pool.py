"""The env pool the adapters share: envs come back for the next episode of the same id and
kwargs; an env whose episode ended in the hub's failure is closed, never handed out again."""

from __future__ import annotations

import importlib

import pytest

from gymhub.trainers.integrations.pool import EnvPool
from tests.integrations.conftest import require_package
from tests.integrations.scripted import BROKEN_ID, ENV_ID


def test_an_idle_env_serves_the_next_episode_of_the_same_id_and_kwargs():
    pool = EnvPool()
    env = pool.take(ENV_ID)
    pool.give(env, ENV_ID, healthy=True)
    assert pool.take(ENV_ID) is env
    pool.give(env, ENV_ID, healthy=True)
    other = pool.take(ENV_ID, {"difficulty": 2})  # other kwargs: another env
    assert other is not env
    pool.give(other, ENV_ID, {"difficulty": 2}, healthy=True)
    assert pool.take(ENV_ID, {"difficulty": 2}) is other
    pool.clear()


def test_a_failed_env_is_closed_not_reused():
    pool = EnvPool()
    env = pool.take(ENV_ID)
    closed = []
    env.close = lambda: closed.append(True)  # type: ignore[method-assign]
    pool.give(env, ENV_ID, healthy=False)
    assert closed == [True]
    assert pool.take(ENV_ID) is not env


def test_a_full_pool_closes_what_it_cannot_keep():
    pool = EnvPool(max_idle=1)
    first, second = pool.take(ENV_ID), pool.take(ENV_ID)
    closed = []
    second.close = lambda: closed.append(True)  # type: ignore[method-assign]
    pool.give(first, ENV_ID, healthy=True)
    pool.give(second, ENV_ID, healthy=True)
    assert closed == [True]
    pool.clear()


def test_skyrl_does_not_pool_an_env_after_an_infra_error():
    require_package("skyrl_gym", "skyrl")
    skyrl = importlib.import_module("gymhub.trainers.integrations.skyrl")
    from gymhub.trainers.integrations.pool import ENVS

    env = skyrl.GymhubTextEnv(extras={"env_id": BROKEN_ID, "seed": 0})
    env.init([])
    with pytest.raises(skyrl.GymhubInfraError):
        env.step("1")
    broken = env.env
    env.close()
    fresh = ENVS.take(BROKEN_ID)
    assert fresh is not broken
    ENVS.give(fresh, BROKEN_ID, healthy=True)


class _Fake:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_idle_envs_of_many_distinct_kwargs_stay_bounded():
    """Rows with per-row `env_kwargs` make a key each: one idle env kept per key grew the pool
    without end over a dataset. The total is capped; the key given back least recently loses
    its envs first, and entries of keys whose envs were all taken do not pile up either."""
    pool = EnvPool(max_idle=4, max_total=3)
    envs = [_Fake() for _ in range(10)]
    for i, env in enumerate(envs):
        pool.give(env, ENV_ID, {"row": i}, healthy=True)
    assert sum(len(v) for v in pool._idle.values()) == 3
    assert [e.closed for e in envs] == [True] * 7 + [False] * 3
    assert pool.take(ENV_ID, {"row": 9}) is envs[9]
    assert sum(len(v) for v in pool._idle.values()) == 2
    pool.give(envs[9], ENV_ID, {"row": 9}, healthy=True)  # now the most recent key
    pool.give(_Fake(), ENV_ID, {"row": 10}, healthy=True)
    assert envs[7].closed and not envs[8].closed and not envs[9].closed
    pool.clear()
    assert pool._idle == {} and envs[9].closed
    for i in range(100):  # keys seen once, their env taken again: the key table stays bounded
        pool.give(_Fake(), ENV_ID, {"seen": i}, healthy=True)
        pool.take(ENV_ID, {"seen": i})
    assert len(pool._idle) <= 2 * pool.max_total + 1
    with pytest.raises(ValueError, match="max_total"):
        EnvPool(max_total=-1)
