"""NeMo Gym: episodes through the resources-server routes (`POST /seed_session`, then `POST
/verify` per turn with a Responses API response, the session in a cookie) against gymhub's own
HTTP session routes (`POST /sessions`, `POST /sessions/{id}/step`, `DELETE` at the end) on the
same server, one keep-alive `httpx` client, one request in flight. The reference action is read
from the server's env in-process, so the ratio is the routes' translation cost."""

from __future__ import annotations

import time
from typing import Any

import httpx

from gymhub.server.background import ThreadServer

NAME = "nemo_gym"
BASELINE = "gymhub's own HTTP session routes, same server"


def _reference_text(manager: Any) -> str:
    return next(iter(manager.sessions.values())).env.reference_action().text


def baseline(env_id: str, episodes: int) -> float:
    with (
        ThreadServer([env_id], protocols=["nemo_gym"]) as server,
        httpx.Client(base_url=server.url, timeout=120) as http,
    ):
        steps, start = 0, time.perf_counter()
        for seed in range(episodes):
            created = http.post("/sessions", json={"env_id": env_id, "seed": seed}).json()
            session = f"/sessions/{created['session_id']}"
            done = False
            while not done:
                action = _reference_text(server.manager)
                result = http.post(f"{session}/step", json={"action": action}).json()
                steps += 1
                done = result["terminated"] or result["truncated"]
            http.delete(session)
        return steps / (time.perf_counter() - start)


def measure(env_id: str, episodes: int) -> float:
    with (
        ThreadServer([env_id], protocols=["nemo_gym"]) as server,
        httpx.Client(base_url=server.url, timeout=120) as http,
    ):
        steps, start = 0, time.perf_counter()
        for seed in range(episodes):
            row = {"env_id": env_id, "seed": seed}
            seeded = http.post("/seed_session", json=row).json()
            params = seeded["responses_create_params"]
            done = False
            while not done:
                text = _reference_text(server.manager)
                response = {
                    "output": [
                        {"type": "message", "content": [{"type": "output_text", "text": text}]}
                    ]
                }
                body = {**row, "responses_create_params": params, "response": response}
                done = http.post("/verify", json=body).json()["done"]
                steps += 1
        return steps / (time.perf_counter() - start)
