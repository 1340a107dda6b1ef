"""Pages a task's script makes odd in answer to the policy's actions: nested thousands of levels
deep, huge, crashed, or never done loading. Each ends in the policy's status or an ordinary
observation, never as the hub's `infra_error`, and costs no step more than its own share of time.

- A DOM nested 3,000 levels deep in boxes Chromium lays out (`display: contents`) overflowed the
  stack of the recursive tree walk: the page could not be read and the step ended as infra_error.
- A DOM deep enough to crash Chromium's renderer ended as infra_error although the policy's
  action built it; a crash after the step's action began is the policy's `error` now (a crash
  found before the action, `test_web_env.py`, stays the hub's).
- A page of 100,000 elements was read whole on every step (seconds), past the read's timeout on
  a slow machine; the walk stops where the observation is cut.
- A page that reloads itself without end (a meta refresh of 0 s) could not be read, and the
  step ended as infra_error; the policy sees the page could not be read and goes elsewhere.
  With screenshots on, the screenshot of a page that reloads itself from its script timed out
  and ended the step as infra_error too.
- A page that never finishes loading (an image that never arrives, a frame never closed)
  waited a whole action timeout on every step."""

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
TIMEOUT_S = 3.0


def _nest(depth: int, style: str) -> str:
    return (
        "let c=document.body;for(let i=0;i<" + str(depth) + ";i++){"
        'const d=document.createElement("div");d.style.cssText="' + style + '";'
        'c.appendChild(d);c=d;}c.textContent="bottom"'
    )


@pytest.fixture(scope="module")
def shapes_task() -> Iterator[str]:
    class OddPages(WebTask):
        name = "TestOddPages"
        description = "pages whose scripts build odd documents on a click"
        max_steps = 10

        def setup(self) -> None:
            self.goal = "Click OK."
            self.plan = [("click", "#ok")]

        def pages(self, method: str, path: str, params: Any, state: Any) -> str | None:
            if path == "":
                flat = (
                    'for(let i=0;i<100000;i++){const d=document.createElement("div");'
                    'd.style.width="0";document.body.appendChild(d)}'
                    'document.body.appendChild(document.createTextNode("end"))'
                )
                body = (
                    f"<button id='deep' onclick='{_nest(3000, 'display:contents')}'>Deep</button>"
                    f"<button id='crash' onclick='{_nest(6000, '')}'>Crash</button>"
                    f"<button id='many' onclick='{flat}'>Many</button>"
                    "<a id='pictures' href='pictures'>Pictures</a> <a id='again' href='again'>Again</a>"
                    "<a id='reloads' href='reloads'>Reloads</a>"
                    "<form method='post' action='submit'><button id='ok' name='x' value='1'>"
                    "OK</button></form>"
                )
                return page("Odd", body)
            if path == "pictures":  # a frame whose document is never closed: no load event
                return page(
                    "Pictures",
                    "<iframe id='frame'></iframe><a id='later' href='later'>Later</a>",
                    "const d=document.getElementById('frame').contentDocument;d.open();"
                    "d.write('<p>loading</p>');",
                )
            if path == "again":  # reloads itself at once, for ever
                return (
                    "<!doctype html><html><head><meta http-equiv='refresh' content='0'></head>"
                    "<body><p>again</p></body></html>"
                )
            if path == "reloads":  # reloads itself from its script, for ever
                return page("Reloads", "<p>again</p>", "setTimeout(() => location.reload(), 0)")
            if path == "later":  # a page that takes a while to arrive, then loads at once
                time.sleep(1.5)
                return page("Later", "<p>arrived</p>")
            return None

        def check(self, outcome: dict[str, Any], state: Any, message: str | None) -> bool:
            return outcome.get("x") == "1"

    yield OddPages.name
    TASKS.pop(OddPages.name, None)  # never seen by tests that go through every task


def _ok(env: BrowserEnv) -> tuple[float, str]:
    _, reward, _, _, info = env.step(f'click("{env.elements["ok"]}")')
    return reward, info["verdict"]


def test_a_deeply_nested_page_is_read(host: BrowserHost, shapes_task: str) -> None:
    env = BrowserEnv(task=shapes_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step(f'click("{env.elements["deep"]}")')
        assert (terminated, info["verdict"], info["infra_error"]) == (False, None, False), info
        assert 'StaticText "bottom"' in obs.messages[0].text
        assert _ok(env) == (1.0, "correct")
    finally:
        env.close()


def test_a_renderer_crash_the_action_caused_is_the_policys_error(
    host: BrowserHost, shapes_task: str
) -> None:
    env = BrowserEnv(task=shapes_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        _, reward, terminated, _, info = env.step(f'click("{env.elements["crash"]}")')
        assert (reward, terminated, info["verdict"]) == (0.0, True, "error"), info
        assert not info["infra_error"] and "crashed" in info["last_action_error"]
        env.reset(seed=0)  # a fresh context: the next episode is paid as usual
        assert _ok(env) == (1.0, "correct")
    finally:
        env.close()


def test_a_huge_page_is_read_in_bounded_time(host: BrowserHost, shapes_task: str) -> None:
    env = BrowserEnv(task=shapes_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        env.step(f'click("{env.elements["many"]}")')
        for _ in range(2):
            start = time.monotonic()
            obs, _, terminated, _, info = env.step("noop()")
            assert (terminated, info["verdict"]) == (False, None), info
            assert time.monotonic() - start < 2 * TIMEOUT_S
        assert obs.messages[0].text.endswith("[page truncated]")  # the walk stopped early
        assert _ok(env) == (1.0, "correct")
    finally:
        env.close()


def test_a_page_that_never_finishes_loading_is_waited_for_once(
    host: BrowserHost, shapes_task: str
) -> None:
    env = BrowserEnv(task=shapes_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        _, _, _, _, info = env.step(f'click("{env.elements["pictures"]}")')
        assert "did not finish loading" in info["last_action_error"]
        for _ in range(3):  # each step waited TIMEOUT_S for the same image again
            start = time.monotonic()
            _, _, terminated, _, info = env.step("noop()")
            took = time.monotonic() - start
            assert (terminated, info["verdict"], info["url"]) == (
                False,
                None,
                "http://task.local/pictures",
            )
            assert took < TIMEOUT_S - 1, took
        # a page the stalled one links to is waited for as usual, and read once it arrives
        obs, _, _, _, info = env.step(f'click("{env.elements["later"]}")')
        assert info["url"] == "http://task.local/later" and info["last_action_error"] is None
        assert 'StaticText "arrived"' in obs.messages[0].text
        env.step('goto("/")')
        assert _ok(env) == (1.0, "correct")
    finally:
        env.close()


def test_a_page_that_reloads_itself_for_ever_is_the_policys_to_leave(
    host: BrowserHost, shapes_task: str
) -> None:
    env = BrowserEnv(task=shapes_task, action_timeout_s=TIMEOUT_S)
    try:
        env.reset(seed=0)
        for action in (f'click("{env.elements["again"]}")', "noop()"):
            obs, reward, terminated, _, info = env.step(action)
            assert (terminated, info["verdict"], info["infra_error"]) == (False, None, False)
            assert info["url"] == "http://task.local/again"
            # read between two reloads, or found replacing itself: never the hub's failure
            assert "could not be read" in (info["last_action_error"] or "could not be read")
        for _ in range(3):  # a reload due at that moment may cancel the navigation: try again
            _, _, terminated, _, info = env.step('goto("/")')
            assert not terminated and not info["infra_error"]
            if info["url"] == "http://task.local/" and info["last_action_error"] is None:
                break
        assert info["url"] == "http://task.local/" and info["last_action_error"] is None, info
        assert _ok(env) == (1.0, "correct")
    finally:
        env.close()


def test_a_page_that_reloads_itself_is_shown_without_a_screenshot(
    host: BrowserHost, shapes_task: str
) -> None:
    env = BrowserEnv(task=shapes_task, action_timeout_s=TIMEOUT_S, screenshot=True)
    try:
        env.reset(seed=0)
        for action in (f'click("{env.elements["reloads"]}")', "noop()", "noop()"):
            _, reward, terminated, _, info = env.step(action)
            assert not info["infra_error"], info
            if terminated:  # found hung between two reloads: the policy's timeout at worst
                assert (reward, info["verdict"]) == (0.0, "timeout")
                break
    finally:
        env.close()
