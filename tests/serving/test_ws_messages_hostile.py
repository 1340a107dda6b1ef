"""WebSocket answers to malformed messages say what is wrong as the HTTP routes do: the field and
the problem, without pydantic's multi-line report and its documentation links."""

from __future__ import annotations

import json

import pytest

from gymhub.server.background import ThreadServer


@pytest.fixture(scope="module")
def server():
    with ThreadServer(["gymhub/Capitals-v0"]) as srv:
        yield srv


@pytest.mark.parametrize(
    "message, where",
    [
        ({"op": "create", "env_id": 5}, "env_id"),
        ({"op": "create", "env_id": "gymhub/Capitals-v0", "seed": -1}, "seed"),
        ({"op": "create", "env_id": "gymhub/Capitals-v0", "zzz": 1}, "zzz"),
        ({"op": "step", "session_id": "x", "action": 5}, "action"),
        ({"op": "reset", "session_id": "x", "seed": "1"}, "seed"),
    ],
)
def test_a_malformed_message_names_its_field_in_one_line(server, message, where):
    from websockets.sync.client import connect

    with connect(server.url.replace("http", "ws") + "/ws") as ws:
        ws.send(json.dumps(message))
        answer = json.loads(ws.recv())
    error = answer["error"]
    assert error["status"] == 422 and error["type"] == "invalid_request"
    assert where in error["message"]
    assert "errors.pydantic.dev" not in error["message"] and "\n" not in error["message"]
