"""Run many episodes of many environments concurrently against a policy.

`rollout` (also `gymhub.run_rollouts`) and `arollout` (`gymhub.arun_rollouts`) play each episode
with `run_episode` (gymhub.trace), which steps through the one episode loop (gymhub.episode).
One episode failing (env crash, policy error) never cancels the others: it comes back as a trace
with `error` set, and `infra_error=True` when the hub rather than the policy failed, so trainers
can mask it instead of scoring it 0. Every trace records its provenance.
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import gymhub
from gymhub.env import Env
from gymhub.episode import Timings
from gymhub.errors import InvalidOptionsError
from gymhub.policies import Policy
from gymhub.rollout_ray import ray_rollout
from gymhub.trace import Trace, run_episode

__all__ = ["EnvLike", "Timings", "Trace", "arollout", "rollout", "run_episode"]


EnvLike = str | Callable[[], Env]


async def arollout(
    envs: EnvLike | Sequence[EnvLike],
    policy: Policy,
    *,
    seeds: Sequence[int] | None = None,
    episodes: int = 1,
    concurrency: int = 32,
    options: dict[str, Any] | None = None,
    max_turns: int | None = None,
    env_kwargs: dict[str, Any] | None = None,
    backend: str = "asyncio",
) -> list[Trace]:
    """Run `episodes` episodes (one per seed when `seeds` is given) of each env, at most
    `concurrency` at a time, and return their traces in order (env-major)."""
    env_list: list[EnvLike] = [envs] if isinstance(envs, str) or callable(envs) else list(envs)
    if not env_list:
        raise ValueError("rollout needs at least one env")
    if not is_count(concurrency) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive integer, got {concurrency!r}")
    if max_turns is not None and (not is_count(max_turns) or max_turns < 1):
        raise ValueError(f"max_turns must be a positive integer or None, got {max_turns!r}")
    if seeds is None and (not is_count(episodes) or episodes < 0):
        raise ValueError(f"episodes must be a non-negative integer, got {episodes!r}")
    if not hasattr(policy, "act"):
        raise TypeError(f"policy must be a gymhub Policy (with `act`), got {type(policy).__name__}")
    for name, value in (("options", options), ("env_kwargs", env_kwargs)):
        if value is not None and not isinstance(value, dict):
            raise TypeError(f"{name} must be a dict or None, got {type(value).__name__}")
    seed_values = seed_list(seeds) if seeds is not None else list(range(episodes))
    if backend == "ray":
        ids = [e for e in env_list if isinstance(e, str)]
        if len(ids) != len(env_list):
            raise ValueError("backend='ray' needs env ids (strings), not factories")
        return await ray_rollout(
            ids,
            policy,
            seeds=seed_values,
            concurrency=concurrency,
            env_kwargs=env_kwargs,
            max_turns=max_turns,
            options=options,
        )
    if backend != "asyncio":
        raise ValueError(f"unknown rollout backend {backend!r}; use 'asyncio' or 'ray'")
    for e in env_list:
        if isinstance(e, str):
            gymhub.spec(e)  # unknown ids fail fast, before any episode starts
    semaphore = asyncio.Semaphore(concurrency)

    async def one(env_like: EnvLike, seed: int) -> Trace:
        async with semaphore:
            try:
                env = (
                    gymhub.make(env_like, **(env_kwargs or {}))
                    if isinstance(env_like, str)
                    else env_like()
                )
            except Exception as exc:
                if env_kwargs and isinstance(exc, (TypeError, InvalidOptionsError)):
                    # the caller's keyword arguments, not the hub: say so instead of masking
                    # every episode as an infra error
                    raise InvalidOptionsError(f"env_kwargs rejected by {env_like}: {exc}") from exc
                return Trace(
                    env_id=env_like if isinstance(env_like, str) else None,
                    seed=seed,
                    error=f"make failed: {type(exc).__name__}: {exc}",
                    infra_error=True,
                )
            try:
                if options:  # the caller's options: a clear error, not an infra-error trace each
                    env.validate_options(dict(options))
                return await run_episode(
                    env, policy, seed=seed, options=options, max_turns=max_turns
                )
            finally:
                await asyncio.to_thread(env.close)

    jobs = [one(e, s) for e in env_list for s in seed_values]
    return list(await asyncio.gather(*jobs))


def is_count(value: Any) -> bool:
    """An int that is not a bool (`True` is no concurrency or turn budget)."""
    return isinstance(value, int) and not isinstance(value, bool)


def seed_list(seeds: Any) -> list[int]:
    """`seeds` as a list of non-negative ints (numpy integers, read from a data frame, are seeds
    too). A bad seed is the caller's error, raised before any episode starts: each episode would
    otherwise fail to reset and be masked as the hub's failure."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of integers, got {type(seeds).__name__}")
    out = []
    for seed in seeds:
        if isinstance(seed, bool) or not hasattr(seed, "__index__"):
            raise TypeError(f"seeds must be non-negative integers, got {seed!r}")
        value = operator.index(seed)
        if value < 0:
            raise ValueError(f"seeds must be non-negative integers, got {value}")
        out.append(value)
    return out


def rollout(envs: EnvLike | Sequence[EnvLike], policy: Policy, **kwargs: Any) -> list[Trace]:
    """Synchronous `arollout` (runs its own event loop; use `arollout` inside async code)."""
    return asyncio.run(arollout(envs, policy, **kwargs))
