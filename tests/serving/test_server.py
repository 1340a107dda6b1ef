"""The HTTP API in-process: routes, structured errors, capacity, deadlines, leases, idempotency."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient

import gymhub
from gymhub.server.app import create_app
from gymhub.server.sessions import ServerConfig, SessionManager
from tests.serving.conftest import ASYNC_ID, SLOW_ID, servable_ids


def _client(ids: list[str], **config) -> TestClient:
    return TestClient(create_app(ids, ServerConfig(**config)))


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


@pytest.fixture()
def client(test_envs):
    with _client(
        [*test_envs, "gymhub/GuessNumber-v0"], step_timeout_s=0.5, allow_reference=True
    ) as c:
        yield c


def _create(client, env_id=SLOW_ID, **body):
    r = client.post("/sessions", json={"env_id": env_id, **body})
    assert r.status_code == 200, r.text
    return r.json()


def test_health_envs_and_openapi(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and SLOW_ID in health["envs"]
    envs = client.get("/envs").json()
    assert {e["id"] for e in envs} == {SLOW_ID, ASYNC_ID, "gymhub/GuessNumber-v0"}
    assert client.get("/envs/GuessNumber-v0").json()["id"] == "gymhub/GuessNumber-v0"
    assert _error(client.get("/envs/gymhub/Nope-v0"))["type"] == "unknown_env"
    spec = client.get("/openapi.json").json()
    assert {"/sessions", "/sessions/{session_id}/step", "/health", "/metrics"} <= set(spec["paths"])


def test_session_lifecycle(client):
    created = _create(client, seed=3)
    sid = created["session_id"]
    assert created["observation"]["messages"][0]["content"] == "seed 3"
    assert created["info"]["turn"] == 0 and created["lease_s"] > 0
    described = client.get(f"/sessions/{sid}").json()
    assert described["session_id"] == sid and described["turn"] == 0
    # no route lists sessions: a session id is a capability
    assert client.get("/sessions").status_code == 405
    step = client.post(f"/sessions/{sid}/step", json={"action": "nope"}).json()
    assert step["reward"] == 0.0 and not step["terminated"] and step["info"]["turn"] == 1
    ref = client.get(f"/sessions/{sid}/reference").json()
    assert ref["action"]["content"] == "done"
    step = client.post(
        f"/sessions/{sid}/step", json={"action": {"role": "assistant", "content": "done"}}
    )
    assert step.json()["reward"] == 1.0 and step.json()["terminated"]
    again = client.post(f"/sessions/{sid}/step", json={"action": "done"})
    assert again.status_code == 409 and _error(again)["type"] == "episode_done"
    reset = client.post(f"/sessions/{sid}/reset", json={"seed": 4}).json()
    assert reset["session_id"] == sid and reset["observation"]["messages"][0]["content"] == "seed 4"
    assert client.post(f"/sessions/{sid}/heartbeat").status_code == 200
    assert client.delete(f"/sessions/{sid}").json() == {"session_id": sid, "closed": True}
    gone = client.delete(f"/sessions/{sid}")
    assert gone.status_code == 404 and _error(gone)["type"] == "unknown_session"
    assert client.app.state.manager.sessions == {}


@pytest.mark.parametrize(
    "method,path,body,status,kind",
    [
        ("post", "/sessions", {"env_id": "gymhub/Nope-v0"}, 404, "unknown_env"),
        ("post", "/sessions", {"env_id": SLOW_ID, "seed": -1}, 422, "invalid_request"),
        ("post", "/sessions", {"env_id": SLOW_ID, "seed": "x"}, 422, "invalid_request"),
        ("post", "/sessions", {"env_id": SLOW_ID, "options": {"bogus": 1}}, 422, "invalid_options"),
        (
            "post",
            "/sessions",
            {"env_id": SLOW_ID, "options": {"difficulty": "hard"}},
            422,
            "invalid_options",
        ),
        ("post", "/sessions", {"env_id": SLOW_ID, "extra": 1}, 422, "invalid_request"),
        ("post", "/sessions", [1, 2], 422, "invalid_request"),
        ("post", "/sessions/nope/step", {"action": "x"}, 404, "unknown_session"),
        ("post", "/sessions/nope/reset", {}, 404, "unknown_session"),
        ("get", "/sessions/nope/reference", None, 404, "unknown_session"),
        ("post", "/sessions/nope/heartbeat", None, 404, "unknown_session"),
        ("get", "/no/such/route", None, 404, "not_found"),
        ("put", "/health", None, 405, "method_not_allowed"),
    ],
)
def test_bad_requests_get_structured_4xx(client, method, path, body, status, kind):
    r = client.request(method, path, json=body)
    assert r.status_code == status, r.text
    assert _error(r)["type"] == kind


def test_bad_actions_are_422(client):
    sid = _create(client)["session_id"]
    # the action's frame is the client's (content the policy wrote wrong is scored instead:
    # tests/serving/test_policy_content.py)
    for action in (5, None, [1], {"role": "user", "content": "x"}, {"content": "x", "nope": 1}):
        r = client.post(f"/sessions/{sid}/step", json={"action": action})
        assert r.status_code == 422, (action, r.text)
    r = client.post(
        f"/sessions/{sid}/step", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and _error(r)["type"] == "invalid_request"
    # the session is still usable after all that
    assert client.post(f"/sessions/{sid}/step", json={"action": "done"}).json()["reward"] == 1.0


def test_payload_too_large_is_413(test_envs):
    with _client(test_envs, max_body_bytes=4096) as c:
        sid = _create(c)["session_id"]
        r = c.post(f"/sessions/{sid}/step", json={"action": "x" * 10_000})
        assert r.status_code == 413 and _error(r)["type"] == "payload_too_large"

        def chunks():
            for _ in range(10):
                yield b"x" * 1000

        r = c.post(
            f"/sessions/{sid}/step", content=chunks(), headers={"content-type": "application/json"}
        )
        assert r.status_code == 413
        assert c.post(f"/sessions/{sid}/step", json={"action": "done"}).status_code == 200


def test_capacity_answers_503_with_retry_after(test_envs):
    with _client(test_envs, max_sessions=2) as c:
        first = _create(c)["session_id"]
        _create(c)
        r = c.post("/sessions", json={"env_id": SLOW_ID})
        assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
        assert _error(r)["type"] == "at_capacity"
        c.delete(f"/sessions/{first}")
        _create(c)  # a freed slot is usable at once
        assert "gymhub_capacity_rejections_total 1" in c.get("/metrics").text


@pytest.mark.parametrize("env_id", [SLOW_ID, ASYNC_ID])
def test_step_past_deadline_is_infra_error_and_closes_session(client, env_id):
    sid = _create(client, env_id)["session_id"]
    r = client.post(f"/sessions/{sid}/step", json={"action": "sleep 3"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["info"]["infra_error"] and body["info"]["verdict"] == "infra_error"
    assert body["truncated"] and body["info"]["session_closed"]
    assert client.post(f"/sessions/{sid}/step", json={"action": "x"}).status_code == 404
    assert "gymhub_step_deadline_exceeded_total 1" in client.get("/metrics").text
    # the server is fine: other sessions work
    other = _create(client, env_id)["session_id"]
    assert client.post(f"/sessions/{other}/step", json={"action": "done"}).json()["reward"] == 1.0


def test_env_exception_is_infra_error_not_5xx(client):
    sid = _create(client)["session_id"]
    r = client.post(f"/sessions/{sid}/step", json={"action": "boom"})
    assert r.status_code == 200 and r.json()["info"]["infra_error"]
    assert "RuntimeError" in r.json()["info"]["error"]


def test_retried_step_with_same_request_id_runs_once(client):
    sid = _create(client)["session_id"]
    body = {"action": "nope", "request_id": "req-1"}
    first = client.post(f"/sessions/{sid}/step", json=body).json()
    second = client.post(f"/sessions/{sid}/step", json=body).json()
    assert first == second and first["info"]["turn"] == 1
    third = client.post(f"/sessions/{sid}/step", json={"action": "nope", "request_id": "req-2"})
    assert third.json()["info"]["turn"] == 2
    created = client.post("/sessions", json={"env_id": SLOW_ID, "request_id": "c-1"}).json()
    again = client.post("/sessions", json={"env_id": SLOW_ID, "request_id": "c-1"}).json()
    assert created["session_id"] == again["session_id"]
    assert "gymhub_idempotent_replays_total 2" in client.get("/metrics").text


def test_a_request_id_is_never_replayed_for_another_call(client):
    sid = _create(client)["session_id"]
    first = client.post(f"/sessions/{sid}/step", json={"action": "done", "request_id": "r1"})
    assert first.json()["reward"] == 1.0
    # the same id with another action is another call: refused, not answered with the first's reward
    other = client.post(f"/sessions/{sid}/step", json={"action": "nope", "request_id": "r1"})
    assert other.status_code == 409 and _error(other)["type"] == "duplicate_request"
    # a reset starts a new episode: the last episode's answers are not replayed in it
    client.post(f"/sessions/{sid}/reset", json={"seed": 1, "request_id": "x"}).raise_for_status()
    step = client.post(f"/sessions/{sid}/step", json={"action": "nope", "request_id": "r1"})
    assert step.status_code == 200 and step.json()["reward"] == 0.0
    # nor is a reset's answer given to a step that reuses its id
    reused = client.post(f"/sessions/{sid}/step", json={"action": "nope", "request_id": "x"})
    assert reused.status_code == 409


def test_reference_is_403_unless_allowed(test_envs):
    with _client(test_envs) as c:
        sid = _create(c)["session_id"]
        r = c.get(f"/sessions/{sid}/reference")
        assert r.status_code == 403 and _error(r)["type"] == "reference_disabled"


def test_metrics_prometheus_text(client):
    sid = _create(client)["session_id"]
    client.post(f"/sessions/{sid}/step", json={"action": "done"})
    text = client.get("/metrics").text
    assert f'gymhub_steps_total{{env="{SLOW_ID}"}} 1' in text
    assert f'gymhub_step_seconds_count{{env="{SLOW_ID}"}} 1' in text
    assert 'le="+Inf"' in text and "# TYPE gymhub_step_seconds histogram" in text
    for line in text.splitlines():
        assert line.startswith("#") or len(line.rsplit(" ", 1)) == 2
    from prometheus_client.parser import text_string_to_metric_families

    kinds = {f.name: f.type for f in text_string_to_metric_families(text)}
    assert kinds["gymhub_steps"] == "counter" and kinds["gymhub_sessions_active"] == "gauge"
    assert kinds["gymhub_reset_seconds"] == "histogram"


def test_websocket_transport_and_disconnect_closes_sessions(test_envs):
    with _client(test_envs, disconnect_grace_s=0.2, idle_timeout_s=60) as client:
        _websocket_transport_and_disconnect(client)


def _websocket_transport_and_disconnect(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"id": 1, "op": "create", "env_id": SLOW_ID, "seed": 7}))
        created = ws.receive_json()
        assert created["ok"] and created["id"] == 1
        sid = created["result"]["session_id"]
        ws.send_text(json.dumps({"id": 2, "op": "step", "session_id": sid, "action": "done"}))
        assert ws.receive_json()["result"]["reward"] == 1.0
        ws.send_text(json.dumps({"id": 3, "op": "step", "session_id": sid, "action": "done"}))
        assert ws.receive_json()["error"]["type"] == "episode_done"
        for junk in (
            "{",
            "[]",
            json.dumps({"op": "fly"}),
            json.dumps({"op": "step", "session_id": 1}),
        ):
            ws.send_text(junk)
            answer = ws.receive_json()
            assert not answer["ok"] and 400 <= answer["error"]["status"] < 500
        ws.send_text(json.dumps({"id": 4, "op": "create", "env_id": SLOW_ID}))
        assert ws.receive_json()["ok"]
        assert client.get("/health").json()["sessions"] == 2
    # the socket is gone: its sessions are closed once the disconnect grace period is over
    for _ in range(100):
        if not client.app.state.manager.sessions:
            break
        asyncio.run(asyncio.sleep(0.05))
    assert client.app.state.manager.sessions == {}


def test_websocket_step_validates_like_http(client):
    """The WebSocket step fast path (no pydantic model) accepts and rejects what HTTP does."""
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"id": 1, "op": "create", "env_id": SLOW_ID}))
        sid = ws.receive_json()["result"]["session_id"]
        for bad in (
            {"action": "x", "request_id": ""},
            {"action": "x", "request_id": "r" * 129},
            {"action": "x", "request_id": 5},
            {"action": "x", "extra": 1},
            {"action": 3},
            {},
        ):
            ws.send_text(json.dumps({"id": 2, "op": "step", "session_id": sid, **bad}))
            answer = ws.receive_json()
            assert not answer["ok"] and answer["error"]["status"] == 422, (bad, answer)
        step = {"id": 3, "op": "step", "session_id": sid, "action": "done", "request_id": "r1"}
        ws.send_text(json.dumps(step))
        first = ws.receive_json()
        assert first["ok"] and first["result"]["reward"] == 1.0
        ws.send_text(json.dumps(step))  # a retry with the same request id: answered from cache
        assert ws.receive_json()["result"] == first["result"]
        assert "gymhub_idempotent_replays_total 1" in client.get("/metrics").text


async def test_reaper_closes_idle_sessions_with_a_fake_clock(test_envs):
    now = [1000.0]
    manager = SessionManager([SLOW_ID], ServerConfig(idle_timeout_s=10), clock=lambda: now[0])
    await manager.start()
    try:
        a = (await manager.create(SLOW_ID))["session_id"]
        now[0] += 6
        b = (await manager.create(SLOW_ID))["session_id"]
        now[0] += 5  # a is idle for 11 s, b for 5 s
        assert await manager.reap_once() == 1
        assert set(manager.sessions) == {b}
        with pytest.raises(Exception, match="unknown session"):
            await manager.step(a, "x")
        assert manager.metrics.value("gymhub_sessions_closed_total", reason="idle") == 1
    finally:
        await manager.stop()
    assert manager.sessions == {}


def test_bad_input_for_every_family():
    """422/409/404 through each env's own errors, for every registered env that runs here."""
    ids = servable_ids()
    with _client(ids) as c:
        for env_id in ids:
            r = c.post("/sessions", json={"env_id": env_id, "options": {"no_such_option_xyz": 1}})
            assert r.status_code == 422, (env_id, r.text)
            r = c.post("/sessions", json={"env_id": env_id, "options": {"difficulty": "x"}})
            assert r.status_code == 422, (env_id, r.text)
            sid = _create(c, env_id, seed=0)["session_id"]
            assert c.post(f"/sessions/{sid}/step", json={"action": 12345}).status_code == 422
            for _ in range(300):
                step = c.post(f"/sessions/{sid}/step", json={"action": "I do not know"})
                assert step.status_code == 200, (env_id, step.text)
                if step.json()["terminated"] or step.json()["truncated"]:
                    break
            r = c.post(f"/sessions/{sid}/step", json={"action": "again"})
            assert r.status_code == 409, (env_id, r.text)
            c.delete(f"/sessions/{sid}")
        assert gymhub.spec(ids[0])


def test_absurdly_nested_json_is_422_on_http_and_websocket(client):
    """json.loads gives up on very deep nesting with a RecursionError: still bad input, a 422."""
    deep = "[" * 100_000 + "]" * 100_000
    sid = _create(client)["session_id"]
    for path in ("/sessions", f"/sessions/{sid}/step", f"/sessions/{sid}/reset"):
        response = client.post(path, content=deep, headers={"content-type": "application/json"})
        assert response.status_code == 422, (path, response.text[:200])
        assert _error(response)["type"] == "invalid_request"
    with client.websocket_connect("/ws") as ws:
        for junk in (deep, '{"op": "step", "session_id": "x", "action": ' + deep + "}"):
            ws.send_text(junk)
            answer = ws.receive_json()
            assert answer["error"]["status"] == 422, answer
            assert answer["error"]["type"] == "invalid_request"
        ws.send_text(json.dumps({"id": 9, "op": "step", "session_id": sid, "action": "done"}))
        assert ws.receive_json()["ok"]  # the socket still works


def test_seeds_and_difficulties_are_checked_as_strictly_as_a_local_env(test_envs):
    """A local env refuses a bool or string seed and a non-finite difficulty: so does the server
    (pydantic's lax mode would have turned "1" and true into 1)."""
    client = _client(["gymhub/GuessNumber-v0", "gymhub/MathGen-v0"])
    for seed in ("1", True, 1.0):
        response = client.post("/sessions", json={"env_id": "gymhub/GuessNumber-v0", "seed": seed})
        assert response.status_code == 422, (seed, response.text)
    for raw in ("NaN", "Infinity", "-Infinity", "1e999", "1000"):
        response = client.post(
            "/sessions",
            content='{"env_id": "gymhub/MathGen-v0", "options": {"difficulty": ' + raw + "}}",
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422, (raw, response.text)
        assert _error(response)["type"] == "invalid_options"
    with client.websocket_connect("/ws") as ws:
        ws.send_text(
            json.dumps({"id": 1, "op": "create", "env_id": "gymhub/GuessNumber-v0", "seed": "1"})
        )
        assert ws.receive_json()["error"]["status"] == 422


def test_a_retried_step_whose_action_holds_nan_is_replayed():
    """NaN != NaN: a retried step with NaN in its tool arguments was refused (409) as another
    call after a dropped connection; it is the same call and gets the first answer."""
    import asyncio

    from gymhub.server.errors import ServerError
    from gymhub.server.sessions import ServerConfig, SessionManager

    def action(x):
        call = {"id": "c", "name": "convert", "arguments": {"value": x, "unit": "m"}}
        return {"content": "", "tool_calls": [call]}

    async def play():
        manager = SessionManager(["gymhub/UnitConvert-v0"], ServerConfig())
        sid = (await manager.create("gymhub/UnitConvert-v0", seed=0))["session_id"]
        first = await manager.step(sid, action(float("nan")), request_id="nan-1")
        again = await manager.step(sid, action(float("nan")), request_id="nan-1")
        assert first == again and first["info"]["turn"] == 1
        with pytest.raises(ServerError, match="different step"):
            await manager.step(sid, action(1.5), request_id="nan-1")
        await manager.close(sid)

    asyncio.run(play())


def test_a_reset_without_a_body_resets_without_seed_or_options(client):
    sid = _create(client)["session_id"]
    empty = client.post(f"/sessions/{sid}/reset")
    assert empty.status_code == 200, empty.text
    assert empty.json()["observation"]["messages"]
    bad = client.post(f"/sessions/{sid}/reset", json={"seed": "1"})
    assert bad.status_code == 422


class _SlowReferenceEnv(gymhub.Env):
    """An env whose reference action takes long ('slow' tasks) or raises ('broken' ones), and
    that records whether a step ever ran while its reference_action did."""

    overlaps = 0

    def _reset(self, options):
        from gymhub.types import Message, Observation, Task

        self.task = Task(id=f"ref-{self.episode_seed}", answer="done")
        self._busy = False
        return Observation(messages=[Message(role="user", content="say done")])

    def reference_action(self):
        import time

        from gymhub.types import Action

        if self.episode_seed == 2:
            raise ValueError("no solver for this task")
        self._busy = True
        time.sleep(1.0)
        self._busy = False
        return Action(content="done")

    def _step(self, action):
        from gymhub.env import StepResult
        from gymhub.types import Observation, Verdict

        if self._busy:
            type(self).overlaps += 1
        return StepResult(Observation(), 1.0, True, Verdict.correct())


def test_a_reference_past_the_deadline_closes_the_session_and_an_env_bug_is_500():
    """reference_action ran past the deadline: the client got a 500 and the session lived on,
    its next step running on the env while reference_action still did in its thread. It is
    the 504 of a step's deadline now (the session closed); a reference_action that raises is
    the env's 500, never a 422 `invalid_action` blaming a request that has no body."""
    import time

    from gymhub import registry

    env_id = "gymhubtest/SlowReference-v0"
    registry.register(env_id, _SlowReferenceEnv, family="test")
    try:
        with _client([env_id], step_timeout_s=0.3, allow_reference=True) as c:
            sid = _create(c, env_id, seed=1)["session_id"]
            late = c.get(f"/sessions/{sid}/reference")
            assert late.status_code == 504 and _error(late)["type"] == "deadline_exceeded"
            step = c.post(f"/sessions/{sid}/step", json={"action": "done"})
            assert step.status_code == 404 and _error(step)["type"] == "unknown_session"
            time.sleep(1.0)  # the stuck call returns; nothing stepped its env meanwhile
            assert _SlowReferenceEnv.overlaps == 0
            sid = _create(c, env_id, seed=2)["session_id"]
            broken = c.get(f"/sessions/{sid}/reference")
            assert broken.status_code == 500 and _error(broken)["type"] == "env_error"
            assert "no solver" in _error(broken)["message"]
    finally:
        registry._REGISTRY.pop(env_id, None)
        import gymnasium

        gymnasium.registry.pop(env_id, None)


def test_a_create_retried_while_running_with_nan_in_its_options_waits_for_it():
    """A create retried (same request id) while the first still ran was compared with `!=`:
    options holding NaN (a pinned task's metadata) never equal themselves, so the retry got a
    409 `duplicate_request` instead of the first create's session."""
    import time

    from gymhub import registry
    from gymhub.types import Message, Observation

    class _SlowReset(gymhub.Env):
        def _reset(self, options):
            time.sleep(0.3)
            self.task = options.get("task") or self.task
            return Observation(messages=[Message(role="user", content="q")])

        def _step(self, action):
            raise AssertionError("not stepped")

    env_id = "gymhubtest/SlowReset-v0"
    registry.register(env_id, _SlowReset, family="test")

    def task() -> dict:  # a NaN object of its own per request, as JSON parsing makes them
        return {"id": "t", "answer": "a", "metadata": {"x": float("nan")}}

    async def play():
        manager = SessionManager([env_id], ServerConfig())
        first, again = await asyncio.gather(
            manager.create(env_id, seed=1, options={"task": task()}, request_id="c-nan"),
            manager.create(env_id, seed=1, options={"task": task()}, request_id="c-nan"),
        )
        assert first["session_id"] == again["session_id"] and len(manager.sessions) == 1
        await manager.stop()

    try:
        asyncio.run(play())
    finally:
        registry._REGISTRY.pop(env_id, None)
        import gymnasium

        gymnasium.registry.pop(env_id, None)
