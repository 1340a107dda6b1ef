"""The one episode loop: its rules (turn budget, replace_context, infra_error, timings), and every
consumer stepping through it (rollout, checker sync and async, the Ray env host, the curriculum
wrapper; the token runner's side is in tests/trainers/test_trainer_runner.py)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

import gymhub
from gymhub.curriculum import CurriculumWrapper
from gymhub.env import StepResult, recordable_action
from gymhub.episode import EpisodeLoop
from gymhub.policies import ReferencePolicy
from gymhub.rollout_ray import EnvHost
from gymhub.types import Action, Message, Observation, ToolCall, Verdict
from tests.core.episode_envs import REPLIES, SUMMARY, BrokenEnv, SummarizingEnv


@pytest.fixture
def loop_calls(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts the loop's entry points as consumers call them."""
    calls: Counter = Counter()
    for name in ("reset", "areset", "step", "astep", "record"):
        original = getattr(EpisodeLoop, name)

        def spy(self, *args, __original=original, __name=name, **kwargs):
            calls[__name] += 1
            return __original(self, *args, **kwargs)

        monkeypatch.setattr(EpisodeLoop, name, spy)
    return calls


def test_replace_context_replaces_the_messages_and_the_episode_goes_on():
    loop = EpisodeLoop(SummarizingEnv())
    loop.reset(seed=0)
    first = loop.step("first")
    assert first is not None and first.context_replaced and not first.done
    assert loop.messages == SUMMARY  # replaced, not appended to
    loop.step("second")
    update = loop.step("done")
    assert update is not None and update.done and not update.context_replaced
    assert loop.terminated and not loop.truncated and loop.total_reward == 1.0
    assert loop.context_replacements == 1 and loop.turns == 3
    assert [m.text for m in loop.messages] == [m.text for m in SUMMARY] + [
        "second",
        "Say 'done'.",
        "done",
    ]
    timings = loop.finish()
    assert timings.total_s >= timings.env_s + timings.reset_s > 0


def test_turn_budget_truncates_with_its_reason():
    loop = EpisodeLoop(SummarizingEnv(), max_turns=2)
    loop.reset(seed=0)
    assert not loop.step("first").done  # type: ignore[union-attr]
    assert loop.step("second").done  # type: ignore[union-attr]
    assert loop.truncated and loop.truncation == "max_turns" and not loop.terminated
    with pytest.raises(RuntimeError, match="over"):
        loop.step("3")
    with pytest.raises(ValueError):
        EpisodeLoop(SummarizingEnv(), max_turns=0)


class _InfraVerdict(BrokenEnv):
    def _step(self, action):
        return StepResult(Observation(), 0.0, True, Verdict(reward=0.0, status="infra_error"))


def test_hub_failures_end_the_episode_as_infra_errors():
    loop = EpisodeLoop(BrokenEnv())
    loop.reset()
    assert loop.step("x") is None
    assert loop.done and loop.infra_error and "sandbox down" in (loop.error or "")
    loop = EpisodeLoop(_InfraVerdict())
    loop.reset()
    assert loop.step("x").done and loop.infra_error  # type: ignore[union-attr]
    with pytest.raises(ConnectionError):  # the checker wants the failure itself
        strict = EpisodeLoop(BrokenEnv(), catch_errors=False)
        strict.reset()
        strict.step("x")


class _Echo(SummarizingEnv):
    """Never ends: every step answers with an empty observation (the loop's recording is what
    is checked)."""

    def _step(self, action):
        return StepResult(Observation())


@pytest.mark.parametrize(
    "action",
    [
        "plain ascii",
        "x = \u03c0 \u2248 3.14",  # non-ASCII text is kept as it is
        "al\ud800pha",  # a lone surrogate becomes U+FFFD, in the loop and in the env alike
        Message(role="assistant", content="a message"),
        Action(content="", tool_calls=[ToolCall(name="f", arguments={"a": [[[[1]]]]})]),
        {"content": "a dict"},
    ],
)
def test_the_loop_records_the_action_the_env_records(action):
    env = _Echo()
    loop = EpisodeLoop(env)
    loop.reset(seed=0)
    update = loop.step(action)
    assert update is not None and not loop.infra_error
    recorded = env.conversation[-1]
    assert loop.messages[-1] == recorded == update.action and recorded.role == "assistant"
    recorded.model_dump_json()  # encodable: a surrogate would raise here
    if isinstance(action, str):
        assert recorded.text == action.replace("\ud800", "\ufffd")


def test_recordable_action_keeps_plain_actions_and_refuses_non_actions():
    plain = Action(content="keep me")
    assert recordable_action(plain) is plain  # the per-step fast path does not copy
    assert recordable_action("text") == Action(content="text")
    with pytest.raises(TypeError, match="assistant"):
        recordable_action(Message(role="user", content="not a policy turn"))
    with pytest.raises(TypeError):
        recordable_action(42)  # type: ignore[arg-type]


class _BadTuple(SummarizingEnv):
    def step(self, action):
        return ("not", "five")

    async def astep(self, action):
        return ("not", "five")


def test_an_env_returning_a_malformed_step_is_the_hubs_failure():
    loop = EpisodeLoop(_BadTuple())
    loop.reset(seed=0)
    assert loop.step("x") is None
    assert loop.done and loop.infra_error and "ValueError" in (loop.error or "")
    loop = EpisodeLoop(_BadTuple())
    loop.reset(seed=0)
    assert asyncio.run(loop.astep("x")) is None  # the async path decides alike
    assert loop.done and loop.infra_error and "ValueError" in (loop.error or "")


def test_rollout_goes_through_the_loop(loop_calls: Counter):
    (trace,) = gymhub.run_rollouts(SummarizingEnv, ReferencePolicy(), seeds=[0])
    assert loop_calls["areset"] == 1 and loop_calls["astep"] == 3 and loop_calls["record"] == 3
    assert trace.total_reward == 1.0 and trace.terminated and not trace.truncated
    assert trace.messages[:2] == SUMMARY and trace.turns == 3
    (cut,) = gymhub.run_rollouts(SummarizingEnv, ReferencePolicy(), seeds=[0], max_turns=2)
    assert cut.truncated and cut.truncation == "max_turns" and cut.turns == 2


def test_checker_reference_runs_go_through_the_loop_sync_and_async(loop_calls: Counter):
    report = gymhub.check_env(SummarizingEnv())
    assert report.passed, report.summary()
    assert loop_calls["step"] > 0 and loop_calls["astep"] == 3  # the async run: one episode


def test_ray_env_host_steps_through_the_loop(loop_calls: Counter):
    host = EnvHost()
    host.envs["summary"] = SummarizingEnv()  # the host makes registered ids; inject this one
    observation, info, _ = host.reset("summary", 0, None, want_ref=False)
    for reply in REPLIES:
        *_, terminated, truncated, info, ref = host.step(reply, want_ref=True)
    assert terminated and not truncated and ref == (True, None)
    assert host.loop is not None and host.loop.context_replacements == 1
    assert loop_calls["reset"] == 1 and loop_calls["step"] == 3
    host.close()


def test_curriculum_wrapper_records_episodes_through_the_loop(loop_calls: Counter):
    env = CurriculumWrapper(gymhub.make("gymhub/GuessNumber-v0"))
    env.reset(seed=0)
    while not env.done:
        env.step(env.reference_action())
    assert loop_calls["record"] == env.turn and env.episode.done
    assert env.episode_return == 1.0 and env.curriculum.episodes[env.key] == 1


def test_async_rollout_and_sync_loop_agree_on_replace_context():
    loop = EpisodeLoop(SummarizingEnv())
    loop.reset(seed=3)
    for reply in REPLIES:
        loop.step(reply)
    (trace,) = asyncio.run(gymhub.arun_rollouts(SummarizingEnv, ReferencePolicy(), seeds=[3]))
    assert trace.messages == loop.messages and trace.rewards == loop.rewards


class _NonFinite(SummarizingEnv):
    """Scores its first step with the reward the test sets (an env's bug)."""

    bad_reward = float("nan")

    def _step(self, action):
        return StepResult(Observation(), self.bad_reward, False)


class _RawNonFinite:
    """An env outside gymhub's base class (a plain gymnasium-style object) giving NaN."""

    def reset(self, *, seed=None, options=None):
        return Observation(messages=[Message(role="user", content="hi")]), {}

    def step(self, action):
        return Observation(), float("nan"), False, False, {}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_reward_is_the_hubs_failure_never_a_score(bad):
    """One NaN in a group makes every advantage NaN and the weights with it: an env's NaN or
    infinite reward is an infra error (reward 0, masked), directly and through the loop."""
    env = _NonFinite()
    env.bad_reward = bad
    env.reset(seed=0)
    _, reward, terminated, _, info = env.step("x")
    assert reward == 0.0 and terminated and info["infra_error"]
    assert info["verdict"] == "infra_error"
    env.bad_reward = bad
    loop = EpisodeLoop(env)
    loop.reset(seed=0)
    loop.step("x")
    assert loop.done and loop.infra_error and loop.rewards == [0.0]
    loop = EpisodeLoop(_RawNonFinite())
    loop.reset(seed=0)
    update = loop.step("x")
    assert update is not None and update.reward == 0.0
    assert loop.done and loop.infra_error and "nan" in (loop.error or "")


def _outcome(loop: EpisodeLoop) -> tuple:
    return (
        loop.turns,
        loop.rewards,
        loop.status,
        loop.reward_components,
        loop.terminated,
        loop.truncated,
        loop.truncation,
        loop.infra_error,
        loop.done,
    )


@pytest.mark.parametrize("max_turns", [None, 2])
def test_send_applies_the_same_rules_as_step_without_a_transcript(max_turns):
    """`send` (for adapters whose trainer keeps the chat) ends, truncates and scores an episode
    exactly as `step` does; it keeps no messages of its own."""
    stepped, sent = (
        EpisodeLoop(SummarizingEnv(), max_turns),
        EpisodeLoop(SummarizingEnv(), max_turns),
    )
    stepped.reset(seed=0)
    sent.reset(seed=0)
    start = list(sent.messages)
    for reply in ("first", "second", "done"):
        if stepped.done:
            break
        update = stepped.step(reply)
        observation = sent.send(reply)
        assert update is not None and observation == update.observation
        assert sent.rewards[-1] == update.reward and sent.done == update.done
    assert _outcome(sent) == _outcome(stepped)
    assert sent.done and sent.messages == start  # nothing recorded past the reset
    with pytest.raises(RuntimeError, match="over"):
        sent.send("more")


def test_send_ends_hub_failures_as_infra_errors():
    loop = EpisodeLoop(BrokenEnv())
    loop.reset()
    assert loop.send("x") is None and loop.infra_error and "sandbox down" in (loop.error or "")
    loop = EpisodeLoop(_InfraVerdict())
    loop.reset()
    assert loop.send("x") is not None and loop.done and loop.infra_error
    loop = EpisodeLoop(_RawNonFinite())
    loop.reset(seed=0)
    assert loop.send("x") is not None and loop.rewards == [0.0]
    assert loop.done and loop.infra_error and "nan" in (loop.error or "")
    loop = EpisodeLoop(_BadTuple())
    loop.reset(seed=0)
    assert loop.send("x") is None and loop.infra_error and "ValueError" in (loop.error or "")


@pytest.mark.parametrize("bad", [42, Message(role="user", content="not a policy turn")])
def test_send_raises_the_callers_bad_action_instead_of_masking_it(bad):
    loop = EpisodeLoop(SummarizingEnv())
    loop.reset(seed=0)
    with pytest.raises(TypeError):
        loop.send(bad)
    assert not loop.infra_error and not loop.done and loop.turns == 0
    assert loop.send(Message(role="assistant", content="first")) is not None  # a message is fine
