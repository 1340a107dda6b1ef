"""A server that can be shared: bearer tokens, session ids as capabilities, exactly-once retries
over real sockets, 503 for every exhausted resource, slow-header clients cut off, and step
deadlines consistent with what an env may spend on the policy's behalf."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import gymnasium
import httpx
import pytest
from websockets.asyncio.client import connect

from gymhub import registry
from gymhub.env import StepResult
from gymhub.remote.env import RemoteEnv, UnauthorizedError
from gymhub.sandboxes.types import SandboxError
from gymhub.server.auth import check_bind, is_loopback, resolve_token
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig, step_deadline_s
from gymhub.types import Action, Observation, Verdict
from tests.serving.conftest import SLOW_ID, SlowEnv

TOKEN = "test-token-0123456789abcdef"
COUNTED_ID = "gymhubtest/Counted-v0"
BUDGETED_ID = "gymhubtest/Budgeted-v0"
NO_SANDBOX_ID = "gymhubtest/NoSandbox-v0"
NO_BROWSER_ID = "gymhubtest/NoBrowser-v0"


class CountedEnv(SlowEnv):
    """SlowEnv that counts constructions, steps, and steps running at the same time."""

    made = 0
    steps = 0
    active = 0
    most_active = 0
    lock = threading.Lock()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with CountedEnv.lock:
            CountedEnv.made += 1

    def _reset(self, options: dict[str, Any]) -> Observation:
        if options.get("difficulty") == 2:
            time.sleep(0.5)  # a slow reset, so that a retried create overlaps the first
        return super()._reset({})

    def _step(self, action: Action) -> StepResult:
        with CountedEnv.lock:
            CountedEnv.steps += 1
            CountedEnv.active += 1
            CountedEnv.most_active = max(CountedEnv.most_active, CountedEnv.active)
        try:
            return super()._step(action)
        finally:
            with CountedEnv.lock:
                CountedEnv.active -= 1


class BudgetedEnv(SlowEnv):
    """Declares that one step may take up to 1 s of the policy's own (tool) time."""

    step_budget_s = 1.0

    def _step(self, action: Action) -> StepResult:
        if action.text.startswith("tool "):  # stands for tool calls running within their limit
            time.sleep(float(action.text.split()[1]))
            return StepResult(Observation(), 0.0, True, Verdict.incorrect())
        return super()._step(action)


class NoSandboxEnv(SlowEnv):
    def __init__(self, **kwargs: Any) -> None:
        raise SandboxError("the Docker engine is not reachable")


class BrowserBusy(Exception):
    exhausted_resource = "browser contexts"


class NoBrowserEnv(SlowEnv):
    def _reset(self, options: dict[str, Any]) -> Observation:
        raise BrowserBusy("all 1 browser contexts are in use")


@pytest.fixture(scope="module")
def envs(test_envs) -> Iterator[list[str]]:
    added = {
        COUNTED_ID: CountedEnv,
        BUDGETED_ID: BudgetedEnv,
        NO_SANDBOX_ID: NoSandboxEnv,
        NO_BROWSER_ID: NoBrowserEnv,
    }
    for env_id, cls in added.items():
        registry.register(env_id, cls, family="test")
    yield [*test_envs, *added]
    for env_id in added:
        registry._REGISTRY.pop(env_id, None)
        gymnasium.registry.pop(env_id, None)


@pytest.fixture()
def counted() -> type[CountedEnv]:
    CountedEnv.made = CountedEnv.steps = CountedEnv.active = CountedEnv.most_active = 0
    return CountedEnv


def _bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ----- authentication ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def token_server(envs):
    with ThreadServer(envs, ServerConfig(token=TOKEN, allow_reference=True)) as srv:
        yield srv


def test_every_route_but_health_needs_the_token(token_server):
    url = token_server.url
    assert httpx.get(f"{url}/health").status_code == 200
    sid = None
    for method, path in [
        ("GET", "/envs"),
        ("GET", "/metrics"),
        ("GET", "/openapi.json"),
        ("POST", "/sessions"),
        ("POST", "/sessions/x/step"),
        ("DELETE", "/sessions/x"),
    ]:
        for headers in ({}, _bearer("wrong-token-0123456789"), {"Authorization": TOKEN}):
            r = httpx.request(method, f"{url}{path}", headers=headers, json={"env_id": SLOW_ID})
            assert r.status_code == 401, (method, path, headers)
            assert r.json()["error"]["type"] == "unauthorized"
            assert r.headers["www-authenticate"] == "Bearer"
    r = httpx.post(f"{url}/sessions", json={"env_id": SLOW_ID}, headers=_bearer())
    assert r.status_code == 200
    sid = r.json()["session_id"]
    assert httpx.get(f"{url}/sessions/{sid}", headers=_bearer()).status_code == 200
    assert httpx.get(f"{url}/sessions/{sid}").status_code == 401
    httpx.delete(f"{url}/sessions/{sid}", headers=_bearer())


def test_the_token_is_checked_before_the_body_is_read(token_server):
    """An unauthenticated client cannot make the server read (or buffer) a large body."""
    with socket.create_connection(("127.0.0.1", int(token_server.url.rsplit(":", 1)[1]))) as s:
        s.sendall(
            b"POST /sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000000\r\n\r\n{"
        )
        s.settimeout(5)
        assert s.recv(100).startswith(b"HTTP/1.1 401")


async def test_websocket_needs_the_token(token_server):
    ws_url = token_server.url.replace("http", "ws") + "/ws"
    for headers in (None, _bearer("wrong-token-0123456789")):
        with pytest.raises(Exception) as refused:
            async with connect(ws_url, additional_headers=headers):
                pass
        assert "403" in str(refused.value)
    async with connect(ws_url, additional_headers=_bearer()) as ws:
        await ws.send(json.dumps({"id": 1, "op": "create", "env_id": SLOW_ID}))
        assert json.loads(await ws.recv())["ok"]


async def test_remote_env_sends_its_token_over_http_and_ws(token_server, monkeypatch):
    monkeypatch.delenv("GYMHUB_TOKEN", raising=False)
    with pytest.raises(UnauthorizedError):
        RemoteEnv(token_server.url, SLOW_ID)
    for transport in ("http", "ws"):
        env = RemoteEnv(token_server.url, SLOW_ID, token=TOKEN, transport=transport)
        await env.areset(seed=1)
        *_, info = await env.astep("nope")
        assert info["turn"] == 1 and env.reference_action() is not None
        env.close()
    monkeypatch.setenv("GYMHUB_TOKEN", TOKEN)  # the variable serves as the default token
    env = RemoteEnv(token_server.url, SLOW_ID)
    env.reset(seed=2)
    assert env.step("done")[1] == 1.0
    env.close()


def test_token_sources_and_bind_rule(tmp_path, monkeypatch):
    monkeypatch.delenv("GYMHUB_TOKEN", raising=False)
    assert resolve_token() is None
    monkeypatch.setenv("GYMHUB_TOKEN", TOKEN)
    assert resolve_token() == TOKEN
    path = tmp_path / "token"
    path.write_text(f"{TOKEN}-file\n")
    assert resolve_token(token_file=path) == f"{TOKEN}-file"
    for bad in ("short", "has a space in it 0123456789"):
        with pytest.raises(ValueError, match="at least 16"):
            resolve_token(bad)
    with pytest.raises(ValueError, match="cannot read"):
        resolve_token(token_file=tmp_path / "missing")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    check_bind("127.0.0.1", None, False)
    check_bind("0.0.0.0", TOKEN, False)
    check_bind("0.0.0.0", None, True)
    with pytest.raises(ValueError, match="without a token"):
        check_bind("0.0.0.0", None, False)


def test_server_refuses_a_public_bind_without_a_token():
    """Checked before anything binds: the process exits with the reason."""
    env = {k: v for k, v in os.environ.items() if k != "GYMHUB_TOKEN"}
    cli = [sys.executable, "-c", "from gymhub.cli import main; main()", "serve"]
    for cmd in (
        [sys.executable, "-m", "gymhub.server", "gymhub/Capitals-v0", "--host", "0.0.0.0"],
        [*cli, "gymhub/Capitals-v0", "--host", "0.0.0.0"],
    ):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode != 0 and "without a token" in done.stderr, done.stderr


# ----- session ids are capabilities ---------------------------------------------------------------
def test_no_route_lists_sessions_and_ids_are_unguessable(token_server):
    url = token_server.url
    ids = [
        httpx.post(f"{url}/sessions", json={"env_id": SLOW_ID}, headers=_bearer()).json()[
            "session_id"
        ]
        for _ in range(3)
    ]
    assert len(set(ids)) == 3 and all(len(i) >= 32 for i in ids)
    assert httpx.get(f"{url}/sessions", headers=_bearer()).status_code == 405
    assert ids[0] not in httpx.get(f"{url}/health").text
    assert ids[0] not in httpx.get(f"{url}/metrics", headers=_bearer()).text
    for i in ids:
        httpx.delete(f"{url}/sessions/{i}", headers=_bearer())


# ----- exactly-once retries -------------------------------------------------------------------
async def test_create_retried_while_the_first_runs_returns_the_same_session(envs, counted):
    with ThreadServer(envs) as srv:
        body = {"env_id": COUNTED_ID, "options": {"difficulty": 2}, "request_id": "create-1"}
        async with httpx.AsyncClient(base_url=srv.url, timeout=30) as client:
            first, second = await asyncio.gather(
                client.post("/sessions", json=body), client.post("/sessions", json=body)
            )
        assert first.status_code == second.status_code == 200
        assert first.json()["session_id"] == second.json()["session_id"]
        assert counted.made == 1 and len(srv.manager.sessions) == 1


async def test_a_create_request_id_reused_for_another_create_is_409_never_its_session(
    envs, counted
):
    """Same id, another seed or env: running or finished, the first create's session (another
    task) is never the answer."""
    with ThreadServer(envs) as srv:
        slow = {"env_id": COUNTED_ID, "options": {"difficulty": 2}, "request_id": "create-2"}
        async with httpx.AsyncClient(base_url=srv.url, timeout=30) as client:
            running = asyncio.ensure_future(client.post("/sessions", json=slow))
            await asyncio.sleep(0.2)  # the first create is building its env (0.5 s)
            other_seed = await client.post("/sessions", json={**slow, "seed": 7})
            first = await running
            assert first.status_code == 200
            assert other_seed.status_code == 409, other_seed.text
            for reused in ({**slow, "seed": 7}, {**slow, "env_id": SLOW_ID}):
                r = await client.post("/sessions", json=reused)
                assert r.status_code == 409, r.text
                assert r.json()["error"]["type"] == "duplicate_request"
            again = await client.post("/sessions", json=slow)
            assert again.json()["session_id"] == first.json()["session_id"]
        assert counted.made == 1 and len(srv.manager.sessions) == 1


async def _step_on_a_dropped_socket(ws_url: str, sid: str, action: str, request_id: str) -> None:
    ws = await connect(ws_url)
    await ws.send(
        json.dumps(
            {"id": 1, "op": "step", "session_id": sid, "action": action, "request_id": request_id}
        )
    )
    await asyncio.sleep(0.1)  # the step is running on the server
    ws.transport.abort()  # the connection drops mid-call, without a closing handshake


async def test_step_retried_on_a_new_socket_is_answered_from_cache_and_calls_stay_serialised(
    envs, counted
):
    with ThreadServer(envs) as srv:
        sid = httpx.post(f"{srv.url}/sessions", json={"env_id": COUNTED_ID}).json()["session_id"]
        ws_url = srv.url.replace("http", "ws") + "/ws"
        await _step_on_a_dropped_socket(ws_url, sid, "sleep 0.6", "step-1")
        async with connect(ws_url) as ws:
            # another call on the same session arrives while the dropped one still runs ...
            msg = {"op": "step", "session_id": sid, "action": "nope", "request_id": "step-2"}
            await ws.send(json.dumps({"id": 2, **msg}))
            # ... and the lost call is retried with its request id on the new socket
            retry = {"op": "step", "session_id": sid, "action": "sleep 0.6"}
            await ws.send(json.dumps({"id": 3, **retry, "request_id": "step-1"}))
            answers = {}
            for _ in range(2):
                answer = json.loads(await ws.recv())
                answers[answer["id"]] = answer
        assert answers[2]["ok"] and answers[2]["result"]["info"]["turn"] == 2
        # the retry is answered from cache although another call came in between
        assert answers[3]["ok"] and answers[3]["result"]["info"]["turn"] == 1
        assert counted.steps == 2 and counted.most_active == 1
        assert srv.manager.metrics.value("gymhub_idempotent_replays_total") == 1


def test_http_step_retried_after_a_client_timeout_runs_once(envs, counted):
    with ThreadServer(envs) as srv:
        sid = httpx.post(f"{srv.url}/sessions", json={"env_id": COUNTED_ID}).json()["session_id"]
        body = {"action": "sleep 0.5", "request_id": "http-step-1"}
        with pytest.raises(httpx.ReadTimeout):  # the client gives up; the step goes on
            httpx.post(f"{srv.url}/sessions/{sid}/step", json=body, timeout=0.1)
        retry = httpx.post(f"{srv.url}/sessions/{sid}/step", json=body, timeout=10).json()
        assert retry["info"]["turn"] == 1 and counted.steps == 1


async def test_sessions_made_on_a_socket_survive_a_drop_for_the_grace_period(envs):
    config = ServerConfig(disconnect_grace_s=0.5, idle_timeout_s=60)
    with ThreadServer(envs, config) as srv:
        ws_url = srv.url.replace("http", "ws") + "/ws"
        async with connect(ws_url) as ws:
            create = {"id": 1, "op": "create", "env_id": SLOW_ID, "request_id": "c-ws"}
            await ws.send(json.dumps(create))
            sid = json.loads(await ws.recv())["result"]["session_id"]
        async with connect(ws_url) as ws:  # a reconnecting client retries its create
            await ws.send(json.dumps(create))
            assert json.loads(await ws.recv())["result"]["session_id"] == sid
            await ws.send(json.dumps({"id": 2, "op": "step", "session_id": sid, "action": "x"}))
            assert json.loads(await ws.recv())["result"]["info"]["turn"] == 1
        sessions = srv.manager.sessions
        for _ in range(100):  # nobody uses it any more: closed after the grace period
            if sid not in sessions:
                break
            await asyncio.sleep(0.05)
        assert sid not in sessions


# ----- capacity: 503 with Retry-After, whatever ran out -------------------------------------------
@pytest.mark.parametrize(
    "env_id,resource", [(NO_SANDBOX_ID, "sandbox"), (NO_BROWSER_ID, "browser contexts")]
)
def test_an_exhausted_resource_is_503_with_retry_after(envs, env_id, resource):
    with ThreadServer(envs) as srv:
        r = httpx.post(f"{srv.url}/sessions", json={"env_id": env_id})
        assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
        assert r.json()["error"]["type"] == "resource_exhausted"
        assert resource in r.json()["error"]["message"]
        assert srv.manager.sessions == {}


# ----- slow headers ---------------------------------------------------------------------------
def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(10)
    try:
        return sock.recv(100) == b""  # closed, without an answer
    except ConnectionResetError:
        return True


def test_a_client_that_never_finishes_its_headers_is_cut_off(envs):
    limit = 1.0
    with ThreadServer(envs, ServerConfig(header_timeout_s=limit)) as srv:
        port = int(srv.url.rsplit(":", 1)[1])
        kept_alive = httpx.Client(base_url=srv.url)
        assert kept_alive.get("/health").status_code == 200
        slow = socket.create_connection(("127.0.0.1", port))
        silent = socket.create_connection(("127.0.0.1", port))
        start = time.monotonic()
        try:
            slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            for _ in range(3):  # a header line now and then never resets the deadline
                time.sleep(0.1)
                slow.sendall(b"X-Slow: 1\r\n")
        except (BrokenPipeError, ConnectionResetError):  # cut off already (a loaded machine)
            assert time.monotonic() - start >= limit / 2, "closed long before the limit"
        # meanwhile the server keeps serving everyone else
        assert httpx.get(f"{srv.url}/health").status_code == 200
        assert _closed_by_server(slow) and _closed_by_server(silent)
        assert time.monotonic() - start < limit + 5
        # a finished request on a kept-alive connection is not cut off by the timer
        time.sleep(limit + 0.2)
        assert kept_alive.get("/health").status_code == 200
        kept_alive.close()
        slow.close()
        silent.close()


# ----- step deadlines consistent with the env's own budget ----------------------------------------
def test_a_step_within_the_envs_budget_is_never_infra_error(envs):
    with ThreadServer(envs, ServerConfig(step_timeout_s=0.3)) as srv:
        r = httpx.post(f"{srv.url}/sessions", json={"env_id": BUDGETED_ID}).json()
        assert httpx.get(f"{srv.url}/sessions/{r['session_id']}").json()["step_deadline_s"] > 1
        step = httpx.post(
            f"{srv.url}/sessions/{r['session_id']}/step", json={"action": "tool 0.6"}, timeout=10
        ).json()
        assert step["info"]["verdict"] == "incorrect" and not step["info"]["infra_error"]
        # an env without a budget that runs past the deadline: the hub's failure
        r = httpx.post(f"{srv.url}/sessions", json={"env_id": SLOW_ID}).json()
        step = httpx.post(
            f"{srv.url}/sessions/{r['session_id']}/step", json={"action": "sleep 0.6"}, timeout=10
        ).json()
        assert step["info"]["infra_error"] and step["info"]["verdict"] == "infra_error"


def test_tool_using_envs_get_a_deadline_above_their_tool_budget():
    import gymhub

    env = gymhub.make("gymhub/MathPython-v0", backend="local", tool_timeout_s=10.0)
    try:
        # the tool calls of one step share env.step_budget_s; the deadline stays above it
        assert env.step_budget_s is not None
        assert step_deadline_s(env, 1.0) > env.step_budget_s
    finally:
        env.close()
    plain = gymhub.make("gymhub/GuessNumber-v0")
    assert step_deadline_s(plain, 60.0) == 60.0
