"""The contract of a logic-puzzle family: a seeded generator plus a rule-checking verifier.

A family generates `Task(question, answer, metadata)` from `(rng, difficulty)`; `metadata["size"]`
is the measured size that difficulty controls (cells, clues removed, chain length, ...). The
verifier checks the rules of the puzzle, not a stored string: any valid solution scores 1.
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar

from gymhub.types import Task, Verdict

_THINK_END = "</think>"
_ANSWER = re.compile(r"<answer>(.*?)</answer>", re.S | re.I)
MAX_ANSWER_CHARS = 50_000


def extract_answer(response: str) -> str | None:
    """The text inside the last `<answer>...</answer>` after any `</think>`, stripped; None when
    there is no such tag or it is absurdly long."""
    if not isinstance(response, str):
        return None
    if _THINK_END in response:
        response = response.rsplit(_THINK_END, 1)[1]
    found = _ANSWER.findall(response[-(MAX_ANSWER_CHARS * 2) :])
    if not found:
        return None
    answer = found[-1].strip()
    return answer if len(answer) <= MAX_ANSWER_CHARS else None


class LogicFamily:
    """Subclass per family; set the class attributes and implement `generate`, `check`,
    `format_answer`. Register it with `@register_family`."""

    name: ClassVar[str]  # snake_case; env id is gymhub/Logic-<Title>-v0
    title: ClassVar[str]  # CamelCase, used in the env id
    description: ClassVar[str]
    difficulty_doc: ClassVar[str]  # what difficulty 1..10 changes, measurably
    partial_credit: ClassVar[bool] = False

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        """A task at `difficulty` (1..10); metadata must include "size"."""
        raise NotImplementedError

    def check(self, task: Task, answer: str) -> Verdict:
        """Score the extracted answer text against the puzzle's rules. Raise nothing: an answer
        that cannot be read returns Verdict.unparseable(...)."""
        raise NotImplementedError

    def format_answer(self, task: Task) -> str:
        """The gold answer written in the format `check` reads (without <answer> tags)."""
        raise NotImplementedError

    def size(self, task: Task) -> float:
        return float(task.metadata["size"])

    def secret_strings(self, task: Task) -> list[str]:
        """Text that must never appear in the question (checked by `gymhub check`). The default
        is the gold answer when it is long enough to be meaningful; families whose answers are
        words that legitimately occur in questions ("True", "knave") override this."""
        gold = self.format_answer(task).strip()
        return [gold] if len(gold) >= 6 else []

    def near_misses(self, task: Task) -> list[str] | None:
        """Answers that are wrong by one changed cell/value, for the generated tests. None (the
        default) lets the tests mutate one character of the gold answer; a family where such a
        change can still be a valid solution (several solutions exist) returns its own."""
        return None

    def verify(self, response: str, task: Task) -> Verdict:
        answer = extract_answer(response)
        if answer is None or not answer:
            return Verdict.unparseable("no <answer>...</answer> found")
        try:
            verdict = self.check(task, answer)
        except Exception as exc:  # a checker bug must not crash the hub; it is not a pass
            return Verdict(reward=0.0, status="error", detail=f"checker failed: {exc!r}")
        if not self.partial_credit and verdict.status != "correct":
            verdict = verdict.model_copy(update={"reward": 0.0})
        return verdict


FAMILIES: dict[str, LogicFamily] = {}


def register_family(cls: type[LogicFamily]) -> type[LogicFamily]:
    """Class decorator: make the family known to the logic envs."""
    if cls.name in FAMILIES:
        raise ValueError(f"logic family {cls.name!r} registered twice")
    FAMILIES[cls.name] = cls()
    return cls


def make_task(question: str, answer: Any, size: float, **metadata: Any) -> Task:
    """Shorthand used by generators."""
    return Task(question=question, answer=answer, metadata={"size": size, **metadata})
