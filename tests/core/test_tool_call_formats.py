"""Tool calls written as text by the main model families, read by `parse_text_tool_calls`, and
checked against transformers' own response parsing where it knows the format."""

from __future__ import annotations

import importlib.util
import time

import pytest

from gymhub.tools import parse_text_tool_calls

ARGS = {"city": "Paris", "days": 3}

CASES = {
    "hermes": '<tool_call>\n{"name": "weather", "arguments": {"city": "Paris", "days": 3}}\n</tool_call>',
    "qwen3.5": "<tool_call>\n<function=weather>\n<parameter=city>\nParis\n</parameter>\n"
    "<parameter=days>\n3\n</parameter>\n</function>\n</tool_call>",
    "glm4": "<tool_call>weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n"
    "<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n</tool_call>",
    "llama3": '{"name": "weather", "parameters": {"city": "Paris", "days": 3}}',
    "llama3 python_tag": '<|python_tag|>{"name": "weather", "parameters": {"city": "Paris", "days": 3}}',
    "mistral list": '[TOOL_CALLS][{"name": "weather", "arguments": {"city": "Paris", "days": 3}}]',
    "mistral list, marker stripped": '[{"name": "weather", "arguments": {"city": "Paris", "days": 3}}]',
    "mistral v11": '[TOOL_CALLS]weather[ARGS]{"city": "Paris", "days": 3}',
    "gpt-oss": '<|channel|>commentary to=functions.weather <|constrain|>json<|message|>{"city": "Paris", "days": 3}<|call|>',
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_each_family_format_gives_the_call(text):
    (call,) = parse_text_tool_calls(text)
    assert call.name == "weather" and call.arguments == ARGS


def test_several_calls_and_prose_around_them():
    text = "Let me check.\n" + CASES["hermes"] + "\n" + CASES["hermes"].replace("Paris", "Rome")
    calls = parse_text_tool_calls(text)
    assert [c.arguments["city"] for c in calls] == ["Paris", "Rome"]
    two = '[TOOL_CALLS]a[ARGS]{"x": 1}[TOOL_CALLS]b[ARGS]{"y": 2}'
    assert [(c.name, c.arguments) for c in parse_text_tool_calls(two)] == [
        ("a", {"x": 1}),
        ("b", {"y": 2}),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The answer is 42.",
        '{"answer": 42}',  # JSON, but not a call
        "<answer>{1, 2}</answer>",
        "",
    ],
)
def test_plain_replies_are_not_calls(text):
    assert parse_text_tool_calls(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "<tool_call>{not json</tool_call>",
        '[TOOL_CALLS][{"name": 3}]',
        "[TOOL_CALLS]weather[ARGS]{oops",
        '<|python_tag|>{"name": "x", "parameters": {}, "extra": 1}',
    ],
)
def test_malformed_calls_are_invalid_calls_for_the_env_to_answer(text):
    calls = parse_text_tool_calls(text)
    assert len(calls) == 1 and calls[0].name == "<invalid>"


def _templates():
    if importlib.util.find_spec("trl") is None or importlib.util.find_spec("transformers") is None:
        return []
    from trl import chat_template_utils as u

    return [
        ("qwen3", u.qwen3_template, "<|im_start|>assistant\n", CASES["hermes"] + "<|im_end|>"),
        ("qwen3.5", u.qwen3_5_template, "<|im_start|>assistant\n", CASES["qwen3.5"] + "<|im_end|>"),
        ("glm4", u.glm4moe_template, "<|assistant|>", CASES["glm4"]),
        (
            "llama3",
            u.llama3_template,
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            CASES["llama3"] + "<|eot_id|>",
        ),
        (
            "gpt-oss",
            u.gptoss_template,
            "<|start|>assistant",
            '<|channel|>commentary to=functions.weather<|channel|>commentary json<|message|>{"city": "Paris", "days": 3}<|call|>',
        ),
    ]


@pytest.mark.parametrize("family, template, prefix, text", _templates(), ids=lambda v: str(v)[:12])
def test_same_calls_as_transformers_response_parsing(family, template, prefix, text):
    from gymhub.trainers.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()
    # with the tool's schema, as TRL passes it (XML formats write every value as text)
    tool = {
        "type": "function",
        "function": {
            "name": "weather",
            "description": "The forecast.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
            },
        },
    }
    parsed = tokenizer.parse_response(text, schema=template, prefix=prefix, tools=[tool])
    expected = [(c["function"]["name"], c["function"]["arguments"]) for c in parsed["tool_calls"]]
    ours = [(c.name, c.arguments) for c in parse_text_tool_calls(text)]
    assert ours == expected == [("weather", ARGS)]


HOSTILE_TOOL_TEXT = {
    # GLM-4's whole-body pattern backtracked exponentially: 25 arguments and a stray `x`
    "glm stray text": (
        "<tool_call>f" + "<arg_key>k</arg_key> <arg_value>v</arg_value> " * 25 + "x</tool_call>",
        ["<invalid>"],
    ),
    "unclosed tags": ("<tool_call>{" * 50_000, []),
    "unclosed parameters": (
        "<tool_call><function=f>" + "<parameter=a>" * 20_000 + "</tool_call>",
        ["f"],
    ),
    "harmony without a message": ("to=functions.a<|channel|>" * 20_000, []),
    "harmony headers with markup": ("to=functions.a<x" * 20_000 + "<|message|>{}", []),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TOOL_TEXT))
def test_reading_tool_calls_is_linear_in_hostile_text(name):
    """The policy writes this text; each case took from 5 s to forever to read."""
    text, names = HOSTILE_TOOL_TEXT[name]
    start = time.monotonic()
    calls = parse_text_tool_calls(text)
    assert time.monotonic() - start < 2.0
    assert [c.name for c in calls] == names
