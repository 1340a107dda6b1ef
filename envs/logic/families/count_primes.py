"""Count the primes in an interval; the verifier sieves the interval again."""

from __future__ import annotations

import math
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict


def primes_between(low: int, high: int) -> int:
    def prime(n: int) -> bool:
        return n >= 2 and all(n % q for q in range(2, math.isqrt(n) + 1))

    return sum(prime(n) for n in range(low, high + 1))


@register_family
class CountPrimes(LogicFamily):
    """How many primes lie between a and b (inclusive)?

    Interval width 10d^2 (10..1000, size) starting below 10^(2+d//2). Answer: one whole number.
    Reward 1/0.
    """

    name = "count_primes"
    title = "CountPrimes"
    description = "Count the prime numbers in an interval."
    difficulty_doc = "interval width 10d^2 (10..1000; size), start below 10^(2+d//2)"
    equivalents = {"reasoning_gym": "count_primes"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        width = 10 * difficulty * difficulty
        low = rng.randint(1, 10 ** (2 + difficulty // 2))
        high = low + width - 1
        gold = primes_between(low, high)
        question = ask(
            f"How many prime numbers are there between {low} and {high}, both included?",
            f"Answer with one whole number, for example <answer>{example_int(rng, gold, 1, 99)}</answer>.",
        )
        return make_task(question, gold, width, low=low, high=high)

    def check(self, task: Task, answer: str) -> Verdict:
        gold = primes_between(int(task.metadata["low"]), int(task.metadata["high"]))
        return expect_int(answer, gold, "the number of primes")

    def format_answer(self, task: Task) -> str:
        return str(primes_between(int(task.metadata["low"]), int(task.metadata["high"])))
