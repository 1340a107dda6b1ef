"""Online difficulty in the reference trainer: the band rule, stale outcomes, metrics, checkpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gymhub.trainers import GRPOConfig, GRPOTrainer
from gymhub.trainers.adaptive import AdaptiveDifficulty, AdaptiveDifficultyError, entry_labels
from tests.trainers.test_trainer_loop import small_config

SETTINGS = {"low": 0.3, "high": 0.7, "window": 8, "min_episodes": 4}


def test_difficulty_rises_above_the_band_and_falls_below_it():
    adaptive = AdaptiveDifficulty(["a", "b"], [(1, 3), None], SETTINGS)
    assert adaptive.options(0, None) == {"difficulty": 1}
    assert adaptive.options(1, {"x": 1}) == {"x": 1}  # no range: left alone
    adaptive.record(0, [1.0] * 4, played_at=1)
    assert adaptive.options(0, None) == {"difficulty": 2}
    adaptive.record(0, [0.0] * 4, played_at=2)
    assert adaptive.options(0, {"x": 1}) == {"x": 1, "difficulty": 1}
    assert adaptive.metrics()["difficulty/a"] == 1.0
    assert "difficulty/b" not in adaptive.metrics()


def test_outcomes_played_at_an_old_difficulty_do_not_count():
    adaptive = AdaptiveDifficulty(["a"], [(1, 5)], SETTINGS)
    adaptive.record(0, [1.0] * 4, played_at=1)  # moves to 2
    adaptive.record(0, [0.0] * 4, played_at=1)  # same step, drawn at 1: does not move it back
    assert adaptive.options(0, None) == {"difficulty": 2}
    assert adaptive.curricula[0].success_rate("a") is None  # the window restarted at 2
    # the step's measured success still counts every episode, at the level it was given
    assert adaptive.metrics()["success_rate/a"] == 0.5
    assert "success_rate/a" not in adaptive.metrics()  # counters restart each step


def test_partial_rewards_count_as_solved_only_at_the_threshold():
    adaptive = AdaptiveDifficulty(["a"], [(1, 5)], {**SETTINGS, "success_threshold": 0.5})
    adaptive.record(0, [0.5, 0.6, 0.4, 0.2], played_at=1)
    assert adaptive.metrics()["success_rate/a"] == 0.5


@pytest.mark.parametrize(
    "raw, match",
    [
        ({"lowest": 0.1}, "unknown keys"),
        ({"low": 0.8, "high": 0.2}, "low < high"),
        ({"success_threshold": "yes"}, "must be a number"),
        ("0.3-0.7", "must be a mapping"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(raw, match):
    with pytest.raises(AdaptiveDifficultyError, match=match):
        AdaptiveDifficulty(["a"], [(1, 3)], raw)


def test_a_mixture_without_any_difficulty_range_is_refused():
    with pytest.raises(AdaptiveDifficultyError, match="no env of the mixture"):
        AdaptiveDifficulty(["gymhub/Capitals-v0"], [None], {})


def test_repeated_env_ids_get_their_own_labels():
    assert entry_labels(["x", "y", "x"]) == ["x#0", "y", "x#2"]


def test_unknown_keys_fail_when_the_config_is_read(tmp_path):
    with pytest.raises(ValueError, match="unknown keys"):
        small_config(tmp_path, adaptive_difficulty={"band": [0.3, 0.7]})


def test_trainer_adapts_logs_and_checkpoints_the_difficulty(tmp_path):
    config = small_config(tmp_path, adaptive_difficulty=SETTINGS, steps=2)
    trainer = GRPOTrainer(config)
    rows = trainer.train()
    assert all("difficulty/gymhub/ToyArith-v0" in row for row in rows)
    logged = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    assert logged[-1]["difficulty/gymhub/ToyArith-v0"] == rows[-1]["difficulty/gymhub/ToyArith-v0"]
    assert (tmp_path / "run" / "difficulty.png").stat().st_size > 0

    # the groups of a step all play the difficulty the controller gave when they were drawn
    trainer.adaptive.curricula[0].levels["gymhub/ToyArith-v0"] = 3
    specs = trainer._specs(step=5, round_=0, prompts=2)
    assert {s.options["difficulty"] for s in specs} == {3}

    path = trainer.save_checkpoint()
    trainer.close()
    resumed = GRPOTrainer(GRPOConfig(**{**config.to_dict(), "resume": str(path), "steps": 3}))
    try:
        assert resumed.adaptive.options(0, None) == {"difficulty": 3}
    finally:
        resumed.close()


LOGIC_CONFIG = GRPOConfig.from_yaml(Path(__file__).parents[2] / "configs" / "adaptive-logic.yaml")
LOGIC_MIX = LOGIC_CONFIG.envs  # the documented logic-family run, a few steps of it


@pytest.mark.filterwarnings("ignore:.*cut by the token budget")  # a random policy, 2 tokens
def test_a_logic_mixture_keeps_one_difficulty_per_family_through_a_checkpoint(tmp_path):
    """A few real steps of the logic-family mixture of configs/adaptive-logic.yaml (bare answers,
    real verifiers): each family gets its own controller, logged every step, saved in the
    checkpoint and restored on resume."""
    from gymhub.trainers.adaptive_report import band_summary

    assert len(LOGIC_MIX) >= 2 and all("Logic-" in e["id"] for e in LOGIC_MIX)
    config = small_config(
        tmp_path,
        envs=LOGIC_MIX,
        adaptive_difficulty={**LOGIC_CONFIG.adaptive_difficulty, "window": 8, "min_episodes": 4},
        steps=2,
        prompts_per_step=4,
        max_new_tokens=2,
        max_turns=1,
        max_tokens=400,
        save_every=2,
    )
    trainer = GRPOTrainer(config)
    try:
        rows = trainer.train()
        ids = [e["id"] for e in LOGIC_MIX]
        assert set(trainer.adaptive.curricula) == {0, 1}
        for row in rows:
            for env_id in ids:
                assert row[f"difficulty/{env_id}"] in range(1, 11)
            assert any(f"success_rate/{env_id}" in row for env_id in ids)
        logged = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
        assert [r["step"] for r in logged] == [1, 2]
        summary = band_summary(logged, (0.3, 0.7))
        assert set(summary) == set(ids) and all(s["steps"] >= 0 for s in summary.values())

        # move the families apart: each group plays its own family's level
        levels = {ids[0]: 4, ids[1]: 7}
        for index, env_id in enumerate(ids):
            trainer.adaptive.curricula[index].levels[env_id] = levels[env_id]
        specs = trainer._specs(step=9, round_=0, prompts=8)
        for spec in specs:
            assert spec.options["difficulty"] == levels[spec.env.env_id]
        assert {s.env.env_id for s in specs} == set(ids)
        path = trainer.save_checkpoint()
    finally:
        trainer.close()
    saved = json.loads((tmp_path / "run" / "checkpoint-2" / "trainer_state.json").read_text())
    assert saved["step"] == 2
    resumed = GRPOTrainer(GRPOConfig(**{**config.to_dict(), "resume": str(path), "steps": 3}))
    try:
        for index, env_id in enumerate(ids):
            assert resumed.adaptive.options(index, None) == {"difficulty": levels[env_id]}
        row = resumed.step()  # training goes on from the restored levels
        assert row["step"] == 3
        for env_id in ids:
            if f"success_rate/{env_id}" in row:
                assert 0.0 <= row[f"success_rate/{env_id}"] <= 1.0
    finally:
        resumed.close()
