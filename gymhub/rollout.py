"""Run many episodes of many environments concurrently against a policy.

One episode failing (env crash, policy error) never cancels the others: it comes back as a trace
with `error` set, and `infra_error=True` when the hub rather than the policy failed, so trainers
can mask it instead of scoring it 0. Every trace records its provenance.
"""

from __future__ import annotations

import asyncio
import sys
import time
import types
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field

import gymhub
from gymhub.env import Env
from gymhub.policies import Policy, PolicyError
from gymhub.types import Action, Message, ToolSpec


class Timings(BaseModel):
    reset_s: float = 0.0
    policy_s: float = 0.0
    env_s: float = 0.0
    total_s: float = 0.0


class Trace(BaseModel):
    """One episode: the conversation, per-turn rewards, the outcome and where it came from."""

    env_id: str | None
    env_version: int = 0
    seed: int | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    gymhub_version: str = gymhub.__version__
    verifier: str | None = None
    policy: str | None = None
    task_id: str | None = None
    messages: list[Message] = Field(default_factory=list)
    tools: list[ToolSpec] = Field(default_factory=list)
    rewards: list[float] = Field(default_factory=list)
    turns: int = 0
    terminated: bool = False
    truncated: bool = False
    status: str | None = None
    reward_components: dict[str, float] = Field(default_factory=dict)
    infra_error: bool = False
    error: str | None = None
    timings: Timings = Field(default_factory=Timings)

    @property
    def total_reward(self) -> float:
        return float(sum(self.rewards))


def _verifier_name(env: Any) -> str | None:
    verifier = getattr(env, "verifier", None)
    if verifier is not None:
        return f"{getattr(verifier, 'name', type(verifier).__name__)}@{getattr(verifier, 'version', '1')}"
    try:
        return gymhub.spec(env.env_id).verifier if env.env_id else None
    except Exception:
        return None


async def run_episode(
    env: Env,
    policy: Policy,
    *,
    seed: int | None = None,
    options: dict[str, Any] | None = None,
    max_turns: int | None = None,
    step_limit: int = 1000,
) -> Trace:
    """Play one episode; never raises for env or policy failures (they land in the trace)."""
    trace = Trace(
        env_id=getattr(env, "env_id", None),
        env_version=getattr(env, "version", 0),
        seed=seed,
        options={k: v for k, v in (options or {}).items() if k != "task"},
        verifier=_verifier_name(env),
        policy=getattr(policy, "name", type(policy).__name__),
    )
    start = time.perf_counter()
    limit = min(step_limit, max_turns) if max_turns else step_limit
    try:
        t0 = time.perf_counter()
        observation, info = await env.areset(seed=seed, options=options)
        trace.timings.reset_s = time.perf_counter() - t0
        trace.task_id = info.get("task_id")
        trace.messages = list(observation.messages)
        trace.tools = list(observation.tools)
        tools = list(observation.tools)
        while trace.turns < limit:
            t0 = time.perf_counter()
            try:
                action = Action.coerce(await policy.act(list(trace.messages), tools, env))
            except PolicyError as exc:
                trace.error = f"policy: {exc}"
                break
            trace.timings.policy_s += time.perf_counter() - t0
            trace.messages.append(action)
            t0 = time.perf_counter()
            observation, reward, terminated, truncated, info = await env.astep(action)
            trace.timings.env_s += time.perf_counter() - t0
            trace.turns += 1
            trace.rewards.append(float(reward))
            if observation.replace_context:
                trace.messages = list(observation.messages)
            else:
                trace.messages.extend(observation.messages)
            if observation.tools:
                tools = list(observation.tools)
            trace.status = info.get("verdict") or trace.status
            trace.reward_components = dict(info.get("reward_components") or {})
            if info.get("infra_error"):
                trace.infra_error = True
            if terminated or truncated:
                trace.terminated, trace.truncated = bool(terminated), bool(truncated)
                break
        else:
            trace.truncated = True
    except Exception as exc:  # an env failure is the hub's failure
        trace.error = f"{type(exc).__name__}: {exc}"
        trace.infra_error = True
    trace.timings.total_s = time.perf_counter() - start
    return trace


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
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    seed_list = list(seeds) if seeds is not None else list(range(episodes))
    if backend == "ray":
        from gymhub.rollout_ray import ray_rollout

        ids = [e for e in env_list if isinstance(e, str)]
        if len(ids) != len(env_list):
            raise ValueError("backend='ray' needs env ids (strings), not factories")
        return await ray_rollout(
            ids,
            policy,
            seeds=seed_list,
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
                return Trace(
                    env_id=env_like if isinstance(env_like, str) else None,
                    seed=seed,
                    error=f"make failed: {type(exc).__name__}: {exc}",
                    infra_error=True,
                )
            try:
                return await run_episode(
                    env, policy, seed=seed, options=options, max_turns=max_turns
                )
            finally:
                await asyncio.to_thread(env.close)

    jobs = [one(e, s) for e in env_list for s in seed_list]
    return list(await asyncio.gather(*jobs))


def rollout(envs: EnvLike | Sequence[EnvLike], policy: Policy, **kwargs: Any) -> list[Trace]:
    """Synchronous `arollout` (runs its own event loop; use `arollout` inside async code)."""
    return asyncio.run(arollout(envs, policy, **kwargs))


class _CallableModule(types.ModuleType):
    """`gymhub.rollout` is both this module and its main function: whichever one Python's import
    system leaves on the package, `gymhub.rollout(...)` runs episodes."""

    def __call__(self, *args: Any, **kwargs: Any) -> list[Trace]:
        return rollout(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
