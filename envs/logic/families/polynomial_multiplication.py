"""Expand a product of polynomials.

The verifier reads one expanded polynomial (`_poly.parse_poly`: a sum of monomials, like terms
may repeat, any order) and compares its coefficients with the product of the stored factors.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._poly import Poly, format_poly, multiply, parse_poly
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict

VARIABLES = "xyzabtnk"


def product(factors: list[dict[str, int]]) -> Poly:
    out: Poly = {0: Fraction(1)}
    for f in factors:
        out = multiply(out, {int(e): Fraction(c) for e, c in f.items()})
    return out


@register_family
class PolynomialMultiplication(LogicFamily):
    """Expand (…)(…)…: factors 2+d//4 (2..4), of which 0 (d1-3), 1 (d4-6), 2 (d7-9), 3 (d10)
    quadratic, the others linear.

    Coefficients up to 2+d; the variable is x up to d4, another letter from d5. Answer: the
    expanded polynomial, e.g. `6x^3 - x^2 + 4`. size = total degree. Reward 1/0.
    """

    name = "polynomial_multiplication"
    title = "PolynomialMultiplication"
    description = "Expand a product of polynomials."
    difficulty_doc = "factors 2+d//4 (2..4), quadratic ones 0/1/2/3 from d1/d4/d7/d10, coefficients up to 2+d; size = total degree"
    equivalents = {"reasoning_gym": "polynomial_multiplication"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        var = "x" if difficulty <= 4 else rng.choice(VARIABLES)
        count, high = 2 + difficulty // 4, 2 + difficulty
        quadratics = 0 if difficulty < 4 else 1 + (difficulty - 4) // 3
        factors: list[dict[str, int]] = []
        for i in range(count):
            degree = 2 if i < quadratics else 1
            f = {str(e): rng.randint(-high, high) for e in range(degree + 1)}
            while f[str(degree)] == 0:
                f[str(degree)] = rng.randint(-high, high)
            if f["0"] == 0:
                f["0"] = rng.randint(1, high)
            factors.append(f)
        shown = "".join(
            f"({format_poly({int(e): Fraction(c) for e, c in f.items() if c}, var)})"
            for f in factors
        )
        question = ask(
            f"Expand and simplify {shown}.",
            f"Answer with the expanded polynomial in {var}, written with ^ for powers, for example "
            f"<answer>4{var}^3 - {var}^2 + 7</answer>.",
        )
        degree = sum(max(int(e) for e in f) for f in factors)
        return make_task(
            question, format_poly(product(factors), var), degree, factors=factors, var=var
        )

    def check(self, task: Task, answer: str) -> Verdict:
        got = parse_poly(answer, task.metadata["var"])
        if got is None:
            return Verdict.unparseable("expected one expanded polynomial")
        ok = got == product(task.metadata["factors"])
        return Verdict.correct() if ok else Verdict.incorrect("not the expanded product")

    def format_answer(self, task: Task) -> str:
        return format_poly(product(task.metadata["factors"]), task.metadata["var"])
