"""A page whose own script never ends after the policy's action (an endless loop in a click or
key handler, a link to a page that loops as it loads) ends the episode as the policy's `timeout`
within a few action timeouts, and so does a link to a page that never arrives; the env goes on
with a fresh context. An image that never arrives is an action error the policy sees, and the
page is read as it is.

Such steps ran out the whole step budget (raw input and reading the page had no timeout, and
the page was read only once loaded) and ended as the hub's `infra_error`, which trainers mask:
a policy could hide its episodes so."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost
from gymhub.envs.web.tasks import TASKS
from gymhub.envs.web.tasks.base import WebTask, page

pytestmark = pytest.mark.browser
TIMEOUT_S = 1.5


@pytest.fixture(scope="module")
def hang_task() -> Iterator[str]:
    class HangingPage(WebTask):
        name = "TestHangingPage"
        description = "a page whose handlers loop for ever"
        max_steps = 5

        def setup(self) -> None:
            self.goal = "Click OK."
            self.plan = [("click", "#ok")]

        def pages(self, method: str, path: str, params: Any, state: Any) -> str | None:
            if path == "":
                body = (
                    "<button id='loop' onclick='for(;;){}'>Loop</button>"
                    "<button id='later' onclick='setTimeout(() => {for(;;){}}, 300)'>Later</button>"
                    "<input id='keys' onkeydown='for(;;){}' aria-label='keys'>"
                    "<a id='away' href='hang'>Away</a>"
                    "<a id='slow' href='slow'>Slow</a> <a id='pictures' href='pictures'>Pictures</a>"
                    "<form method='post' action='submit'><button id='ok' name='x' value='1'>"
                    "OK</button></form>"
                )
                return page("Hang", body)
            if path == "hang":
                return page("Hanging", "<p>loading</p>", "for(;;){}")
            if path == "slow":  # a page, or an image, that arrives long after any timeout
                time.sleep(4 * TIMEOUT_S)
                return page("Slow", "<p>late</p>")
            if path == "pictures":
                return page("Pictures", "<p>an image</p><img src='slow' alt='late'>")
            return None

        def check(self, outcome: dict[str, Any], state: Any, message: str | None) -> bool:
            return outcome.get("x") == "1"

    yield HangingPage.name
    TASKS.pop(HangingPage.name, None)  # never seen by tests that go through every task


@pytest.mark.parametrize(
    "actions",
    [
        ['click("{loop}")'],  # a click handler that loops
        ['focus("{keys}")', 'press("a")'],  # a key pressed on the page, whose handler loops
        ['click("{away}")'],  # a link to a page that loops as it loads
        ['click("{slow}")'],  # a link to a page that never arrives
    ],
)
def test_a_script_that_never_ends_is_the_policys_timeout(
    host: BrowserHost, hang_task: str, actions: list[str]
) -> None:
    env = BrowserEnv(task=hang_task, action_timeout_s=TIMEOUT_S, screenshot=True)
    try:
        env.reset(seed=0)
        for action in actions:
            start = time.monotonic()
            _, reward, terminated, _, info = env.step(action.format(**env.elements))
            took = time.monotonic() - start
        assert (reward, terminated, info["verdict"]) == (0.0, True, "timeout"), info
        assert not info["infra_error"] and "stopped responding" in info["last_action_error"]
        assert took < 4 * TIMEOUT_S + 5, took  # was the whole step budget, 4 * TIMEOUT_S + 20
        env.reset(seed=0)  # a fresh context: the next episode is paid as usual
        _, reward, terminated, _, info = env.step(env.reference_action())
        assert (reward, info["verdict"]) == (1.0, "correct")
    finally:
        env.close()


@pytest.mark.parametrize(
    ("action", "url", "error"),
    [
        ('click("{pictures}")', "http://task.local/pictures", "did not finish loading"),
        ('goto("pictures")', "http://task.local/pictures", "goto failed"),
    ],
)
def test_a_page_that_never_arrives_is_an_action_error(
    host: BrowserHost, hang_task: str, action: str, url: str, error: str
) -> None:
    env = BrowserEnv(task=hang_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step(action.format(**env.elements))
        assert not terminated and info["verdict"] is None and not info["infra_error"], info
        assert info["url"] == url and error in info["last_action_error"]
        _, reward, terminated, _, info = env.step('goto("/")')
        _, reward, terminated, _, info = env.step(f'click("{env.elements["ok"]}")')
        assert (reward, info["verdict"]) == (1.0, "correct")
    finally:
        env.close()


@pytest.mark.parametrize(
    "action",
    ['click("{ok}")', 'select_option("{ok}", "x")', 'press("{ok}", "Enter")', 'fill("{ok}", "x")'],
)
def test_an_element_action_on_a_page_an_earlier_action_hung(
    host: BrowserHost, hang_task: str, action: str
) -> None:
    """A loop an earlier action started with a timer: finding the element (count, visible,
    enabled: no timeout of their own) waited for ever, and the step ended as infra_error once
    its whole budget ran out."""
    env = BrowserEnv(task=hang_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        _, _, terminated, _, info = env.step(f'click("{env.elements["later"]}")')
        assert not terminated, info
        time.sleep(1)  # the timer fires: the page's script now never ends
        start = time.monotonic()
        _, reward, terminated, _, info = env.step(action.format(**env.elements))
        took = time.monotonic() - start
        assert (reward, terminated, info["verdict"]) == (0.0, True, "timeout"), info
        assert not info["infra_error"] and took < 4 * TIMEOUT_S + 5, took
    finally:
        env.close()


def test_a_reset_after_a_page_hung_since_the_last_step_is_quick(
    host: BrowserHost, hang_task: str
) -> None:
    """The loop started after the episode's last step: the reset navigated the hung page away,
    which waited for the whole navigation timeout (10 s) before a fresh context was taken."""
    env = BrowserEnv(task=hang_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        env.step(f'click("{env.elements["later"]}")')
        time.sleep(1)  # the timer fires after the step: the page's script never ends
        start = time.monotonic()
        env.reset(seed=0)
        assert time.monotonic() - start < 6
        _, reward, _, _, info = env.step(env.reference_action())
        assert (reward, info["verdict"]) == (1.0, "correct")
    finally:
        env.close()
