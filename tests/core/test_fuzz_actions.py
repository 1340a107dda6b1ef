"""Property: no action the policy controls makes any env raise or report `infra_error`.

Fuzzed actions (random text with lone surrogates, tool calls with arguments nested thousands of
levels deep as objects or as JSON text, far more tool calls than a step runs) go through every
registered env that runs locally, plus one code env (sandbox) and one web env (Chromium) under
the `require` rules. Whatever happens must end in one of the policy's own statuses, with an
observation and info the hub can serialise.
"""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gymhub
from gymhub.types import Action, ToolCall
from tests.conftest import require

SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
TEXT = st.text(max_size=200)
HOSTILE_TEXT = st.builds(lambda a, s, b: a + s + b, TEXT, SURROGATES, TEXT)
TOOL_NAMES = st.one_of(st.sampled_from(["python", "convert", "click", "type_text"]), HOSTILE_TEXT)


def _nested(depth: int, lists: bool) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = [value] if lists else {"a": value}
    return value


def _deep_json(depth: int) -> str:
    return '{"a": ' + "[" * depth + "]" * depth + "}"


DEEP_ARGUMENTS = st.builds(
    lambda depth, lists: {"code": _nested(depth, lists)}, st.integers(1, 5_000), st.booleans()
)
ARGUMENTS = st.one_of(
    DEEP_ARGUMENTS,
    st.integers(1, 50_000).map(_deep_json),
    HOSTILE_TEXT,
    st.dictionaries(st.sampled_from(["code", "value", "text", "x"]), HOSTILE_TEXT, max_size=3),
)
TOOL_CALL = st.builds(ToolCall, id=st.text(max_size=8), name=TOOL_NAMES, arguments=ARGUMENTS)
ACTIONS = st.one_of(
    TEXT,
    HOSTILE_TEXT,
    st.builds(Action, content=HOSTILE_TEXT, tool_calls=st.lists(TOOL_CALL, max_size=3)),
    # far more calls than one step runs
    st.builds(
        lambda n, call: Action(content="", tool_calls=[call] * n), st.integers(17, 200), TOOL_CALL
    ),
    # text tool calls with JSON nested past the parser's recursion limit
    st.builds(
        lambda name, depth: (
            f'<tool_call>{{"name": {json.dumps(name)}, "arguments": '
            f"{_deep_json(depth)}}}</tool_call>"
        ),
        TOOL_NAMES,
        st.integers(1, 50_000),
    ),
)

LOCAL = [
    s.id
    for s in gymhub.list_envs()
    if not {"browser", "sandbox"} & set(s.tags) and s.family not in ("web", "gui", "code")
]
_ENVS: dict[str, gymhub.Env] = {}


def _env(env_id: str) -> gymhub.Env:
    if env_id not in _ENVS:
        _ENVS[env_id] = gymhub.make(env_id)
    return _ENVS[env_id]


@pytest.fixture(scope="module", autouse=True)
def _close_envs():
    yield
    for env in _ENVS.values():
        env.close()
    _ENVS.clear()


def _check_steps(env: gymhub.Env, actions: list[Action | str], seed: int) -> None:
    env.reset(seed=seed)
    for action in actions:
        obs, reward, terminated, truncated, info = env.step(action)
        assert not info["infra_error"] and info["verdict"] != "infra_error", info
        obs.model_dump_json()  # the hub can send it
        json.dumps(info)
        if terminated or truncated:
            break
    "".join(m.model_dump_json() for m in env.conversation)  # and keep the record


FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("env_id", LOCAL)
@FUZZ
@given(actions=st.lists(ACTIONS, min_size=1, max_size=2), seed=st.integers(0, 2**20))
def test_fuzzed_actions_never_give_infra_error(env_id: str, actions, seed: int) -> None:
    _check_steps(_env(env_id), actions, seed)


def _bwrap_ok() -> bool:
    from gymhub.sandboxes.bwrap import bwrap_available

    return shutil.which("bwrap") is not None and bwrap_available()


@settings(max_examples=8, deadline=None, derandomize=True)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=3), seed=st.integers(0, 2**20))
def test_fuzzed_actions_on_a_code_env(actions, seed: int) -> None:
    require(_bwrap_ok(), "bubblewrap")
    if "code" not in _ENVS:
        _ENVS["code"] = gymhub.make("gymhub/MathPython-v0", backend="bwrap")
    _check_steps(_ENVS["code"], actions, seed)


@settings(max_examples=5, deadline=None, derandomize=True)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=2), seed=st.integers(0, 2**20))
def test_fuzzed_actions_on_a_web_env(actions, seed: int) -> None:
    from gymhub.envs.web.host import chromium_available

    require(chromium_available(), "Chromium (scripts/setup_browser.sh) and playwright")
    if "web" not in _ENVS:
        _ENVS["web"] = gymhub.make("gymhub/Web-ClickButton-v0")
    _check_steps(_ENVS["web"], actions, seed)
