"""An action longer than the server takes is the policy's failure, never `infra_error`.

The policy writes the action; trainers mask `infra_error` as the hub's failure. A reply over the
server's body limit used to raise out of `RemoteEnv.step` (HTTP 413; over the WebSocket the
server closed the socket, failing every call in flight on it), so the episode was masked.
"""

from __future__ import annotations

import asyncio

import pytest

from gymhub.episode import EpisodeLoop
from gymhub.remote.env import RemoteEnv
from gymhub.server.background import ThreadServer
from gymhub.server.sessions import ServerConfig
from gymhub.types import Action, ToolCall

ENV_ID = "gymhub/GuessNumber-v0"
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def server():
    with ThreadServer([ENV_ID], ServerConfig(max_body_bytes=LIMIT)) as srv:
        yield srv


def _huge_reply() -> str:
    return "50 " + "x" * (2 * LIMIT)


def _assert_policy_failure(loop: EpisodeLoop) -> None:
    assert not loop.infra_error, loop.error
    assert loop.done and loop.terminated
    assert loop.status == "unparseable"
    assert loop.total_reward == 0.0


@pytest.mark.parametrize("transport", ["http", "ws"])
def test_a_sync_step_over_the_limit_is_unparseable(server, transport):
    env = RemoteEnv(server.url, ENV_ID, transport=transport)
    loop = EpisodeLoop(env)
    loop.reset(seed=0)
    update = loop.step(_huge_reply())
    _assert_policy_failure(loop)
    assert update is not None and update.info["reply_too_large"] is True
    assert "server takes at most" in update.observation.messages[0].text
    loop = EpisodeLoop(env)  # the session is still usable: the next episode plays normally
    loop.reset(seed=1)
    assert loop.step("50") is not None and not loop.infra_error
    env.close()


@pytest.mark.parametrize("transport", ["http", "ws"])
async def test_an_async_step_over_the_limit_is_unparseable(server, transport):
    env = RemoteEnv(server.url, ENV_ID, transport=transport)
    loop = EpisodeLoop(env)
    await loop.areset(seed=0)
    await loop.astep(_huge_reply())
    _assert_policy_failure(loop)
    env.close()


async def test_a_huge_reply_does_not_fail_other_sessions_on_the_same_socket(server):
    """Sent, the message would make the server close the shared socket under its neighbours."""
    envs = [RemoteEnv(server.url, ENV_ID, transport="ws") for _ in range(8)]
    await asyncio.gather(*(e.areset(seed=i) for i, e in enumerate(envs)))
    results = await asyncio.gather(envs[0].astep(_huge_reply()), *(e.astep("50") for e in envs[1:]))
    assert results[0][4]["verdict"] == "unparseable"
    assert all(not r[4]["infra_error"] for r in results)
    for env in envs:
        env.close()


async def test_huge_tool_call_arguments_are_measured_too(server):
    env = RemoteEnv(server.url, ENV_ID)
    await env.areset(seed=0)
    call = ToolCall(id="c1", name="guess", arguments={"n": "x" * (2 * LIMIT)})
    _, reward, terminated, _, info = await env.astep(Action(content="", tool_calls=[call]))
    assert (reward, terminated, info["verdict"], info["infra_error"]) == (
        0.0,
        True,
        "unparseable",
        False,
    )
    env.close()


def test_a_reply_just_under_the_limit_is_sent(server):
    """Non-ASCII text is measured in the bytes sent (UTF-8), not in characters."""
    env = RemoteEnv(server.url, ENV_ID)
    env.reset(seed=0)
    _, _, _, _, info = env.step("é" * (LIMIT // 2 - 200))  # 2 bytes each: just under
    assert info["verdict"] != "unparseable" or not info.get("reply_too_large")
    assert not info["infra_error"]
    env.close()
