"""Products of a few integers; the verifier multiplies the listed factors again."""

from __future__ import annotations

import math
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict


@register_family
class Products(LogicFamily):
    """Multiply 2-5 integers (negative factors from d4).

    Factors 2+d//3 (2..5) of 1+d//3 digits (1..4). Answer: one integer. size = total digits.
    Reward 1/0.
    """

    name = "products"
    title = "Products"
    description = "Multiply a few integers."
    difficulty_doc = (
        "factors 2+d//3 (2..5) of 1+d//3 digits (1..4), negatives from d4; size = total digits"
    )
    equivalents = {"reasoning_gym": "products"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, digits = 2 + difficulty // 3, 1 + difficulty // 3
        factors = []
        for _ in range(count):
            value = rng.randint(max(2, 10 ** (digits - 1)), 10**digits - 1)
            if difficulty >= 4 and rng.random() < 0.35:
                value = -value
            factors.append(value)
        text = " * ".join(f"({f})" if f < 0 else str(f) for f in factors)
        question = ask(
            f"Compute {text}.",
            f"Answer with one integer, for example <answer>{example_int(rng, math.prod(factors), -9999, 9999)}</answer>.",
        )
        return make_task(question, math.prod(factors), count * digits, factors=factors)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, math.prod(task.metadata["factors"]), "the product")

    def format_answer(self, task: Task) -> str:
        return str(math.prod(task.metadata["factors"]))
