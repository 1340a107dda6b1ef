"""An action's content and tool calls are the policy's output: whatever is wrong in them is
scored as the policy's (a malformed call the env answers, an unreadable content `unparseable`),
never a 422 nor `infra_error`, over HTTP and over the WebSocket transport; only the action's
frame (its role, unknown fields) is the client's 422."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from gymhub.server.background import ThreadServer

ARITH, TOOLS = "gymhub/ToyArith-v0", "gymhub/UnitConvert-v0"


@pytest.fixture(scope="module")
def server() -> ThreadServer:
    with ThreadServer([ARITH, TOOLS]) as srv:
        yield srv


def _step(server: ThreadServer, env_id: str, action: Any) -> httpx.Response:
    created = httpx.post(f"{server.url}/sessions", json={"env_id": env_id, "seed": 3}).json()
    body = json.dumps({"action": action})  # ASCII: a lone surrogate goes as its escape
    return httpx.post(
        f"{server.url}/sessions/{created['session_id']}/step",
        content=body,
        headers={"content-type": "application/json"},
    )


@pytest.mark.parametrize("content", [42, True, {"text": "4"}, [1], [{"type": "bogus"}]])
def test_unreadable_content_is_the_policys_unparseable_step(server, content: Any) -> None:
    answer = _step(server, ARITH, {"content": content})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["info"]["verdict"] == "unparseable" and result["info"]["invalid_action"]
    assert not result["info"]["infra_error"] and result["reward"] == 0.0
    assert result["terminated"] is True
    assert "Invalid action" in result["observation"]["messages"][0]["content"]


def test_the_episode_ends_with_the_malformed_action(server: ThreadServer) -> None:
    created = httpx.post(f"{server.url}/sessions", json={"env_id": TOOLS, "seed": 3}).json()
    url = f"{server.url}/sessions/{created['session_id']}/step"
    assert httpx.post(url, json={"action": {"content": 7}}).json()["terminated"] is True
    again = httpx.post(url, json={"action": "1 km"})
    assert again.status_code == 409 and again.json()["error"]["type"] == "episode_done"


@pytest.mark.parametrize(
    "calls",
    [
        "convert",
        {"name": "convert", "arguments": {"value": 1}},
        [{"id": "1", "name": 5, "arguments": {}}],
        [{"id": "1", "name": "convert", "arguments": [1, 2]}],
        [{"id": 7, "name": "convert", "arguments": 3}],
        [17],
    ],
)
def test_malformed_tool_calls_are_answered_by_the_env(server, calls: Any) -> None:
    answer = _step(server, TOOLS, {"content": None, "tool_calls": calls})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert not result["info"]["infra_error"] and result["reward"] == 0.0
    assert result["observation"]["messages"][0]["role"] == "tool"
    assert "Error" in result["observation"]["messages"][0]["content"]


def test_nan_and_lone_surrogates_in_policy_text_are_scored(server: ThreadServer) -> None:
    text = _step(server, ARITH, "\ud800 4 \udfff")
    assert text.status_code == 200 and text.json()["info"]["verdict"] in ("incorrect", "correct")
    nan = '{"action": {"content": "", "tool_calls": [{"id": "1", "name": "convert", "arguments": {"value": NaN}}]}}'
    created = httpx.post(f"{server.url}/sessions", json={"env_id": TOOLS, "seed": 3}).json()
    answer = httpx.post(
        f"{server.url}/sessions/{created['session_id']}/step",
        content=nan,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert not answer.json()["info"]["infra_error"]


@pytest.mark.parametrize("action", [{"role": "user", "content": "4"}, {"content": "4", "x": 1}])
def test_a_wrong_frame_is_still_the_clients_422(server, action: Any) -> None:
    answer = _step(server, ARITH, action)
    assert answer.status_code == 422 and answer.json()["error"]["type"] == "invalid_action"
    assert "\n" not in answer.json()["error"]["message"]


def test_the_websocket_transport_scores_it_too(server: ThreadServer) -> None:
    from websockets.asyncio.client import connect

    async def play() -> list[dict[str, Any]]:
        answers = []
        async with connect(server.url.replace("http", "ws") + "/ws") as ws:
            for i, action in enumerate(
                [{"content": {"x": 1}}, {"content": "", "tool_calls": "convert"}]
            ):
                env_id = ARITH if i == 0 else TOOLS
                await ws.send(json.dumps({"op": "create", "id": 0, "env_id": env_id, "seed": 3}))
                sid = json.loads(await ws.recv())["result"]["session_id"]
                await ws.send(json.dumps({"op": "step", "id": 1, "session_id": sid, "action": action}))  # fmt: skip
                answers.append(json.loads(await ws.recv()))
        return answers

    malformed, call = asyncio.run(play())
    assert malformed["ok"] and malformed["result"]["info"]["verdict"] == "unparseable"
    assert call["ok"] and not call["result"]["info"]["infra_error"]
    assert call["result"]["observation"]["messages"][0]["role"] == "tool"


@pytest.mark.parametrize("transport", ["http", "ws"])
def test_remote_env_async_steps_send_what_a_policy_wrote(server, transport: str) -> None:
    """A lone surrogate in the policy's text made RemoteEnv.astep over HTTP raise
    UnicodeEncodeError in the client (no JSON encoder of httpx writes one), so the rollout was
    recorded as the hub's failure; astep now reads the action as Env.step does (U+FFFD)."""
    import gymhub
    from gymhub.types import Action, ToolCall

    deep: Any = 1
    for _ in range(3000):
        deep = [deep]
    calls = [ToolCall(id="1", name="convert", arguments={"value": deep})]

    async def play() -> list[dict[str, Any]]:
        infos = []
        for env_id, action in ((ARITH, "\ud800 4 \udfff"), (TOOLS, Action(tool_calls=calls))):
            env = gymhub.RemoteEnv(server.url, env_id, transport=transport)
            try:
                await env.areset(seed=3)
                infos.append((await env.astep(action))[4])
            finally:
                env.close()
        return infos

    for info in asyncio.run(play()):
        assert info["verdict"] != "infra_error" and not info["infra_error"], info


def test_an_env_raising_value_error_on_a_valid_action_is_the_hubs_failure(test_envs) -> None:
    """The server answered 422 `invalid_action` when an env raised ValueError or TypeError on
    a valid action (a string), blaming the request (and so the policy's text) for an env bug;
    it is `infra_error` now, with the session closed, as for any other exception."""
    import gymnasium

    from gymhub import registry
    from tests.serving.conftest import SlowEnv

    class ValueErrorEnv(SlowEnv):
        def _step(self, action: Any) -> Any:
            if action.text == "value":
                raise ValueError("env bug")
            if action.text == "type":
                raise TypeError("env bug")
            return super()._step(action)

    env_id = "gymhubtest/StepValueError-v0"
    registry.register(env_id, ValueErrorEnv, family="test")
    try:
        with ThreadServer([env_id]) as srv:
            for text in ("value", "type"):
                created = httpx.post(f"{srv.url}/sessions", json={"env_id": env_id}).json()
                url = f"{srv.url}/sessions/{created['session_id']}/step"
                answer = httpx.post(url, json={"action": text})
                assert answer.status_code == 200, answer.text
                info = answer.json()["info"]
                assert info["infra_error"] and info["session_closed"] and "env bug" in info["error"]
            assert srv.manager.sessions == {}
    finally:
        registry._REGISTRY.pop(env_id, None)
        gymnasium.registry.pop(env_id, None)


@pytest.mark.parametrize("depth", [50, 300, 900])
def test_a_request_id_reused_for_a_deeply_nested_call_is_the_409(server, depth: int) -> None:
    """Comparing a retry with the first call dumped the Action with pydantic, which raised
    ValueError for tool arguments nested a few hundred levels: the reused id got a 422
    `invalid_action` (blaming the action) instead of the 409 `duplicate_request`; the same call
    retried is still answered from cache."""
    created = httpx.post(f"{server.url}/sessions", json={"env_id": TOOLS, "seed": 3}).json()
    url = f"{server.url}/sessions/{created['session_id']}/step"

    def body(value: str) -> bytes:
        nested = "[" * depth + value + "]" * depth
        call = '{"name": "convert", "arguments": {"value": ' + nested + "}}"
        action = '{"content": "", "tool_calls": [' + call + "]}"
        return ('{"request_id": "r1", "action": ' + action + "}").encode()

    headers = {"content-type": "application/json"}
    first = httpx.post(url, content=body("1"), headers=headers)
    assert first.status_code == 200, first.text[:300]
    again = httpx.post(url, content=body("1"), headers=headers)
    assert again.status_code == 200 and again.json() == first.json()
    other = httpx.post(url, content=body("2"), headers=headers)
    assert other.status_code == 409, other.text[:300]
    assert other.json()["error"]["type"] == "duplicate_request"


@pytest.mark.parametrize("transport", ["http", "ws"])
def test_non_finite_tool_arguments_reach_a_remote_env_as_a_local_one(server, transport) -> None:
    """A policy's tool call `{"value": NaN}` reached the server as `{"value": null}` (pydantic
    writes non-finite floats so): the remote tool answered an error where the local env's
    computes NaN, a different observation for the same action. They travel as JSON text now."""
    import gymhub
    from gymhub.types import Action, ToolCall

    def observation(env: Any, value: float) -> str:
        call = ToolCall(
            id="1", name="convert", arguments={"value": value, "from_unit": "km", "to_unit": "m"}
        )
        env.reset(seed=3)
        return env.step(Action(tool_calls=[call]))[0].messages[0].text

    local = gymhub.make(TOOLS)
    remote = gymhub.RemoteEnv(server.url, TOOLS, transport=transport)
    try:
        for value in (float("nan"), float("inf"), -float("inf"), 2.5):
            if transport == "ws":  # the socket transport is the async path

                async def step(v: float = value) -> str:
                    call = ToolCall(id="1", name="convert",
                                    arguments={"value": v, "from_unit": "km", "to_unit": "m"})  # fmt: skip
                    await remote.areset(seed=3)
                    return (await remote.astep(Action(tool_calls=[call])))[0].messages[0].text

                got = asyncio.run(step())
            else:
                got = observation(remote, value)
            assert got == observation(local, value), (value, got)
    finally:
        remote.close()
        local.close()


def test_an_action_of_many_tool_calls_is_read_off_the_event_loop(monkeypatch) -> None:
    """A 4 MB step of ~300,000 tool calls was validated as an Action by the request model, on
    the event loop, in one call that held the GIL: every session of the server stalled for
    seconds. The body's action stays a dict; a large one is read in a worker thread, one item
    at a time, and plays as the local env plays it."""
    import threading

    import gymhub
    from gymhub.server import actions, models, sessions
    from gymhub.server.sessions import ServerConfig, SessionManager
    from gymhub.types import Action, ToolCall

    calls = [
        {"id": f"c{i}", "name": "convert", "arguments": {"value": i, "from_unit": "km", "to_unit": "m"}}
        for i in range(actions.LARGE_PARTS + 8)
    ]  # fmt: skip
    body = models.StepSession.model_validate({"action": {"content": "", "tool_calls": calls}})
    assert isinstance(body.action, dict)  # not an Action built on the event loop
    assert actions.is_large(body.action) and not actions.is_large({"tool_calls": calls[:2]})

    readers: list[str] = []

    def spy(data: Any) -> Any:
        readers.append(threading.current_thread().name)
        return actions.read_action(data)

    monkeypatch.setattr(sessions, "read_action", spy)

    async def play() -> dict[str, Any]:
        manager = SessionManager([TOOLS], ServerConfig())
        sid = (await manager.create(TOOLS, seed=3))["session_id"]
        try:
            return await manager.step(sid, body.action)
        finally:
            await manager.stop()

    remote = asyncio.run(play())
    assert readers and readers[0] != threading.main_thread().name
    local = gymhub.make(TOOLS)
    local.reset(seed=3)
    observation, reward, *_ = local.step(
        Action(tool_calls=[ToolCall.model_validate(c) for c in calls])
    )
    assert [m["content"] for m in remote["observation"]["messages"]] == [
        m.text for m in observation.messages
    ]
    assert remote["reward"] == reward
    local.close()
    parts = [{"type": "text", "text": "4"}] * actions.LARGE_PARTS + [{"type": "bogus"}]
    with pytest.raises(actions.MalformedAction, match=r"content\.32"):
        actions.read_action({"content": parts})
