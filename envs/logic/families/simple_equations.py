"""Solve a linear equation in one unknown.

The verifier substitutes the answered value into both sides of the stored equation and checks
that they are equal (exact fractions); `x = 5` and `5` are both read.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._textnum import ask, example_int, read_number
from gymhub.types import Task, Verdict

VARIABLES = "xyzabnpqt"


def side_value(terms: list[list[int]], x: Fraction) -> Fraction:
    """A side is a list of terms: [k] a constant, [k, 0] k*x, [k, m] k*(x + m)."""
    total = Fraction(0)
    for term in terms:
        if len(term) == 1:
            total += term[0]
        elif term[1] == 0:
            total += term[0] * x
        else:
            total += term[0] * (x + term[1])
    return total


def side_text(terms: list[list[int]], var: str) -> str:
    parts = []
    for term in terms:
        k = term[0]
        if len(term) == 1:
            body = str(abs(k))
        elif term[1] == 0:
            body = var if abs(k) == 1 else f"{abs(k)}{var}"
        else:
            inner = f"{var} {'+' if term[1] > 0 else '-'} {abs(term[1])}"
            body = f"({inner})" if abs(k) == 1 else f"{abs(k)}({inner})"
        parts.append(("-" if k < 0 else "+", body))
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    return text + "".join(f" {s} {b}" for s, b in parts[1:])


@register_family
class SimpleEquations(LogicFamily):
    """Solve a linear equation with 2+d terms (3..12) for its integer solution.

    Terms are constants and multiples of the unknown; bracketed terms k(x + m) from d4; the
    unknown on both sides from d3; other letters than x from d5. Answer: the value (`7` or
    `x = 7`). size = terms. Reward 1/0.
    """

    name = "simple_equations"
    title = "SimpleEquations"
    description = "Solve a linear equation in one unknown."
    difficulty_doc = (
        "terms 2+d (3..12); unknown on both sides from d3, brackets from d4; size = terms"
    )
    equivalents = {"reasoning_gym": "simple_equations"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, high = 2 + difficulty, 3 + difficulty
        var = "x" if difficulty < 5 else rng.choice(VARIABLES)
        solution = rng.randint(-5 * difficulty, 5 * difficulty)
        while True:
            sides: list[list[list[int]]] = [[], []]
            for i in range(count - 1):
                side = 0 if (i % 2 == 0 or difficulty < 3) else 1
                kind = rng.random()
                k = rng.choice([-1, 1]) * rng.randint(1, high)
                if kind < 0.45:
                    sides[side].append([k, 0])
                elif kind < 0.7 and difficulty >= 4:
                    sides[side].append([k, rng.choice([-1, 1]) * rng.randint(1, high)])
                else:
                    sides[side].append([k])
            net = side_value(sides[0], Fraction(1)) - side_value(sides[0], Fraction(0))
            net -= side_value(sides[1], Fraction(1)) - side_value(sides[1], Fraction(0))
            if net != 0:
                break
        x = Fraction(solution)
        balance = side_value(sides[0], x) - side_value(sides[1], x)
        sides[1].append([int(balance)])
        equation = f"{side_text(sides[0], var)} = {side_text(sides[1], var)}"
        question = ask(
            f"Solve for {var}: {equation}",
            f"Answer with the value of {var}, for example <answer>{example_int(rng, solution, -99, 99)}</answer>.",
        )
        return make_task(question, solution, count, sides=sides, var=var)

    def check(self, task: Task, answer: str) -> Verdict:
        var = task.metadata["var"]
        text = re.sub(rf"^\s*{var}\s*=\s*", "", answer[:500].strip())
        value = read_number(text)
        if value is None:
            return Verdict.unparseable(f"expected the value of {var}")
        left, right = task.metadata["sides"]
        if side_value(left, value) != side_value(right, value):
            return Verdict.incorrect("the two sides differ for this value")
        return Verdict.correct()

    def format_answer(self, task: Task) -> str:
        return str(task.answer)
