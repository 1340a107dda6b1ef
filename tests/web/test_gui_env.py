"""gymhub/GUIGround-v0: screenshots, gold boxes from the DOM, grounding rewards."""

from __future__ import annotations

import base64
import json
import random

import pytest

import gymhub
from gymhub.envs.gui.screens import SCREEN_H, SCREEN_W, generate
from gymhub.envs.web.host import BrowserHost
from gymhub.errors import InvalidOptionsError
from gymhub.types import Action, ImagePart, ToolCall

pytestmark = pytest.mark.browser


def test_screens_are_seeded_and_scale_with_difficulty() -> None:
    assert generate(random.Random(1), 3).html == generate(random.Random(1), 3).html
    easy = [len(generate(random.Random(s), 1).targets) for s in range(20)]
    hard = [len(generate(random.Random(s), 5).targets) for s in range(20)]
    assert sum(hard) > 1.5 * sum(easy)
    assert "clutter" not in generate(random.Random(0), 1).html.split("</style>")[1]
    assert "class='clutter'" in generate(random.Random(0), 5).html


@pytest.fixture(scope="module")
def env(host: BrowserHost):
    e = gymhub.make("gymhub/GUIGround-v0")
    yield e
    e.close()


def _png_size(obs) -> tuple[int, int]:
    image = obs.messages[0].content[1]
    assert isinstance(image, ImagePart) and image.mime_type == "image/png"
    png = base64.b64decode(image.image)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@pytest.mark.parametrize("difficulty", [1, 3, 5])
def test_reference_click_scores_one(env, difficulty: int) -> None:
    for seed in range(3):
        obs, info = env.reset(seed=seed, options={"difficulty": difficulty})
        assert _png_size(obs) == (SCREEN_W, SCREEN_H)
        x1, y1, x2, y2 = env.box
        assert 0 <= x1 < x2 <= SCREEN_W and 0 <= y1 < y2 <= SCREEN_H
        text = obs.messages[0].content[0].text
        assert env.task.metadata["target"] in text and str(env.box) not in text
        _, reward, terminated, truncated, info = env.step(env.reference_action())
        assert (reward, terminated, info["verdict"]) == (1.0, True, "correct")


def test_targets_get_smaller_with_difficulty(env) -> None:
    def mean_area(d: int) -> float:
        areas = []
        for seed in range(6):
            env.reset(seed=seed, options={"difficulty": d})
            x1, y1, x2, y2 = env.box
            areas.append((x2 - x1) * (y2 - y1))
        return sum(areas) / len(areas)

    assert mean_area(5) < mean_area(1)


def test_scores_misses_boxes_and_tool_calls(env) -> None:
    env.reset(seed=7)
    x1, y1, x2, y2 = env.box
    _, reward, *_, info = env.step("click(0, 0)")  # panels start at x >= 8: always a miss
    assert reward == 0 and info["verdict"] == "incorrect"
    env.reset(seed=7)
    _, reward, *_, info = env.step(f"The box is [{x1}, {y1}, {x2}, {y2}]")
    assert reward == pytest.approx(1.0) and info["reward_components"]["iou"] == pytest.approx(1)
    env.reset(seed=7)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    _, reward, *_, info = env.step(f"[{cx - 1}, {cy - 1}, {cx + 1}, {cy + 1}]")  # a shrunken box
    assert info["reward_components"]["hit"] == 1 and reward < 0.2
    env.reset(seed=7)
    call = ToolCall(name="click", arguments={"x": cx, "y": cy})
    _, reward, *_ = env.step(Action(content="", tool_calls=[call]))
    assert reward == 1
    env.reset(seed=7)
    _, reward, *_, info = env.step(
        Action(content="", tool_calls=[ToolCall(name="click", arguments="{")])
    )
    assert reward == 0 and info["verdict"] == "unparseable"


def test_a_box_far_off_the_screen_is_scored_as_a_box(env) -> None:
    """A box centred on the target but 10^4 screens tall (one corner at 1e7, the cap of a
    coordinate) was no box to the dispatcher, and point-in-box paid its centre 1.0: the
    box-size constraint must hold for every box answer."""
    env.reset(seed=7)
    x1, y1, x2, y2 = env.box
    cy = (y1 + y2) // 2
    for top, bottom in ((2 * cy - 10_000_000, 10_000_000), (-99_999_999, 2 * cy + 99_999_999)):
        env.reset(seed=7)
        _, reward, *_, info = env.step(f"[{x1}, {top}, {x2}, {bottom}]")
        assert reward < 0.01 and info["verdict"] != "correct", (top, bottom)
        assert set(info["reward_components"]) == {"hit", "iou", "size"}
    env.reset(seed=7)  # the same box on screen still pays
    _, reward, *_, info = env.step(f"[{x1}, {y1}, {x2}, {y2}]")
    assert reward == pytest.approx(1.0) and info["verdict"] == "correct"


def test_tool_calls_written_as_text_are_read(env) -> None:
    """A model whose calls the trainer does not parse writes them in its reply: the same click
    scores the same; two different points written so are still a hedge."""
    env.reset(seed=7)
    x1, y1, x2, y2 = env.box
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    call = f'<tool_call>{{"name": "click", "arguments": {{"x": {cx}, "y": {cy}}}}}</tool_call>'
    _, reward, *_, info = env.step(f"The button is in the middle.\n{call}")
    assert reward == 1 and info["verdict"] == "correct"
    env.reset(seed=7)
    miss = '<tool_call>{"name": "click", "arguments": {"x": 0, "y": 0}}</tool_call>'
    _, reward, *_, info = env.step(call + miss)
    assert reward == 0 and info["verdict"] == "incorrect"
    env.reset(seed=7)
    _, reward, *_, info = env.step("<tool_call>{not json</tool_call>")
    assert reward == 0 and info["verdict"] == "unparseable" and not info["infra_error"]


def test_a_tool_call_giving_its_point_as_a_coordinate_pair(env) -> None:
    """Qwen2.5-VL's computer_use call gives the point as `"coordinate": [x, y]`: a right click
    so written was unparseable (the env read only `x`, `y` and then ignored the text)."""
    env.reset(seed=7)
    x1, y1, x2, y2 = env.box
    cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
    args = {"action": "left_click", "coordinate": [cx, cy]}
    text = f"<tool_call>\n{json.dumps({'name': 'computer_use', 'arguments': args})}\n</tool_call>"
    _, reward, *_, info = env.step(text)
    assert reward == 1 and info["verdict"] == "correct"
    env.reset(seed=7)
    call = ToolCall(name="computer_use", arguments=args)
    _, reward, *_, info = env.step(Action(content="", tool_calls=[call]))
    assert reward == 1 and info["verdict"] == "correct"
    env.reset(seed=7)  # a second call at another point is still a hedge
    other = ToolCall(name="computer_use", arguments={"action": "left_click", "coordinate": [0, 0]})
    _, reward, *_, info = env.step(Action(content="", tool_calls=[call, other]))
    assert reward == 0 and info["verdict"] == "incorrect"
    env.reset(seed=7)  # so is a second point in the same call, under another key
    call = ToolCall(name="click", arguments={"coordinate": [cx, cy], "point": [0, 0]})
    _, reward, *_, info = env.step(Action(content="", tool_calls=[call]))
    assert reward == 0 and info["verdict"] == "incorrect"
    env.reset(seed=7)
    call = ToolCall(name="click", arguments={"x": cx, "y": cy, "coordinate": [cx, cy]})
    _, reward, *_, info = env.step(Action(content="", tool_calls=[call]))
    assert reward == 1 and info["verdict"] == "correct"
    for bad in ([cx], [cx, cy, 5], "400, 300", {"x": cx}):
        env.reset(seed=7)
        call = ToolCall(name="click", arguments={"coordinate": bad})
        _, reward, *_, info = env.step(Action(content="", tool_calls=[call]))
        assert reward == 0 and info["verdict"] == "unparseable" and not info["infra_error"]


def test_deterministic_and_seed_dependent(env) -> None:
    a, _ = env.reset(seed=11)
    box_a = env.box
    b, _ = env.reset(seed=11)
    assert a == b and env.box == box_a
    c, _ = env.reset(seed=12)
    assert c != a


def test_bad_difficulty(env) -> None:
    with pytest.raises(InvalidOptionsError):
        env.reset(options={"difficulty": 6})
    with pytest.raises(InvalidOptionsError):
        gymhub.make("gymhub/GUIGround-v0", difficulty=0)
