"""SkyRL-gym: `skyrl_gym.make("gymhub", extras=row)`, `init`, then `step(reply)` until done, the
reply being the env's reference action as text (what a sampled reply is).

The baseline is the thinnest SkyRL env over the same gymhub env: a `BaseTextEnv` that resets the
env in `init` and steps it in `step`, returning SkyRL's output dict, with no checks, no episode
rules and no pool. SkyRL builds one env object per trajectory (`skyrl_gym.make`: a spec lookup,
a deep copy of its kwargs, a new spec), about 8 us whatever the env, which the two paths share, so
the ratio is the adapter's own layer: row checks, the env pool, `EpisodeLoop`'s rules (turn
budget, `infra_error`, the end of the episode) and the metadata. `--direct` compares against the env's
own `reset`/`step` instead.
"""

from __future__ import annotations

import time
from typing import Any

import skyrl_gym
from skyrl_gym.envs.base_text_env import BaseTextEnv, BaseTextEnvStepOutput

import gymhub
import gymhub.trainers.integrations.skyrl

NAME = "skyrl"
IN_PROCESS = True  # `--direct` applies
BASELINE = "a bare SkyRL BaseTextEnv over env.reset/step"
BARE_CLASS = "gymhub-bare-benchmark"
_BARE_ENVS: dict[str, Any] = {}  # one gymhub env per id, reused, as the adapter's pool does


class _BareTextEnv(BaseTextEnv):
    def __init__(self, env_config: Any = None, extras: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.env_id, self.seed = extras["env_id"], extras["seed"]
        if self.env_id not in _BARE_ENVS:
            _BARE_ENVS[self.env_id] = gymhub.make(self.env_id)
        self.env = _BARE_ENVS[self.env_id]

    def init(self, prompt: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        observation, _info = self.env.reset(seed=self.seed)
        return [{"role": m.role, "content": m.text} for m in observation.messages], {}

    def step(self, action: Any) -> BaseTextEnvStepOutput:
        observation, reward, terminated, truncated, _info = self.env.step(action)
        done = terminated or truncated
        return BaseTextEnvStepOutput(
            observations=[]
            if done
            else [{"role": m.role, "content": m.text} for m in observation.messages],
            reward=reward,
            done=done,
            metadata={},
            postprocessed_action=None,
        )


if BARE_CLASS not in skyrl_gym.registry:
    skyrl_gym.register(id=BARE_CLASS, entry_point=_BareTextEnv)


def _play(env_class: str, env_id: str, episodes: int) -> float:
    steps, start = 0, time.perf_counter()
    for seed in range(episodes):
        env = skyrl_gym.make(env_class, env_config={}, extras={"env_id": env_id, "seed": seed})
        env.init([])
        done = False
        while not done:
            out = env.step(env.env.reference_action().text)  # SkyRL hands over text
            steps += 1
            done = out["done"]
        env.close()
    return steps / (time.perf_counter() - start)


def baseline(env_id: str, episodes: int) -> float:
    return _play(BARE_CLASS, env_id, episodes)


def measure(env_id: str, episodes: int) -> float:
    return _play("gymhub", env_id, episodes)
