"""Find every real root of a polynomial equation whose roots are rational.

The verifier substitutes each answered value into the stored polynomial (exactly) and checks that
the answer names every distinct root once: the polynomial is built from its linear factors, so
the number of distinct real roots is known.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._poly import Poly, evaluate, format_poly, multiply
from gymhub.envs.logic.families._textnum import ask, fraction_text, read_number_list
from gymhub.types import Task, Verdict


def poly_of(task: Task) -> Poly:
    return {int(e): Fraction(c) for e, c in task.metadata["poly"].items()}


def roots_of(task: Task) -> list[Fraction]:
    return sorted({Fraction(r) for r in task.metadata["roots"]})


@register_family
class PolynomialEquations(LogicFamily):
    """Solve p(x) = 0 for a polynomial of degree 1+d//3 (1..4) with rational roots.

    Integer roots up to 2+d; from d6 some roots are fractions (a factor `ax - b`); repeated
    roots possible. Answer: every distinct real root once, separated by commas, any order
    (`x = 2, x = -1/3` also accepted). size = degree. Reward 1/0.
    """

    name = "polynomial_equations"
    title = "PolynomialEquations"
    description = "Find all real roots of a polynomial equation."
    difficulty_doc = (
        "degree 1+d//3 (1..4), roots up to 2+d, fractional roots from d6; size = degree"
    )
    equivalents = {"reasoning_gym": "polynomial_equations"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        degree, high = 1 + difficulty // 3, 2 + difficulty
        poly: Poly = {0: Fraction(rng.choice([-1, 1]) * rng.randint(1, 3))}
        roots: list[Fraction] = []
        for _ in range(degree):
            a = rng.randint(2, 3) if difficulty >= 6 and rng.random() < 0.4 else 1
            b = rng.randint(-high, high)
            poly = multiply(poly, {1: Fraction(a), 0: Fraction(-b)})
            roots.append(Fraction(b, a))
        question = ask(
            f"Find all real solutions of {format_poly(poly)} = 0.",
            "Answer with every distinct solution once, separated by commas, in any order (exact "
            "values: integers or fractions a/b), for example <answer>-7, 3/2</answer>.",
        )
        answer = ", ".join(fraction_text(r) for r in sorted(set(roots)))
        return make_task(
            question, answer, degree,
            poly={str(e): str(c) for e, c in poly.items()},
            roots=[str(r) for r in roots],
        )  # fmt: skip

    def check(self, task: Task, answer: str) -> Verdict:
        text = re.sub(r"\b[a-z]\s*=\s*", "", answer[:5000])
        got = read_number_list(text, max_items=50)
        if got is None:
            return Verdict.unparseable("expected numbers separated by commas")
        if len(set(got)) != len(got):
            return Verdict.incorrect("a solution is named twice")
        poly = poly_of(task)
        if any(evaluate(poly, x) != 0 for x in got):
            return Verdict.incorrect("a value is not a solution")
        if len(got) != len(roots_of(task)):
            return Verdict.incorrect("some solutions are missing")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return ", ".join(fraction_text(r) for r in roots_of(task))
