"""The Verifier interface: sync, async and batched scoring with one contract."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from gymhub.types import Verdict


class Verifier:
    """Scores a response against a reference.

    Subclasses implement `verify`. `averify` and `verify_batch` come for free (a verifier that
    runs work in worker processes overrides them to spread the work).
    """

    name: str = "verifier"
    version: str = "1"
    # True: task envs pass the task's question as `question=` (to refuse answers that restate it)
    uses_question: bool = False
    # True: task envs pass the tests the prompt shows as `public_tests=` (partial credit never
    # pays for reproducing them)
    uses_public_tests: bool = False

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        raise NotImplementedError

    async def averify(self, response: str, reference: Any, **context: Any) -> Verdict:
        return await asyncio.to_thread(self.verify, response, reference, **context)

    def verify_batch(
        self, responses: Sequence[str], references: Sequence[Any], **context: Any
    ) -> list[Verdict]:
        if len(responses) != len(references):
            raise ValueError(
                f"verify_batch got {len(responses)} responses and {len(references)} references"
            )
        return [self.verify(r, ref, **context) for r, ref in zip(responses, references)]

    def reference_response(self, reference: Any) -> str | None:
        """A response this verifier scores as correct for `reference` (used for gold actions)."""
        return None if reference is None else str(reference)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class FunctionVerifier(Verifier):
    """Wraps `fn(response, reference, **context) -> Verdict | float | bool` as a Verifier."""

    def __init__(self, fn: Callable[..., Verdict | float | bool], name: str | None = None) -> None:
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "function")

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        result = self.fn(response, reference, **context)
        if isinstance(result, Verdict):
            return result
        reward = float(result)
        return Verdict(
            reward=reward,
            status="correct" if reward >= 1.0 else ("partial" if reward > 0 else "incorrect"),
        )
