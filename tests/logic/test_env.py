"""The logic envs: registry entries, reset options, scoring, the mixture, and `gymhub check`."""

from __future__ import annotations

from pathlib import Path

import pytest

import gymhub
from gymhub.envs.logic import FAMILIES, discover_families, env_id
from gymhub.errors import InvalidOptionsError

discover_families()
NAMES = sorted(FAMILIES)


def test_every_family_has_a_registered_env() -> None:
    ids = {s.id for s in gymhub.list_envs(family="logic")}
    for family in FAMILIES.values():
        assert env_id(family) in ids
    assert "gymhub/Logic-Mix-v0" in ids
    spec = gymhub.spec("gymhub/Logic-Sudoku-v0")
    assert spec.family == "logic" and spec.difficulty_range == (1, 10)


def test_difficulty_option_changes_the_task_and_is_validated() -> None:
    env = gymhub.make("gymhub/Logic-Sudoku-v0")
    _, info = env.reset(seed=3, options={"difficulty": 1})
    assert env.task.metadata["difficulty"] == 1 and env.task.metadata["box"] == [2, 2]
    env.reset(seed=3, options={"difficulty": 10})
    assert env.task.metadata["box"] == [3, 3] and info["task_id"].endswith("d1")
    for bad in (0, 11, 2.5, "3", True, None):
        with pytest.raises(InvalidOptionsError):
            env.reset(seed=3, options={"difficulty": bad})
    with pytest.raises(ValueError):
        gymhub.make("gymhub/Logic-Sudoku-v0", difficulty=42)


def test_reference_action_scores_one_and_wrong_answer_zero() -> None:
    env = gymhub.make("gymhub/Logic-Sudoku-v0", difficulty=5)
    env.reset(seed=11)
    action = env.reference_action()
    assert action is not None and action.text.startswith("<answer>")
    _, reward, terminated, truncated, info = env.step(action)
    assert reward == 1.0 and terminated and not truncated
    assert info["verdict"] == "correct" and info["logic_family"] == "sudoku"
    env.reset(seed=11)
    _, reward, terminated, _, info = env.step("<answer>1 2 3</answer>")
    assert reward == 0.0 and terminated and info["verdict"] == "unparseable"
    assert env.reference_action() is None  # episode over


def test_pinned_task_replays_exactly() -> None:
    env = gymhub.make("gymhub/Logic-Sudoku-v0")
    obs, _ = env.reset(seed=5)
    task = env.task.model_dump()
    obs2, _ = env.reset(seed=99, options={"task": task})
    assert obs2 == obs
    _, reward, *_ = env.step(env.reference_action())
    assert reward == 1.0


def test_mix_draws_several_families_with_weights() -> None:
    env = gymhub.make("gymhub/Logic-Mix-v0")
    seen = set()
    env.reset(seed=0)
    for _ in range(40):
        seen.add(env.task.metadata["family"])
        env.reset()
    assert len(seen) >= min(5, len(FAMILIES))
    only = gymhub.make("gymhub/Logic-Mix-v0", weights={"sudoku": 1.0})
    for seed in range(5):
        only.reset(seed=seed)
        assert only.task.metadata["family"] == "sudoku"
        _, reward, *_ = only.step(only.reference_action())
        assert reward == 1.0
    env.reset(seed=1, options={"family": "sudoku", "difficulty": 2})
    assert env.task.metadata["family"] == "sudoku" and env.task.metadata["difficulty"] == 2
    with pytest.raises(InvalidOptionsError):
        env.reset(options={"family": "no_such_family"})
    with pytest.raises(ValueError):
        gymhub.make("gymhub/Logic-Mix-v0", weights={"no_such_family": 1.0})
    with pytest.raises(ValueError):
        gymhub.make("gymhub/Logic-Mix-v0", weights={"sudoku": -1.0})


def test_mix_is_deterministic_per_seed() -> None:
    a = gymhub.make("gymhub/Logic-Mix-v0")
    b = gymhub.make("gymhub/Logic-Mix-v0")
    first = [a.reset(seed=4)[0].text] + [a.reset()[0].text for _ in range(5)]
    second = [b.reset(seed=4)[0].text] + [b.reset()[0].text for _ in range(5)]
    assert first == second


@pytest.mark.parametrize("name", NAMES)
def test_gymhub_check_passes(name: str) -> None:
    report = gymhub.check_env(env_id(FAMILIES[name]))
    assert report.passed, report.summary()


def test_gymhub_check_passes_on_mix() -> None:
    report = gymhub.check_env("gymhub/Logic-Mix-v0")
    assert report.passed, report.summary()


def test_docs_cover_every_family() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "logic.md").read_text(encoding="utf-8")
    missing = [name for name in NAMES if f"`{name}`" not in docs]
    assert not missing, (
        f"docs/logic.md lacks {missing}: run python scripts/logic_docs.py docs/logic.md"
    )


def test_at_least_thirty_logic_families_are_listed() -> None:
    families = [s for s in gymhub.list_envs(family="logic") if s.id != "gymhub/Logic-Mix-v0"]
    assert len(families) >= 30, [s.id for s in families]
