"""OpenEnv: OpenEnv's own client and validator against gymhub's OpenEnv-protocol server.

Servers run on real loopback sockets (free ports, stopped at the end of each test)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import gymnasium
import httpx
import pytest

import gymhub
from gymhub import registry
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from tests.integrations.conftest import require_package
from tests.serving.conftest import SlowEnv

CRASH_ID = "gymhubtest/OpenEnvSlow-v0"


@pytest.fixture(autouse=True)
def _openenv() -> None:
    require_package("openenv", "openenv")


def _serve(env_id: str, config: ServerConfig | None = None) -> ThreadServer:
    from gymhub.trainers.integrations.openenv import create_openenv_app

    config = config or ServerConfig()
    return ThreadServer([env_id], config, app=create_openenv_app(env_id, config))


def _openenv_cli() -> str:
    return str(Path(sys.executable).parent / "openenv")


@pytest.fixture
def crash_env() -> Iterator[str]:
    registry.register(CRASH_ID, SlowEnv, family="test")
    yield CRASH_ID
    registry._REGISTRY.pop(CRASH_ID, None)
    gymnasium.registry.pop(CRASH_ID, None)


async def _play(url: str, env_id: str, seed: int) -> tuple[list[float | None], list[float]]:
    """One episode through OpenEnv's GenericEnvClient, the actions from a local twin's
    reference policy; returns (rewards over OpenEnv, rewards of the local env)."""
    from openenv.core import GenericEnvClient

    local = gymhub.make(env_id)
    remote_rewards, local_rewards = [], []
    try:
        async with GenericEnvClient(base_url=url) as client:
            first = await client.reset(seed=seed)
            local_obs, _ = local.reset(seed=seed)
            assert first.reward is None and not first.done
            assert first.observation["messages"] == [
                m.model_dump(mode="json", exclude_none=True) for m in local_obs.messages
            ]
            done = False
            while not done:
                action = local.reference_action()
                _, reward, terminated, truncated, _ = local.step(action)
                result = await client.step(action.model_dump(mode="json", exclude_none=True))
                remote_rewards.append(result.reward)
                local_rewards.append(reward)
                done = result.done
                assert done == (terminated or truncated)
            state = await client.state()
            assert state["step_count"] == len(local_rewards) and state["env_id"] == env_id
    finally:
        local.close()
    return remote_rewards, local_rewards


@pytest.mark.parametrize("env_id", ["gymhub/GuessNumber-v0", "gymhub/ToyArith-v0"])
def test_openenv_client_plays_episodes_with_the_local_rewards(env_id: str) -> None:
    with _serve(env_id) as server:
        for seed in range(3):
            remote, local = asyncio.run(_play(server.url, env_id, seed))
            assert remote == local and remote[-1] == 1.0


def test_http_routes_answer_in_openenv_shapes() -> None:
    with _serve("gymhub/ToyArith-v0") as server, httpx.Client(base_url=server.url) as http:
        assert http.get("/health").json()["status"] == "healthy"
        meta = http.get("/metadata").json()
        assert meta["name"] == "gymhub/ToyArith-v0" and meta["description"]
        schema = http.get("/schema").json()
        assert {"action", "observation", "state"} <= schema.keys()
        reset = http.post("/reset", json={"seed": 4}).json()
        assert reset["reward"] is None and reset["done"] is False
        env = gymhub.make("gymhub/ToyArith-v0")
        env.reset(seed=4)
        gold = env.reference_action()
        step = http.post("/step", json={"action": {"content": gold.text}, "seed": 4}).json()
        assert step["reward"] == 1.0 and step["done"] is True
        assert step["observation"]["info"]["verdict"] == "correct"
        # clear 422s for what is wrong
        bad = http.post("/step", json={"action": {"role": "user", "content": "x"}, "seed": 4})
        assert bad.status_code == 422 and "assistant" in bad.json()["error"]["message"]
        assert http.post("/reset", json={"seed": -1}).status_code == 422
        assert http.post("/reset", json={"nope": 1}).status_code == 422
        assert http.post("/mcp", json={}).json()["jsonrpc"] == "2.0"


def test_websocket_errors_use_openenv_codes() -> None:
    from websockets.sync.client import connect

    with _serve("gymhub/ToyArith-v0") as server:
        with connect(server.url.replace("http", "ws") + "/ws") as ws:
            ws.send("{not json")
            assert json.loads(ws.recv())["data"]["code"] == "INVALID_JSON"
            ws.send(json.dumps({"type": "dance"}))
            assert json.loads(ws.recv())["data"]["code"] == "UNKNOWN_TYPE"
            ws.send(json.dumps({"type": "step", "data": {"content": "1"}}))
            assert "reset" in json.loads(ws.recv())["data"]["message"]
            ws.send(json.dumps({"type": "reset", "data": {"seed": 1}}))
            assert json.loads(ws.recv())["type"] == "observation"
            ws.send(json.dumps({"type": "step", "data": {"role": "tool"}}))
            assert json.loads(ws.recv())["data"]["code"] == "VALIDATION_ERROR"
        assert server.manager.sessions == {}  # the socket's session closed with it


def test_infra_error_is_a_missing_reward_the_trainer_can_mask(crash_env: str) -> None:
    """An env that crashes mid-step is the hub's failure: reward None, done, infra_error."""
    from openenv.core import GenericEnvClient

    async def run(url: str) -> tuple[object, object]:
        async with GenericEnvClient(base_url=url) as client:
            await client.reset(seed=0)
            crashed = await client.step({"content": "boom"})
            again = await client.reset(seed=1)  # the next reset opens a new session
            return crashed, again

    with _serve(crash_env) as server:
        crashed, again = asyncio.run(run(server.url))
    assert crashed.reward is None and crashed.done is True
    assert crashed.observation["infra_error"] is True
    assert "boom" in crashed.observation["info"]["error"]
    assert again.done is False


def test_write_package_validates_and_serves(tmp_path: Path) -> None:
    """The generated package's files pass `openenv validate` (all but the lock file, which
    `uv lock` writes, with network), and its server/app.py serves an app that passes
    `openenv validate --url` (the OpenEnv CLI costs seconds to start: two runs in all)."""
    from gymhub.trainers.integrations.openenv import write_package

    root = write_package("gymhub/GuessNumber-v0", tmp_path / "guess_number_env")
    run = subprocess.run(
        [_openenv_cli(), "validate", str(root), "--json"], capture_output=True, text=True
    )
    report = json.loads(run.stdout)
    failed = [c for c in report["criteria"] if not c["passed"]]
    issues = [i for c in failed for i in c.get("actual", {}).get("issues", [])]
    assert len(failed) == 1 and issues == ["Missing uv.lock - run 'uv lock' to generate it"]

    spec = importlib.util.spec_from_file_location("openenv_pkg_app", root / "server" / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with ThreadServer(["gymhub/GuessNumber-v0"], app=module.app) as server:
        run = subprocess.run(
            [_openenv_cli(), "validate", "--url", server.url], capture_output=True, text=True
        )
    assert run.returncode == 0, run.stdout
    assert json.loads(run.stdout)["passed"] is True
    with pytest.raises(gymhub.errors.UnknownEnvError):
        write_package("gymhub/NoSuchEnv-v0", tmp_path / "x")
    with pytest.raises(ValueError, match="requirement"):
        write_package("gymhub/GuessNumber-v0", tmp_path / "y", requirement="gymhub; rm -rf /")


def test_write_package_keeps_a_description_with_backslashes(tmp_path: Path) -> None:
    """Math-v0's description ("\\boxed{}") went into pyproject.toml as written: TOML read
    the backslash as an escape (\\b, a backspace), and others would not parse at all."""
    import tomllib

    from gymhub.trainers.integrations.openenv import write_package

    for env_id in ("gymhub/Math-v0", "gymhub/GuessNumber-v0"):
        root = write_package(env_id, tmp_path / env_id.split("/")[1])
        with open(root / "pyproject.toml", "rb") as f:
            project = tomllib.load(f)["project"]
        assert project["description"] == gymhub.spec(env_id).description


def test_serve_cli_with_openenv_flag(tmp_path: Path) -> None:
    """`gymhub serve --openenv ID` in a child process: the OpenEnv client plays over it."""
    from tests.conftest import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gymhub", "serve", "--openenv", "gymhub/ToyArith-v0",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        from gymhub.server.background import wait_healthy

        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        remote, local = asyncio.run(_play(url, "gymhub/ToyArith-v0", 7))
        assert remote == local
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    bad = subprocess.run(
        [sys.executable, "-m", "gymhub", "serve", "--openenv", "gymhub/ToyArith-v0",
         "gymhub/GuessNumber-v0"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode != 0 and "exactly one env id" in bad.stderr


def test_token_guards_every_route_but_health() -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    token = "t" * 32
    with _serve("gymhub/ToyArith-v0", ServerConfig(token=token)) as server:
        assert httpx.get(server.url + "/health").status_code == 200
        assert httpx.get(server.url + "/metadata").status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(server.url + "/metadata", headers=auth).status_code == 200
        with pytest.raises(InvalidStatus):
            connect(server.url.replace("http", "ws") + "/ws").close()


class _StepValueErrorEnv(gymhub.Env):
    """An env bug: its step raises ValueError on a valid action."""

    def _reset(self, options: dict) -> gymhub.Observation:
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="hi")])

    def _step(self, action: gymhub.Action) -> gymhub.StepResult:
        raise ValueError("env bug")


def test_an_env_raising_value_error_is_masked_not_blamed_on_the_action() -> None:
    """The action was validated before the env saw it, so a ValueError out of the env's step is
    the hub's failure (reward None, done, infra_error), not an EXECUTION_ERROR 422 that OpenEnv's
    client raises to the trainer as the action's fault."""
    from openenv.core import GenericEnvClient

    env_id = "gymhubtest/OpenEnvStepBug-v0"
    registry.register(env_id, _StepValueErrorEnv, family="test")

    async def run(url: str) -> tuple[object, object]:
        async with GenericEnvClient(base_url=url) as client:
            await client.reset(seed=0)
            failed = await client.step({"content": "1"})
            again = await client.reset(seed=1)  # its session was closed: a new one opens
            return failed, again

    try:
        with _serve(env_id) as server:
            failed, again = asyncio.run(run(server.url))
            one_shot = httpx.post(
                server.url + "/step", json={"action": {"content": "1"}, "seed": 0}
            )
            assert one_shot.status_code == 200 and one_shot.json()["reward"] is None
            assert server.manager.sessions == {}
    finally:
        registry._REGISTRY.pop(env_id, None)
        gymnasium.registry.pop(env_id, None)
    assert failed.reward is None and failed.done is True
    assert (
        failed.observation["infra_error"] is True
        and "env bug" in failed.observation["info"]["error"]
    )
    assert again.done is False


def test_openai_shaped_tool_call_replies_and_strict_seeds() -> None:
    """An assistant message in OpenAI's shape (`content: null` beside its tool calls) is an
    action the env answers, a malformed call the policy's failure; `true` is not seed 1."""
    from websockets.sync.client import connect

    call = {"id": "c1", "name": "convert", "arguments": {"value": "x", "nope": 1}}
    with _serve("gymhub/UnitConvert-v0") as server:
        with connect(server.url.replace("http", "ws") + "/ws") as ws:
            ws.send(json.dumps({"type": "reset", "data": {"seed": True}}))
            assert json.loads(ws.recv())["data"]["code"] == "VALIDATION_ERROR"
            ws.send(json.dumps({"type": "reset", "data": {"seed": 3}}))
            assert json.loads(ws.recv())["type"] == "observation"
            ws.send(json.dumps({"type": "step", "data": {"content": None, "tool_calls": [call]}}))
            answer = json.loads(ws.recv())
        assert answer["type"] == "observation", answer
        result = answer["data"]
        assert result["reward"] == 0.0 and not result["observation"]["infra_error"]
        assert "Error" in result["observation"]["messages"][0]["content"]
        step = httpx.post(server.url + "/step", json={"action": {"content": "1"}, "seed": True})
        assert step.status_code == 422
