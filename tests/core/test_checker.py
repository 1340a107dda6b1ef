"""The conformance checker passes good envs and catches each kind of broken one."""

from __future__ import annotations

import pytest

import gymhub
from gymhub import SingleTurnEnv
from gymhub.env import Env, StepResult
from gymhub.tasks import ListSource
from gymhub.types import Action, Message, Observation, Task, Verdict
from gymhub.verifiers.string_match import ExactMatch

TASKS = [Task(question=f"Spell the word number {i}", answer=f"word{i:03d}") for i in range(5)]


def failed_checks(env) -> set[str]:
    return {r.name for r in gymhub.check_env(env).failures}


def test_good_env_passes():
    report = gymhub.check_env(SingleTurnEnv(ListSource(TASKS), ExactMatch()))
    assert report.passed, report.summary()


class LeakyEnv(SingleTurnEnv):
    def prompt_messages(self, task):
        return [Message(role="user", content=f"{task.question} (psst: {task.answer})")]


class WrongGoldEnv(SingleTurnEnv):
    def reference_action(self):
        return None if self.done else Action(content="<answer>nope</answer>")


class CrashesOnJunkEnv(SingleTurnEnv):
    def _step(self, action):
        if not action.text.strip():
            raise ValueError("empty!")
        return super()._step(action)


class GenerousEnv(SingleTurnEnv):
    def score(self, text):
        return Verdict.correct()


class RandomEnv(Env):
    """Ignores the seed: a new random secret on every reset."""

    def _reset(self, options):
        import random

        self.task = Task(id="r", question=f"Echo {random.random()}", answer="x")
        return Observation(messages=[Message(role="user", content=self.task.question)])

    def _step(self, action):
        return StepResult(Observation(), 1.0, True, Verdict.correct())

    def reference_action(self):
        return Action(content="x")


@pytest.mark.parametrize(
    ("env_cls", "expected"),
    [
        (LeakyEnv, "gold_answer_not_in_observations"),
        (WrongGoldEnv, "reference_reaches_max_reward"),
        (CrashesOnJunkEnv, "junk_actions_low_reward_no_raise"),
        (GenerousEnv, "junk_actions_low_reward_no_raise"),
    ],
)
def test_broken_envs_fail_the_right_check(env_cls, expected):
    report = gymhub.check_env(env_cls(ListSource(TASKS), ExactMatch()))
    assert not report.passed
    assert expected in {r.name for r in report.failures}, report.summary()


def test_nondeterministic_env_fails():
    assert "seeded_determinism" in failed_checks(RandomEnv())


def test_check_env_rejects_non_env():
    with pytest.raises(TypeError):
        gymhub.check_env(object())  # type: ignore[arg-type]
