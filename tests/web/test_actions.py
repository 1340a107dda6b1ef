"""The browser action language parser (no browser needed)."""

from __future__ import annotations

import pytest

from gymhub.envs.web.actions import ACTIONS, BrowserAction, parse_action, parse_text, tool_specs
from gymhub.types import Action, ToolCall


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('click("12")', BrowserAction("click", ("12",))),
        ("click(12)", BrowserAction("click", ("12",))),
        ('fill("7", "hello, world")', BrowserAction("fill", ("7", "hello, world"))),
        ('select_option("3", "Blue")', BrowserAction("select_option", ("3", "Blue"))),
        ('press("Enter")', BrowserAction("press", ("Enter",))),
        ('press("4", "Enter")', BrowserAction("press", ("4", "Enter"))),
        ("scroll(0, 300)", BrowserAction("scroll", (0, 300))),
        ("mouse_click(10.5, 20)", BrowserAction("mouse_click", (10.5, 20))),
        ('goto("http://task.local/inbox")', BrowserAction("goto", ("http://task.local/inbox",))),
        ("go_back()", BrowserAction("go_back", ())),
        ('send_msg("AB-1234")', BrowserAction("send_msg", ("AB-1234",))),
        ('drag("3", "9")', BrowserAction("drag", ("3", "9"))),
        ('I will click it.\nclick("5")', BrowserAction("click", ("5",))),
        ('```python\nfill("2", "x")\n```', BrowserAction("fill", ("2", "x"))),
        ('click("1")\nAction: click("2").', BrowserAction("click", ("2",))),
        ("click(bid='3')", BrowserAction("click", ("3",))),
        ('fill("2", value="hi")', BrowserAction("fill", ("2", "hi"))),
        ('press(bid="4", key="Enter")', BrowserAction("press", ("4", "Enter"))),
    ],
)
def test_parses_valid_actions(text: str, expected: BrowserAction) -> None:
    assert parse_text(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no action found"),
        ("just words", "no action found"),
        ("A" * 1_000_000, "longer than"),
        ('click(__import__("os").system("id"))', "must be literals"),
        ("explode(1)", "unknown action"),
        ('click("1", "2")', "takes 1 argument"),
        ('fill("1", 5)', "string arguments"),
        ("scroll(0, 1e12)", "out of range"),
        ("scroll(True, 1)", "expects numbers"),
        ("click(" * 3000, "no action found"),
        ('click(target="3")', "unexpected keyword"),
        ('fill("2", text="x")', "unexpected keyword"),
        (f'fill("1", "{"x" * 5000}")', "longer than"),
    ],
)
def test_rejects_bad_actions_with_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_text(text)


def test_binary_and_unicode_junk_is_a_value_error() -> None:
    for junk in (bytes(range(256)).decode("latin-1") * 64, "🤖\u202e\u0000日本語" * 100):
        with pytest.raises(ValueError):
            parse_text(junk)


def test_tool_calls_native_and_text() -> None:
    native = Action(
        content="", tool_calls=[ToolCall(name="fill", arguments={"bid": "3", "value": "hi"})]
    )
    assert parse_action(native) == BrowserAction("fill", ("3", "hi"))
    as_json = Action(content="", tool_calls=[ToolCall(name="click", arguments='{"bid": "8"}')])
    assert parse_action(as_json) == BrowserAction("click", ("8",))
    text = Action(content='<tool_call>{"name": "press", "arguments": {"key": "Tab"}}</tool_call>')
    assert parse_action(text) == BrowserAction("press", ("Tab",))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (ToolCall(name="rm", arguments={}), "unknown tool"),
        (ToolCall(name="click", arguments="{not json"), "not valid JSON"),
        (ToolCall(name="click", arguments={}), "missing argument"),
        (ToolCall(name="click", arguments={"bid": "1", "extra": 2}), "unknown argument"),
    ],
)
def test_bad_tool_calls_are_value_errors(call: ToolCall, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_action(Action(content="", tool_calls=[call]))


def test_tool_specs_cover_every_action() -> None:
    specs = {s.name: s for s in tool_specs()}
    assert set(specs) == set(ACTIONS)
    assert specs["fill"].parameters["required"] == ["bid", "value"]


def test_action_str_round_trips() -> None:
    action = BrowserAction("fill", ("3", 'say "hi"\nbye'))
    assert parse_text(str(action)) == action
