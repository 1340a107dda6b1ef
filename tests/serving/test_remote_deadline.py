"""A client waits for a step at least as long as the server's deadline for it: an env whose step
may legitimately take longer than the client's `timeout_s` (a code task's tests run out their
limits, ~122 s on CodeFeedback, over RemoteEnv's 120 s default) was reported as the hub's
failure (RemoteTimeoutError, then `infra_error`) although the policy's program stayed within
its limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import gymnasium
import httpx
import pytest

import gymhub
from gymhub import registry
from gymhub.env import StepResult
from gymhub.remote.env import DEADLINE_MARGIN_S
from gymhub.remote.openenv import OpenEnvEnv
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig, step_deadline_s
from gymhub.trainers.integrations.openenv import create_openenv_app
from gymhub.types import Action, Observation, Verdict
from tests.serving.conftest import SlowEnv

BUDGET_ID = "gymhubtest/Budget3-v0"
BUDGET_S = 3.0


class Budget3Env(SlowEnv):
    """A step may spend up to 3 s on the policy's behalf ('tool S' stands for its tools)."""

    step_budget_s = BUDGET_S

    def _step(self, action: Action) -> StepResult:
        if action.text.startswith("tool "):
            time.sleep(float(action.text.split()[1]))
            return StepResult(Observation(), 0.0, True, Verdict.incorrect())
        return super()._step(action)


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadServer]:
    registry.register(BUDGET_ID, Budget3Env, family="test")
    try:
        # the server's own deadline (1 s) is raised by the env's budget: 3 * 1.25 + 5 s
        with ThreadServer([BUDGET_ID], ServerConfig(step_timeout_s=1.0)) as srv:
            yield srv
    finally:
        registry._REGISTRY.pop(BUDGET_ID, None)
        gymnasium.registry.pop(BUDGET_ID, None)


def _expected_deadline() -> float:
    return step_deadline_s(Budget3Env(), 1.0)


def test_the_reset_answer_says_the_step_deadline(server: ThreadServer) -> None:
    created = httpx.post(f"{server.url}/sessions", json={"env_id": BUDGET_ID, "seed": 0}).json()
    assert created["step_deadline_s"] == _expected_deadline() > BUDGET_S
    described = httpx.get(f"{server.url}/sessions/{created['session_id']}").json()
    assert described["step_deadline_s"] == created["step_deadline_s"]
    httpx.delete(f"{server.url}/sessions/{created['session_id']}")


def test_a_sync_step_within_the_env_budget_is_scored_past_the_client_timeout(server) -> None:
    env = gymhub.RemoteEnv(server.url, BUDGET_ID, timeout_s=0.5)
    try:
        env.reset(seed=0)
        assert env.wait_s("step") == _expected_deadline() + DEADLINE_MARGIN_S
        assert env.wait_s("connect") == 0.5  # calls without a server deadline keep timeout_s
        _obs, reward, terminated, _truncated, info = env.step("tool 1.5")
    finally:
        env.close()
    assert info["verdict"] == "incorrect" and not info.get("infra_error")
    assert terminated and reward == 0.0


@pytest.mark.parametrize("transport", ["http", "ws"])
def test_an_async_step_within_the_env_budget_is_scored(server, transport: str) -> None:
    async def play() -> dict[str, Any]:
        env = gymhub.RemoteEnv(server.url, BUDGET_ID, timeout_s=0.5, transport=transport)
        try:
            await env.areset(seed=1)
            await env.areset(seed=2)  # a reset of the open session (over ws with transport=ws)
            return (await env.astep("tool 1.5"))[4]
        finally:
            env.close()

    info = asyncio.run(play())
    assert info["verdict"] == "incorrect" and not info.get("infra_error")


def test_a_longer_explicit_timeout_is_kept(server: ThreadServer) -> None:
    env = gymhub.RemoteEnv(server.url, BUDGET_ID, timeout_s=600.0)
    try:
        env.reset(seed=0)
        assert env.wait_s("step") == 600.0
    finally:
        env.close()


@pytest.mark.parametrize("timeout_s", [0, -1, float("nan"), float("inf"), True, "5"])
def test_a_bad_timeout_is_refused(server: ThreadServer, timeout_s: Any) -> None:
    with pytest.raises(ValueError, match="timeout_s"):
        gymhub.RemoteEnv(server.url, BUDGET_ID, timeout_s=timeout_s)


def test_the_openenv_client_waits_for_the_servers_deadline() -> None:
    registry.register(BUDGET_ID, Budget3Env, family="test")
    try:
        app = create_openenv_app(BUDGET_ID, ServerConfig(step_timeout_s=1.0))
        with ThreadServer([], app=app) as srv:
            env = OpenEnvEnv(srv.url, timeout_s=0.5)
            try:
                env.reset(seed=0)
                assert env.wait_s() == _expected_deadline() + DEADLINE_MARGIN_S
                _obs, reward, terminated, _truncated, info = env.step("tool 1.5")
            finally:
                env.close()
    finally:
        registry._REGISTRY.pop(BUDGET_ID, None)
        gymnasium.registry.pop(BUDGET_ID, None)
    assert info.get("verdict") == "incorrect" and terminated and reward == 0.0
