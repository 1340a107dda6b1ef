"""A scripted policy shared by the adapter tests: a quarter-search guesser for
gymhub/GuessNumber-v0 that wins some episodes and loses others (so rewards are not all equal),
served over a real OpenAI-compatible route and also played directly against the env."""

from __future__ import annotations

import re
import time
from typing import Any

import gymhub
from tests.core.episode_envs import BrokenEnv

ENV_ID = "gymhub/GuessNumber-v0"
BROKEN_ID = "test/IntegrationsBroken-v0"

gymhub.register(BROKEN_ID, BrokenEnv, family="test", description="steps fail", override=True)


def quarter_guess(texts: list[tuple[str, str]]) -> str:
    """The next guess given (role, text) turns: a quarter of the way into the open range."""
    low, high = 1, 10
    for role, text in texts:
        if role != "user":
            continue
        if found := re.search(r"between 1 and (\d+)", text):
            high = int(found.group(1))
        if found := re.match(r"(\d+) is too (low|high)", text):
            guess = int(found.group(1))
            low, high = (guess + 1, high) if found.group(2) == "low" else (low, guess - 1)
    return str(low + (high - low) // 4)


def play_locally(seed: int, env_id: str = ENV_ID) -> float:
    """The episode return of `quarter_guess` played straight against the env."""
    env = gymhub.make(env_id)
    obs, _ = env.reset(seed=seed)
    turns = [(m.role, m.text) for m in obs.messages]
    total, done = 0.0, False
    while not done:
        reply = quarter_guess(turns)
        obs, reward, terminated, truncated, _ = env.step(reply)
        total += reward
        done = terminated or truncated
        turns += [("assistant", reply)] + [(m.role, m.text) for m in obs.messages]
    env.close()
    return total


def scripted_app() -> Any:
    """An OpenAI-compatible `/v1/chat/completions` answering with `quarter_guess`."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(body: dict[str, Any]) -> dict[str, Any]:
        texts = [(m["role"], m.get("content") or "") for m in body["messages"]]
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "scripted"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": quarter_guess(texts)},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    return app
