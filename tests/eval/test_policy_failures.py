"""How an evaluation ends an episode whose policy failed: what the policy *returned* and could not
be an action is scored (`unparseable`); what it *raised* or how long it took is the policy's
failure (status `error` or `timeout`), out of the scores and never the hub's `infra_error`."""

from __future__ import annotations

import asyncio
import time

import pytest

import gymhub
from gymhub.evaluation import evaluate
from gymhub.policies import Policy, ReferencePolicy


class Raising(Policy):
    name = "raising"

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    async def act(self, conversation, tools, env=None):
        raise self.exc


@pytest.mark.parametrize(
    "exc", [KeyError("choices"), ValueError("bad"), TypeError("x"), IndexError(0), RuntimeError()]
)
def test_an_exception_raised_inside_act_is_a_failed_episode_not_an_unparseable_zero(exc):
    """A KeyError/ValueError/TypeError raised inside `act` was read as the model's unusable reply
    and scored 0: it may be a bug in the policy's code or the hub's, which no reply showed."""
    (s,), traces = evaluate(["gymhub/Capitals-v0"], Raising(exc), seeds=[0, 1])
    assert s.scored == 0 and s.failed == 2 and s.mean_reward is None and s.pass_at_k == {}
    assert s.policy_errors == 2 and s.infra_errors == 0
    for t in traces:
        assert not t.infra_error and t.policy_fault is None and t.status == "error"
        assert type(exc).__name__ in t.error


class _BrokenReference(gymhub.Env):
    """Single-turn; its `reference_action` has a bug (a KeyError in the hub's own code)."""

    def _reset(self, options):
        return gymhub.Observation(messages=[gymhub.Message(role="user", content="say ok")])

    def _step(self, action):
        from gymhub.env import StepResult

        ok = action.text == "ok"
        return StepResult(gymhub.Observation(), float(ok), True, False, {"verdict": "correct"})

    def reference_action(self):
        return {}["gold"]


gymhub.register(
    "test/BrokenReference-v0", _BrokenReference, family="test", description="buggy reference",
    override=True,
)  # fmt: skip


def test_a_hub_bug_met_while_the_policy_acts_is_not_scored_as_the_models_reply():
    (s,), traces = evaluate(["test/BrokenReference-v0"], ReferencePolicy(), seeds=[0])
    assert s.scored == 0 and s.failed == 1, s.statuses
    assert traces[0].status != "unparseable" and "KeyError" in traces[0].error


@pytest.mark.parametrize("reply", [None, 5, b"Paris", ["Paris"], {"content": 5}])
def test_a_reply_that_cannot_be_an_action_is_scored_unparseable(reply):
    class Returning(Policy):
        name = "returning"

        async def act(self, conversation, tools, env=None):
            return reply

    (s,), traces = evaluate(["gymhub/Capitals-v0"], Returning(), seeds=[0])
    assert s.scored == 1 and s.statuses == {"unparseable": 1} and s.mean_reward == 0.0
    assert traces[0].policy_fault and not traces[0].error and not traces[0].infra_error


def test_a_timeout_the_policy_raises_itself_is_its_timeout_without_a_deadline():
    """With no call deadline, formatting the deadline message crashed (TypeError on None):
    the episode became the hub's infra error."""
    (s,), traces = evaluate(["gymhub/Capitals-v0"], Raising(TimeoutError("read")), seeds=[0])
    assert s.failed == 1 and s.infra_errors == 0 and s.policy_errors == 1
    assert traces[0].status == "timeout" and "TimeoutError: read" in traces[0].error


def test_a_reply_that_came_after_the_deadline_is_not_scored():
    """A policy that blocks the event loop cannot be cut off when the deadline passes; its late
    reply was scored as if it had come in time."""

    class Blocking(Policy):
        name = "blocking"

        async def act(self, conversation, tools, env=None):
            time.sleep(0.6)  # a synchronous call inside async code
            return "anything"

    (s,), traces = evaluate(["gymhub/Capitals-v0"], Blocking(), seeds=[0], policy_deadline_s=0.2)
    assert s.scored == 0 and s.failed == 1 and s.infra_errors == 0
    assert traces[0].status == "timeout" and "deadline" in traces[0].error


def test_a_call_cut_off_at_the_deadline_is_a_policy_timeout():
    class Slow(Policy):
        name = "slow"

        async def act(self, conversation, tools, env=None):
            await asyncio.sleep(30)

    start = time.monotonic()
    (s,), traces = evaluate(["gymhub/Capitals-v0"], Slow(), seeds=[0], policy_deadline_s=0.2)
    assert time.monotonic() - start < 10
    assert s.failed == 1 and s.policy_errors == 1 and traces[0].status == "timeout"


def test_a_huge_reply_is_scored_not_a_failure():
    class Huge(Policy):
        name = "huge"

        async def act(self, conversation, tools, env=None):
            return "Paris " * 2_000_000  # 12 MB

    (s,), traces = evaluate(["gymhub/Capitals-v0"], Huge(), seeds=[0])
    assert s.scored == 1 and s.failed == 0 and not traces[0].infra_error
    assert s.pass_at_k == {"pass@1": 0.0}  # a wall of candidates is no answer


def test_a_policy_whose_act_is_synchronous_is_scored_on_its_reply():
    """`act` written without `async` returned the right answer, and awaiting it raised TypeError:
    the answer was never scored."""

    class Sync(Policy):
        name = "sync"

        def act(self, conversation, tools, env=None):  # no async
            return env.reference_action()

    (s,), _ = evaluate(["gymhub/Capitals-v0"], Sync(), seeds=[0, 1])
    assert s.scored == 2 and s.pass_at_k == {"pass@1": 1.0}


@pytest.mark.parametrize("reply", [None, 5, ["x"]])
def test_a_scripted_function_replying_no_action_is_scored_unparseable(reply):
    """`ScriptedPolicy(fn=...)` coerced the reply itself, so a reply that is no action raised
    out of `act`: read as the policy crashing, the episode was left out of the scores."""
    from gymhub.policies import ScriptedPolicy

    (s,), traces = evaluate(
        ["gymhub/Capitals-v0"], ScriptedPolicy(fn=lambda c, t: reply), seeds=[0]
    )
    assert s.scored == 1 and s.statuses == {"unparseable": 1} and traces[0].policy_fault


def test_a_script_with_an_action_that_is_none_is_refused_when_made():
    from gymhub.policies import ScriptedPolicy

    with pytest.raises(TypeError):
        ScriptedPolicy(["ok", None])
    with pytest.raises(TypeError):
        ScriptedPolicy("ok")  # a text, not a list of actions
