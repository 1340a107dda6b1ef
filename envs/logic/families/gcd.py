"""Greatest common divisor of a few numbers.

The verifier recomputes the gcd of the listed numbers (`math.gcd`) and compares the one integer
answer with it.
"""

from __future__ import annotations

import math
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict


def gcd_shape(difficulty: int) -> tuple[int, int]:
    """(how many numbers, digits of the co-factors) at `difficulty`."""
    return 2 + (difficulty - 1) // 3, 1 + (difficulty + 1) // 3


@register_family
class Gcd(LogicFamily):
    """Find the greatest common divisor of 2-5 numbers.

    The numbers are a common factor times co-factors, so the gcd is usually more than 1.
    Answer: one whole number. size = numbers x co-factor digits. Reward 1/0.
    """

    name = "gcd"
    title = "Gcd"
    description = "Find the greatest common divisor of a few whole numbers."
    difficulty_doc = (
        "numbers 2+(d-1)//3 (2..5), co-factors of 1+(d+1)//3 digits (1..4); size = numbers x digits"
    )
    equivalents = {"reasoning_gym": "gcd"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, digits = gcd_shape(difficulty)
        common = rng.randint(2, 9 * difficulty + 3)
        low, high = 10 ** (digits - 1) + 1, 10**digits - 1
        numbers = [common * rng.randint(max(2, low), high) for _ in range(count)]
        question = ask(
            f"What is the greatest common divisor (GCD) of {', '.join(map(str, numbers))}?",
            f"Answer with one whole number, for example <answer>{example_int(rng, math.gcd(*numbers), 2, 60)}</answer>.",
        )
        return make_task(question, math.gcd(*numbers), count * digits, numbers=numbers)

    def check(self, task: Task, answer: str) -> Verdict:
        return expect_int(
            answer, math.gcd(*task.metadata["numbers"]), "the greatest common divisor"
        )

    def format_answer(self, task: Task) -> str:
        return str(math.gcd(*task.metadata["numbers"]))
