"""The math environments: a dataset env, a procedural generator env and a "try again" env.

All score with MathVerifier (hard deadlines in worker processes). The prompt asks for the final
answer in `\\boxed{}`; the gold answer is never shown, not even in retry feedback.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gymhub.envs.math.computed import ComputedAnswerVerifier
from gymhub.envs.math.generator import generate
from gymhub.errors import GymhubError, InvalidOptionsError
from gymhub.task_env import MultiTurnEnv, SingleTurnEnv
from gymhub.tasks import GeneratorSource, HFSource, JsonlSource, TaskSource, check_difficulty
from gymhub.types import Verdict
from gymhub.verifiers.math_verifier import MathVerifier

BUNDLED = Path(__file__).parent / "data" / "bundled.jsonl"
SYSTEM_PROMPT = (
    "Solve the math problem. Reason step by step, then give only the final answer inside \\boxed{}."
)


def dataset_source(
    path: str | Path | None = None,
    hf_dataset: str | None = None,
    *,
    split: str = "train",
    columns: Mapping[str, str] | None = None,
    hf_config: str | None = None,
    limit: int | None = None,
) -> TaskSource:
    """Tasks from a JSONL file, a Hugging Face dataset (with column mapping) or the bundled set."""
    if path is not None and hf_dataset is not None:
        raise GymhubError("pass either path= or hf_dataset=, not both")
    if hf_dataset is not None:
        return HFSource(hf_dataset, split=split, columns=columns, config=hf_config, limit=limit)
    return JsonlSource(path or BUNDLED, columns=columns)


def retry_feedback(verdict: Verdict) -> str:
    """Feedback after a wrong answer: says what kind of wrong, never what is right."""
    if verdict.status == "unparseable":
        return "I could not find a final answer. Put only the final answer inside \\boxed{}."
    if verdict.status == "timeout":
        return "Your answer could not be checked in time. Simplify it and try again."
    return "That is not correct. Check your work and try again."


#: the generator's levels
DIFFICULTY_RANGE = (1, 10)
#: a dataset has no difficulty: the option is refused, not silently ignored
_DATASET_OPTIONS = frozenset({"task"})


def _no_difficulty(kwargs: Mapping[str, Any], env: str) -> None:
    if kwargs.get("difficulty") is not None:
        raise InvalidOptionsError(
            f"{env} on a dataset has no difficulty (the generator has: "
            "gymhub/MathGen-v0, or MathRetry-v0 with generated=True)"
        )


class GeneratedRetryEnv(MultiTurnEnv):
    """MathRetry on the generator: its spec states no difficulty range (the dataset variant has
    none), so the `difficulty` option is checked here, before the reset: a difficulty out of
    range found during the reset would be recorded as the hub's failure."""

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        options = super().validate_options(options)
        if "difficulty" in options:
            d = check_difficulty(
                options["difficulty"], DIFFICULTY_RANGE, what="option 'difficulty'"
            )
            options = {**options, "difficulty": d}
        return options


def _verifier(deadline: float, rel_tol: float, *, computed: bool = False) -> MathVerifier:
    """The generated problems and the bundled set ask to compute or simplify, so their answers
    must be computed values (see `ComputedAnswerVerifier`); the answers to a dataset of the
    user's are compared as MathVerifier reads them."""
    kind = ComputedAnswerVerifier if computed else MathVerifier
    return kind(deadline=deadline, rel_tol=rel_tol)


def make_math_env(
    path: str | Path | None = None,
    hf_dataset: str | None = None,
    *,
    split: str = "train",
    columns: Mapping[str, str] | None = None,
    hf_config: str | None = None,
    limit: int | None = None,
    deadline: float = 3.0,
    rel_tol: float = 1e-6,
    system_prompt: str | None = SYSTEM_PROMPT,
    **kwargs: Any,
) -> SingleTurnEnv:
    """gymhub/Math-v0: one problem, one answer. Default data: the bundled offline set."""
    _no_difficulty(kwargs, "gymhub/Math-v0")
    source = dataset_source(
        path, hf_dataset, split=split, columns=columns, hf_config=hf_config, limit=limit
    )
    bundled = path is None and hf_dataset is None
    verifier = _verifier(deadline, rel_tol, computed=bundled)
    env = SingleTurnEnv(source, verifier, system_prompt=system_prompt, **kwargs)
    env.allowed_options = _DATASET_OPTIONS  # type: ignore[misc]
    return env


def make_math_gen_env(
    *,
    difficulty: float | None = None,
    deadline: float = 3.0,
    system_prompt: str | None = SYSTEM_PROMPT,
    **kwargs: Any,
) -> SingleTurnEnv:
    """gymhub/MathGen-v0: procedural arithmetic and algebra, difficulty 1-10 (default 3)."""
    source = GeneratorSource(generate, "math_gen", default_difficulty=3)
    return SingleTurnEnv(
        source,
        _verifier(deadline, 1e-6, computed=True),
        system_prompt=system_prompt,
        difficulty=difficulty,
        **kwargs,
    )


def make_math_retry_env(
    path: str | Path | None = None,
    hf_dataset: str | None = None,
    *,
    generated: bool = False,
    max_attempts: int = 3,
    attempt_discount: float = 0.5,
    deadline: float = 3.0,
    columns: Mapping[str, str] | None = None,
    split: str = "train",
    system_prompt: str | None = SYSTEM_PROMPT,
    **kwargs: Any,
) -> MultiTurnEnv:
    """gymhub/MathRetry-v0: a wrong answer gets feedback and another attempt; a correct answer
    on attempt k earns `attempt_discount ** (k - 1)`. `generated=True` uses the generator."""
    if not isinstance(generated, bool):
        raise TypeError(f"generated must be True or False, got {generated!r}")
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
        raise ValueError(f"max_attempts must be a positive integer, got {max_attempts!r}")
    if generated:
        if "difficulty" in kwargs:
            kwargs["difficulty"] = check_difficulty(kwargs["difficulty"], DIFFICULTY_RANGE)
        source: TaskSource = GeneratorSource(
            generate, "math_gen", default_difficulty=3, difficulty_range=DIFFICULTY_RANGE
        )
    else:
        _no_difficulty(kwargs, "gymhub/MathRetry-v0")
        source = dataset_source(path, hf_dataset, split=split, columns=columns)
    kwargs.setdefault("max_turns", max_attempts)
    env = (GeneratedRetryEnv if generated else MultiTurnEnv)(
        source,
        _verifier(deadline, 1e-6, computed=generated or (path is None and hf_dataset is None)),
        max_attempts=max_attempts,
        attempt_discount=attempt_discount,
        feedback=retry_feedback,
        system_prompt=system_prompt,
        **kwargs,
    )
    if not generated:
        env.allowed_options = _DATASET_OPTIONS  # type: ignore[misc]
    return env
