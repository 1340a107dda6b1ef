"""Indefinite integral of a polynomial.

The verifier reads the antiderivative (one expanded polynomial, a trailing `+ C` or `+ c`
allowed), differentiates it and compares with the integrand: any constant of integration is
accepted.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._poly import Poly, derivative, format_poly, parse_poly
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict


def integrand(task: Task) -> Poly:
    return {int(e): Fraction(c) for e, c in task.metadata["integrand"].items()}


def antiderivative(p: Poly) -> Poly:
    return {e + 1: c / (e + 1) for e, c in p.items()}


@register_family
class SimpleIntegration(LogicFamily):
    """Integrate a polynomial with 1+(d+1)//2 terms (2..6) and powers up to 1+d.

    Integer coefficients up to 3d. Answer: an antiderivative, e.g. `(2/3)*x^3 - 5x + C` (any
    constant; `+ C` optional). size = terms. Reward 1/0.
    """

    name = "simple_integration"
    title = "SimpleIntegration"
    description = "Find an antiderivative of a polynomial."
    difficulty_doc = (
        "terms 1+(d+1)//2 (2..6), powers up to 1+d, coefficients up to 3d; size = terms"
    )
    equivalents = {"reasoning_gym": "simple_integration"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        terms = 1 + (difficulty + 1) // 2
        exponents = rng.sample(range(0, 2 + difficulty), terms)
        poly = {
            e: Fraction(rng.choice([-1, 1]) * rng.randint(1, 3 * difficulty)) for e in exponents
        }
        question = ask(
            f"Find the indefinite integral of {format_poly(poly)} with respect to x.",
            "Answer with one antiderivative as an expanded polynomial in x (fractions as "
            "(a/b)*x^n), optionally followed by + C, for example <answer>(5/4)*x^4 - 2x + C</answer>.",
        )
        integrand_map = {str(e): str(c) for e, c in poly.items()}
        return make_task(
            question, format_poly(antiderivative(poly)) + " + C", terms, integrand=integrand_map
        )

    def check(self, task: Task, answer: str) -> Verdict:
        # the constant is written `+ C` or `+ c`: either is the same antiderivative
        text = re.sub(r"\+\s*[Cc]\s*\.?\s*$", "", answer[:5000].strip())
        got = parse_poly(text, "x")
        if got is None:
            return Verdict.unparseable("expected a polynomial in x (+ C)")
        if derivative(got) != integrand(task):
            return Verdict.incorrect("its derivative is not the integrand")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return format_poly(antiderivative(integrand(task))) + " + C"
