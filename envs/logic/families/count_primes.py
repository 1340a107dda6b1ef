"""Count the primes in an interval; the verifier sieves the interval again."""

from __future__ import annotations

import functools
import math
import random

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._balance import pick_balanced
from gymhub.envs.logic.families._textnum import ask, example_int, expect_int
from gymhub.types import Task, Verdict


def primes_between(low: int, high: int) -> int:
    """The number of primes p with low <= p <= high, by a sieve of the interval alone (the
    primes up to sqrt(high) strike out their multiples in it)."""
    if not isinstance(low, int) or not isinstance(high, int):
        raise TypeError("low and high must be integers")
    low = max(low, 2)
    if high < low:
        return 0
    if high - low > 10_000_000:
        raise ValueError(f"interval too wide to sieve: {low}..{high}")
    alive = bytearray([1]) * (high - low + 1)
    for q in _small_primes(math.isqrt(high)):
        start = max(q * q, (low + q - 1) // q * q)
        alive[start - low :: q] = bytes(len(range(start, high + 1, q)))
    return sum(alive)


@functools.lru_cache(maxsize=64)
def _small_primes(root: int) -> tuple[int, ...]:
    sieve = bytearray([1]) * (root + 1)
    for q in range(2, math.isqrt(root) + 1):
        if sieve[q]:
            sieve[q * q :: q] = bytes(len(range(q * q, root + 1, q)))
    return tuple(q for q in range(2, root + 1) if sieve[q])


def candidates(difficulty: int) -> int:
    """Intervals drawn per task, one kept by its count: many where the counts are few (d1 has
    1-5, and 5 or 1 prime in ten numbers below 100 is rare: with 40 intervals `2` was right on
    27% of d1), a dozen where they spread anyway (a wide interval costs a sieve each)."""
    return max(12, 200 // (difficulty * difficulty))


@register_family
class CountPrimes(LogicFamily):
    """How many primes lie between a and b (inclusive)?

    Interval width 10d^2 (10..1000, size) starting below 10^(2+d//2); the count is drawn first
    (each count of several random intervals equally likely). Answer: one whole number.
    Reward 1/0.
    """

    name = "count_primes"
    title = "CountPrimes"
    description = "Count the prime numbers in an interval."
    difficulty_doc = "interval width 10d^2 (10..1000; size), start below 10^(2+d//2)"
    equivalents = {"reasoning_gym": "count_primes"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        width = 10 * difficulty * difficulty
        # the count first: random intervals bunched on one count (`2` on half of the d1 tasks,
        # 33% at d2), so a policy answering it blindly was paid; of several intervals one is
        # kept so that each count they show is as likely (0 on a small share)
        lows = [rng.randint(1, 10 ** (2 + difficulty // 2)) for _ in range(candidates(difficulty))]
        low, gold = pick_balanced(
            rng, [(x, primes_between(x, x + width - 1)) for x in lows], lambda c: c[1], (0,)
        )
        high = low + width - 1
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
