"""verifiers (0.4, `verifiers.v1`): an in-process verifiers evaluation (the env's serving
resources, interception server, rollouts and traces) against a local OpenAI-compatible server
that answers by binary search over the feedback in the conversation (the reference policy,
played from the text). Each env step is two HTTP round trips (harness -> interception ->
server), so this measures verifiers' machinery as much as the adapter."""

from __future__ import annotations

import re
import time
from typing import Any

from gymhub.trainers.integrations import verifiers as adapter
from gymhub.trainers.openai_server import serve_app_in_thread

NAME = "verifiers"


def binary_search(texts: list[str]) -> str:
    joined = "\n".join(texts)
    low, high = 1, int(re.search(r"between 1 and (\d+)", joined).group(1))
    for guess, way in re.findall(r"(\d+) is too (low|high)", joined):
        low, high = (int(guess) + 1, high) if way == "low" else (low, int(guess) - 1)
    return str((low + high) // 2)


def reference_app(counter: list[int]) -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(body: dict[str, Any]) -> dict[str, Any]:
        counter[0] += 1
        reply = binary_search([m.get("content") or "" for m in body["messages"]])
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


def measure(env_id: str, episodes: int) -> float:
    counter = [0]
    env = adapter.load_environment(env_id=env_id, num_tasks=episodes)
    with serve_app_in_thread(reference_app(counter)) as url:
        start = time.perf_counter()
        adapter.evaluate(env, base_url=f"{url}/v1", model="reference", api_key_var="GYMHUB_NO_KEY")
        elapsed = time.perf_counter() - start
    return counter[0] / elapsed
