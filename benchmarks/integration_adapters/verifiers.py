"""verifiers (0.4, `verifiers.v1`): an in-process verifiers evaluation (the env's serving
resources, interception server, rollouts and traces) against a local OpenAI-compatible server
that answers by binary search over the feedback in the conversation (the reference policy,
played from the text, or the seed's reference reply for other envs). Each env step is two HTTP
round trips (harness -> interception -> server). The baseline is the same evaluation (same
taskset, harness, interception and server) with the adapter's `GymhubEnv.run` replaced by the
bare loop anyone would write (the env's `areset`/`astep`, observation texts as the next user
turn), so the ratio is the adapter's layer: its EpisodeLoop, turn conversion and trace info."""

from __future__ import annotations

import re
import time
from typing import Any

import gymhub
from gymhub.trainers.integrations import verifiers as adapter
from gymhub.trainers.openai_server import serve_app_in_thread
from integration_adapters._common import reference_scripts

NAME = "verifiers"
BASELINE = "same harness+server, bare env loop in run()"


def binary_search(texts: list[str]) -> str:
    joined = "\n".join(texts)
    low, high = 1, int(re.search(r"between 1 and (\d+)", joined).group(1))
    for guess, way in re.findall(r"(\d+) is too (low|high)", joined):
        low, high = (int(guess) + 1, high) if way == "low" else (low, int(guess) - 1)
    return str((low + high) // 2)


def _user_texts(messages: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(m.get("content") or "" for m in messages if m.get("role") == "user")


def scripted_policy(env_id: str, episodes: int) -> Any:
    """The reply for a conversation: the seed's reference reply, found by its user turns."""
    if env_id == "gymhub/GuessNumber-v0":
        return lambda messages: binary_search([m.get("content") or "" for m in messages])
    table: dict[tuple[str, ...], str] = {}
    env = gymhub.make(env_id)
    try:
        for seed, script in enumerate(reference_scripts(env_id, episodes)):
            observation, _info = env.reset(seed=seed)
            _system, prompt = adapter._prompt(observation.messages)
            users = [prompt] if isinstance(prompt, str) else [m["content"] for m in prompt]
            for action in script:
                table[tuple(users)] = action.text
                observation, *_rest = env.step(action)
                users += [m["content"] for m in adapter._user_turn(observation.messages)]
    finally:
        env.close()
    return lambda messages: table.get(_user_texts(messages), "")


def reference_app(counter: list[int], policy: Any = None) -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(body: dict[str, Any]) -> dict[str, Any]:
        counter[0] += 1
        if policy is None:
            reply = binary_search([m.get("content") or "" for m in body["messages"]])
        else:
            reply = policy(body["messages"])
        return {
            "id": "chatcmpl-ref",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "reference"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply},
                    "finish_reason": "stop",
                }
            ],
        }

    return app


class BareEnv(adapter.GymhubEnv):
    """The baseline's env: the gymhub env stepped directly, no adapter layer."""

    async def run(self, task: Any, agents: Any) -> None:
        info = task.data.info
        env = gymhub.make(info["env_id"])
        try:
            await env.areset(seed=info["seed"])
            total = 0.0
            async with agents.player.interaction(task) as interaction:
                segment = await interaction.turn()
                while not segment.terminated:
                    observation, reward, terminated, truncated, _ = await env.astep(
                        segment.last_reply
                    )
                    total += reward
                    if terminated or truncated:
                        break
                    turn = [{"role": "user", "content": m.text} for m in observation.messages]
                    segment = await interaction.turn(turn)
                interaction.trace.record_reward("gymhub", total, 1.0)
        finally:
            env.close()


def _evaluate(env_id: str, episodes: int, bare: bool) -> float:
    counter = [0]
    env = adapter.load_environment(env_id=env_id, num_tasks=episodes)
    if bare:
        env.__class__ = BareEnv
    policy = scripted_policy(env_id, episodes)
    with serve_app_in_thread(reference_app(counter, policy)) as url:
        start = time.perf_counter()
        adapter.evaluate(env, base_url=f"{url}/v1", model="reference", api_key_var="GYMHUB_NO_KEY")
        elapsed = time.perf_counter() - start
    return counter[0] / elapsed


def baseline(env_id: str, episodes: int) -> float:
    return _evaluate(env_id, episodes, bare=True)


def measure(env_id: str, episodes: int) -> float:
    return _evaluate(env_id, episodes, bare=False)
