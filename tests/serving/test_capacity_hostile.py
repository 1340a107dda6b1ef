"""The session limit holds against bursts: creates that arrive together (one event-loop turn, a
WebSocket's pipelined ops, an OpenRLHF `/get_reward` batch) must not all pass the capacity check
before any of them has taken its slot."""

from __future__ import annotations

import asyncio

import httpx

from gymhub.server.background import ThreadServer
from gymhub.server.errors import CapacityError
from gymhub.server.sessions import ServerConfig, SessionManager

ENV_ID = "gymhub/Capitals-v0"


def test_a_burst_of_creates_opens_at_most_max_sessions():
    async def burst() -> tuple[int, int, int]:
        manager = SessionManager([ENV_ID], ServerConfig(max_sessions=3))
        await manager.start()
        try:
            results = await asyncio.gather(
                *(manager.create(ENV_ID, seed=i) for i in range(20)), return_exceptions=True
            )
            opened = sum(isinstance(r, dict) for r in results)
            refused = sum(isinstance(r, CapacityError) for r in results)
            return opened, refused, len(manager.sessions)
        finally:
            await manager.stop()

    opened, refused, held = asyncio.run(burst())
    assert (opened, refused, held) == (3, 17, 3)


def test_get_reward_batch_larger_than_max_sessions_stays_within_the_limit():
    config = ServerConfig(max_sessions=4)
    with ThreadServer([ENV_ID], config, protocols=["openrlhf"]) as srv:
        peak = 0
        original = srv.manager.create

        async def watched(*args, **kwargs):
            nonlocal peak
            try:
                return await original(*args, **kwargs)
            finally:
                peak = max(peak, len(srv.manager.sessions) + srv.manager._pending)

        srv.manager.create = watched
        body = {"query": ["<answer>x</answer>"] * 50, "labels": [{"seed": i} for i in range(50)]}
        r = httpx.post(f"{srv.url}/get_reward", json=body, timeout=60)
        # every query is scored (in turn, never more episodes at once than the server allows)
        assert r.status_code == 200, r.text
        assert len(r.json()["rewards"]) == 50
        assert peak <= 4
        assert httpx.get(f"{srv.url}/health").json()["sessions"] == 0
