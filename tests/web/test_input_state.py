"""Keys and mouse buttons belong to the page, which the next episode of a reused context gets:
an action that fails half-way must not leave one held.

`press("Shift+Foo")` failed at the unknown key with Shift already down and left it held: every
later click was a shift-click, which the page guard turns into nothing, so the policy's right
click earned nothing, in that episode and in the next one of the same context too."""

from __future__ import annotations

import pytest

from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost

pytestmark = pytest.mark.browser


def _right_click(env: BrowserEnv) -> str:
    return f'click("{env.elements[f"b{env.web_task.target}"]}")'  # type: ignore[union-attr]


@pytest.mark.parametrize("chord", ["Shift+Foo", "Control+Alt+Nope", "Meta+Shift++x"])
def test_a_failed_chord_leaves_no_key_held(host: BrowserHost, chord: str) -> None:
    env = BrowserEnv(task="ClickButton", max_steps=10)
    try:
        env.reset(seed=0)
        *_, info = env.step(f'press("{chord}")')
        assert "Unknown key" in info["last_action_error"]
        _, reward, terminated, _, info = env.step(_right_click(env))
        assert (reward, terminated, info["verdict"]) == (1.0, True, "correct")

        env.reset(seed=1)  # the same context: the chord fails again, on an element this time
        *_, info = env.step(f'press("{env.elements["b0"]}", "{chord}")')
        assert "Unknown key" in info["last_action_error"]
        env.reset(seed=2)  # the next episode starts with nothing held
        _, reward, terminated, _, info = env.step(env.reference_action())
        assert (reward, terminated, info["verdict"]) == (1.0, True, "correct")
    finally:
        env.close()
