"""One episode played against a policy (`run_episode`) and its record (`Trace`).

Stepping follows the one episode loop (`gymhub.episode.EpisodeLoop`): the same turn budget,
`replace_context` meaning, infra-error rule and timings as every other consumer. A failing env or
policy never raises out of `run_episode`: it lands in the trace, with `infra_error=True` when the
hub rather than the policy failed, so trainers can mask it instead of scoring it 0.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field

import gymhub
from gymhub.env import Env
from gymhub.episode import EpisodeLoop, Timings
from gymhub.policies import ContextLengthError, Policy, PolicyError
from gymhub.types import Action, Message, ToolSpec

DEFAULT_STEP_LIMIT = 1000


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
    #: why the episode was truncated: "env" (the env's own limit) or "max_turns" (the rollout's)
    truncation: str | None = None
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
    step_limit: int = DEFAULT_STEP_LIMIT,
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
    loop = EpisodeLoop(env, max_turns=min(step_limit, max_turns) if max_turns else step_limit)
    try:
        if await loop.areset(seed=seed, options=options) is not None:
            while not loop.done:
                t0 = time.perf_counter()
                try:
                    action = Action.coerce(await policy.act(list(loop.messages), loop.tools, env))
                except ContextLengthError:  # the episode outgrew the model: truncated, scored
                    loop.truncate("context_length")
                    break
                except PolicyError as exc:
                    loop.fail(f"policy: {exc}", infra=False)
                    break
                finally:
                    loop.timings.policy_s += time.perf_counter() - t0
                await loop.astep(action)
    except Exception as exc:  # a broken policy object or proxy is the hub's failure
        loop.fail(f"{type(exc).__name__}: {exc}")
    return _fill_trace(trace, loop)


def _fill_trace(trace: Trace, loop: EpisodeLoop) -> Trace:
    """Copy an episode loop's outcome into `trace` (and stamp the total time)."""
    trace.task_id = loop.task_id
    trace.messages = loop.messages
    trace.tools = loop.tools
    trace.rewards = loop.rewards
    trace.turns = loop.turns
    trace.terminated, trace.truncated, trace.truncation = (
        loop.terminated,
        loop.truncated,
        loop.truncation,
    )
    trace.status = loop.status
    trace.reward_components = loop.reward_components
    trace.infra_error, trace.error = loop.infra_error, loop.error
    trace.timings = loop.finish()
    return trace
