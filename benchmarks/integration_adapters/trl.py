"""The TRL adapter: an `environment_factory` class driven the way TRL's tool loop drives it.

Per episode: `reset(**row)` with the row's prompt and seed, then one tool call per policy turn
(the reference policy's move, sent through the `answer` tool or the env's own tool method), then
`get_reward()`; steps/s counts env steps, as the direct baseline does.
"""

from __future__ import annotations

import importlib.util
import time

if importlib.util.find_spec("trl") is None:
    raise ImportError("trl is not installed (pip install 'gymhub[trl]')")

from gymhub.trainers.integrations import trl as adapter

NAME = "trl"


def measure(env_id: str, episodes: int) -> float:
    cls = adapter.environment_factory(env_id)
    env = cls()
    prompt = [{"role": "user", "content": "the reset prompt"}]
    steps, start = 0, time.perf_counter()
    for seed in range(episodes):
        env.reset(prompt=prompt, seed=seed, environment=env_id)
        loop = env._loop
        while not loop.done:
            action = env._env.reference_action()
            if action.tool_calls:
                call = action.tool_calls[0]
                getattr(env, call.name)(**call.parsed_arguments())
            else:
                env.answer(action.text)
            steps += 1
        env.get_reward()
    return steps / (time.perf_counter() - start)
