"""The over-optimisation monitor: training on a reward model's score (RMProxy-v0) logs the proxy
and the gold (verifier) reward side by side in metrics.jsonl and draws both in reward.png."""

from __future__ import annotations

import json

import gymhub
from gymhub.trainers import GRPOConfig, GRPOTrainer


def test_proxy_env_keeps_the_gold_reward(tiny_rm_path):
    env = gymhub.make("gymhub/RMProxy-v0", reward_model=str(tiny_rm_path))
    env.reset(seed=0)
    gold_answer = env.reference_action()
    _, reward, _, _, info = env.step(gold_answer)
    assert info["reward_components"]["gold"] == 1.0 and 0.0 < reward < 1.0
    assert "rm_score" in info["reward_components"]
    env.reset(seed=0)
    _, _, _, _, info = env.step("definitely wrong")
    assert info["reward_components"]["gold"] == 0.0 and info["gold_verdict"] == "incorrect"


def test_trainer_logs_proxy_and_gold_side_by_side(tmp_path, tiny_rm_path):
    config = GRPOConfig(
        envs=[{"id": "gymhub/RMProxy-v0", "kwargs": {"reward_model": str(tiny_rm_path)}}],
        steps=2,
        group_size=4,
        prompts_per_step=2,
        max_new_tokens=2,
        max_turns=1,
        max_tokens=96,
        output_dir=str(tmp_path / "run"),
        progress=False,
        torch_threads=1,
    )
    trainer = GRPOTrainer(config)
    try:
        trainer.train()
    finally:
        trainer.close()
    rows = [
        json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    ]
    assert len(rows) == 2
    for row in rows:
        assert row["proxy_reward_mean"] == row["reward_mean"]
        assert 0.0 <= row["gold_reward_mean"] <= 1.0
        assert row["reward/gold"] == row["gold_reward_mean"]
    assert (tmp_path / "run" / "reward.png").stat().st_size > 0
