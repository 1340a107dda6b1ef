"""Core types: exact JSON round-trip and validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gymhub.types import (
    Action,
    ImagePart,
    Message,
    Observation,
    Task,
    TextPart,
    ToolCall,
    ToolSpec,
    Verdict,
)

SAMPLES = [
    Message(role="user", content="hello"),
    Message(role="user", content=[TextPart(text="look"), ImagePart(image="iVBORw0KGgo=")]),
    Message(
        role="assistant",
        content="",
        tool_calls=[ToolCall(id="c1", name="add", arguments={"a": 1, "b": [2.5, None]})],
    ),
    Message(role="tool", content="3", tool_call_id="c1", name="add"),
    Action(content="42"),
    Observation(
        messages=[Message(role="system", content="s"), Message(role="user", content="ü 日本")],
        tools=[ToolSpec(name="add", parameters={"type": "object", "properties": {}})],
        replace_context=True,
    ),
    Verdict(reward=0.5, status="partial", components={"format": 1.0, "answer": 0.0}, detail="x"),
    Task(id="t", question="q", answer={"x": [1, 2]}, metadata={"difficulty": 3}),
]


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_json_round_trip_is_exact(value):
    again = type(value).model_validate_json(value.model_dump_json())
    assert again == value
    assert again.model_dump_json() == value.model_dump_json()


def test_action_coerce():
    assert Action.coerce("hi") == Action(content="hi")
    assert Action.coerce(Message(role="assistant", content="x")).content == "x"
    with pytest.raises(TypeError, match="assistant"):
        Action.coerce(Message(role="user", content="x"))
    with pytest.raises(TypeError, match="int"):
        Action.coerce(3)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Action(role="user", content="x")  # type: ignore[arg-type]


def test_verdict_rejects_bad_status_and_nan():
    with pytest.raises(ValidationError):
        Verdict(reward=1.0, status="great")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Verdict(reward=float("nan"), status="correct")


def test_tool_call_arguments_parsing():
    assert ToolCall(name="f", arguments='{"a": 1}').parsed_arguments() == {"a": 1}
    with pytest.raises(ValueError, match="not valid JSON"):
        ToolCall(name="f", arguments="{a: 1").parsed_arguments()
    with pytest.raises(ValueError, match="JSON object"):
        ToolCall(name="f", arguments="[1]").parsed_arguments()
    # the policy's text: nested past the parser's stack, or an int Python will not read
    with pytest.raises(ValueError, match="nest too deeply"):
        ToolCall(name="f", arguments="[" * 100_000 + "]" * 100_000).parsed_arguments()
    with pytest.raises(ValueError, match="not valid JSON"):
        ToolCall(name="f", arguments='{"a": ' + "9" * 5_000 + "}").parsed_arguments()


def test_task_must_be_json_serializable():
    with pytest.raises(ValidationError, match="JSON-serializable"):
        Task(question="q", answer=object())


def test_message_text_and_openai_shape():
    m = Message(
        role="user", content=[TextPart(text="a"), ImagePart(image="AAA"), TextPart(text="b")]
    )
    assert m.text == "ab"
    data = m.to_openai()
    assert data["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
    call = Message(
        role="assistant", tool_calls=[ToolCall(name="f", arguments={"x": 1})]
    ).to_openai()
    assert call["tool_calls"][0]["function"]["arguments"] == '{"x": 1}'
