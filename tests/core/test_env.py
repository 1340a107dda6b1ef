"""The Env contract and the building blocks (single-turn, multi-turn, tools)."""

from __future__ import annotations

import asyncio

import pytest

import gymhub
from gymhub import MultiTurnEnv, SingleTurnEnv
from gymhub.errors import EpisodeDoneError, InvalidOptionsError, ResetNeededError
from gymhub.tasks import ListSource
from gymhub.types import Action, Task, ToolCall
from gymhub.verifiers.string_match import ExactMatch

TASKS = [Task(question=f"Say {w}", answer=w) for w in ("alpha", "bravo", "charlie", "delta")]


def test_single_turn_episode_and_info_keys():
    env = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    obs, info = env.reset(seed=1)
    assert obs.messages[-1].role == "user"
    for key in ("verdict", "reward_components", "task_id", "turn", "infra_error"):
        assert key in info
    answer = env.task.answer
    _, reward, terminated, truncated, info = env.step(f"<answer>{answer}</answer>")
    assert (reward, terminated, truncated, info["verdict"], info["turn"]) == (
        1.0,
        True,
        False,
        "correct",
        1,
    )
    with pytest.raises(EpisodeDoneError, match="reset"):
        env.step("again")


def test_step_before_reset_and_bad_action_types():
    env = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    with pytest.raises(ResetNeededError):
        env.step("x")
    env.reset(seed=0)
    with pytest.raises(TypeError, match="action must be"):
        env.step(3.14)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        env.step(None)  # type: ignore[arg-type]


def test_invalid_options_are_clear():
    env = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    with pytest.raises(InvalidOptionsError, match="allowed"):
        env.reset(options={"dificulty": 3})
    with pytest.raises(InvalidOptionsError, match="number"):
        env.reset(options={"difficulty": "hard"})
    with pytest.raises(InvalidOptionsError, match="dict"):
        env.reset(options=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="seed"):
        env.reset(seed="1")  # type: ignore[arg-type]


def test_pinned_task_option():
    env = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    obs, info = env.reset(
        options={"task": {"id": "mine", "question": "Say zulu", "answer": "zulu"}}
    )
    assert info["task_id"] == "mine" and "zulu" in obs.text
    assert env.step("<answer>zulu</answer>")[1] == 1.0


def test_seed_sequence_is_reproducible():
    def ids(env):
        first = env.reset(seed=5)[1]["task_id"]
        return [first] + [env.reset()[1]["task_id"] for _ in range(5)]

    env = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    other = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    assert ids(env) == ids(other)
    assert len(set(ids(env))) == 4  # the seeded permutation visits every task


def test_multi_turn_try_again_with_discount():
    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), max_attempts=3, attempt_discount=0.5)
    env.reset(seed=0)
    obs, reward, terminated, _, info = env.step("<answer>wrong</answer>")
    assert (reward, terminated, info["verdict"]) == (0.0, False, "incorrect")
    assert "Try again" in obs.text
    _, reward, terminated, _, _ = env.step(f"<answer>{env.task.answer}</answer>")
    assert terminated and reward == 0.5


def test_multi_turn_truncates_at_max_turns():
    def noop() -> str:
        """Does nothing."""
        return "ok"

    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), max_turns=3, tools=[noop])
    env.reset(seed=0)
    call = Action(tool_calls=[ToolCall(name="noop", arguments={})])
    results = [env.step(call) for _ in range(3)]
    assert [r[3] for r in results] == [False, False, True]
    assert results[-1][2] is False


def test_tool_loop_and_bad_tool_calls_are_messages():
    def add(a: int, b: int = 2) -> int:
        """Add two integers.

        Args:
            a: first addend
            b: second addend
        """
        return a + b

    def boom() -> None:
        """Always fails."""
        raise RuntimeError("kaput")

    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), tools=[add, boom], max_turns=10)
    obs, _ = env.reset(seed=0)
    spec = {t.name: t for t in obs.tools}["add"]
    assert spec.description == "Add two integers."
    assert spec.parameters["required"] == ["a"]
    assert spec.parameters["properties"]["a"] == {"type": "integer", "description": "first addend"}
    cases = {
        "ok": (ToolCall(name="add", arguments={"a": 1}), "3"),
        "unknown": (ToolCall(name="nope", arguments={}), "unknown tool"),
        "bad json": (ToolCall(name="add", arguments="{oops"), "not valid JSON"),
        "bad args": (ToolCall(name="add", arguments={"z": 1}), "bad arguments"),
        "raises": (ToolCall(name="boom", arguments={}), "kaput"),
    }
    for call, expected in cases.values():
        obs, reward, terminated, truncated, _ = env.step(Action(tool_calls=[call]))
        assert obs.messages[0].role == "tool" and expected in obs.messages[0].text
        assert not terminated and reward == 0.0
    # text-form tool calls (models without native tool calling)
    obs, *_ = env.step('<tool_call>{"name": "add", "arguments": {"a": 5, "b": 5}}</tool_call>')
    assert obs.messages[0].text == "10"
    obs, *_ = env.step("<tool_call>not json</tool_call>")
    assert "unknown tool" in obs.messages[0].text


def test_async_matches_sync():
    env = gymhub.make("gymhub/GuessNumber-v0")

    async def play():
        obs, _ = await env.areset(seed=3)
        rewards = []
        while not env.done:
            _, r, *_ = await env.astep(env.reference_action())
            rewards.append(r)
        return rewards

    sync_env = gymhub.make("gymhub/GuessNumber-v0")
    sync_env.reset(seed=3)
    sync_rewards = []
    while not sync_env.done:
        sync_rewards.append(sync_env.step(sync_env.reference_action())[1])
    assert asyncio.run(play()) == sync_rewards
    assert sum(sync_rewards) == 1.0


def test_verifier_crash_is_infra_error():
    class Broken:
        def verify(self, response, reference, **context):
            raise RuntimeError("bug")

    env = SingleTurnEnv(ListSource(TASKS), Broken())
    env.reset(seed=0)
    _, reward, terminated, _, info = env.step("x")
    assert info["infra_error"] is True and info["verdict"] == "infra_error" and reward == 0.0


def test_guess_number_difficulty_validation():
    env = gymhub.make("gymhub/GuessNumber-v0")
    with pytest.raises(InvalidOptionsError):
        env.reset(options={"difficulty": 11})
    obs, _ = env.reset(seed=0, options={"difficulty": 1})
    assert "between 1 and 10" in obs.text
    with pytest.raises(ValueError):
        gymhub.make("gymhub/GuessNumber-v0", difficulty=0)


@pytest.mark.parametrize("difficulty", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_difficulty_is_an_invalid_option(difficulty):
    env = gymhub.make("gymhub/MathGen-v0")
    with pytest.raises(gymhub.InvalidOptionsError, match="finite"):
        env.reset(seed=0, options={"difficulty": difficulty})


def test_difficulty_outside_the_range_is_an_invalid_option():
    env = gymhub.make("gymhub/MathGen-v0")
    with pytest.raises(gymhub.InvalidOptionsError, match="outside"):
        env.reset(seed=0, options={"difficulty": 1e9})


def _nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize("depth", [65, 5_000, 100_000])
def test_deeply_nested_tool_call_arguments_are_the_policys_error(depth):
    def echo(a: object = None) -> str:
        """Echo."""
        return "ran"

    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), tools=[echo], max_turns=5)
    env.reset(seed=0)
    obs, reward, terminated, _, info = env.step(
        Action(tool_calls=[ToolCall(name="echo", arguments={"a": _nested(depth)})])
    )
    assert not info["infra_error"] and not terminated and reward == 0.0
    assert obs.messages[0].role == "tool" and "Error" in obs.messages[0].text
    assert "nested deeper" in env.conversation[-2].tool_calls[0].arguments
    env.conversation[-2].model_dump_json()  # the record stays serialisable
    # as JSON text, natively or written as a text tool call
    deep_json = '{"a": ' + "[" * depth + "]" * depth + "}"
    for action in (
        Action(tool_calls=[ToolCall(name="echo", arguments=deep_json)]),
        f'<tool_call>{{"name": "echo", "arguments": {deep_json}}}</tool_call>',
    ):
        obs, reward, terminated, _, info = env.step(action)
        assert not info["infra_error"] and obs.messages[0].role == "tool"
    # a single-turn env ignores tool calls: scored as an answer, never an infra error
    single = SingleTurnEnv(ListSource(TASKS), ExactMatch())
    single.reset(seed=0)
    *_, info = single.step(Action(tool_calls=[ToolCall(name="x", arguments=_nested(depth))]))
    assert info["verdict"] in ("incorrect", "unparseable")


def test_lone_surrogates_are_recorded_as_replacement_characters():
    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), max_turns=3, max_attempts=3)
    env.reset(seed=0)
    *_, info = env.step(Action(content="al\ud800pha", tool_calls=None))
    assert info["verdict"] == "incorrect" and not info["infra_error"]
    assert env.conversation[-2].text == "al\ufffdpha"
    "".join(m.text for m in env.conversation).encode("utf-8")  # encodable


def test_tool_calls_of_one_step_share_the_step_budget():
    import time

    from gymhub.tools import time_left

    ran: list[float] = []

    def slow() -> str:
        """Sleeps a little; reports the budget it was given."""
        ran.append(time_left())
        time.sleep(0.15)
        return "done"

    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), tools=[slow], step_budget_s=0.4)
    assert env.step_budget_s == 0.4 and gymhub.Env.step_budget_s is None
    env.reset(seed=0)
    obs, *_, info = env.step(
        Action(tool_calls=[ToolCall(id=f"c{i}", name="slow") for i in range(16)])
    )
    assert len(obs.messages) == 16 and not info["infra_error"]
    assert 2 <= len(ran) <= 3, "calls stop once the step's budget is spent"
    assert all(0 < left <= 0.4 for left in ran) and ran == sorted(ran, reverse=True)
    skipped = [m for m in obs.messages if "budget" in m.text]
    assert len(skipped) == 16 - len(ran) and skipped[0].tool_call_id == f"c{len(ran)}"
    assert time_left() == float("inf")  # outside a tool loop there is no budget
    with pytest.raises(ValueError, match="step_budget_s"):
        MultiTurnEnv(ListSource(TASKS), ExactMatch(), step_budget_s=0)


def test_an_integer_too_long_to_write_in_tool_arguments_is_the_policys_error():
    """Python refuses to write an int of more than 4,300 digits as text, so such an argument
    made the record unserialisable (a remote env raised: `infra_error`). It is the policy's
    malformed call, natively, as JSON text with the literal, and as a text tool call."""

    def echo(a: object = None) -> str:
        """Echo."""
        return f"ran with {type(a).__name__}"

    env = MultiTurnEnv(ListSource(TASKS), ExactMatch(), tools=[echo], max_turns=8)
    env.reset(seed=0)
    literal = "9" * 5_000
    for action in (
        Action(tool_calls=[ToolCall(name="echo", arguments={"a": 10**5_000})]),
        Action(tool_calls=[ToolCall(name="echo", arguments={"a": [1, {"b": -(10**6_000)}]})]),
        Action(tool_calls=[ToolCall(name="echo", arguments='{"a": ' + literal + "}")]),
        f'<tool_call>{{"name": "echo", "arguments": {{"a": {literal}}}}}</tool_call>',
    ):
        obs, reward, terminated, _, info = env.step(action)
        assert not info["infra_error"] and not terminated and reward == 0.0
        assert obs.messages[0].role == "tool"
        env.conversation[-2].model_dump_json()  # the record stays serialisable
    # an int that Python can write is passed on as it is
    env.step(Action(tool_calls=[ToolCall(name="echo", arguments={"a": 10**4_000})]))
    assert env.conversation[-1].text == "ran with int"


def test_an_integer_too_long_to_write_reaches_a_remote_env_as_the_policys_error():
    """Over HTTP and /ws the step body is JSON: the int is a note, the call a malformed one."""
    from gymhub.remote.env import RemoteEnv
    from gymhub.server.background import ThreadServer
    from gymhub.server.sessions import ServerConfig

    env_id = "gymhub/UnitConvert-v0"
    args = {"value": 10**5_000, "from_unit": "m", "to_unit": "km"}
    with ThreadServer([env_id], ServerConfig()) as server:
        for transport in ("http", "ws"):
            env = RemoteEnv(server.url, env_id, transport=transport, retries=0)
            try:
                env.reset(seed=0)
                obs, reward, terminated, _, info = env.step(
                    Action(tool_calls=[ToolCall(name="convert", arguments=args)])
                )
                assert not info["infra_error"] and not terminated and reward == 0.0
                assert obs.messages[0].role == "tool"
            finally:
                env.close()


@pytest.mark.parametrize(
    "difficulty", [10**4000, 10**5000, -(10**400)], ids=["e4000", "e5000", "neg"]
)
def test_a_difficulty_too_large_for_a_float_is_the_users_invalid_option(difficulty):
    """math.isfinite raised OverflowError on an int past a float's range (and repr raises on one
    past Python's digit limit): a clear InvalidOptionsError, whatever the size."""
    from gymhub.errors import InvalidOptionsError
    from gymhub.tasks import check_difficulty

    env = gymhub.make("gymhub/GuessNumber-v0")
    with pytest.raises(InvalidOptionsError, match="digits is outside the range"):
        env.reset(seed=1, options={"difficulty": difficulty})
    with pytest.raises(InvalidOptionsError, match="digits is outside the range"):
        check_difficulty(difficulty, (1, 5))
