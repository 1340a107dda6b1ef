"""A web episode stays inside its own site, and never learns the task server's real address.

Another episode's site (a decoy registered on the same task server) must stay unreachable
whatever the policy writes: `..`, encoded and double-encoded dots, backslashes, absolute paths,
the real host and port, other schemes; and even a page script that navigates away is stopped by
the browser context's request guard."""

from __future__ import annotations

from typing import Any

import pytest

import gymhub
from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost
from gymhub.envs.web.server import SiteState
from gymhub.types import Action, ToolCall

pytestmark = pytest.mark.browser


class Decoy:
    """Another episode's site: records every request that reaches it."""

    def __init__(self) -> None:
        self.hits: list[str] = []

    def render(self, method: str, path: str, params: Any, state: SiteState) -> str:
        self.hits.append(path)
        return "<html><head></head><body><h1>SECRET-DECOY</h1></body></html>"


@pytest.fixture
def env(host: BrowserHost):
    e = gymhub.make("gymhub/Web-ShopCheckout-v0", max_steps=100)
    yield e
    e.close()


def _goto(url: str) -> Action:
    return Action(content="", tool_calls=[ToolCall(name="goto", arguments={"url": url})])


def _real_addresses(env: BrowserEnv) -> list[str]:
    assert env.host is not None and env.site is not None
    origin = env.host.server.origin
    return [origin, origin.split("//")[1], str(env.host.server.port), env.site.token]


def _assert_hidden(env: BrowserEnv, text: str, info: dict[str, Any]) -> None:
    # the echo of the policy's own action may repeat what the policy wrote; nothing else may
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Last action:"))
    for real in _real_addresses(env):
        assert real not in text, real
        assert real not in str(info), real
    assert info["url"].startswith("http://task.local/")


def test_goto_cannot_leave_the_episodes_site(env: BrowserEnv, host: BrowserHost) -> None:
    obs, info = env.reset(seed=0)
    decoy_renderer = Decoy()
    decoy = host.server.add_site(decoy_renderer)
    try:
        origin, token = host.server.origin, decoy.token
        attempts = [
            f"../{token}/",
            f"../../ep/{token}/",
            f"%2e%2e/{token}/",
            f"%2E%2E/{token}/",
            f"%252e%252e/{token}/",
            f".%2e/{token}/",
            f"..%2f{token}/",
            f"..\\{token}\\",
            f"http://task.local/../{token}/",
            f"http://task.local/%2e%2e/{token}/",
            f"{origin}/ep/{token}/",
            f"//127.0.0.1:{host.server.port}/ep/{token}/",
            f"http://localhost:{host.server.port}/ep/{token}/",
            "file:///etc/passwd",
            f"javascript:location.href='{origin}/ep/{token}/'",
            f"data:text/html,<script>location.href='{origin}/ep/{token}/'</script>",
            "about:blank",
            "http://example.org/",
        ]
        for url in attempts:
            obs, _, terminated, _, info = env.step(_goto(url))
            assert not terminated
            assert info["last_action_error"] is not None, url
            _assert_hidden(env, obs.text, info)
            assert "SECRET-DECOY" not in obs.text
        assert decoy_renderer.hits == []
        # a path inside the site still works, written any usual way
        for url in ("cart", "/cart", "http://task.local/cart", "./cart"):
            obs, *_, info = env.step(_goto(url))
            if url == "./cart":
                assert info["last_action_error"] is not None  # dot segments are refused
            else:
                assert info["url"] == "http://task.local/cart" and info["last_action_error"] is None
    finally:
        host.server.remove_site(decoy)


def test_a_page_that_navigates_away_is_stopped_and_brought_back(
    env: BrowserEnv, host: BrowserHost
) -> None:
    env.reset(seed=1)
    decoy_renderer = Decoy()
    decoy = host.server.add_site(decoy_renderer)
    try:
        target = f"{host.server.origin}/ep/{decoy.token}/"
        assert env.slot is not None
        page = env.slot.page
        host.run(page.evaluate(f"location.href = {target!r}"), timeout=30)
        obs, *_, info = env.step("noop()")
        assert decoy_renderer.hits == []  # the request never reached the task server
        # Chromium either stays on the page or shows its error page, which the env leaves
        assert info["last_action_error"] in (None, "navigation outside the task site was blocked")
        _assert_hidden(env, obs.text, info)
        assert '] button "Add to cart"' in obs.text  # back on the episode's own page
    finally:
        host.server.remove_site(decoy)


def test_errors_never_show_the_real_address(env: BrowserEnv) -> None:
    env.reset(seed=2)
    obs, *_, info = env.step('goto("no/such/page")')  # a 404 of the task server
    _assert_hidden(env, obs.text, info)
    assert info["url"] == "http://task.local/no/such/page"


def test_goto_refuses_every_control_character(env: BrowserEnv) -> None:
    """The docs say control characters are refused: DEL and the C1 controls (U+0080..U+009F)
    went through to the browser, only C0 was refused."""
    env.reset(seed=0)
    for url in ("cart\x7f", "ca\x85rt", "ca\x9brt", "cart\x00", "ca\nrt"):
        _, _, terminated, _, info = env.step(_goto(url))
        assert not terminated and "only pages of" in info["last_action_error"], repr(url)
    _, *_, info = env.step(_goto("cart\u00a0x"))  # a no-break space is no control character
    assert info["last_action_error"] is None
