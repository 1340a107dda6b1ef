"""The browser env in a real Chromium: reference runs, observations, errors, robustness."""

from __future__ import annotations

import asyncio
import base64
import threading

import pytest

import gymhub
from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost
from gymhub.envs.web.tasks import TASKS
from gymhub.errors import InvalidOptionsError
from gymhub.types import Action, ImagePart, ToolCall

pytestmark = pytest.mark.browser


def run_reference(env: BrowserEnv, seed: int) -> float:
    env.reset(seed=seed)
    total, done = 0.0, False
    while not done:
        action = env.reference_action()
        assert action is not None, f"no reference action at turn {env.turn}"
        _, reward, terminated, truncated, info = env.step(action)
        assert info.get("last_action_error") is None, (action.content, info["last_action_error"])
        total += reward
        done = terminated or truncated
    return total


@pytest.mark.parametrize("name", sorted(TASKS))
def test_reference_scores_one_on_several_seeds(host: BrowserHost, name: str) -> None:
    env = gymhub.make(f"gymhub/Web-{name}-v0")
    try:
        for seed in (0, 1):
            assert run_reference(env, seed) == 1.0, f"{name} seed {seed}"
        env.reset(seed=5, options={"difficulty": 5})  # the hardest setting works too
        assert env.task is not None and env.task.metadata["difficulty"] == 5
        total, done = 0.0, False
        while not done:
            _, reward, terminated, truncated, _ = env.step(env.reference_action())  # type: ignore[arg-type]
            total, done = total + reward, terminated or truncated
        assert total == 1.0, f"{name} at difficulty 5"
    finally:
        env.close()


@pytest.fixture
def env(host: BrowserHost):
    e = gymhub.make("gymhub/Web-ShopCheckout-v0")
    yield e
    e.close()


def test_observation_format(env: BrowserEnv) -> None:
    obs, info = env.reset(seed=3)
    system, user = obs.messages
    assert system.role == "system" and 'click("12")' in system.text
    text = user.text
    assert text.startswith("# Goal\n" + env.task.question)  # type: ignore[union-attr]
    assert "URL: http://task.local/" in text and "127.0.0.1" not in text
    assert '] button "Add to cart"' in text and '] link "Cart (0)"' in text
    assert {t.name for t in obs.tools} >= {"click", "fill", "send_msg"}
    assert info["task_id"].startswith("web/ShopCheckout-s3")


def test_invalid_and_failing_actions_are_reported_not_raised(env: BrowserEnv) -> None:
    env.reset(seed=0)
    cases = {
        'click("99999")': "no element with id 99999",
        'click("abc")': "invalid element id",
        "dance()": "unknown action",
        "": "no action found",
        'goto("https://example.com/")': "only pages of http://task.local/",
        'goto("file:///etc/passwd")': "only pages of http://task.local/",
        "mouse_click(5000, 10)": "outside",
        'press("Not A Key!")': "not a key name",
    }
    for action, message in cases.items():
        obs, reward, terminated, truncated, info = env.step(action)
        assert message in info["last_action_error"], (action, info["last_action_error"])
        assert f"Last action error: {info['last_action_error']}" in obs.text
        assert reward == 0 and not terminated
        if truncated:
            env.reset(seed=0)
    env.reset(seed=0)
    obs, *_, info = env.step('select_option("1", "x")')  # an element that is not a <select>
    assert info["last_action_error"].startswith("select_option failed")


def test_goto_and_tool_calls(env: BrowserEnv) -> None:
    env.reset(seed=1)
    obs, *_, info = env.step('goto("http://task.local/cart")')
    assert info["url"] == "http://task.local/cart" and "Total: $0" in obs.text
    obs, *_, info = env.step(
        Action(content="", tool_calls=[ToolCall(name="go_back", arguments={})])
    )
    assert info["url"] == "http://task.local/" and info["last_action_error"] is None
    obs, *_, info = env.step('goto("/checkout")')
    assert info["url"] == "http://task.local/checkout"


def test_reset_leaves_no_state_behind(env: BrowserEnv) -> None:
    env.reset(seed=2)
    add = env.reference_action()
    obs, *_ = env.step(add)  # type: ignore[arg-type]
    assert "Cart (1)" in obs.text
    obs, _ = env.reset(seed=2)
    assert "Cart (0)" in obs.text and "Cart (1)" not in obs.text
    # the previous episode's site is gone from the server
    assert len(env.host.server.sites) == 1  # type: ignore[union-attr]


def test_reset_wipes_cookies_and_storage_of_a_reused_context(env: BrowserEnv) -> None:
    env.reset(seed=0)
    page, context = env.slot.page, env.slot.context  # type: ignore[union-attr]
    host = env.host
    assert host is not None
    host.run(page.evaluate("() => { localStorage.setItem('k', 'v'); document.cookie = 'c=1'; }"))
    assert host.run(page.evaluate("() => localStorage.getItem('k') + document.cookie")) == "vc=1"
    env.reset(seed=0)
    assert env.slot.context is context  # reused, not recreated  # type: ignore[union-attr]
    assert (
        host.run(page.evaluate("() => String(localStorage.getItem('k')) + document.cookie"))
        == "null"
    )
    # and go_back cannot leave the episode
    _, *_, info = env.step("go_back()")
    assert "no previous page" in info["last_action_error"]
    assert info["url"] == "http://task.local/"


def test_max_steps_truncates_with_zero_reward(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-ClickButton-v0", max_steps=3)
    try:
        env.reset(seed=0)
        results = [env.step("noop()") for _ in range(3)]
        assert [r[3] for r in results] == [False, False, True]
        assert all(r[1] == 0 and not r[2] for r in results)
    finally:
        env.close()


def test_wrong_submission_scores_zero(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-ClickButton-v0")
    try:
        env.reset(seed=4)
        task = env.web_task
        wrong = next(i for i in range(len(task.labels)) if i != task.target)  # type: ignore[union-attr]
        _, reward, terminated, _, info = env.step(f'click("{env.elements[f"b{wrong}"]}")')
        assert terminated and reward == 0 and info["verdict"] == "incorrect"
    finally:
        env.close()


def test_send_msg_ends_the_episode(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-ReadReport-v0")
    try:
        env.reset(seed=0)
        _, reward, terminated, _, info = env.step('send_msg("I could not find it")')
        assert terminated and reward == 0 and info["verdict"] == "incorrect"
    finally:
        env.close()


def test_screenshot_option_adds_a_png(host: BrowserHost) -> None:
    env = BrowserEnv(task="EnterText", screenshot=True)
    try:
        obs, _ = env.reset(seed=0)
        image = obs.messages[1].content[1]  # type: ignore[index]
        assert isinstance(image, ImagePart)
        png = base64.b64decode(image.image)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (1024, 768)
    finally:
        env.close()


def test_bad_constructor_and_options() -> None:
    with pytest.raises(ValueError, match="unknown web task"):
        BrowserEnv(task="Nope")
    with pytest.raises(InvalidOptionsError):
        gymhub.make("gymhub/Web-EnterText-v0", difficulty=9)
    env = gymhub.make("gymhub/Web-EnterText-v0")
    with pytest.raises(InvalidOptionsError):
        env.reset(options={"difficulty": 0})
    env.close()


def test_page_crash_is_an_infra_error_and_recovers(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-EnterText-v0")
    try:
        env.reset(seed=0)
        page = env.slot.page  # type: ignore[union-attr]
        from playwright.async_api import Error as PlaywrightError

        with pytest.raises(PlaywrightError):  # the renderer dies under the navigation
            host.run(page.goto("chrome://crash"), timeout=30)
        _, reward, terminated, _, info = env.step("noop()")
        assert terminated and reward == 0
        assert info["verdict"] == "infra_error" and info["infra_error"] is True
        assert run_reference(env, 0) == 1.0  # the next episode gets a fresh context
    finally:
        env.close()


def test_browser_crash_is_recovered_by_a_new_browser(host: BrowserHost) -> None:
    import os
    import signal

    from tests.web.helpers import browser_processes, cmdline

    env = gymhub.make("gymhub/Web-EnterText-v0")
    try:
        env.reset(seed=0)
        launches = host.launches
        main = [
            p for p in browser_processes() if "--type=" not in cmdline(p) and "chrom" in cmdline(p)
        ]
        assert main, "no Chromium main process found"
        for pid in main:
            os.kill(pid, signal.SIGKILL)
        _, reward, terminated, _, info = env.step("noop()")
        assert terminated and info["verdict"] == "infra_error"
        assert run_reference(env, 1) == 1.0
        assert host.launches == launches + 1
    finally:
        env.close()


def test_concurrent_episodes_share_the_browser(host: BrowserHost) -> None:
    names = ["ClickButton", "EnterText", "ChooseList", "LoginUser"]
    envs = [gymhub.make(f"gymhub/Web-{n}-v0") for n in names]
    results: dict[str, float] = {}

    def work(env: BrowserEnv, name: str) -> None:
        results[name] = sum(run_reference(env, s) for s in (0, 1))

    try:
        threads = [threading.Thread(target=work, args=(e, n)) for e, n in zip(envs, names)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert results == {n: 2.0 for n in names}
        assert host.live_contexts == len(envs)
    finally:
        for e in envs:
            e.close()


def test_async_api(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-LoginUser-v0")

    async def episode() -> float:
        await env.areset(seed=3)
        total, done = 0.0, False
        while not done:
            _, r, term, trunc, _ = await env.astep(env.reference_action())  # type: ignore[arg-type]
            total, done = total + r, term or trunc
        return total

    try:
        assert asyncio.run(episode()) == 1.0
    finally:
        env.close()


def test_context_cap_is_a_clear_error(host: BrowserHost, monkeypatch) -> None:
    from gymhub.envs.web.host import BrowserUnavailableError

    monkeypatch.setattr(host, "acquire_timeout_s", 0.5)
    monkeypatch.setattr(host, "_sem", asyncio.Semaphore(0))  # as if every context were taken
    env = gymhub.make("gymhub/Web-EnterText-v0")
    try:
        with pytest.raises(BrowserUnavailableError, match="browser contexts are in use"):
            env.reset(seed=0)
    finally:
        env.close()
