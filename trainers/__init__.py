"""The reference GRPO-family trainer (`gymhub.trainers`) and the token-exact episode runner.

Importing this package is light; torch and transformers load when a name below is first used:
`from gymhub.trainers import GRPOConfig, GRPOTrainer`.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "GRPOConfig": "gymhub.trainers.config",
    "EnvEntry": "gymhub.trainers.config",
    "GRPOTrainer": "gymhub.trainers.trainer",
    "EpisodeRunner": "gymhub.trainers.runner",
    "EpisodeSpec": "gymhub.trainers.runner",
    "Episode": "gymhub.trainers.runner",
    "TokenSegment": "gymhub.trainers.runner",
    "SamplingParams": "gymhub.trainers.backends",
    "HFBackend": "gymhub.trainers.backends",
    "VLLMBackend": "gymhub.trainers.backends",
    "HFPolicy": "gymhub.trainers.hf_policy",
    "learning_check": "gymhub.trainers.metrics",
    "load_model_and_tokenizer": "gymhub.trainers.tiny",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gymhub.trainers' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
