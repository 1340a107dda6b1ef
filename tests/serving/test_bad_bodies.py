"""Bodies the server cannot read get a 422 that says what is wrong with them, on a real socket:
bytes that are not UTF-8 (HTTP and WebSocket binary frames), text that is not JSON, and options
an env trips over with a KeyError (it said only `'low'`)."""

from __future__ import annotations

import json
import logging
import socket
import time

import httpx
import pytest
from websockets.asyncio.client import connect

from gymhub.server.background import ThreadServer
from tests.serving.conftest import SLOW_ID

GUESS_ID = "gymhub/GuessNumber-v0"


@pytest.fixture(scope="module")
def server(test_envs):
    with ThreadServer([*test_envs, GUESS_ID]) as srv:
        yield srv


def _post(srv: ThreadServer, path: str, body: bytes) -> httpx.Response:
    headers = {"content-type": "application/json"}
    return httpx.post(srv.url + path, content=body, headers=headers, timeout=10)


def _message(r: httpx.Response) -> str:
    assert r.status_code == 422, r.text
    return r.json()["error"]["message"]


def test_http_bodies_that_are_not_utf8_or_not_json_say_so(server):
    sid = httpx.post(f"{server.url}/sessions", json={"env_id": SLOW_ID}).json()["session_id"]
    message = _message(_post(server, f"/sessions/{sid}/step", b'{"action": "\xff\xfe"}'))
    assert "not UTF-8" in message and "0xff at offset 12" in message
    assert "not UTF-8" in _message(_post(server, "/sessions", b"\xfe{}"))
    assert "not valid JSON" in _message(_post(server, "/sessions", b"{not json"))
    # the session is still fine
    r = httpx.post(f"{server.url}/sessions/{sid}/step", json={"action": "done"})
    assert r.json()["reward"] == 1.0


def test_options_an_env_trips_over_name_the_error(server):
    task = {"id": "t", "answer": {"not": "what the env reads"}}
    body = json.dumps({"env_id": GUESS_ID, "options": {"task": task}}).encode()
    message = _message(_post(server, "/sessions", body))
    assert message.startswith("the env could not use the options: KeyError"), message


async def test_a_binary_frame_that_is_not_utf8_says_so_and_the_socket_goes_on(server):
    async with connect("ws" + server.url[len("http") :] + "/ws") as ws:
        await ws.send(b'{"op": "create", "id": 1, "env_id": "\xff"}')
        answer = json.loads(await ws.recv())
        assert not answer["ok"] and answer["error"]["status"] == 422
        assert "not UTF-8 (byte 0xff at offset 37)" in answer["error"]["message"]
        await ws.send(json.dumps({"op": "create", "id": 2, "env_id": SLOW_ID}).encode())
        assert json.loads(await ws.recv())["ok"]


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_client_that_leaves_in_the_middle_of_its_body_logs_no_traceback(server):
    """The 400 handler read the body again to say what was wrong with it; a client gone in the
    middle made that read raise, and every such client left a traceback in the server's log."""
    errors, logger = _Errors(), logging.getLogger("uvicorn.error")
    logger.addHandler(errors)
    try:
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])))
            sock.sendall(
                b"POST /sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100\r\n\r\n{"
            )
            time.sleep(0.2)
            sock.close()
        time.sleep(0.5)
        assert httpx.get(f"{server.url}/health").status_code == 200
    finally:
        logger.removeHandler(errors)
    assert not errors.records, errors.records[0].getMessage()
