"""Re-score a stored run without calling the model again.

Each trace's assistant turns are replayed, in order, into a fresh env reset with the trace's seed
and options; the env's current verifier (or one given) scores them. Multi-turn envs replay up to the
number of stored turns: when a new verdict would ask for more turns than were played, the episode
ends there (truncated) with the reward earned so far.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from gymhub.evaluation.summary import EvalTrace
from gymhub.policies import Policy, PolicyError
from gymhub.rollout import arollout
from gymhub.types import Action, Message, ToolSpec


class _Replay(Policy):
    name = "replay"

    def __init__(self, actions: list[Action]) -> None:
        self.actions = actions
        self.turn = 0

    async def act(
        self, conversation: list[Message], tools: list[ToolSpec], env: Any = None
    ) -> Action:
        if self.turn >= len(self.actions):
            raise PolicyError("replay diverged: the new verdicts asked for another turn")
        self.turn += 1
        return self.actions[self.turn - 1]


class Change(BaseModel):
    env_id: str
    seed: int | None
    sample: int
    old_status: str | None
    new_status: str | None
    old_reward: float
    new_reward: float
    #: why the episode was not re-scored when it could not be (its old verdict is kept)
    note: str | None = None


def stored_actions(trace: EvalTrace) -> list[Action]:
    fields = ("content", "tool_calls", "name")
    return [
        Action(**{f: getattr(m, f) for f in fields})
        for m in trace.messages
        if m.role == "assistant"
    ]


async def arescore(
    traces: Sequence[EvalTrace],
    *,
    verifier: Any = None,
    concurrency: int = 16,
) -> tuple[list[EvalTrace], list[Change]]:
    """New traces (same jobs, re-verified) and the list of verdicts that changed.

    Traces that failed originally (no answer to score), those that ended on an unusable reply
    (`policy_fault`) and those of a pinned task (`task_pin`: the task itself is not stored) are
    kept as they were. So is a trace that cannot be replayed on its own task: no seed stored, or
    a seed that now gives another task (its `task_id` differs); it is listed in the changes with
    a `note` saying why, its verdict unchanged."""
    import gymhub

    if verifier is not None:  # one verifier for every episode, or none re-scored: never a mix
        for env_id in sorted({t.env_id for t in traces if t.env_id}):
            env = gymhub.make(env_id)
            try:
                if not hasattr(env, "verifier"):
                    raise ValueError(
                        f"{env_id} has no `verifier` to replace; re-score it without --verifier"
                    )
            finally:
                env.close()
    semaphore = asyncio.Semaphore(concurrency)

    def factory(env_id: str) -> Callable[[], Any]:
        def make() -> Any:
            env = gymhub.make(env_id)
            if verifier is not None:
                if not hasattr(env, "verifier"):
                    raise TypeError(f"{env_id} has no `verifier` attribute to replace")
                env.verifier = verifier
            return env

        return make

    notes: dict[int, str] = {}

    async def one(index: int, old: EvalTrace) -> EvalTrace:
        if old.error or old.infra_error or old.policy_fault or old.task_pin or not old.env_id:
            # nothing to re-verify (no answer, or the last reply was unusable), or no way to
            # replay it (a pinned task is not stored in the trace, only its digest)
            return old
        if old.seed is None:  # without its seed the env would draw another task to score
            notes[index] = "no seed stored: its task cannot be replayed"
            return old
        actions = stored_actions(old)
        async with semaphore:
            try:
                (fresh,) = await arollout(
                    factory(old.env_id),
                    _Replay(actions),
                    seeds=[old.seed],
                    options=old.options or None,
                    max_turns=max(len(actions), 1),
                )
            except (TypeError, ValueError) as exc:
                # the stored seed or options are refused now (the file was edited, or the env
                # changed): this trace cannot be replayed, the others still are
                notes[index] = f"cannot be replayed: {exc}"[:500]
                return old
        if old.task_id is not None and fresh.task_id is not None and fresh.task_id != old.task_id:
            # the env's data changed: this seed is another task now, which the stored answer
            # was never an answer to
            notes[index] = (
                f"seed {old.seed} is now task {fresh.task_id!r}, not {old.task_id!r} "
                "(the env's data changed)"
            )
            return old
        data = fresh.model_dump()
        data.update(policy=old.policy, env_id=old.env_id)
        return EvalTrace(**data, sample=old.sample, run={**old.run, "rescored": True})

    new = list(await asyncio.gather(*(one(i, t) for i, t in enumerate(traces))))
    changes = [
        Change(
            env_id=o.env_id or "?",
            seed=o.seed,
            sample=o.sample,
            old_status=o.status,
            new_status=n.status if not n.error else f"failed: {n.error}",
            old_reward=o.total_reward,
            new_reward=n.total_reward,
            note=notes.get(i),
        )
        for i, (o, n) in enumerate(zip(traces, new))
        if (o.status, round(o.total_reward, 9)) != (n.status, round(n.total_reward, 9))
        or bool(n.error) != bool(o.error)
        or i in notes
    ]
    return new, changes


def load_verifier(spec: str) -> Any:
    """`module:attribute` -> a verifier (an instance, or a class/factory called with no args)."""
    import importlib

    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"--verifier must be module:attribute, got {spec!r}")
    value = getattr(importlib.import_module(module_name), attr)
    if isinstance(value, type) or (callable(value) and not hasattr(value, "verify")):
        value = value()
    if not hasattr(value, "verify"):
        raise ValueError(f"{spec} is not a verifier (no verify method)")
    return value
