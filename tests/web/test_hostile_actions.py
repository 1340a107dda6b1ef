"""Hostile policy output against the web and GUI envs: whatever the policy writes ends in one of
the policy's own statuses (an error in the next observation, `unparseable`, `incorrect`), never
an exception out of `step`, never `infra_error`, and every observation can be sent over the wire.
"""

from __future__ import annotations

import json
import time

import pytest

import gymhub
from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost
from gymhub.types import Action, ToolCall

pytestmark = pytest.mark.browser

DEEP_JSON = '{"bid": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _call(name: str, arguments: str) -> Action:
    return Action(content="", tool_calls=[ToolCall(id="c1", name=name, arguments=arguments)])


def _wire(obs) -> bytes:
    """The observation as a server sends it (raises on text UTF-8 cannot encode)."""
    return json.dumps(obs.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")


@pytest.fixture
def env(host: BrowserHost):
    e = gymhub.make("gymhub/Web-EnterText-v0", max_steps=50)
    yield e
    e.close()


def _bid(obs, role: str) -> str:
    line = next(line for line in obs.text.splitlines() if f"] {role}" in line)
    return line.split("]")[0].strip(" [")


def test_deeply_nested_tool_call_arguments_are_the_policys_error(env: BrowserEnv) -> None:
    env.reset(seed=0)
    obs, reward, terminated, _, info = env.step(_call("fill", DEEP_JSON))
    assert "nest too deeply" in info["last_action_error"]
    assert reward == 0 and not terminated and not info["infra_error"]
    text = '<tool_call>{"name": "click", "arguments": ' + DEEP_JSON + "}</tool_call>"
    obs, *_, info = env.step(text[:19_000])  # the text form: cut below the length limit
    assert info["last_action_error"] and not info["infra_error"]


def test_gui_deeply_nested_tool_call_is_unparseable(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/GUIGround-v0")
    try:
        env.reset(seed=0)
        _, reward, terminated, _, info = env.step(_call("click", DEEP_JSON))
        assert (reward, terminated, info["verdict"]) == (0.0, True, "unparseable")
    finally:
        env.close()


@pytest.mark.parametrize(
    "make_action",
    [
        lambda bid: f'fill("{bid}", "a\\ud800b")',  # a Python escape in the action text
        lambda bid: _call(
            "fill", json.dumps({"bid": bid, "value": "a"}).replace('"a"', '"a\\ud800b"')
        ),
    ],
)
def test_lone_surrogates_never_reach_the_observation(env: BrowserEnv, make_action) -> None:
    obs, _ = env.reset(seed=0)
    bid = _bid(obs.messages[1], "textbox")
    obs, reward, terminated, _, info = env.step(make_action(bid))
    assert info["last_action_error"] is None and not info["infra_error"]
    _wire(obs)  # every observation can be sent
    assert 'value="a\ufffdb"' in obs.text
    obs, *_ = env.step('goto("/\\udfff")')
    _wire(obs)


def test_windows_a_policy_opens_are_closed(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/Web-EmailReply-v0", max_steps=50)
    try:
        for seed in range(2):  # a reused context must not collect the last episode's windows
            obs, _ = env.reset(seed=seed)
            link = _bid(obs.messages[1], "link")
            for chord in ("Shift+Enter", "Control+Enter", "Control+Shift+Enter"):
                obs, reward, terminated, _, info = env.step(f'press("{link}", "{chord}")')
                assert not terminated and not info["infra_error"]
            assert env.slot is not None
            deadline = time.monotonic() + 5
            while len(env.slot.context.pages) > 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert env.slot.context.pages == [env.slot.page]
            obs, *_, info = env.step("noop()")
            assert info["url"] == "http://task.local/" and "Inbox" in obs.text
    finally:
        env.close()


def test_a_missing_option_is_refused_at_once(host: BrowserHost) -> None:
    env = BrowserEnv(task="ChooseList", action_timeout_s=3)
    try:
        obs, _ = env.reset(seed=0)
        box = _bid(obs.messages[1], "combobox")
        start = time.monotonic()
        obs, *_, info = env.step(f'select_option("{box}", "No such entry")')
        assert time.monotonic() - start < 3  # within one action timeout, not two
        assert "has no option 'No such entry'" in info["last_action_error"]
        target = env.web_task.target  # type: ignore[union-attr]
        obs, *_, info = env.step(f'select_option("{box}", "{target}")')  # by label
        assert info["last_action_error"] is None and f'option "{target}" selected' in obs.text
    finally:
        env.close()


def test_a_missing_option_is_refused_at_once_through_a_label(host: BrowserHost) -> None:
    """Playwright acts on a label's control: select_option on the <label> of a <select> (its id
    is in the page, not in the tree) waited the whole action timeout for a missing option."""
    env = BrowserEnv(task="ChooseList", action_timeout_s=3)
    try:
        env.reset(seed=0)
        assert env.host is not None and env.slot is not None
        js = "document.getElementById('choice').closest('label').dataset.ghBid"
        label = env.host.run(env.slot.page.evaluate(js))
        start = time.monotonic()
        obs, *_, info = env.step(f'select_option("{label}", "No such entry")')
        assert time.monotonic() - start < 2.5  # was the whole 3 s timeout
        assert "has no option 'No such entry'" in info["last_action_error"]
        target = env.web_task.target  # type: ignore[union-attr]
        obs, *_, info = env.step(f'select_option("{label}", "{target}")')  # through the label
        assert info["last_action_error"] is None and f'option "{target}" selected' in obs.text
    finally:
        env.close()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"difficulty": 99}, "outside the range"),
        ({"difficulty": "hard"}, "finite number"),
        ({"max_steps": 0}, "max_steps"),
        ({"max_steps": True}, "max_steps"),
        ({"screenshot": "no"}, "screenshot"),
        ({"action_timeout_s": "5"}, "action_timeout_s"),
        ({"recycle_after": True}, "recycle_after"),
        ({"task": ["ClickButton"]}, "unknown web task"),
    ],
)
def test_bad_constructor_arguments_are_clear_errors(kwargs: dict, message: str) -> None:
    # raised when the env is built (no browser needed), never as a confusing failure at reset
    with pytest.raises(ValueError, match=message):
        BrowserEnv(**kwargs)


@pytest.mark.parametrize("difficulty", [0, 6, "x", 2.5])
def test_gui_bad_difficulty_is_refused_when_built_directly(difficulty: object) -> None:
    from gymhub.envs.gui.env import GroundingEnv

    with pytest.raises(ValueError, match="difficulty"):
        GroundingEnv(difficulty=difficulty)  # type: ignore[arg-type]


@pytest.mark.parametrize("difficulty", [0, 9, 2.5])
def test_reset_difficulty_is_checked_when_built_directly(difficulty: object) -> None:
    from gymhub.envs.gui.env import GroundingEnv
    from gymhub.errors import InvalidOptionsError

    for env in (BrowserEnv(task="ClickButton"), GroundingEnv()):
        try:  # refused before any browser starts, as for an env from make()
            with pytest.raises(InvalidOptionsError, match="difficulty"):
                env.reset(seed=0, options={"difficulty": difficulty})
        finally:
            env.close()


def test_gui_several_tool_calls_with_different_points_are_a_hedge(host: BrowserHost) -> None:
    env = gymhub.make("gymhub/GUIGround-v0")

    def clicks(*points: tuple[float, float]) -> Action:
        calls = [
            ToolCall(id=f"c{i}", name="click", arguments={"x": x, "y": y})
            for i, (x, y) in enumerate(points)
        ]
        return Action(content="", tool_calls=calls)

    try:
        env.reset(seed=0)
        x1, y1, x2, y2 = env.box  # type: ignore[misc]
        hit, miss = ((x1 + x2) / 2, (y1 + y2) / 2), (x2 + 300 if x2 < 400 else x1 - 300, y1)
        for answer in (clicks(hit, miss), clicks(miss, hit)):
            env.reset(seed=0)
            _, reward, *_, info = env.step(answer)
            assert (reward, info["verdict"]) == (0.0, "incorrect")
        env.reset(seed=0)
        _, reward, *_ = env.step(clicks(hit, hit))  # the same point twice is one answer
        assert reward == 1.0
    finally:
        env.close()


def test_running_out_of_steps_ends_with_the_policys_status(host: BrowserHost) -> None:
    """The step budget ends the episode as the task not done (`incorrect`), not with no status."""
    env = gymhub.make("gymhub/Web-ClickButton-v0", max_steps=2)
    try:
        env.reset(seed=0)
        _, _, _, truncated, info = env.step("noop()")
        assert not truncated and info["verdict"] is None
        _, reward, terminated, truncated, info = env.step("no action at all")
        assert (reward, terminated, truncated, info["verdict"]) == (0.0, False, True, "incorrect")
        assert not info["infra_error"]
    finally:
        env.close()


@pytest.mark.parametrize("env_id", ["gymhub/GUIGround-v0", "gymhub/Web-EnterText-v0"])
def test_the_core_hostile_action_list_ends_in_the_policys_status(host: BrowserHost, env_id):
    """tests/core/test_hostile_actions_all_envs.py's list through a GUI and a web env (a fresh
    episode only when one ends: browser resets are the slow part)."""
    from tests.core.test_hostile_actions_all_envs import HOSTILE, STEP_LIMIT_S

    env = gymhub.make(env_id, **({"max_steps": 100} if env_id.startswith("gymhub/Web") else {}))
    try:
        obs, _ = env.reset(seed=0)
        tool = obs.tools[0] if obs.tools else None
        for label, build in HOSTILE:
            start = time.monotonic()
            obs, reward, terminated, truncated, info = env.step(build(tool))
            took = time.monotonic() - start
            assert took < STEP_LIMIT_S, (label, took)
            assert not info["infra_error"] and info["verdict"] != "infra_error", (label, info)
            assert reward == 0.0 and info["verdict"] not in ("correct", "partial"), (label, info)
            _wire(obs)
            for message in env.conversation:
                message.model_dump_json()
            if terminated or truncated:
                env.reset(seed=0)
    finally:
        env.close()
