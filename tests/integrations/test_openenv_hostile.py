"""OpenEnv route, hostile tool calls: what a tool call holds (its name, its arguments) is the
policy's output, so a malformed one is the policy's malformed call, scored like one, never a
refused step (the trainer's client would raise, and the sample would escape its score)."""

from __future__ import annotations

import json

import httpx
import pytest

from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from tests.integrations.conftest import require_package

ENV_ID = "gymhub/UnitConvert-v0"


@pytest.fixture(autouse=True)
def _openenv() -> None:
    require_package("openenv", "openenv")


@pytest.fixture(scope="module")
def server():
    from gymhub.trainers.integrations.openenv import create_openenv_app

    config = ServerConfig()
    with ThreadServer([ENV_ID], config, app=create_openenv_app(ENV_ID, config)) as srv:
        yield srv


MALFORMED_CALLS = {
    "arguments a list": {"id": "a", "name": "convert", "arguments": [1, 2]},
    "arguments a number": {"id": "a", "name": "convert", "arguments": 5},
    "arguments NaN": {"id": "a", "name": "convert", "arguments": float("nan")},
    "arguments nested": {"id": "a", "name": "convert", "arguments": [[[[{"a": [None]}]]]]},
    "name a number": {"id": "a", "name": 5, "arguments": {}},
    "name missing": {"id": "a", "arguments": {"value": 1}},
    "id null": {"id": None, "name": "convert", "arguments": "{bad json"},
    "unknown tool": {"id": "a", "name": "rm -rf", "arguments": {}},
    "not an object": "convert(1, 'm', 'km')",
    "extra fields": {"id": "a", "name": "convert", "arguments": {}, "index": 0, "zzz": [1]},
}


@pytest.mark.parametrize("call", list(MALFORMED_CALLS.values()), ids=list(MALFORMED_CALLS))
def test_a_malformed_tool_call_is_scored_as_the_policys(server, call) -> None:
    action = {"content": None, "tool_calls": [call]}
    r = httpx.post(
        server.url + "/step",
        content=json.dumps({"action": action, "seed": 1}),  # NaN as JSON allows it
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["reward"] == 0.0 and not result["observation"]["infra_error"]
    assert result["observation"]["messages"][0]["role"] == "tool"
    assert result["observation"]["messages"][0]["content"].startswith("Error")


def test_openai_nested_tool_call_shape_is_played(server) -> None:
    """OpenAI's `{"type": "function", "function": {"name", "arguments"}}` is the same call."""
    arguments = json.dumps({"value": 1, "from_unit": "km", "to_unit": "m"})
    call = {"id": "c1", "type": "function", "function": {"name": "convert", "arguments": arguments}}
    r = httpx.post(
        server.url + "/step",
        json={"action": {"content": None, "tool_calls": [call]}, "seed": 1},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    message = r.json()["observation"]["messages"][0]
    assert message["role"] == "tool" and message["content"].startswith("1000")


def test_malformed_calls_over_the_websocket_are_observations(server) -> None:
    from websockets.sync.client import connect

    with connect(server.url.replace("http", "ws") + "/ws") as ws:
        for call in MALFORMED_CALLS.values():
            ws.send(json.dumps({"type": "reset", "data": {"seed": 1}}))
            assert json.loads(ws.recv())["type"] == "observation"
            ws.send(json.dumps({"type": "step", "data": {"content": "", "tool_calls": [call]}}))
            answer = json.loads(ws.recv())
            assert answer["type"] == "observation", (call, answer)
            assert not answer["data"]["observation"]["infra_error"]
