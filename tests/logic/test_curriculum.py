"""The curriculum keeps success in its band, its state survives a save/restore, and the family
sampler favours families with learning signal."""

from __future__ import annotations

import json
import random

import pytest

import gymhub
from gymhub.envs.logic.curriculum import Curriculum, CurriculumWrapper, FamilySampler


def test_difficulty_moves_up_on_success_and_down_on_failure() -> None:
    c = Curriculum(low=0.3, high=0.7, window=4, min_episodes=4, start=3)
    for _ in range(4):
        c.update("a", 1.0)
    assert c.difficulty("a") == 4  # above the band: harder
    for _ in range(4):
        c.update("a", 0.0)
    assert c.difficulty("a") == 3  # below the band: easier
    for _ in range(2):
        c.update("a", 1.0)
        c.update("a", 0.0)
    assert c.difficulty("a") == 3  # 0.5 is inside the band: stay
    assert c.difficulty("unseen") == 3
    for _ in range(100):
        c.update("b", 0.0)
    assert c.difficulty("b") == 1  # clamped at the lower bound
    for _ in range(200):
        c.update("b", 1.0)
    assert c.difficulty("b") == 10


@pytest.mark.parametrize(
    "kwargs",
    [
        {"low": 0.8, "high": 0.2},
        {"window": 4, "min_episodes": 5},
        {"start": 0},
        {"step": 0},
    ],
)
def test_bad_configuration_is_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Curriculum(**kwargs)


class SkillPolicy:
    """Answers correctly with a probability that falls with difficulty (a learner of fixed skill:
    p = 0.95 at or below `skill`, then -0.3 per level)."""

    def __init__(self, skill: int, seed: int = 0) -> None:
        self.skill = skill
        self.rng = random.Random(seed)

    def p(self, difficulty: int) -> float:
        return max(0.0, min(0.95, 0.95 - 0.3 * (difficulty - self.skill)))

    def act(self, env: CurriculumWrapper) -> str:
        d = env.task.metadata["difficulty"]
        if self.rng.random() < self.p(d):
            return env.reference_action().text
        return "<answer>wrong</answer>"


def run(env: CurriculumWrapper, policy: SkillPolicy, episodes: int) -> list[dict]:
    infos = []
    for _ in range(episodes):
        env.reset()
        *_, info = env.step(policy.act(env))
        infos.append(info["curriculum"])
    return infos


def test_wrapper_keeps_success_in_the_band_on_a_real_env() -> None:
    env = CurriculumWrapper(
        gymhub.make("gymhub/Logic-Sudoku-v0"),
        Curriculum(low=0.3, high=0.7, window=12, min_episodes=12),
    )
    env.reset(seed=0)
    policy = SkillPolicy(skill=4)
    infos = run(env, policy, 200)
    late = [i["difficulty"] for i in infos[-80:]]
    # p(d) is inside 0.3..0.7 only at d = 5 and 6: the curriculum must settle there
    assert 4 <= min(late) and max(late) <= 7, late
    assert sum(late) / len(late) == pytest.approx(5.5, abs=0.8)
    assert json.dumps(infos[-1]) and infos[-1]["key"] == "gymhub/Logic-Sudoku-v0"


def test_wrapper_works_with_a_non_logic_env() -> None:
    env = CurriculumWrapper(
        gymhub.make("gymhub/GuessNumber-v0"), Curriculum(window=2, min_episodes=2)
    )
    obs, info = env.reset(seed=1)
    assert info["curriculum"]["difficulty"] == 1 and env.task.metadata["difficulty"] == 1
    for _ in range(4):  # the reference (binary search) always wins: difficulty must rise
        done = False
        while not done:
            _, _, terminated, truncated, info = env.step(env.reference_action())
            done = terminated or truncated
        env.reset()
    assert env.task.metadata["difficulty"] == 3


def test_state_round_trips_and_resumes_identically() -> None:
    def fresh() -> CurriculumWrapper:
        return CurriculumWrapper(
            gymhub.make("gymhub/Logic-Mix-v0", weights={"sudoku": 1.0, **_two_more()}),
            Curriculum(window=6, min_episodes=6),
        )

    a = fresh()
    a.reset(seed=3)
    run(a, SkillPolicy(3, seed=1), 40)
    saved = json.loads(json.dumps(a.state_dict()))  # it must survive JSON
    b = fresh()
    b.load_state_dict(saved)
    b.env.episode_seed, b.env.episode_index = a.env.episode_seed, a.env.episode_index
    pa, pb = SkillPolicy(3, seed=9), SkillPolicy(3, seed=9)
    ia, ib = run(a, pa, 20), run(b, pb, 20)
    assert ia == ib
    with pytest.raises(ValueError):
        b.load_state_dict({"version": 999})


def _two_more() -> dict[str, float]:
    from gymhub.envs.logic import FAMILIES, discover_families

    discover_families()
    others = [n for n in sorted(FAMILIES) if n != "sudoku"][:2]
    return {n: 1.0 for n in others}


def test_sampler_favours_families_with_learning_signal() -> None:
    s = FamilySampler(["solved", "hopeless", "learning"], window=20, floor=0.02)
    for i in range(20):
        s.update("solved", 1.0)
        s.update("hopeless", 0.0)
        s.update("learning", float(i % 2))
    w = s.weights()
    assert w["learning"] > 4 * w["solved"] and w["learning"] > 4 * w["hopeless"]
    rng = random.Random(0)
    counts = {f: 0 for f in s.families}
    for _ in range(2000):
        counts[s.sample(rng)] += 1
    assert counts["learning"] > 0.6 * 2000
    assert counts["solved"] > 0 and counts["hopeless"] > 0  # the floor keeps them visited


def test_wrapper_on_mix_samples_families_and_adapts_each() -> None:
    env = CurriculumWrapper(
        gymhub.make("gymhub/Logic-Mix-v0", weights={"sudoku": 1.0, **_two_more()}),
        Curriculum(window=4, min_episodes=4),
    )
    env.reset(seed=0)
    policy = SkillPolicy(skill=10)  # solves everything: every family should climb
    infos = run(env, policy, 60)
    keys = {i["key"] for i in infos}
    assert len(keys) == 3
    assert all(env.curriculum.difficulty(k) >= 3 for k in keys)
    assert set(infos[-1]["family_weights"]) == keys


class NoKnobEnv(gymhub.Env):
    allowed_options = frozenset({"task"})


def test_wrapper_refuses_envs_without_a_difficulty_knob() -> None:
    with pytest.raises(TypeError):
        CurriculumWrapper(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="difficulty"):
        CurriculumWrapper(NoKnobEnv())
    with pytest.raises(ValueError, match="family"):
        CurriculumWrapper(gymhub.make("gymhub/Logic-Sudoku-v0"), families=["sudoku"])


def test_wrapped_env_passes_gymhub_check() -> None:
    env = CurriculumWrapper(gymhub.make("gymhub/Logic-Sudoku-v0"))
    # same-seed determinism (ours and gymnasium's) is skipped: the curriculum's state (episode
    # counts in info, the difficulty) changes from episode to episode by design
    report = gymhub.check_env(env, skip=("seeded_determinism", "gymnasium_check_env"))
    assert report.passed, report.summary()
