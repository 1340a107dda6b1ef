"""gymhub/ToyArith-v0: tiny digit tasks with shaped partial credit.

A randomly initialised model emits near-uniform characters, so an exact-match reward alone would
almost never fire. The verifier also pays 0.3 for a response that starts with the answer but does
not stop there: a signal that depends on the question only (credit for generic format features
such as "starts with a digit" makes a model trained from scratch collapse onto one constant
answer). A response naming two different numbers ("7 or 8") is a list of candidates and earns
nothing, and so does one naming a number in words beside it ("7 or eight"). Only the exact
answer earns 1.0.
"""

from __future__ import annotations

import random
import re
from typing import Any

from gymhub.task_env import MultiTurnEnv, SingleTurnEnv
from gymhub.tasks import GeneratorSource
from gymhub.types import Task, Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.string_match import ExactMatch, denied_after, final_answer_text

PREFIX_CREDIT = 0.3
_NUMBER = re.compile(r"\d+")
_EXACT = ExactMatch()
# a number spelled out beside the digits is another candidate
_NUMBER_WORD = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred)\b",
    re.IGNORECASE,
)


def generate(rng: random.Random, difficulty: float) -> Task:
    """Difficulty 1: name the digit that repeats (the repetition makes the signal dense enough
    for a model trained from scratch); 2: a sum of two digits below 10; 3: a sum of two 2-digit
    numbers."""
    level = int(difficulty)
    if level <= 1:
        digit = rng.randint(0, 9)
        question, answer = f"Which digit repeats? {str(digit) * 10}", str(digit)
    elif level == 2:
        # the sum first, uniform over 0-9, then its split: drawing `a` first and `b <= 9 - a`
        # made 9 the answer of 29% of the tasks, so the constant reply "9" earned that much
        total = rng.randint(0, 9)
        a = rng.randint(0, total)
        question, answer = f"{a}+{total - a}=", str(total)
    else:
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        question, answer = f"{a}+{b}=", str(a + b)
    return Task(question=question, answer=answer, metadata={"difficulty": level})


class ToyAnswerVerifier(Verifier):
    """Exact match on the stripped response (or the answer as `ExactMatch` reads it: `**7**`,
    `The answer is 7.`), with small shaped credit for near misses; never for a reply that
    copies a number of the question (`7777777777` for "Which digit repeats? 7777777777")."""

    name = "toy_answer"
    version = "2"
    uses_question = True  # the env passes the question: a copy of it earns no shaping

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        if reference is None or str(reference) == "":
            raise ValueError(f"ToyAnswerVerifier needs a reference answer, got {reference!r}")
        gold = str(reference)
        text = final_answer_text(response)  # the shared `text` policy; plain text stays whole
        if _EXACT.verify(response, gold).status == "correct":
            return Verdict.correct(components={"prefix": 1.0, "exact": 1.0})
        # "7 or 8", "7 or eight": candidates, never credited
        several = len(set(_NUMBER.findall(text))) > 1 or _NUMBER_WORD.search(text) is not None
        question = context.get("question")
        copied = isinstance(question, str) and any(
            len(n) > 1 and n != gold and n in text for n in _NUMBER.findall(question[:1000])
        )
        # "7 is wrong.", "7 may be wrong": the answer denied right after it earns nothing
        denied = text.startswith(gold) and denied_after(text[len(gold) :])
        prefix = float(text.startswith(gold) and not several and not copied and not denied)
        components = {"prefix": prefix, "exact": 0.0}
        if not text:
            return Verdict.unparseable("empty response", components=components)
        if prefix:
            return Verdict(reward=PREFIX_CREDIT, status="partial", components=components)
        return Verdict.incorrect(components=components)

    def reference_response(self, reference: Any) -> str | None:
        return None if reference is None else str(reference)


def _source() -> GeneratorSource:
    return GeneratorSource(generate, "toy_arith", default_difficulty=1)


def make_toy_arith_env(difficulty: int = 1, **kwargs: Any) -> SingleTurnEnv:
    return SingleTurnEnv(_source(), ToyAnswerVerifier(), difficulty=difficulty, **kwargs)


def make_toy_arith_retry_env(difficulty: int = 1, **kwargs: Any) -> MultiTurnEnv:
    kwargs.setdefault("max_turns", 2)
    kwargs.setdefault("max_attempts", 2)
    kwargs.setdefault("attempt_discount", 0.5)
    return MultiTurnEnv(_source(), ToyAnswerVerifier(), difficulty=difficulty, **kwargs)
