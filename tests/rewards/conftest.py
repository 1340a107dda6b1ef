"""Fixtures of the learned-reward tests: a tiny reward model built locally and saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_rm_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised one-output Qwen2 classifier with the tiny tokenizer, on disk."""
    from gymhub.trainers.rm_train import build_tiny_reward_model
    from gymhub.trainers.tiny import build_tiny_tokenizer

    path = tmp_path_factory.mktemp("tiny_rm")
    tokenizer = build_tiny_tokenizer()
    model = build_tiny_reward_model(tokenizer, seed=3, initializer_range=0.2)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
