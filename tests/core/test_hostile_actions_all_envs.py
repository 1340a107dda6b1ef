"""Every cheap registered env (no browser, no sandbox) against a fixed list of hostile actions.

The rule under test: whatever the policy writes (text, tool calls, their arguments) ends in one
of the policy's own statuses. `step` raises nothing, the verdict is never `infra_error` (the
hub's failure, which trainers mask), the reward is finite and nothing is paid for an empty or
malformed action, each step returns quickly, and a finished episode refuses another step with
`EpisodeDoneError`. Unlike tests/core/test_fuzz_actions.py (random actions, a few per env), each
env here sees every case of the list, so a failure names the exact action.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable

import pytest

import gymhub
from gymhub.errors import EpisodeDoneError
from gymhub.types import Action, ImagePart, TextPart, ToolCall, ToolSpec

CHEAP = [
    s
    for s in gymhub.list_envs()
    if not {"browser", "sandbox"} & set(s.tags) and s.family not in ("web", "gui", "code")
]
#: a learned reward (a reward model, even the untrained stand-in) scores any text: it is only
#: checked for the policy's statuses and a finite reward, not for paying nothing
LEARNED = {s.id for s in CHEAP if s.reward_kind == "learned"}
#: one step may take this long on a loaded 2-core machine; a hang takes far longer (worker
#: pools a verifier starts on its first answer are started before the timed steps)
STEP_LIMIT_S = 10.0


def _deep_json(depth: int) -> str:
    return '{"a": ' + "[" * depth + "]" * depth + "}"


def _calls(name: str, arguments: dict | str, n: int = 1, content: str = "") -> Action:
    calls = [ToolCall(id=f"c{i}", name=name, arguments=arguments) for i in range(n)]
    return Action(content=content, tool_calls=calls)


def _text_call(name: str, arguments_json: str) -> str:
    return f'<tool_call>{{"name": {json.dumps(name)}, "arguments": {arguments_json}}}</tool_call>'


def _wrong_types(tool: ToolSpec, value: object) -> Action:
    properties = tool.parameters.get("properties") or {}
    return _calls(tool.name, {key: value for key in properties})


ARGUMENT_TEXTS = {
    "a list": "[1, 2]",
    "a string": '"x"',
    "null": "null",
    "a number": "3",
    "5000 deep": _deep_json(5000),
    "a 5001-digit int": '{"x": ' + "9" * 5001 + "}",
    "NaN and Infinity": '{"x": NaN, "y": Infinity, "z": -Infinity}',
    "duplicate keys": '{"x": 1, "x": 2}',
    "broken JSON": "{not json",
}
WRONG_VALUES = [None, [], {}, 1e308, -1, 10**30, "text", True, math.inf, math.nan]

#: (label, action built from the env's first tool, or None when it has none)
HOSTILE: list[tuple[str, Callable[[ToolSpec | None], Action | str]]] = [
    ("empty", lambda t: ""),
    ("whitespace", lambda t: " \n\t "),
    ("1 MB of text", lambda t: "x" * 1_000_000),
    ("1 MB of words", lambda t: "word " * 200_000),
    ("a lone surrogate", lambda t: "\ud800"),
    ("a tagged lone surrogate", lambda t: "<answer>\udfff</answer>"),
    ("NUL bytes", lambda t: "a\x00b\x00"),
    ("ANSI escapes", lambda t: "\x1b[31mred\x1b[0m \x1b]0;title\x07"),
    ("an empty answer tag", lambda t: "<answer></answer>"),
    ("an empty box", lambda t: "\\boxed{}"),
    ("a JSON bomb", lambda t: "[" * 100_000 + "]" * 100_000),
    ("a 5000-digit number", lambda t: "1" * 5000),
    (
        "parts with lone surrogates in an image's fields",
        lambda t: Action(
            content=[TextPart(text="\ud800"), ImagePart(image="!!\ud800", mime_type="\udfff")]
        ),
    ),
    ("no parts", lambda t: Action(content=[])),
    (
        "a lone surrogate in the name and tool_call_id",
        lambda t: Action(content="x", name="\ud800", tool_call_id="\udc00"),
    ),
    ("an unknown tool", lambda t: _calls("no_such_tool", {})),
    ("an unknown tool in text", lambda t: _text_call("no_such_tool", "{}")),
    ("100 tool calls", lambda t: _calls(t.name if t else "no_such_tool", {}, n=100)),
    (
        "100 tool calls in text",
        lambda t: _text_call(t.name if t else "no_such_tool", "{}") * 100,
    ),
    (
        "a tool call and text",
        lambda t: _calls(t.name if t else "no_such_tool", {}, content="<answer>zzq</answer>"),
    ),
    (
        "arguments nested 900 deep as objects",
        lambda t: _calls(t.name if t else "no_such_tool", {"x": json.loads(_deep_json(900))}),
    ),
    (
        "a 10**5000 argument as an object",
        lambda t: _calls(t.name if t else "no_such_tool", {"x": 10**5000}),
    ),
    *[
        (
            f"arguments that are {label}",
            lambda t, text=text: _calls(t.name if t else "no_such_tool", text),
        )
        for label, text in ARGUMENT_TEXTS.items()
    ],
    *[
        (
            f"text-call arguments that are {label}",
            lambda t, text=text: _text_call(t.name if t else "no_such_tool", text),
        )
        for label, text in ARGUMENT_TEXTS.items()
    ],
    *[
        (
            f"every parameter {value!r:.12}",
            lambda t, value=value: _wrong_types(t, value) if t else _calls("x", {"x": value}),
        )
        for value in WRONG_VALUES
    ],
]


def _check(env: gymhub.Env, env_id: str, label: str, action: Action | str) -> None:
    start = time.monotonic()
    obs, reward, terminated, truncated, info = env.step(action)
    took = time.monotonic() - start
    where = f"{env_id}, {label}"
    assert took < STEP_LIMIT_S, f"{where}: the step took {took:.1f}s"
    assert info["verdict"] != "infra_error" and not info["infra_error"], (where, info)
    assert math.isfinite(reward), (where, reward)
    if env_id not in LEARNED:
        assert reward <= 0 and info["verdict"] not in ("correct", "partial"), (where, info)
    obs.model_dump_json()  # the hub can send it
    json.dumps(info)
    for message in env.conversation:  # and write the episode's record (traces, sessions)
        message.model_dump_json()
    if terminated or truncated:
        with pytest.raises(EpisodeDoneError):
            env.step("again")


@pytest.mark.parametrize("env_id", [s.id for s in CHEAP])
def test_hostile_actions_end_in_the_policys_status(env_id: str) -> None:
    env = gymhub.make(env_id)
    try:
        obs, _ = env.reset(seed=0)
        tool = obs.tools[0] if obs.tools else None
        reference = env.reference_action()
        if reference is not None:  # warm up: a verifier may start its worker pool here
            env.step(reference)
        for label, build in HOSTILE:
            env.reset(seed=0)
            _check(env, env_id, label, build(tool))
    finally:
        env.close()


def test_the_list_covers_the_families() -> None:
    """The cheap envs include every family without a browser or sandbox, tool-using envs too."""
    families = {s.family for s in CHEAP}
    assert {"basic", "toy", "math", "logic", "rlhf"} <= families
    assert any("tools" in s.tags for s in CHEAP)


POLICY_STATUSES = {"correct", "incorrect", "partial", "unparseable", "timeout", "error"}


@pytest.mark.parametrize("env_id", [s.id for s in CHEAP if s.multi_turn])
def test_an_episode_spent_on_tool_calls_ends_with_the_policys_status(env_id: str) -> None:
    """A policy that only ever calls tools never answers: when the turn budget ends the episode,
    it ends as the policy's failure, with a status (it ended with `verdict: None`)."""
    env = gymhub.make(env_id)
    try:
        obs, _ = env.reset(seed=0)
        name = obs.tools[0].name if obs.tools else "no_such_tool"
        for _ in range(200):
            _, reward, terminated, truncated, info = env.step(_calls(name, {}))
            if terminated or truncated:
                break
        assert terminated or truncated, "the episode never ended"
        assert info["verdict"] in POLICY_STATUSES and reward <= 0, info
    finally:
        env.close()
