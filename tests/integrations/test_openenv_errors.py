"""`gymhub serve --openenv`: a bad request gets the same clear error as the rest of the server
(one line per problem, not pydantic's multi-line text with its URLs), and an action whose
policy-written part cannot be read (content that is not text, tool calls that are not a list) is
the policy's malformed action, scored on a real env, never a 422."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from gymhub.trainers.integrations.openenv import create_openenv_app

ENV_ID = "gymhub/ToyArith-v0"


@pytest.fixture(scope="module")
def server() -> ThreadServer:
    config = ServerConfig()
    with ThreadServer([ENV_ID], config, app=create_openenv_app(ENV_ID, config)) as srv:
        yield srv


def _clear(answer: httpx.Response, *words: str) -> None:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["status"] == 422 and error["type"] in ("invalid_request", "invalid_action")
    message = error["message"]
    assert "\n" not in message and "errors.pydantic.dev" not in message, message
    for word in words:
        assert word in message, message


def test_a_stateless_step_without_a_seed_is_refused_not_scored(server: ThreadServer) -> None:
    """A seedless `POST /step` reset a fresh env on a random task and scored the action on it:
    an answer to the prompt a stateless /reset showed was paid or failed on another task."""
    with httpx.Client(base_url=server.url) as http:
        prompt = http.post("/reset", json={"seed": 4}).json()["observation"]["messages"]
        assert prompt
        _clear(http.post("/step", json={"action": {"content": "1"}}), "seed")
        _clear(http.post("/step", json={"action": {"content": "1"}, "seed": None}), "seed")
        scored = http.post("/step", json={"action": {"content": "1"}, "seed": 4})
        assert scored.status_code == 200 and scored.json()["reward"] == 0.0
    assert server.manager.sessions == {}


def test_bad_requests_get_the_servers_clear_422(server: ThreadServer) -> None:
    with httpx.Client(base_url=server.url) as http:
        _clear(http.post("/reset", json={"seed": "a"}), "seed")
        _clear(http.post("/reset", json={"nope": 1}), "nope")
        _clear(http.post("/reset", content=b"{not json"), "not valid JSON")
        _clear(http.post("/reset", content=b"[" * 100_000), "nested")
        _clear(http.post("/step", json={"action": "42"}), "action")
        _clear(http.post("/step", json={"action": {"content": "1"}, "seed": True}), "seed")
        # the action's frame is the client's, not the policy's: its role, unknown fields
        user_turn = {"action": {"role": "user", "content": "1"}, "seed": 4}
        _clear(http.post("/step", json=user_turn), "assistant")
        _clear(
            http.post("/step", json={"action": {"content": "1", "extra": 1}, "seed": 4}), "extra"
        )
    assert server.manager.sessions == {}


@pytest.mark.parametrize(
    "content", [42, {"text": "1"}, [{"type": "bogus"}], [1, 2], True, [{"type": "text"}]]
)
def test_unreadable_content_is_the_policys_malformed_action(server: ThreadServer, content: Any):
    step = httpx.post(server.url + "/step", json={"action": {"content": content}, "seed": 4})
    assert step.status_code == 200, step.text
    result = step.json()
    assert result["reward"] == 0.0 and result["done"] is True
    assert result["observation"]["infra_error"] is False
    assert result["observation"]["info"]["verdict"] == "unparseable"
    assert "Invalid action" in result["observation"]["messages"][0]["content"]
    assert server.manager.sessions == {}


def test_tool_calls_that_are_not_a_list_are_the_policys_malformed_call(server) -> None:
    step = httpx.post(
        server.url + "/step", json={"action": {"content": "1", "tool_calls": "nope"}, "seed": 4}
    )
    assert step.status_code == 200, step.text
    assert step.json()["observation"]["infra_error"] is False


def test_over_the_websocket_unreadable_content_is_scored_and_ends_the_episode(server):
    from websockets.sync.client import connect

    with connect(server.url.replace("http", "ws") + "/ws") as ws:
        ws.send(json.dumps({"type": "reset", "data": {"seed": "x"}}))
        error = json.loads(ws.recv())["data"]
        assert error["code"] == "VALIDATION_ERROR" and "\n" not in error["message"]
        ws.send(json.dumps({"type": "reset", "data": {"seed": 4}}))
        assert json.loads(ws.recv())["type"] == "observation"
        ws.send(json.dumps({"type": "step", "data": {"content": {"answer": 7}}}))
        answer = json.loads(ws.recv())
        assert answer["type"] == "observation", answer
        assert answer["data"]["reward"] == 0.0 and answer["data"]["done"] is True
        assert answer["data"]["observation"]["info"]["verdict"] == "unparseable"
        assert answer["data"]["observation"]["infra_error"] is False
        ws.send(json.dumps({"type": "step", "data": {"content": "nope"}}))
        assert json.loads(ws.recv())["data"]["error_type"] == "episode_done"
        ws.send(json.dumps({"type": "reset", "data": {"seed": 4}}))
        assert json.loads(ws.recv())["type"] == "observation"
        ws.send(json.dumps({"type": "step", "data": {"role": "tool"}}))  # the client's frame
        error = json.loads(ws.recv())["data"]
        assert error["code"] == "VALIDATION_ERROR" and "\n" not in error["message"]


def test_a_long_action_on_the_stateless_step_is_scored_not_refused() -> None:
    """`POST /step`'s body is the policy's action: one over `--max-body-bytes` was a 413."""
    from gymhub.trainers.integrations.openenv import STEP_BODY_BYTES

    config = ServerConfig(max_body_bytes=1024 * 1024)
    with ThreadServer([ENV_ID], config, app=create_openenv_app(ENV_ID, config)) as srv:
        with httpx.Client(base_url=srv.url) as http:
            long = {"action": {"content": "x" * (2 * 1024 * 1024)}, "seed": 4}
            step = http.post("/step", json=long)
            assert step.status_code == 200, step.text[:300]
            result = step.json()
            assert result["reward"] == 0.0 and result["done"] is True
            assert result["observation"]["infra_error"] is False
            assert result["observation"]["info"]["verdict"] == "unparseable"
            # the raised limit is the route's own
            assert http.post("/reset", json={"options": {"x": "y" * 2**21}}).status_code == 413
            over = http.post("/step", content=b" " * (STEP_BODY_BYTES + 1))
            assert over.status_code == 413
        assert srv.manager.sessions == {}


def test_websockets_over_the_limit_are_refused_with_503_until_one_closes() -> None:
    """The OpenEnv app's `/ws` took sockets without limit (`max_websockets` was `gymhub
    serve`'s only): a client opening them without end held descriptors and memory."""
    import time

    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    config = ServerConfig(max_websockets=2)
    with ThreadServer([ENV_ID], config, app=create_openenv_app(ENV_ID, config)) as srv:
        url = srv.url.replace("http", "ws") + "/ws"
        first, second = connect(url), connect(url)
        with pytest.raises(InvalidStatus) as refused:
            connect(url)
        response = refused.value.response
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert json.loads(response.body)["error"]["type"] == "too_many_websockets"
        first.send(json.dumps({"type": "reset", "data": {"seed": 4}}))
        assert json.loads(first.recv())["type"] == "observation"
        second.close()
        for _ in range(50):  # the server notices the close a moment later
            try:
                third = connect(url)
                break
            except InvalidStatus:
                time.sleep(0.05)
        third.send(json.dumps({"type": "reset", "data": {"seed": 4}}))
        assert json.loads(third.recv())["type"] == "observation"
        first.close()
        third.close()


def test_an_unknown_message_type_is_not_repeated_back_in_full(server) -> None:
    from websockets.sync.client import connect

    with connect(server.url.replace("http", "ws") + "/ws", max_size=None) as ws:
        ws.send(json.dumps({"type": "x" * 100_000}))
        error = json.loads(ws.recv())["data"]
        assert error["code"] == "UNKNOWN_TYPE" and len(error["message"]) < 1000


def test_step_data_that_is_not_an_object_is_refused_not_played(server) -> None:
    """`"data": ""` (or 0, false, []) was read as `{}`: the step played an empty action, ended
    the episode and scored it 0, for a message the client framed wrong. It is refused, and the
    episode goes on."""
    from websockets.sync.client import connect

    with connect(server.url.replace("http", "ws") + "/ws") as ws:
        ws.send(json.dumps({"type": "reset", "data": {"seed": 4}}))
        assert json.loads(ws.recv())["type"] == "observation"
        for data in ("", 0, False, [], "7"):
            ws.send(json.dumps({"type": "step", "data": data}))
            error = json.loads(ws.recv())
            assert error["type"] == "error", error
            assert error["data"]["code"] == "VALIDATION_ERROR"
        ws.send(json.dumps({"type": "state"}))  # no data at all is still fine
        assert json.loads(ws.recv())["data"]["step_count"] == 0
        ws.send(json.dumps({"type": "step", "data": {"content": "x"}}))
        answer = json.loads(ws.recv())
        assert answer["type"] == "observation" and answer["data"]["reward"] == 0.0


def test_at_capacity_the_stateless_routes_say_when_to_retry() -> None:
    """The 503 of a full server lost its Retry-After on the OpenEnv app's HTTP routes (and on
    NeMo Gym's), which gymhub serve's own routes send."""
    from websockets.sync.client import connect

    config = ServerConfig(max_sessions=1)
    with ThreadServer([ENV_ID], config, app=create_openenv_app(ENV_ID, config)) as srv:
        with connect(srv.url.replace("http", "ws") + "/ws") as ws:
            ws.send(json.dumps({"type": "reset", "data": {"seed": 1}}))  # holds the one session
            assert json.loads(ws.recv())["type"] == "observation"
            for path, body in (("/reset", {"seed": 2}), ("/step", {"seed": 2, "action": {}})):
                full = httpx.post(srv.url + path, json=body)
                assert full.status_code == 503, full.text
                assert full.headers["Retry-After"] and full.json()["error"]["type"] == "at_capacity"
    with ThreadServer([ENV_ID], config, protocols=["nemo_gym"]) as srv:
        with httpx.Client(base_url=srv.url) as first:
            assert first.post("/seed_session", json={"seed": 1}).status_code == 200
        full = httpx.post(srv.url + "/seed_session", json={"seed": 2})
        assert full.status_code == 503 and full.headers["Retry-After"]
