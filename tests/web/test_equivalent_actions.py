"""Actions written in a form equivalent to the canonical one do what it does: an element id as
the tree shows it (`[12]`), an option named case and surrounding spaces aside. Before, each was
refused as an action error, so a right action cost a step (and the last step's right action
scored 0). What is not equivalent stays refused."""

from __future__ import annotations

import pytest

from gymhub.envs.web.env import BrowserEnv
from gymhub.envs.web.host import BrowserHost

pytestmark = pytest.mark.browser


def test_an_option_named_case_and_spaces_aside_is_chosen(host: BrowserHost) -> None:
    env = BrowserEnv(task="ChooseList", max_steps=6)
    try:
        env.reset(seed=3)
        assert env.web_task is not None
        target = env.web_task.target
        choice, submit = env.elements["choice"], env.elements["submit"]
        for wrong in (target[:-1], target + "x", "-- CHOOSE"):
            _, _, _, _, info = env.step(f'select_option("{choice}", "{wrong}")')
            assert "has no option" in (info["last_action_error"] or ""), (wrong, info)
        _, _, _, _, info = env.step(f'select_option("[{choice}]", "  {target.upper()} ")')
        assert info["last_action_error"] is None, info
        _, reward, terminated, _, info = env.step(f'click("[{submit}]")')
        assert (reward, terminated, info["verdict"]) == (1.0, True, "correct"), info
    finally:
        env.close()


@pytest.mark.parametrize("bid", ["[{n}", "{n}]", "[[{n}]]", "[ {n} ]", "#{n}"])
def test_other_id_forms_stay_refused(host: BrowserHost, bid: str) -> None:
    env = BrowserEnv(task="ClickButton")
    try:
        env.reset(seed=0)
        n = env.elements["b0"]
        _, reward, terminated, _, info = env.step(f'click("{bid.format(n=n)}")')
        assert "invalid element id" in info["last_action_error"]
        assert (reward, terminated) == (0.0, False)
    finally:
        env.close()
