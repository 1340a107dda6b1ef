"""Closing a session while one of its steps runs, on a real socket: the env is closed after the
step returns, never from another thread in the middle of it (a browser or a sandbox closed under
a running call may break or hang it), and exactly once, also when the step ran past its deadline.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import gymnasium
import httpx
import pytest

from gymhub import registry
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from tests.serving.conftest import SlowEnv

WATCHED_ID = "gymhubtest/Watched-v0"


class WatchedEnv(SlowEnv):
    """Records each close, and whether a step of it was running at that moment."""

    stepping = 0
    closes: list[bool] = []
    lock = threading.Lock()

    def _step(self, action: Any) -> Any:
        with self.lock:
            WatchedEnv.stepping += 1
        try:
            return super()._step(action)
        finally:
            with self.lock:
                WatchedEnv.stepping -= 1

    def close(self) -> None:
        with self.lock:
            WatchedEnv.closes.append(WatchedEnv.stepping > 0)
        super().close()


@pytest.fixture(scope="module")
def watched() -> Iterator[str]:
    registry.register(WATCHED_ID, WatchedEnv, family="test")
    yield WATCHED_ID
    registry._REGISTRY.pop(WATCHED_ID, None)
    gymnasium.registry.pop(WATCHED_ID, None)


async def _delete_during_step(url: str, action: str) -> tuple[httpx.Response, httpx.Response]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as c:
        sid = (await c.post("/sessions", json={"env_id": WATCHED_ID})).json()["session_id"]
        step = asyncio.ensure_future(c.post(f"/sessions/{sid}/step", json={"action": action}))
        await asyncio.sleep(0.3)
        deleted = await c.delete(f"/sessions/{sid}")
        after = await c.post(f"/sessions/{sid}/step", json={"action": "x"})
        assert after.status_code == 404  # forgotten at once, even before its env is closed
        return await step, deleted


def _wait_for_closes(count: int) -> None:
    deadline = time.monotonic() + 5
    while len(WatchedEnv.closes) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_delete_during_a_step_closes_the_env_after_it_exactly_once(watched):
    WatchedEnv.closes.clear()
    with ThreadServer([watched], ServerConfig(step_timeout_s=30)) as srv:
        step, deleted = asyncio.run(_delete_during_step(srv.url, "sleep 1"))
        assert deleted.status_code == 200 and step.status_code == 200
        assert step.json()["info"]["verdict"] == "incorrect"  # the step ran to its end
        _wait_for_closes(1)
        assert WatchedEnv.closes == [False]


def test_delete_after_a_step_overran_its_deadline_leaves_the_close_to_the_stuck_call(watched):
    WatchedEnv.closes.clear()
    with ThreadServer([watched], ServerConfig(step_timeout_s=0.5)) as srv:
        step, deleted = asyncio.run(_delete_during_step(srv.url, "sleep 1.5"))
        assert step.json()["info"]["verdict"] == "infra_error"
        assert deleted.status_code in (200, 404)
        time.sleep(1.5)  # the stuck call returns, and closes its env
        _wait_for_closes(1)
        assert WatchedEnv.closes == [False]
