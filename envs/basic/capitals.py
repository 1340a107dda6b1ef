"""gymhub/Capitals-v0: the smallest single-turn dataset env."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gymhub.task_env import SingleTurnEnv
from gymhub.tasks import JsonlSource
from gymhub.verifiers.string_match import ExactMatch

DATA = Path(__file__).parent / "data" / "capitals.jsonl"


def make_capitals_env(path: str | None = None, **kwargs: Any) -> SingleTurnEnv:
    return SingleTurnEnv(JsonlSource(path or DATA), ExactMatch(), **kwargs)
