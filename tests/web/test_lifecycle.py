"""Browser lifetime: close() leaves no browser process, 200 episodes leak neither processes nor
memory. These tests hold no shared host, so they see the real start and stop."""

from __future__ import annotations

import gc
import time

import pytest

import gymhub
from gymhub.envs.web.host import BrowserHost, chromium_available
from tests.conftest import require
from tests.web.helpers import browser_processes, rss_mb

pytestmark = pytest.mark.browser


def _settle(expected_max: int, timeout: float = 15.0) -> list[int]:
    """Browser processes once their count is at most `expected_max` (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    procs = browser_processes()
    while len(procs) > expected_max and time.monotonic() < deadline:
        time.sleep(0.2)
        procs = browser_processes()
    return procs


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    require(chromium_available(), "Chromium (scripts/setup_browser.sh) and playwright")
    assert BrowserHost._instance is None, "another test left the browser host running"


def test_close_leaves_no_browser_process() -> None:
    before = browser_processes()
    web = gymhub.make("gymhub/Web-ClickButton-v0")
    gui = gymhub.make("gymhub/GUIGround-v0")
    assert browser_processes() == before  # make is cheap: nothing starts before reset
    web.reset(seed=0)
    gui.reset(seed=0)
    assert len(browser_processes()) > len(before)
    web.close()
    assert len(browser_processes()) > len(before)  # gui still holds the shared browser
    gui.close()
    gui.close()  # idempotent
    assert _settle(len(before)) == before
    assert BrowserHost._instance is None


def test_closed_env_refuses_reset() -> None:
    env = gymhub.make("gymhub/Web-EnterText-v0")
    env.reset(seed=0)
    env.close()
    with pytest.raises(gymhub.GymhubError, match="closed"):
        env.reset(seed=0)
    assert _settle(0) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [("/no/such/chromium", "no Chromium found"), ("/bin/false", "did not start")],
)
def test_missing_or_broken_chromium_is_a_clear_error(monkeypatch, path: str, message: str) -> None:
    from gymhub.envs.web.host import BrowserUnavailableError

    monkeypatch.setenv("GYMHUB_CHROMIUM", path)
    env = gymhub.make("gymhub/Web-EnterText-v0")  # make never starts a browser
    with pytest.raises(BrowserUnavailableError, match=message):
        env.reset(seed=0)
    env.close()
    assert BrowserHost._instance is None and _settle(0) == []


@pytest.mark.slow
def test_200_episodes_leave_processes_and_memory_flat() -> None:
    env = gymhub.make("gymhub/Web-ClickButton-v0")
    counts, rss = [], []
    try:
        for episode in range(200):
            env.reset(seed=episode)
            _, reward, terminated, _, _ = env.step(env.reference_action())  # type: ignore[arg-type]
            assert terminated and reward == 1.0
            if episode in (19, 199):
                gc.collect()
                time.sleep(1.0)  # let the closing of used contexts finish
                counts.append(len(browser_processes()))
                rss.append(rss_mb())
        host = env.host
        assert host is not None and host.live_contexts == 1
        assert len(host.server.sites) == 1
    finally:
        env.close()
    # a used context is closed in the background, the pool holds `prewarm` fresh ones: the
    # process count may differ by the renderers in flight, never grow with episodes
    assert counts[1] <= counts[0] + 2, f"browser processes grew: {counts}"
    assert rss[1] - rss[0] < 40, f"hub process memory grew from {rss[0]:.0f} to {rss[1]:.0f} MB"
    assert _settle(0) == []
