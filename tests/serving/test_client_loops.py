"""A RemoteEnv driven from one `asyncio.run` after another (what a synchronous trainer calling
async code does per batch) leaves no connection behind: each run used to leave one socket open
in the client, and its WebSocket open on the server too."""

from __future__ import annotations

import asyncio
import gc
import os

import pytest

from gymhub.remote import RemoteEnv
from gymhub.server.background import ThreadServer
from tests.serving.conftest import SLOW_ID

RUNS = 12


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture(scope="module")
def server(test_envs):
    with ThreadServer(test_envs) as srv:
        yield srv


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
@pytest.mark.parametrize("transport", ["http", "ws"])
def test_each_asyncio_run_closes_the_connections_it_opened(server, transport):
    env = RemoteEnv(server.url, SLOW_ID, transport=transport)

    async def episode(seed: int) -> float:
        await env.areset(seed=seed)
        return (await env.astep("done"))[1]

    assert asyncio.run(episode(0)) == 1.0  # the first run opens what every run needs
    gc.collect()
    before = _open_fds()
    for seed in range(1, RUNS):
        assert asyncio.run(episode(seed)) == 1.0
    gc.collect()
    assert _open_fds() - before <= 2, f"{_open_fds() - before} descriptors left by {RUNS} runs"
    assert len(server.manager.sessions) == 1  # one session, reused by every run
    env.close()
