"""`gymhub.Wrapper` keeps the Env contract and bookkeeping; the curriculum wrapper works on any env
with a difficulty range in its spec."""

from __future__ import annotations

import asyncio

import pytest

import gymhub
from gymhub.curriculum import Curriculum, CurriculumWrapper
from gymhub.types import Action, Observation
from gymhub.wrappers import StepTuple


class Shout(gymhub.Wrapper):
    """Upper-cases the policy's text before the env sees it and counts steps in `info`."""

    def __init__(self, env: gymhub.Env) -> None:
        super().__init__(env)
        self.steps = 0

    def action(self, action: Action) -> Action:
        return Action(content=action.text.upper())

    def on_step(self, action: Action, result: StepTuple) -> StepTuple:
        self.steps += 1
        result[4]["shout_steps"] = self.steps
        return result


def test_identity_wrapper_passes_every_conformance_check():
    env = gymhub.make("gymhub/GuessNumber-v0")
    wrapped = gymhub.Wrapper(env)
    report = gymhub.check_env(wrapped)
    assert report.passed, report.summary()
    assert wrapped.env_id == env.env_id and wrapped.unwrapped is env
    assert wrapped.metadata == env.metadata and wrapped.max_turns == env.max_turns


def test_wrapper_mirrors_bookkeeping_and_forwards_everything():
    env = gymhub.make("gymhub/Capitals-v0")
    wrapped = Shout(env)
    obs, info = wrapped.reset(seed=4)
    assert wrapped.task == env.task and wrapped.turn == 0 and not wrapped.done
    assert wrapped.secret_strings() == env.secret_strings()
    gold = wrapped.reference_action()
    assert gold is not None and gold == env.reference_action()
    _, reward, terminated, _, info = wrapped.step(gold.text.lower())
    assert reward == 1.0 and terminated and info["shout_steps"] == 1  # upper-cased, still right
    assert (
        wrapped.done and wrapped.turn == 1 and list(wrapped.conversation) == list(env.conversation)
    )
    assert env.conversation[-1].text == gold.text.upper()
    with pytest.raises(gymhub.EpisodeDoneError):
        wrapped.step("again")
    with pytest.raises(gymhub.InvalidOptionsError):
        wrapped.reset(options={"nope": 1})
    wrapped.close()
    assert env._closed


def test_wrapper_uses_the_inner_env_native_async_methods():
    calls: list[str] = []

    class NativeAsync(gymhub.Env):
        def _reset(self, options):
            return Observation()

        def _step(self, action):
            from gymhub.env import StepResult

            return StepResult(Observation(), 1.0, True)

        async def astep(self, action):
            calls.append("astep")
            return self.step(action)

    wrapped = Shout(NativeAsync())
    asyncio.run(wrapped.areset(seed=0))
    *_, info = asyncio.run(wrapped.astep("x"))
    assert calls == ["astep"] and info["shout_steps"] == 1 and wrapped.done


def test_wrapper_refuses_what_is_not_an_env():
    with pytest.raises(TypeError, match="gymhub.Env"):
        gymhub.Wrapper("gymhub/Capitals-v0")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "env_id, bounds",
    [
        ("gymhub/MathGen-v0", (1, 10)),
        ("gymhub/ToyArith-v0", (1, 3)),
        ("gymhub/GuessNumber-v0", (1, 10)),
    ],
)
def test_curriculum_reads_the_difficulty_range_from_the_spec(env_id, bounds):
    env = CurriculumWrapper(gymhub.make(env_id))
    assert env.curriculum.bounds == bounds == tuple(gymhub.spec(env_id).difficulty_range)
    for _ in range(12):  # always solved: the difficulty climbs, never past the range
        env.reset()
        while not env.done:
            env.step(env.reference_action())
    assert env.task_difficulty == env.curriculum.difficulty(env.key) or env.task_difficulty
    assert bounds[0] < env.curriculum.difficulty(env_id) <= bounds[1]
    # the async path runs the same curriculum
    _, info = asyncio.run(env.areset())
    assert info["curriculum"]["difficulty"] == env.curriculum.difficulty(env_id)


def test_curriculum_needs_a_difficulty_range():
    with pytest.raises(ValueError, match="difficulty range"):
        CurriculumWrapper(gymhub.make("gymhub/Capitals-v0"))
    with pytest.raises(ValueError, match="exceed"):
        CurriculumWrapper(gymhub.make("gymhub/ToyArith-v0"), Curriculum(bounds=(1, 10)))


def test_curriculum_on_a_web_env():
    from gymhub.envs.web.host import chromium_available
    from tests.conftest import require

    require(chromium_available(), "Chromium (scripts/setup_browser.sh) and playwright")
    env = CurriculumWrapper(gymhub.make("gymhub/Web-ClickButton-v0"))
    try:
        assert env.curriculum.bounds == (1, 5)
        _, info = env.reset(seed=0)
        while not env.done:
            *_, info = env.step(env.reference_action())
        assert info["curriculum"]["episodes"] == 1 and env.episode_return == 1.0
    finally:
        env.close()
