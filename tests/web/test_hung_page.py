"""A page whose own script never ends after the policy's action (an endless loop in a click or
key handler, a link to a page that loops as it loads) ends the episode as the policy's `timeout`
within a few action timeouts, and the env goes on with a fresh context.

Such a step ran out the whole step budget (raw input and reading the page had no timeout) and
ended as the hub's `infra_error`, which trainers mask: a policy could hide its episodes so."""

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
                    "<input id='keys' onkeydown='for(;;){}' aria-label='keys'>"
                    "<a id='away' href='hang'>Away</a>"
                    "<form method='post' action='submit'><button id='ok' name='x' value='1'>"
                    "OK</button></form>"
                )
                return page("Hang", body)
            if path == "hang":
                return page("Hanging", "<p>loading</p>", "for(;;){}")
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
