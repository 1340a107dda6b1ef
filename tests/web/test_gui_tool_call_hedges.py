"""GUI grounding reads a tool call as the click it makes, where the reply makes it: another
point or box the reply offers beside the call is a second answer (a hedge), as it is in text.

The env used to hand the verifier only the calls' points whenever a reply held a tool call,
so `<tool_call>` at the target followed by `or click(10, 10)`, or a native call beside a
different `click(...)` in the message text, was paid as a single hit."""

from __future__ import annotations

import json

import pytest

import gymhub
from gymhub.envs.web.host import BrowserHost
from gymhub.types import Action, ToolCall

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def env(host: BrowserHost):
    e = gymhub.make("gymhub/GUIGround-v0")
    yield e
    e.close()


def _tagged(x: float, y: float) -> str:
    call = {"name": "click", "arguments": {"x": x, "y": y}}
    return f"<tool_call>{json.dumps(call)}</tool_call>"


def _harmony(x: float, y: float) -> str:
    args = json.dumps({"x": x, "y": y})
    return (
        f"<|start|>assistant to=functions.click<|channel|>commentary json<|message|>{args}<|call|>"
    )


def _score(env, answer: Action | str) -> tuple[float, str]:
    env.reset(seed=4)
    _, reward, terminated, _, info = env.step(answer)
    assert terminated and not info["infra_error"]
    return reward, info["verdict"]


def test_a_point_or_box_written_beside_a_tool_call_is_a_hedge(env) -> None:
    env.reset(seed=4)
    x1, y1, x2, y2 = env.box
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    far = (x2 + 200 if x2 < 500 else x1 - 200, y1 + 1)
    other = f"click({far[0]}, {far[1]})"
    box = f"[{far[0]}, {far[1]}, {far[0] + 30}, {far[1] + 20}]"
    native = ToolCall(id="c1", name="click", arguments={"x": cx, "y": cy})
    hedges = [
        f"{_tagged(cx, cy)} or {other}",
        f"{_tagged(cx, cy)}\nActually {box}",
        f"{_tagged(cx, cy)}\nor maybe ({far[0]}, {far[1]})",
        f"{other}\n{_tagged(cx, cy)}",  # two clicks: a correction is still two answers
        f"{_harmony(cx, cy)} or {other}",
        Action(content=f"I will {other}.", tool_calls=[native]),
        Action(content=f"Either this or {box}.", tool_calls=[native]),
    ]
    for answer in hedges:
        assert _score(env, answer) == (0.0, "incorrect"), answer
    # one answer, with reasoning around it, is still paid
    paid = [
        _tagged(cx, cy),
        f"The logo is at ({far[0]}, {far[1]}); the button is what I want.\n{_tagged(cx, cy)}",
        f"{_tagged(cx, cy)} {_tagged(cx, cy)}",  # the same point twice
        f"{_tagged(cx, cy)}\nclick({cx}, {cy})",  # the call and its text say the same
        _harmony(cx, cy),
        Action(content="Clicking the target.", tool_calls=[native]),
        Action(content=f"It spans [{x1}, {y1}, {x2}, {y2}].", tool_calls=[native]),
    ]
    for answer in paid:
        assert _score(env, answer) == (1.0, "correct"), answer
