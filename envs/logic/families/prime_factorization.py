"""Factor a number into primes.

The verifier reads factors separated by `*`, `x`, `×` (or spaces/commas), a factor possibly
written as a power `p^e`; it checks that every factor is prime and that their product is the
number. Any order and grouping of the same factors is accepted.
"""

from __future__ import annotations

import math
import random
import re

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean
from gymhub.types import Task, Verdict

_PRIMES = [p for p in range(2, 400) if all(p % q for q in range(2, int(p**0.5) + 1))]
_FACTOR = re.compile(r"(\d{1,12})(?:\s*(?:\^|\*\*)\s*(\d{1,3}))?")


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    return all(n % q for q in range(2, math.isqrt(n) + 1))


def read_factors(text: str) -> list[tuple[int, int]] | None:
    text = clean(text).rstrip(".").strip()
    text = re.sub(r"\s*(\^|\*\*)\s*", r"\1", text)  # keep powers together
    parts = [p for p in re.split(r"\s*(?<!\*)[*×x·,]\s*(?!\*)|\s+", text) if p]
    if not parts or len(parts) > 200:
        return None
    out = []
    for part in parts:
        match = _FACTOR.fullmatch(part)
        if match is None:
            return None
        out.append((int(match.group(1)), int(match.group(2) or 1)))
    return out


@register_family
class PrimeFactorization(LogicFamily):
    """Write n as a product of primes.

    n is a product of 2+(d-1)//2 primes (2..6, with repeats) below 20+20d. Answer: the prime
    factors joined by `*` (`2 * 2 * 3`, or powers `2^2 * 3`). size = prime factors. Reward 1/0.
    """

    name = "prime_factorization"
    title = "PrimeFactorization"
    description = "Factor a whole number into primes."
    difficulty_doc = "2+(d-1)//2 prime factors (2..6) below 20+20d; size = prime factors"
    equivalents = {"reasoning_gym": "prime_factorization"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count = 2 + (difficulty - 1) // 2
        pool = [p for p in _PRIMES if p < 20 + 20 * difficulty]
        factors = sorted(rng.choice(pool) for _ in range(count))
        n = math.prod(factors)
        question = ask(
            f"Find the prime factorization of {n}.",
            "Answer with the prime factors joined by *, smallest first, repeating a factor as "
            "often as it divides (for example <answer>2 * 2 * 7</answer> for 28; 2^2 * 7 is also "
            "accepted).",
        )
        return make_task(question, factors, count, n=n)

    def check(self, task: Task, answer: str) -> Verdict:
        factors = read_factors(answer)
        if factors is None:
            return Verdict.unparseable("expected prime factors joined by *")
        if sum(e for _, e in factors) > 200:
            return Verdict.incorrect("too many factors")
        not_prime = [p for p, _ in factors if not is_prime(p)]
        if not_prime:
            return Verdict.incorrect(f"{not_prime[0]} is not prime")
        if math.prod(p**e for p, e in factors) != int(task.metadata["n"]):
            return Verdict.incorrect("the product is not the number")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return " * ".join(map(str, task.answer))
