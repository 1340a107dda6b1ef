"""SkyRL-gym: `skyrl_gym.make("gymhub", extras=row)`, `init`, then `step(reply)` until done, the
reply being the env's reference action (the same policy as the direct baseline)."""

from __future__ import annotations

import time

import skyrl_gym

import gymhub.trainers.integrations.skyrl  # noqa: F401  (registers the "gymhub" env class)

NAME = "skyrl"


def measure(env_id: str, episodes: int) -> float:
    steps, start = 0, time.perf_counter()
    for seed in range(episodes):
        env = skyrl_gym.make("gymhub", env_config={}, extras={"env_id": env_id, "seed": seed})
        env.init([])
        done = False
        while not done:
            out = env.step(env.env.reference_action().text)
            steps += 1
            done = out["done"]
        env.close()
    return steps / (time.perf_counter() - start)
