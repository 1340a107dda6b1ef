"""Load, leaks and memory over loopback against a server in its own process."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from gymhub.remote.env import RemoteEnv
from gymhub.server.background import ProcessServer
from gymhub.server.sessions import ServerConfig, SessionManager

ENVS = ["gymhub/GuessNumber-v0", "gymhub/Capitals-v0"]


@pytest.mark.slow
async def test_256_concurrent_sessions_zero_errors():
    """256 sessions play full episodes concurrently for a bounded time; nothing may fail."""
    with ProcessServer(ENVS, args=["--max-sessions", "512", "--allow-reference"]) as srv:
        envs = [RemoteEnv(srv.url, ENVS[i % 2]) for i in range(256)]
        errors: list[BaseException] = []
        episodes = [0] * len(envs)
        await asyncio.gather(*(env.areset(seed=i) for i, env in enumerate(envs)))
        assert httpx.get(f"{srv.url}/health").json()["sessions"] == 256
        stop_at = time.monotonic() + 2.0

        async def play(i: int) -> None:
            env, seed = envs[i], i * 1000
            try:
                while True:
                    if episodes[i]:
                        await env.areset(seed=seed + episodes[i])
                    done = False
                    while not done:
                        action = await env.areference_action()
                        _, reward, terminated, truncated, info = await env.astep(action)
                        assert not info["infra_error"], info
                        done = terminated or truncated
                    assert reward == 1.0
                    episodes[i] += 1
                    if time.monotonic() > stop_at:
                        return
            except BaseException as exc:
                errors.append(exc)

        await asyncio.gather(*(play(i) for i in range(len(envs))))
        assert errors == [], errors[:3]
        assert min(episodes) >= 1
        for env in envs:
            env.close()
        assert _open_sessions(srv.url) == 0
        metrics = httpx.get(f"{srv.url}/metrics").text
        assert "gymhub_errors_total{" not in metrics


def _open_sessions(url: str) -> int:
    return httpx.get(f"{url}/health").json()["sessions"]


_CLIENT = """
import sys, time
from gymhub.remote.env import RemoteEnv
env = RemoteEnv(sys.argv[1], "gymhub/GuessNumber-v0")
env.reset(seed=1)
env.step("5")
print(env.session_id, flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_killed_client_leaves_no_session_after_idle_timeout():
    with ProcessServer(ENVS, args=["--idle-timeout", "1"]) as srv:
        client = subprocess.Popen(
            [sys.executable, "-c", _CLIENT, srv.url], stdout=subprocess.PIPE, text=True
        )
        try:
            session_id = client.stdout.readline().strip()
            assert httpx.get(f"{srv.url}/sessions/{session_id}").status_code == 200
            assert _open_sessions(srv.url) == 1
        finally:
            client.kill()  # mid-episode, without closing anything
            client.wait()
        deadline = time.monotonic() + 10
        while _open_sessions(srv.url) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _open_sessions(srv.url) == 0
        assert (
            'gymhub_sessions_closed_total{reason="idle"} 1' in httpx.get(f"{srv.url}/metrics").text
        )
        gone = httpx.post(f"{srv.url}/sessions/{session_id}/step", json={"action": "1"})
        assert gone.status_code == 404


@pytest.mark.slow
async def test_memory_flat_over_10000_sessions():
    """Open, step and close 10,000 sessions through the session manager (what every transport
    calls); after the first 2,000 the process's memory barely moves and nothing is left behind."""
    manager = SessionManager(["gymhub/GuessNumber-v0"], ServerConfig(max_sessions=64))
    await manager.start()
    process = psutil.Process()

    async def cycle(first: int, n: int) -> None:
        async def one(i: int) -> None:
            created = await manager.create("gymhub/GuessNumber-v0", seed=i, request_id=f"r{i}")
            await manager.step(created["session_id"], "7", request_id=f"s{i}")
            await manager.close(created["session_id"])

        for start in range(first, first + n, 50):
            await asyncio.gather(*(one(i) for i in range(start, start + 50)))

    try:
        await cycle(0, 2_000)
        gc.collect()
        before = process.memory_info().rss
        await cycle(2_000, 8_000)
        gc.collect()
        after = process.memory_info().rss
        assert manager.sessions == {}
        assert (
            manager.metrics.value("gymhub_sessions_created_total", env="gymhub/GuessNumber-v0")
            == 10_000
        )
        assert manager.metrics.value("gymhub_sessions_closed_total", reason="client") == 10_000
        assert len(manager._create_ids) <= 4096
    finally:
        await manager.stop()
    growth_mb = (after - before) / 2**20
    assert growth_mb < 8, f"RSS grew {growth_mb:.1f} MiB over 8,000 sessions"


@pytest.mark.slow
async def test_server_memory_flat_over_10000_sessions_on_real_sockets():
    """The same over loopback against a server process: 10,000 sessions created, stepped and
    closed over WebSocket (64 at a time on 8 sockets); the server's RSS barely moves after the
    first 2,000 and no session is left."""
    import json

    import websockets

    with ProcessServer(ENVS, args=["--max-sessions", "128"]) as srv:
        server = psutil.Process(srv.proc.pid)
        ws_url = srv.url.replace("http://", "ws://") + "/ws"

        async def cycle(first: int, n: int) -> None:
            async def socket_worker(lane: int) -> None:
                async with websockets.connect(ws_url, max_size=2**24) as ws:
                    pending: dict[int, asyncio.Future] = {}

                    async def reader() -> None:
                        async for raw in ws:
                            answer = json.loads(raw)
                            pending.pop(answer["id"]).set_result(answer)

                    async def call(msg: dict) -> dict:
                        future = asyncio.get_running_loop().create_future()
                        pending[msg["id"]] = future
                        await ws.send(json.dumps(msg))
                        answer = await future
                        assert answer["ok"], answer
                        return answer["result"]

                    async def one(i: int) -> None:
                        created = await call(
                            {"id": 3 * i, "op": "create", "env_id": ENVS[0], "seed": i}
                        )
                        sid = created["session_id"]
                        await call(
                            {"id": 3 * i + 1, "op": "step", "session_id": sid, "action": "7"}
                        )
                        await call({"id": 3 * i + 2, "op": "close", "session_id": sid})

                    task = asyncio.ensure_future(reader())
                    try:
                        mine = list(range(first + lane, first + n, 8))
                        for start in range(0, len(mine), 8):
                            await asyncio.gather(*(one(i) for i in mine[start : start + 8]))
                    finally:
                        task.cancel()

            await asyncio.gather(*(socket_worker(lane) for lane in range(8)))

        await cycle(0, 2_000)
        before = server.memory_info().rss
        await cycle(2_000, 8_000)
        after = server.memory_info().rss
        assert _open_sessions(srv.url) == 0
        metrics = httpx.get(f"{srv.url}/metrics").text
        assert 'gymhub_sessions_closed_total{reason="client"} 10000' in metrics
        assert "gymhub_errors_total{" not in metrics
    growth_mb = (after - before) / 2**20
    assert growth_mb < 8, f"server RSS grew {growth_mb:.1f} MiB over 8,000 sessions"
