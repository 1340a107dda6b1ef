"""Learned rewards in a few lines (docs/rewards.md runs this; no download, CPU only).

1. make verified preference pairs from a verifiable env and train a tiny reward model on them;
2. load it back by path as a RewardModelVerifier with bounded, centred shaping;
3. see the rule gate refuse a master key before any model is asked;
4. use the reward model as the reward of gymhub/Chat-v0.
"""

from __future__ import annotations

import tempfile

import gymhub
from gymhub.trainers.rm_pairs import iter_pairs
from gymhub.trainers.rm_train import RMTrainConfig, train_reward_model
from gymhub.verifiers import RewardModelVerifier
from gymhub.verifiers.judge_gate import gate_reason

with tempfile.TemporaryDirectory() as out:
    # 1. chosen = the env's verified reference answer, rejected = an answer the env scores lower
    pairs = list(iter_pairs(lambda: gymhub.make("gymhub/ToyArith-v0"), seeds=range(600)))
    summary = train_reward_model(pairs, out, RMTrainConfig(epochs=4, torch_threads=1))
    print(f"held-out pairwise accuracy: {summary['eval_accuracy']:.2f}")

    # 2. reward = sigmoid(score - score of the reference answer): bounded, centred (0.5 = as good
    # as the reference); the raw score stays in the components
    rm = RewardModelVerifier(out, shaping={"sigmoid": True, "center": "reference"})
    question, reference = "Which digit repeats? 7777777777", "7"
    for answer in ("7", "3"):
        v = rm.verify(answer, reference, prompt=question)
        print(f"answer {answer}: reward {v.reward:.2f}, rm_score {v.components['rm_score']:+.3f}")

    # 3. the gate in front of every learned reward: no model sees a master key
    print(f"'Thought process:' -> {gate_reason('Thought process:')}")

    # 4. the same checkpoint as the reward of a chat env
    env = gymhub.make("gymhub/Chat-v0", reward_model=out)
    obs, _ = env.reset(seed=0)
    _, reward, _, _, info = env.step("Here is a short, friendly answer.")
    print(f"Chat-v0 reward {reward:.2f}, rm_score {info['reward_components']['rm_score']:+.2f}")
