"""Numbers too large for the hub's arithmetic, in a client's request, are the client's 422."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.asyncio.client import connect

from gymhub.server.background import ThreadServer

GUESS_ID = "gymhub/GuessNumber-v0"
HUGE = "9" * 4000  # an integer JSON reads, beyond any float: math.isfinite(it) raises


def _with_huge(body: dict, sign: str = "") -> str:
    """`body` as JSON with its "HUGE" value written as the integer HUGE."""
    return json.dumps(body).replace('"HUGE"', sign + HUGE)


@pytest.fixture(scope="module")
def server():
    with ThreadServer([GUESS_ID]) as srv:
        yield srv


def test_an_option_too_large_for_a_float_is_422_not_500(server) -> None:
    headers = {"content-type": "application/json"}
    body = _with_huge({"env_id": GUESS_ID, "options": {"difficulty": "HUGE"}})
    r = httpx.post(f"{server.url}/sessions", content=body, headers=headers)
    assert r.status_code == 422, r.text  # was 500 env_error: OverflowError
    assert r.json()["error"]["type"] == "invalid_options"
    sid = httpx.post(f"{server.url}/sessions", json={"env_id": GUESS_ID}).json()["session_id"]
    body = _with_huge({"options": {"difficulty": "HUGE"}}, "-")
    r = httpx.post(f"{server.url}/sessions/{sid}/reset", content=body, headers=headers)
    assert r.status_code == 422, r.text
    assert httpx.get(f"{server.url}/health").json()["sessions"] == 1


async def test_the_same_over_the_websocket(server) -> None:
    async with connect("ws" + server.url[len("http") :] + "/ws") as ws:
        create = {"op": "create", "id": 1, "env_id": GUESS_ID, "options": {"difficulty": "HUGE"}}
        await ws.send(_with_huge(create))
        answer = json.loads(await ws.recv())
        assert not answer["ok"] and answer["error"]["status"] == 422, answer
        await ws.send(json.dumps({"op": "create", "id": 2, "env_id": GUESS_ID}))
        assert json.loads(await ws.recv())["ok"]
