"""OpenEnvEnv: OpenEnv servers as gymhub envs (`gymhub.make("openenv:<url>")`).

Against gymhub's own OpenEnv-protocol server (rewards equal the local env's) and against a real
server built with the openenv package. Servers run on loopback sockets, stopped after each test."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

import gymhub
from gymhub.episode import EpisodeLoop
from gymhub.policies import ScriptedPolicy
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from gymhub.trace import run_episode
from gymhub.types import Action
from tests.conftest import serve_app
from tests.integrations.conftest import require_package


@pytest.fixture(autouse=True)
def _openenv() -> None:
    require_package("openenv", "openenv")


def _serve_gymhub(env_id: str) -> ThreadServer:
    from gymhub.trainers.integrations.openenv import create_openenv_app

    config = ServerConfig()
    return ThreadServer([env_id], config, app=create_openenv_app(env_id, config))


def _echo_app() -> Any:
    """A real OpenEnv server: an echo env whose action is one `message` (at most 20 characters).
    Reward 0.5 a step; `stop` ends the episode with reward 1."""
    from openenv.core import Action as OEAction
    from openenv.core import Environment, State, create_fastapi_app
    from openenv.core import Observation as OEObservation
    from pydantic import Field

    class EchoAction(OEAction):
        message: str = Field(max_length=20)

    class EchoObservation(OEObservation):
        echoed: str = ""

    class EchoEnv(Environment):
        SUPPORTS_CONCURRENT_SESSIONS = True

        def __init__(self) -> None:
            super().__init__()
            self._state = State(episode_id="e", step_count=0)

        def reset(
            self, seed: int | None = None, episode_id: str | None = None, **kwargs: Any
        ) -> EchoObservation:
            self._state = State(episode_id=episode_id or "e", step_count=0)
            return EchoObservation(echoed=f"ready seed={seed}")

        def step(self, action: Any, timeout_s: float | None = None, **kwargs: Any) -> Any:
            self._state.step_count += 1
            stop = action.message == "stop"
            return EchoObservation(
                echoed=f"you said {action.message}", reward=1.0 if stop else 0.5, done=stop
            )

        @property
        def state(self) -> State:
            return self._state

    return create_fastapi_app(EchoEnv, EchoAction, EchoObservation, max_concurrent_envs=4)


def test_non_finite_tool_arguments_reach_a_gymhub_server_as_a_local_env_reads_them() -> None:
    """A tool call `{"value": NaN}` was sent as `{"value": null}`: the remote tool answered an
    error where the local env computes NaN. Such arguments go as their JSON text now."""
    from gymhub.types import Action, ToolCall

    env_id = "gymhub/UnitConvert-v0"
    with _serve_gymhub(env_id) as server:
        remote, local = gymhub.make("openenv:" + server.url), gymhub.make(env_id)
        try:
            for value in (float("nan"), float("inf"), 2.5):
                arguments = {"value": value, "from_unit": "km", "to_unit": "m"}
                action = Action(tool_calls=[ToolCall(id="1", name="convert", arguments=arguments)])
                texts = []
                for env in (remote, local):
                    env.reset(seed=3)
                    texts.append(env.step(action)[0].messages[0].text)
                assert texts[0] == texts[1], (value, texts)
        finally:
            remote.close()
            local.close()


@pytest.fixture
def echo_url() -> Iterator[str]:
    with serve_app(_echo_app()) as url:
        yield url


@pytest.mark.parametrize("env_id", ["gymhub/GuessNumber-v0"])
def test_gymhub_env_over_openenv_plays_like_the_local_env(env_id: str) -> None:
    from gymhub.remote.openenv import OpenEnvEnv

    with _serve_gymhub(env_id) as server:
        remote = gymhub.make("openenv:" + server.url)
        local = gymhub.make(env_id)
        try:
            assert isinstance(remote, OpenEnvEnv) and remote.gymhub_native
            assert remote.env_id == "openenv:" + server.url
            for seed in range(3):
                r_obs, _ = remote.reset(seed=seed)
                l_obs, _ = local.reset(seed=seed)
                assert r_obs.messages == l_obs.messages
                done = False
                while not done:
                    action = local.reference_action()
                    assert action is not None
                    l_obs, l_rew, l_term, l_trunc, l_info = local.step(action)
                    r_obs, r_rew, r_term, r_trunc, r_info = remote.step(action)
                    assert r_obs.messages == l_obs.messages
                    assert (r_rew, r_term, r_trunc) == (l_rew, l_term, l_trunc)
                    assert r_info["verdict"] == l_info["verdict"]
                    assert not r_info["infra_error"]
                    done = l_term or l_trunc
                assert r_rew == 1.0
        finally:
            remote.close()
            remote.close()  # idempotent
            local.close()


def test_real_openenv_server_reset_step_and_field_inference(echo_url: str) -> None:
    env = gymhub.make("openenv:" + echo_url)
    try:
        assert env.action_field == "message" and env.observation_field == "echoed"
        obs, _ = env.reset(seed=7)
        assert obs.text == "ready seed=7"
        obs, reward, terminated, truncated, info = env.step("hello")
        assert obs.text == "you said hello" and reward == 0.5
        assert not terminated and not truncated and not info["infra_error"]
        obs, reward, terminated, truncated, _ = env.step(Action(content="stop"))
        assert reward == 1.0 and terminated and not truncated
        # a second episode on the same socket
        obs, _ = env.reset(seed=8)
        assert obs.text == "ready seed=8"
    finally:
        env.close()
        env.close()


def test_ws_url_and_episode_loop(echo_url: str) -> None:
    env = gymhub.make("openenv:" + echo_url.replace("http://", "ws://") + "/")
    try:
        assert env.env_id == "openenv:" + echo_url
        trace = asyncio.run(run_episode(env, ScriptedPolicy(["hi", "stop"]), seed=1))
        assert trace.rewards == [0.5, 1.0] and trace.terminated and not trace.infra_error
    finally:
        env.close()


def test_invalid_action_is_the_policys_failure_not_infra(echo_url: str) -> None:
    env = gymhub.make("openenv:" + echo_url)
    try:
        env.reset(seed=0)
        obs, reward, terminated, truncated, info = env.step("x" * 50)  # over max_length=20
        assert reward == 0.0 and not terminated and not truncated
        assert info["verdict"] == "unparseable" and not info["infra_error"]
        assert "Invalid action" in obs.text
        # the episode goes on
        _, reward, terminated, _, _ = env.step("stop")
        assert reward == 1.0 and terminated
    finally:
        env.close()


def test_bad_constructor_input_is_a_clear_error(echo_url: str) -> None:
    from gymhub.remote.openenv import OpenEnvEnv, OpenEnvUnreachableError

    with pytest.raises(ValueError, match="must start with http"):
        gymhub.make("openenv:not a url")
    with pytest.raises(ValueError, match="must start with http"):
        OpenEnvEnv("ftp://example.org")
    with pytest.raises(ValueError, match="properties"):
        OpenEnvEnv(echo_url, action_field="nope")
    with pytest.raises(ValueError, match="observation_field"):
        OpenEnvEnv(echo_url, observation_field="nope")
    from tests.conftest import free_port

    with pytest.raises(OpenEnvUnreachableError):
        OpenEnvEnv(f"http://127.0.0.1:{free_port()}", timeout_s=2)


def test_reset_options_refused_for_non_gymhub_servers(echo_url: str) -> None:
    env = gymhub.make("openenv:" + echo_url)
    try:
        with pytest.raises(gymhub.errors.InvalidOptionsError):
            env.reset(seed=0, options={"difficulty": 1})
    finally:
        env.close()


def test_a_reply_longer_than_the_server_takes_is_the_policys_failure():
    """The server closes the socket (1009) on a message over its limit: the policy wrote it, so
    the episode ends as `unparseable`, not as an infra error a trainer would mask."""
    from gymhub.trainers.integrations.openenv import create_openenv_app

    env_id = "gymhub/GuessNumber-v0"
    config = ServerConfig(max_body_bytes=64 * 1024)
    with ThreadServer([env_id], config, app=create_openenv_app(env_id, config)) as server:
        env = gymhub.make("openenv:" + server.url)
        loop = EpisodeLoop(env)
        loop.reset(seed=0)
        update = loop.step("50 " + "x" * (256 * 1024))
        assert not loop.infra_error, loop.error
        assert loop.done and loop.status == "unparseable" and loop.total_reward == 0.0
        assert update is not None and update.info["reply_too_large"] is True
        loop = EpisodeLoop(env)  # a new socket, a new episode
        loop.reset(seed=1)
        loop.step("50")
        assert not loop.infra_error, loop.error
        env.close()


def test_a_server_side_crash_is_an_infra_error_the_trainer_masks() -> None:
    """The env behind the server raises in its step: the server answers `reward: null`,
    `done: true`, `observation.infra_error: true`, which is the hub's failure (masked by
    trainers), never a reward of 0 the policy earned. The next episode plays as usual."""
    import gymnasium

    from gymhub import registry
    from tests.serving.conftest import SlowEnv

    crash_id = "gymhubtest/OpenEnvClientCrash-v0"
    registry.register(crash_id, SlowEnv, family="test")
    try:
        with _serve_gymhub(crash_id) as server:
            env = gymhub.make("openenv:" + server.url)
            try:
                env.reset(seed=0)
                _, reward, terminated, _, info = env.step("boom")
                assert info["verdict"] == "infra_error" and info["infra_error"] is True
                assert reward == 0.0 and terminated
                assert "boom" in info["openenv_error"]
                loop = EpisodeLoop(env)
                loop.reset(seed=1)
                loop.step("boom")
                assert loop.done and loop.infra_error
                loop = EpisodeLoop(env)  # the next episode is scored as usual
                loop.reset(seed=2)
                loop.step("done")
                assert loop.done and not loop.infra_error and loop.total_reward == 1.0
            finally:
                env.close()
    finally:
        registry._REGISTRY.pop(crash_id, None)
        gymnasium.registry.pop(crash_id, None)


def test_a_server_that_goes_away_mid_episode_is_an_infra_error() -> None:
    """The server stops between two steps: the episode ends as `infra_error` (the hub failed),
    the loop does not hang, and a later reset says clearly that the server is unreachable."""
    from gymhub.remote.openenv import OpenEnvUnreachableError

    server = _serve_gymhub("gymhub/GuessNumber-v0")
    server.__enter__()
    env = gymhub.make("openenv:" + server.url, timeout_s=5)
    try:
        loop = EpisodeLoop(env)
        loop.reset(seed=0)
        server.__exit__(None, None, None)
        update = loop.step("50")
        assert update is None and loop.done and loop.infra_error
        assert "step" in (loop.error or "")
        with pytest.raises(OpenEnvUnreachableError):
            env.reset(seed=1)
    finally:
        env.close()
