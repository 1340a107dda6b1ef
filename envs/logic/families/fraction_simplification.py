"""Reduce a fraction to lowest terms.

The verifier reads `a/b`, checks that it equals the given fraction and that gcd(a, b) = 1 with a
positive denominator (the rule "lowest terms"); an equal but unreduced fraction is incorrect.
"""

from __future__ import annotations

import math
import random
import re
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, clean, example_int
from gymhub.types import Task, Verdict

_FRACTION = re.compile(r"\$?\s*([-+]?\d{1,60})\s*/\s*(\d{1,60})\s*\$?\.?")


@register_family
class FractionSimplification(LogicFamily):
    """Simplify n/m to lowest terms.

    The reduced fraction has parts of up to 1+d//3 digits (1..4) and is scaled by a factor up to
    10d. Answer: `a/b` with gcd(a, b) = 1 (a minus sign in front for negative values, from d6).
    size = digits of the given denominator. Reward 1/0.
    """

    name = "fraction_simplification"
    title = "FractionSimplification"
    description = "Reduce a fraction to lowest terms."
    difficulty_doc = "reduced parts of 1+d//3 digits, scaled by up to 10d; negatives from d6; size = digits of the denominator"
    equivalents = {"reasoning_gym": "fraction_simplification"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        digits = 1 + difficulty // 3
        while True:
            a = rng.randint(1, 10**digits - 1)
            b = rng.randint(2, 10**digits - 1)
            if math.gcd(a, b) == 1 and a != b:
                break
        k = rng.randint(2, 10 * difficulty + 1)
        sign = -1 if difficulty >= 6 and rng.random() < 0.3 else 1
        num, den = sign * a * k, b * k
        question = ask(
            f"Simplify the fraction {num}/{den} to its lowest terms.",
            f"Answer as numerator/denominator with no common factor, for example <answer>-{example_int(rng, -1, 1, 9)}/{example_int(rng, b, 11, 19)}</answer>.",
        )
        size = 1 + digits + len(str(10 * difficulty + 1))
        return make_task(question, f"{sign * a}/{b}", size, numerator=num, denominator=den)

    def check(self, task: Task, answer: str) -> Verdict:
        match = _FRACTION.fullmatch(clean(answer))
        if match is None:
            return Verdict.unparseable("expected numerator/denominator")
        a, b = int(match.group(1)), int(match.group(2))
        if b == 0:
            return Verdict.incorrect("zero denominator")
        if Fraction(a, b) != Fraction(task.metadata["numerator"], task.metadata["denominator"]):
            return Verdict.incorrect("not equal to the given fraction")
        if math.gcd(a, b) != 1:
            return Verdict.incorrect("not in lowest terms")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        value = Fraction(task.metadata["numerator"], task.metadata["denominator"])
        return f"{value.numerator}/{value.denominator}"
