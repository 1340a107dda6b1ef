"""Least common multiple of a few numbers.

The verifier recomputes the lcm of the listed numbers and compares the one integer answer.
"""

from __future__ import annotations

import math
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict


def lcm_of(numbers: list[int]) -> int:
    out = 1
    for n in numbers:
        out = out * n // math.gcd(out, n)
    return out


@register_family
class Lcm(LogicFamily):
    """Find the least common multiple of 2-5 numbers.

    Numbers 2+(d-1)//3 (2..5), each in 2..5+5d. Answer: one whole number. size = numbers x the
    upper bound of a number. Reward 1/0.
    """

    name = "lcm"
    title = "Lcm"
    description = "Find the least common multiple of a few whole numbers."
    difficulty_doc = "numbers 2+(d-1)//3 (2..5), each 2..5+5d; size = numbers x (5+5d)"
    equivalents = {"reasoning_gym": "lcm"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, high = 2 + (difficulty - 1) // 3, 5 + 5 * difficulty
        numbers = rng.sample(range(2, high + 1), count)
        question = ask(
            f"What is the least common multiple (LCM) of {', '.join(map(str, numbers))}?",
            f"Answer with one whole number, for example <answer>{example_int(rng, lcm_of(numbers), 20, 900)}</answer>.",
        )
        return make_task(question, lcm_of(numbers), count * high, numbers=numbers)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(answer, lcm_of(task.metadata["numbers"]), "the least common multiple")

    def format_answer(self, task: Task) -> str:
        return str(lcm_of(task.metadata["numbers"]))
