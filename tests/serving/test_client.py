"""RemoteEnv over a real server process on loopback: the same contract as a local env."""

from __future__ import annotations

import asyncio

import httpx
import pytest

import gymhub
from gymhub.errors import EpisodeDoneError, InvalidOptionsError, ResetNeededError, UnknownEnvError
from gymhub.remote.env import RemoteEnv, ServerUnreachableError, SessionExpiredError, _sync_pool
from gymhub.server.background import ProcessServer, ThreadServer
from gymhub.server.sessions import ServerConfig
from tests.serving.conftest import SLOW_ID, servable_ids

IDS = servable_ids()


@pytest.fixture(scope="module")
def server():
    with ProcessServer(IDS, args=["--allow-reference", "--idle-timeout", "60"]) as srv:
        yield srv


@pytest.mark.parametrize("env_id", IDS)
def test_remote_env_passes_check(server, env_id):
    env = RemoteEnv(server.url, env_id)
    try:
        report = gymhub.check_env(env)
        assert report.passed, report.summary()
    finally:
        env.close()


def test_remote_matches_local_episode(server):
    local = gymhub.make("gymhub/GuessNumber-v0")
    remote = RemoteEnv(server.url, "GuessNumber-v0")
    assert remote.env_id == "gymhub/GuessNumber-v0" and remote.version == 0
    for env in (local, remote):
        env.reset(seed=11)
    for guess in ("20", "10", "15"):
        lo, ro = local.step(guess), remote.step(guess)
        assert lo[0] == ro[0] and lo[1:4] == ro[1:4] and lo[4]["turn"] == ro[4]["turn"]
    remote.close()
    remote.close()


def test_client_errors_match_local(server):
    env = RemoteEnv(server.url, "gymhub/GuessNumber-v0")
    with pytest.raises(ResetNeededError):
        env.step("1")
    with pytest.raises(InvalidOptionsError):
        env.reset(options={"bogus": 1})
    env.reset(seed=0, options={"difficulty": 1})
    with pytest.raises(TypeError):
        env.step(12345)  # type: ignore[arg-type]
    while True:
        *_, terminated, truncated, _ = env.step(env.reference_action())
        if terminated or truncated:
            break
    with pytest.raises(EpisodeDoneError):
        env.step("1")
    env.close()
    with pytest.raises(UnknownEnvError):
        RemoteEnv(server.url, "gymhub/Nope-v0")


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(ServerUnreachableError, match="unreachable"):
        RemoteEnv("http://127.0.0.1:9", "gymhub/GuessNumber-v0", retries=1, backoff_s=0.01)
    with pytest.raises(ValueError, match="http"):
        RemoteEnv("localhost:8000", "x")


def test_connection_pool_is_shared(server):
    a, b = RemoteEnv(server.url, "gymhub/Capitals-v0"), RemoteEnv(server.url, "gymhub/Capitals-v0")
    a.reset(seed=1)
    b.reset(seed=2)
    assert a.session_id != b.session_id
    assert _sync_pool(a.url, 1) is _sync_pool(b.url, 1)
    a.close()
    b.close()


def test_expired_session_error_and_new_session_on_reset(test_envs):
    with ThreadServer([SLOW_ID], ServerConfig(idle_timeout_s=0.2)) as srv:
        env = RemoteEnv(srv.url, SLOW_ID)
        env.reset(seed=1)
        first = env.session_id
        deadline = asyncio.run(_wait_until(lambda: not srv.manager.sessions, 5))
        assert deadline, "the reaper did not close the idle session"
        with pytest.raises(SessionExpiredError, match="lease expired"):
            env.step("x")
        obs, _ = env.reset(seed=1)  # a reset opens a fresh session
        assert env.session_id != first and obs.messages[0].content == "seed 1"
        env.close()


def test_reference_none_when_server_hides_it(test_envs):
    with ThreadServer([SLOW_ID]) as srv:
        env = RemoteEnv(srv.url, SLOW_ID)
        env.reset(seed=0)
        assert env.reference_action() is None and env.secret_strings() == []
        env.close()


def test_retry_after_lost_answer_is_not_replayed(test_envs):
    """A transport failure after the server stepped: the retry carries the same request id and
    gets the cached answer, so the env steps once."""
    with ThreadServer([SLOW_ID]) as srv:
        env = RemoteEnv(srv.url, SLOW_ID, retries=2, backoff_s=0.01)
        env.reset(seed=0)
        real = _sync_pool(env.url, 1)
        calls = {"n": 0}
        original = real.request

        def flaky(method, path, **kw):
            response = original(method, path, **kw)
            if path.endswith("/step") and calls["n"] == 0:
                calls["n"] += 1
                raise httpx.ReadError("connection reset after the server answered")
            return response

        real.request = flaky  # type: ignore[method-assign]
        try:
            _, _, _, _, info = env.step("nope")
        finally:
            real.request = original  # type: ignore[method-assign]
        assert calls["n"] == 1 and info["turn"] == 1
        session = srv.manager.sessions[env.session_id]
        assert (
            session.steps == 1 and srv.manager.metrics.value("gymhub_idempotent_replays_total") == 1
        )
        env.close()


async def test_async_many_sessions_one_pool(server):
    envs = [RemoteEnv(server.url, "gymhub/Capitals-v0") for _ in range(32)]
    results = await asyncio.gather(*(e.areset(seed=i) for i, e in enumerate(envs)))
    assert len({e.session_id for e in envs}) == 32
    steps = await asyncio.gather(*(e.astep(e.reference_action()) for e in envs))
    assert all(s[1] == 1.0 and s[2] for s in steps) and len(results) == 32
    for e in envs:
        e.close()


async def _wait_until(predicate, timeout_s: float) -> bool:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while loop.time() < end:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return predicate()


@pytest.mark.slow
@pytest.mark.browser
def test_remote_web_env_passes_check():
    """One browser env over HTTP: the browser lives in the server process, the client is plain."""
    from gymhub.envs.web.host import chromium_available
    from tests.conftest import require

    require(chromium_available(), "Chromium")
    env_id = "gymhub/Web-ClickButton-v0"
    with ProcessServer([env_id], args=["--allow-reference"]) as srv:
        env = RemoteEnv(srv.url, env_id)
        try:
            report = gymhub.check_env(env)
            assert report.passed, report.summary()
        finally:
            env.close()


def test_no_answer_within_timeout_raises_remote_timeout_sync_and_async(test_envs):
    """A read timeout is not retried (the step may still be running) and says what happened.
    (A server's reset answer says its step deadline, which a client waits out at least: these
    stand for a server that does not say it, where `timeout_s` alone applies.)"""
    from gymhub.remote.env import RemoteTimeoutError

    with ThreadServer([SLOW_ID], ServerConfig(step_timeout_s=30)) as srv:
        env = RemoteEnv(srv.url, SLOW_ID, timeout_s=0.5, retries=3, backoff_s=0.01)
        env.reset(seed=0)
        assert env.wait_s("step") >= 30
        env._deadline_s = None
        with pytest.raises(RemoteTimeoutError, match=r"no answer within 0\.5s"):
            env.step("sleep 1.5")
        assert isinstance(RemoteTimeoutError("x"), TimeoutError)

        async def main() -> None:
            other = RemoteEnv(srv.url, SLOW_ID, timeout_s=0.5, retries=3, backoff_s=0.01)
            await other.areset(seed=1)
            other._deadline_s = None
            with pytest.raises(RemoteTimeoutError):
                await other.astep("sleep 1.5")
            other.close()

        asyncio.run(main())
        env.close()
