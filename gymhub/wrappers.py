"""`gymhub.Wrapper`: change what an env does without breaking its contract (as gymnasium's).

A wrapper is itself a `gymhub.Env`: it forwards reset/step (and the native async `areset`/`astep`
of the inner env), `reference_action`, `secret_strings`, option validation, rendering and `close`,
and mirrors the inner env's bookkeeping (task, turn, done, conversation record, episode seed and
index, spaces, spec, metadata, difficulty range, turn and time budgets), so checkers, servers and rollouts treat it
like any env. Subclasses change behaviour through four hooks that both the sync and async paths
call; a subclass that overrides `reset`/`step` themselves has `areset`/`astep` run them in a thread.
"""

from __future__ import annotations

import asyncio
from typing import Any

from gymhub.env import Env
from gymhub.types import Action, Message, Observation

StepTuple = tuple[Observation, float, bool, bool, dict[str, Any]]


class Wrapper(Env):
    """Wraps a gymhub env; `self.env` is the wrapped one, `unwrapped` the innermost."""

    def __init__(self, env: Env) -> None:
        if not isinstance(env, Env):
            raise TypeError(f"{type(self).__name__} wraps a gymhub.Env, got {type(env).__name__}")
        super().__init__()
        self.env = env
        self.env_id = env.env_id
        self.version = env.version
        self.allowed_options = env.allowed_options  # type: ignore[misc]
        self.metadata = env.metadata  # type: ignore[misc]
        self.render_mode = env.render_mode
        self.observation_space = env.observation_space
        self.action_space = env.action_space

    # ----- hooks for subclasses -------------------------------------------------------------------
    def reset_options(self, seed: int | None, options: dict[str, Any]) -> dict[str, Any]:
        """The options the inner env is reset with (default: unchanged)."""
        return options

    def on_reset(
        self, observation: Observation, info: dict[str, Any]
    ) -> tuple[Observation, dict[str, Any]]:
        """What reset returns, given the inner env's result (default: unchanged)."""
        return observation, info

    def action(self, action: Action) -> Action:
        """The action the inner env is stepped with (default: unchanged)."""
        return action

    def on_step(self, action: Action, result: StepTuple) -> StepTuple:
        """What step returns, given the action sent and the inner env's 5-tuple (default:
        unchanged)."""
        return result

    # ----- the contract ---------------------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        options = self.reset_options(seed, self._check_reset_args(seed, options))
        observation, info = self.env.reset(seed=seed, options=options)
        self._mirror()
        return self.on_reset(observation, info)

    def step(self, action: Action | Message | str) -> StepTuple:
        action = self.action(Action.coerce(action))
        result = self.env.step(action)
        self._mirror()
        return self.on_step(action, result)

    async def areset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        if type(self).reset is not Wrapper.reset:  # a subclass's own reset: keep its logic
            return await asyncio.to_thread(self.reset, seed=seed, options=options)
        options = self.reset_options(seed, self._check_reset_args(seed, options))
        observation, info = await self.env.areset(seed=seed, options=options)
        self._mirror()
        return self.on_reset(observation, info)

    async def astep(self, action: Action | Message | str) -> StepTuple:
        if type(self).step is not Wrapper.step:
            return await asyncio.to_thread(self.step, action)
        action = self.action(Action.coerce(action))
        result = await self.env.astep(action)
        self._mirror()
        return self.on_step(action, result)

    def reference_action(self) -> Action | None:
        return self.env.reference_action()

    def secret_strings(self) -> list[str]:
        return self.env.secret_strings()

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return self.env.validate_options(options)

    def render(self) -> str | None:
        return self.env.render()

    def close(self) -> None:
        self.env.close()
        super().close()

    @property
    def unwrapped(self) -> Env:  # type: ignore[override]
        return self.env.unwrapped  # type: ignore[return-value]

    @property
    def spec(self) -> Any:  # type: ignore[override]
        return self.env.spec

    @spec.setter
    def spec(self, value: Any) -> None:
        self.env.spec = value

    @property  # type: ignore[override]
    def max_turns(self) -> int | None:
        return self.env.max_turns

    @max_turns.setter
    def max_turns(self, value: int | None) -> None:
        self.env.max_turns = value

    @property  # type: ignore[override]
    def step_budget_s(self) -> float | None:
        return self.env.step_budget_s

    @property  # type: ignore[override]
    def difficulty_range(self) -> tuple[int, int] | None:
        return self.env.difficulty_range

    @difficulty_range.setter
    def difficulty_range(self, value: tuple[int, int] | None) -> None:
        self.env.difficulty_range = value

    @property
    def task_difficulty(self) -> Any:
        return self.env.task_difficulty

    def _mirror(self) -> None:
        """Copy the inner env's per-episode bookkeeping, so the wrapper reads like it."""
        env = self.env
        self.task = env.task
        self.turn = env.turn
        self.episode_seed, self.episode_index = env.episode_seed, env.episode_index
        self.conversation = env.conversation
        self._done = env.done
        self._needs_reset = env._needs_reset
        self._last_verdict = env._last_verdict

    def __repr__(self) -> str:
        return f"<{type(self).__name__}{self.env!r}>"
