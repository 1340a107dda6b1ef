"""What one WebSocket may make the server hold: the bytes of its messages in flight are bounded
(not only their number), and an error answer never repeats a client's huge string back."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from websockets.asyncio.client import connect

from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from tests.serving.conftest import SLOW_ID

LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def server(test_envs):
    with ThreadServer(test_envs, ServerConfig(max_body_bytes=LIMIT)) as srv:
        yield srv


def _ws_url(srv: ThreadServer) -> str:
    return "ws" + srv.url[len("http") :] + "/ws"


async def test_large_messages_in_flight_on_one_socket_are_bounded_in_bytes(server):
    """Eight steps of almost the largest size, each sleeping 0.4 s in its own session: with at
    most two such messages' bytes in flight they take four rounds; small ones are not held."""
    sids = [
        httpx.post(f"{server.url}/sessions", json={"env_id": SLOW_ID}).json()["session_id"]
        for _ in range(8)
    ]
    padding = " " + "x" * (LIMIT - 400)
    async with connect(_ws_url(server), max_size=2**22) as ws:
        start = time.monotonic()
        for i, sid in enumerate(sids):
            step = {"op": "step", "id": i, "session_id": sid, "action": "sleep 0.4" + padding}
            await ws.send(json.dumps(step))
        answers = [json.loads(await ws.recv()) for _ in sids]
        elapsed = time.monotonic() - start
        assert all(a["ok"] for a in answers), answers
        assert elapsed >= 1.5, f"{elapsed:.2f}s: more than two large messages ran at once"

        start = time.monotonic()
        for i, sid in enumerate(sids):
            await ws.send(
                json.dumps({"op": "step", "id": i, "session_id": sid, "action": "sleep 0.4"})
            )
        answers = [json.loads(await ws.recv()) for _ in sids]
        assert all(a["ok"] for a in answers)
        assert time.monotonic() - start < 1.5, "small messages ran one batch at a time"


async def test_an_error_does_not_repeat_a_huge_string_back(server):
    huge = "s" * (LIMIT - 200)
    async with connect(_ws_url(server), max_size=2**22) as ws:
        for message in (
            {"op": "heartbeat", "id": 1, "session_id": huge},
            {"op": huge, "id": 2, "session_id": "x"},
            {"op": huge, "id": 3},
        ):
            await ws.send(json.dumps(message))
            answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert not answer["ok"] and answer["error"]["status"] in (404, 422)
            assert len(answer["error"]["message"]) < 2500, answer["error"]["message"][:100]
    for path in (f"/sessions/{huge[:8000]}", f"/envs/{huge[:8000]}"):
        r = httpx.get(server.url + path)
        assert r.status_code == 404 and len(r.text) < 2500, r.text[:100]


async def test_websockets_over_the_limit_are_refused_with_503_until_one_closes(test_envs):
    from websockets.exceptions import InvalidStatus

    with ThreadServer(test_envs, ServerConfig(max_websockets=2)) as srv:
        url = _ws_url(srv)
        first, second = await connect(url), await connect(url)
        with pytest.raises(InvalidStatus) as refused:
            await connect(url)
        response = refused.value.response
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert json.loads(response.body)["error"]["type"] == "too_many_websockets"
        # the open sockets still work, and a closed one frees its place
        await first.send(json.dumps({"op": "create", "id": 1, "env_id": SLOW_ID}))
        assert json.loads(await first.recv())["ok"]
        await second.close()
        for _ in range(50):  # the server notices the close a moment later
            try:
                third = await connect(url)
                break
            except InvalidStatus:
                await asyncio.sleep(0.05)
        await third.send(json.dumps({"op": "create", "id": 2, "env_id": SLOW_ID}))
        assert json.loads(await third.recv())["ok"]
        await first.close()
        await third.close()


async def test_remote_env_waits_as_long_as_a_refused_handshake_says(test_envs):
    """Its retries of a refused WebSocket used the transport back-off (0.2 s, 0.4 s) and gave
    up before a socket was free; the server's Retry-After (2 s) lets it get one."""
    from gymhub.remote import RemoteEnv

    with ThreadServer(test_envs, ServerConfig(max_websockets=1)) as srv:
        env = RemoteEnv(srv.url, SLOW_ID, transport="ws", retries=2)
        await env.areset(seed=0)  # created over HTTP
        holder = await connect(_ws_url(srv))  # the one socket the server takes

        async def free_it_later() -> None:
            await asyncio.sleep(1.0)
            await holder.close()

        freeing = asyncio.ensure_future(free_it_later())
        _obs, reward, *_ = await env.astep("done")
        await freeing
        assert reward == 1.0
        env.close()
