"""OpenEnv: episodes through OpenEnv's own client (`GenericEnvClient`, WebSocket) against
`create_openenv_app` on a loopback socket. The reference action is read from the server's env
in-process, so only the protocol's cost is measured (the server runs on a thread of this
process: client and server share the GIL, as they would not in production)."""

from __future__ import annotations

import asyncio
import time

import openenv.core  # noqa: F401  (ImportError: reported as skipped)

from gymhub.server.background import ThreadServer
from gymhub.trainers.integrations.openenv import create_openenv_app

NAME = "openenv"


def measure(env_id: str, episodes: int) -> float:
    from openenv.core import GenericEnvClient

    server = ThreadServer([env_id], app=create_openenv_app(env_id))
    with server:
        manager = server.manager

        async def run() -> float:
            steps = 0
            async with GenericEnvClient(base_url=server.url) as client:
                start = time.perf_counter()
                for seed in range(episodes):
                    await client.reset(seed=seed)
                    env = next(iter(manager.sessions.values())).env
                    done = False
                    while not done:
                        action = env.reference_action()
                        result = await client.step(
                            action.model_dump(mode="json", exclude_none=True)
                        )
                        steps += 1
                        done = result.done
                return steps / (time.perf_counter() - start)

        return asyncio.run(run())
