"""OpenEnv: episodes over OpenEnv's WebSocket protocol (`create_openenv_app`, `/ws`) against
gymhub's own WebSocket session API (`gymhub serve`'s `/ws`), both on a loopback socket, with the
same raw `websockets` client, one request in flight and the same action payloads. The reference
action is read from the server's env in-process, so the ratio is the protocol translation's cost
(both servers run on a thread of this process: client and server share the GIL)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import openenv.core  # noqa: F401  (ImportError: reported as skipped)
import websockets

from gymhub.server.background import ThreadServer
from gymhub.trainers.integrations.openenv import create_openenv_app

NAME = "openenv"
BASELINE = "gymhub's own /ws session API, same socket"


def _ws_url(server: ThreadServer) -> str:
    return server.url.replace("http://", "ws://") + "/ws"


def _action(manager: Any) -> dict[str, Any]:
    env = next(iter(manager.sessions.values())).env
    return env.reference_action().model_dump(mode="json", exclude_none=True)


def baseline(env_id: str, episodes: int) -> float:
    server = ThreadServer([env_id])
    with server:
        manager = server.manager

        async def run() -> float:
            steps = 0
            async with websockets.connect(_ws_url(server), max_size=None) as ws:
                start = time.perf_counter()
                session_id = None
                for seed in range(episodes):
                    if session_id is None:
                        msg = {"id": 0, "op": "create", "env_id": env_id, "seed": seed}
                    else:
                        msg = {"id": 0, "op": "reset", "session_id": session_id, "seed": seed}
                    await ws.send(json.dumps(msg))
                    session_id = json.loads(await ws.recv())["result"]["session_id"]
                    done = False
                    while not done:
                        step = {"id": 1, "op": "step", "session_id": session_id}
                        await ws.send(json.dumps({**step, "action": _action(manager)}))
                        result = json.loads(await ws.recv())["result"]
                        steps += 1
                        done = result["terminated"] or result["truncated"]
                return steps / (time.perf_counter() - start)

        return asyncio.run(run())


def measure(env_id: str, episodes: int) -> float:
    server = ThreadServer([env_id], app=create_openenv_app(env_id))
    with server:
        manager = server.manager

        async def run() -> float:
            steps = 0
            async with websockets.connect(_ws_url(server), max_size=None) as ws:
                start = time.perf_counter()
                for seed in range(episodes):
                    await ws.send(json.dumps({"type": "reset", "data": {"seed": seed}}))
                    await ws.recv()
                    done = False
                    while not done:
                        await ws.send(json.dumps({"type": "step", "data": _action(manager)}))
                        done = json.loads(await ws.recv())["data"]["done"]
                        steps += 1
                return steps / (time.perf_counter() - start)

        return asyncio.run(run())
