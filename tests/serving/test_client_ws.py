"""RemoteEnv(transport="ws"): the async calls over the server's WebSocket route keep the whole
contract of the HTTP transport (same episodes, same errors, retries that never step twice)."""

from __future__ import annotations

import asyncio

import pytest

import gymhub
from gymhub.errors import EpisodeDoneError, InvalidOptionsError
from gymhub.remote.env import RemoteEnv, SessionExpiredError
from gymhub.remote.ws import Channel
from gymhub.server.background import ProcessServer, ThreadServer
from gymhub.server.sessions import ServerConfig
from tests.serving.conftest import SLOW_ID

IDS = ["gymhub/GuessNumber-v0", "gymhub/Capitals-v0"]


@pytest.fixture(scope="module")
def server():
    with ProcessServer(IDS, args=["--allow-reference", "--idle-timeout", "60"]) as srv:
        yield srv


def test_rejects_an_unknown_transport(server):
    with pytest.raises(ValueError, match="transport"):
        RemoteEnv(server.url, IDS[0], transport="carrier-pigeon")


async def test_same_episodes_as_a_local_env_over_ws(server):
    local = gymhub.make(IDS[0])
    remote = RemoteEnv(server.url, IDS[0], transport="ws")
    for seed in (3, 4):
        lo, ro = local.reset(seed=seed), await remote.areset(seed=seed)
        assert lo[0] == ro[0]
        for guess in ("20", "10", "15"):
            ls, rs = local.step(guess), await remote.astep(guess)
            assert ls[0] == rs[0] and ls[1:4] == rs[1:4] and ls[4]["turn"] == rs[4]["turn"]
    assert remote.conversation == local.conversation
    remote.close()


async def test_many_sessions_play_full_episodes_over_a_few_sockets(server):
    envs = [RemoteEnv(server.url, IDS[i % 2], transport="ws") for i in range(48)]
    await asyncio.gather(*(e.areset(seed=i) for i, e in enumerate(envs)))

    async def play(env: RemoteEnv) -> float:
        reward, done = 0.0, False
        while not done:
            action = await env.areference_action()
            assert action is not None
            _, reward, terminated, truncated, info = await env.astep(action)
            assert not info["infra_error"]
            done = terminated or truncated
        return reward

    assert await asyncio.gather(*(play(e) for e in envs)) == [1.0] * 48
    channels = {id(e._channel[1]) for e in envs}
    assert 1 < len(channels) <= 4  # spread over the loop's few sockets
    for e in envs:
        e.close()


async def test_errors_are_those_of_a_local_env(server):
    env = RemoteEnv(server.url, IDS[0], transport="ws")
    await env.areset(seed=0)
    with pytest.raises(InvalidOptionsError):
        await env.areset(options={"bogus": 1})
    with pytest.raises(TypeError):
        await env.astep({"role": "assistant", "content": "1", "evil": True})  # type: ignore[arg-type]
    while True:
        *_, terminated, truncated, _ = await env.astep(await env.areference_action())
        if terminated or truncated:
            break
    with pytest.raises(EpisodeDoneError):
        await env.astep("1")
    env.close()


async def test_a_dropped_socket_loses_no_session_and_no_step(test_envs):
    with ThreadServer([SLOW_ID], ServerConfig(idle_timeout_s=60)) as srv:
        env = RemoteEnv(srv.url, SLOW_ID, transport="ws", retries=2, backoff_s=0.01)
        await env.areset(seed=0)
        await env.astep("nope")
        channel = env._channel[1]
        await channel._ws.close()  # the connection drops between two steps
        await asyncio.sleep(0.05)
        _, _, _, _, info = await env.astep("nope")
        assert info["turn"] == 2 and env.session_id in srv.manager.sessions

        # an answer lost after the server stepped: the retry is answered from the server's cache
        real_call, lost = Channel.call, {"n": 0}

        async def lossy(self, message, timeout_s, *rest):
            answer = await real_call(self, message, timeout_s, *rest)
            if message["op"] == "step" and lost["n"] == 0:
                lost["n"] += 1
                from gymhub.remote.ws import ChannelClosed

                raise ChannelClosed("connection reset after the server answered")
            return answer

        Channel.call = lossy  # type: ignore[method-assign]
        try:
            _, _, _, _, info = await env.astep("nope")
        finally:
            Channel.call = real_call  # type: ignore[method-assign]
        session = srv.manager.sessions[env.session_id]
        assert lost["n"] == 1 and info["turn"] == 3 and session.steps == 3
        assert srv.manager.metrics.value("gymhub_idempotent_replays_total") == 1
        env.close()


async def test_expired_session_then_reset_opens_a_new_one(test_envs):
    with ThreadServer([SLOW_ID], ServerConfig(idle_timeout_s=0.2)) as srv:
        env = RemoteEnv(srv.url, SLOW_ID, transport="ws")
        await env.areset(seed=0)
        first = env.session_id
        for _ in range(100):  # the reaper closes the idle session
            if not srv.manager.sessions:
                break
            await asyncio.sleep(0.05)
        with pytest.raises(SessionExpiredError):
            await env.astep("nope")
        observation, _ = await env.areset(seed=1)
        assert env.session_id not in (None, first)
        assert observation.messages[0].content == "seed 1"
        env.close()
