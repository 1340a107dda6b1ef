"""Fixtures of the serving tests: small test-only envs (slow, raising, async) registered for the
duration of a test module only, and servers on loopback (in a thread or in a child process)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import gymnasium
import pytest

import gymhub
from gymhub import registry
from gymhub.env import Env, StepResult
from gymhub.types import Action, Message, Observation, Task, Verdict

SLOW_ID = "gymhubtest/Slow-v0"
ASYNC_ID = "gymhubtest/AsyncSlow-v0"


class SlowEnv(Env):
    """'sleep S' sleeps S seconds, 'boom' raises, 'done' wins; anything else scores 0."""

    max_turns = 5

    def _reset(self, options: dict[str, Any]) -> Observation:
        self.task = Task(id=f"slow-{self.episode_seed}-{self.episode_index}", answer="done")
        return Observation(messages=[Message(role="user", content=f"seed {self.episode_seed}")])

    def _step(self, action: Action) -> StepResult:
        text = action.text
        if text.startswith("sleep "):
            time.sleep(float(text.split()[1]))
        if text == "boom":
            raise RuntimeError("boom")
        if text == "done":
            return StepResult(Observation(), 1.0, True, Verdict.correct())
        reply = Observation(messages=[Message(role="user", content="no")])
        return StepResult(reply, 0.0, False, Verdict.incorrect())

    def reference_action(self) -> Action | None:
        return None if self.done else Action(content="done")

    def secret_strings(self) -> list[str]:
        return []


class AsyncSlowEnv(SlowEnv):
    """The same env with a native astep that sleeps on the event loop."""

    async def astep(self, action: Action | Message | str) -> Any:
        text = Action.coerce(action).text
        if text.startswith("sleep "):
            await asyncio.sleep(float(text.split()[1]))
            action = "no"
        return self.step(action)


@pytest.fixture(scope="module")
def test_envs() -> Iterator[list[str]]:
    registry.register(SLOW_ID, SlowEnv, family="test")
    registry.register(ASYNC_ID, AsyncSlowEnv, family="test")
    yield [SLOW_ID, ASYNC_ID]
    for env_id in (SLOW_ID, ASYNC_ID):
        registry._REGISTRY.pop(env_id, None)
        gymnasium.registry.pop(env_id, None)


def servable_ids() -> list[str]:
    """Every registered env that runs without a browser or a GPU (what RemoteEnv must pass)."""
    return [
        s.id
        for s in gymhub.list_envs()
        if s.family not in ("web", "gui", "test")
        and "browser" not in s.tags
        and "gpu" not in s.tags
        and not s.id.startswith("gymhubtest/")
    ]
