"""gymhub envs as SkyRL-gym text envs (`skyrl_gym.envs.base_text_env.BaseTextEnv`).

SkyRL's generator builds one env per trajectory with `skyrl_gym.make(env_class,
env_config=..., extras=row)`, calls `init(prompt)` for the first prompt, then `step(reply)` per
turn and reads `{observations, reward, done, metadata}`. Importing this module registers
`GymhubTextEnv` under the id `"gymhub"`; dataset rows built by `make_row` name the gymhub env
and seed in their columns (SkyRL passes every column to the env as `extras`).

`infra_error`: SkyRL-gym gives an env no way to drop a sample from the loss, and a 0 reward
would train on the hub's failure. So the adapter raises `GymhubInfraError` from `init`/`step`
(the trajectory fails loudly instead of being scored); `metadata["infra_error"]` is never
returned True with a reward.
"""

from __future__ import annotations

import json
from typing import Any

import skyrl_gym
from skyrl_gym.envs.base_text_env import BaseTextEnv, BaseTextEnvStepOutput

import gymhub
from gymhub.env import check_reset_options
from gymhub.episode import EpisodeLoop
from gymhub.errors import GymhubError
from gymhub.registry import spec as env_spec
from gymhub.trainers.chat import message_dict
from gymhub.trainers.integrations.pool import ENVS
from gymhub.trainers.integrations.rows import seed_value
from gymhub.types import Message

#: the `env_class` SkyRL rows use for gymhub envs
ENV_CLASS = "gymhub"


class SkyRLAdapterError(GymhubError, ValueError):
    """A bad row or config for the SkyRL adapter."""


class GymhubInfraError(GymhubError, RuntimeError):
    """The hub failed (env raised, or verdict infra_error): the trajectory must not be scored."""


def _messages(messages: list[Message]) -> list[dict[str, Any]]:
    return [message_dict(m) for m in messages]


def _mapping(name: str, value: Any) -> dict[str, Any] | None:
    """A row's `options`/`env_kwargs`: a dict or its JSON text (what `make_row` writes, since
    parquet cannot store an empty struct and merges the keys of every row's dict)."""
    if isinstance(value, str):
        if value == "{}":  # what `make_row` writes for none: no JSON parse per episode
            return None
        try:
            value = json.loads(value) if value.strip() else None
        except (ValueError, RecursionError) as exc:
            raise SkyRLAdapterError(f"{name} is not valid JSON: {exc}") from None
    if value and not isinstance(value, dict):
        raise SkyRLAdapterError(f"{name} must be a dict or its JSON text, got {value!r:.80}")
    return value or None


class GymhubTextEnv(BaseTextEnv):
    """One gymhub episode. `extras` (the dataset row) or `env_config` name `env_id`, and
    optionally `seed`, `options`, `env_kwargs`, `max_turns` (SkyRL sets the generator's)."""

    def __init__(self, env_config: Any = None, extras: dict[str, Any] | None = None) -> None:
        super().__init__()
        # SkyRL passes the row as `extras` and, usually, an empty env_config
        # read, never changed: the row itself unless a config is merged in (no copy per episode)
        settings = {**dict(env_config), **dict(extras or {})} if env_config else (extras or {})
        env_id = settings.get("env_id")
        if not isinstance(env_id, str) or not env_id:
            raise SkyRLAdapterError("the row (extras) or env_config must name a gymhub 'env_id'")
        seed = settings.get("seed")
        if seed is not None:
            if (value := seed_value(seed)) is None:
                raise SkyRLAdapterError(f"seed must be a non-negative int, got {seed!r}")
            seed = value
        max_turns = settings.get("max_turns")
        if max_turns is not None and (
            isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1
        ):  # checked before an env is taken from the pool, which a raise here would leak
            raise SkyRLAdapterError(f"max_turns must be an int >= 1, got {max_turns!r}")
        self.env_id, self.seed = env_id, seed
        options, env_kwargs = settings.get("options"), settings.get("env_kwargs")
        if options is not None:
            options = _mapping("options", options)
        if env_kwargs is not None:
            env_kwargs = _mapping("env_kwargs", env_kwargs)
        self.options = dict(options) if options else None
        self.env_kwargs = dict(env_kwargs) if env_kwargs else {}
        # SkyRL builds one env object per trajectory: the gymhub env is reused from a pool (a
        # new one comes from `gymhub.make`, which refuses an unknown id, naming close matches)
        self.env = ENVS.take(env_id, self.env_kwargs)
        if self.options:  # the row's error, named here, not a failed reset (an infra error)
            self._check_options()
        self.loop = EpisodeLoop(self.env, max_turns=max_turns)
        self.max_turns = max_turns or 1_000_000
        self._turn_limit = max_turns
        self._started = False  # step before init would score a pooled env's previous task

    def _check_options(self) -> None:
        try:
            check_reset_options(self.env, self.options)
        except Exception:
            ENVS.give(self.env, self.env_id, self.env_kwargs, healthy=True)
            raise

    def init(self, prompt: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Reset the gymhub env; its observation replaces the row's prompt (they are equal for
        rows built by `make_row`). A second `init` starts a new episode (a fresh loop: an
        `EpisodeLoop` holds one episode, so its turns and rewards would carry over)."""
        if self.env is None:
            raise SkyRLAdapterError("init after close: SkyRL builds a new env per trajectory")
        if self._started:
            self.loop = EpisodeLoop(self.env, max_turns=self._turn_limit)
        self._started = True
        if self.options:  # the row's options: an env that cannot use them is the row's error
            started = self._reset_with_row_options()
        else:
            started = self.loop.reset(seed=self.seed)
        if started is None:
            raise GymhubInfraError(f"{self.env_id}: {self.loop.error}")
        observation, info = started
        return _messages(observation.messages), {"task_id": info.get("task_id")}

    def _reset_with_row_options(self) -> tuple[Any, dict[str, Any]] | None:
        """Reset with the row's options. A TypeError, ValueError or KeyError out of it is the
        row's error (a pinned task without what the env needs, as `gymhub serve` answers 422):
        it was the hub's failure, each epoch's trajectory failed as an infra error."""
        try:
            observation, info = self.env.reset(seed=self.seed, options=self.options)
        except (TypeError, ValueError, LookupError) as exc:
            raise SkyRLAdapterError(
                f"{self.env_id} cannot use the row's options {self.options!r:.200}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        except Exception as exc:
            return self.loop._raised("reset", exc)
        return self.loop.start(observation, info)

    def step(self, action: str) -> BaseTextEnvStepOutput:
        if not isinstance(action, str):
            raise SkyRLAdapterError(f"action must be the model's reply text, got {type(action)}")
        if not self._started or self.env is None:  # after close the env is another's
            raise SkyRLAdapterError("step before init or after close: call init(prompt) first")
        loop = self.loop
        if loop.infra_error:
            raise GymhubInfraError(f"{self.env_id}: {loop.error}")
        if loop.done:  # SkyRL stops at done=True: a step after it is the caller's error
            raise SkyRLAdapterError(f"the episode is over ({loop.status or 'done'}): call init")
        # SkyRL's generator keeps the chat: the loop applies the episode's rules without a record
        observation = loop.send(action)
        if observation is None or loop.infra_error:
            raise GymhubInfraError(f"{self.env_id}: {loop.error}")
        self.turns = loop.turns
        return BaseTextEnvStepOutput(
            observations=[] if loop.done else _messages(observation.messages),
            reward=loop.rewards[-1],
            done=loop.done,
            metadata={
                "verdict": loop.status,
                "reward_components": loop.reward_components,  # a fresh dict per step
                "truncation": loop.truncation,
                "infra_error": False,
            },
            postprocessed_action=None,
        )

    def get_metrics(self) -> dict[str, Any]:
        return {"turns": self.loop.turns, "return": self.loop.total_reward}

    def close(self) -> None:
        env, self.env = self.env, None
        if env is not None:
            ENVS.give(env, self.env_id, self.env_kwargs, healthy=not self.loop.infra_error)


def register(env_class: str = ENV_CLASS) -> None:
    """Register `GymhubTextEnv` with SkyRL-gym's registry under `env_class` (idempotent)."""
    if env_class not in skyrl_gym.registry:
        # the class itself, not a "module:name" string SkyRL would import on every make
        skyrl_gym.register(id=env_class, entry_point=GymhubTextEnv)


register()


def make_row(
    env_id: str,
    seed: int,
    *,
    options: dict[str, Any] | None = None,
    env_kwargs: dict[str, Any] | None = None,
    env_class: str = ENV_CLASS,
) -> dict[str, Any]:
    """A SkyRL dataset row: `prompt` (the env's reset observation), `env_class` and the columns
    the env reads back from `extras`."""
    env_spec(env_id)
    if (value := seed_value(seed)) is None:  # the row's env would refuse it at every init
        raise SkyRLAdapterError(f"seed must be a non-negative int, got {seed!r}")
    seed = value
    for name, value in (("options", options), ("env_kwargs", env_kwargs)):
        if value is not None and not isinstance(value, dict):
            raise SkyRLAdapterError(f"{name} must be a dict, got {value!r:.80}")
    env = gymhub.make(env_id, **dict(env_kwargs or {}))
    try:
        observation, info = env.reset(seed=seed, options=dict(options or {}) or None)
    finally:
        env.close()
    return {
        "prompt": _messages(observation.messages),
        "env_class": env_class,
        "env_id": env_id,
        "seed": seed,
        # JSON text: a parquet file cannot hold an empty struct, and a dataset's struct column
        # merges every row's keys (one row's {"difficulty": 2} gave the others difficulty None)
        "options": json.dumps(options or {}),
        "env_kwargs": json.dumps(env_kwargs or {}),
        "task_id": info.get("task_id"),
    }
