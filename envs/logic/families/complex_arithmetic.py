"""Arithmetic with complex numbers (a + bi), including exact division.

The answer is read as a sum of a real and an imaginary term (`_poly.parse_poly` with the
variable `i`, degree at most 1: `3 - 2i`, `-2i + 3`, `5`, `(1/2) + (3/2)i`); the verifier
evaluates the stored expression again with exact fractions.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.envs.logic.base import LogicFamily, make_task, register_family
from gymhub.envs.logic.families._poly import format_poly, parse_poly
from gymhub.envs.logic.families._textnum import ask
from gymhub.types import Task, Verdict

Z = tuple[Fraction, Fraction]


def combine(a: Z, b: Z, op: str) -> Z:
    (p, q), (r, s) = a, b
    if op == "+":
        return p + r, q + s
    if op == "-":
        return p - r, q - s
    if op == "*":
        return p * r - q * s, p * s + q * r
    norm = r * r + s * s
    return (p * r + q * s) / norm, (q * r - p * s) / norm


def z_text(z: Z) -> str:
    """`a + bi` with the real part first (`-3 - (1/2)*i`, `4i`, `0`)."""
    real, imag = z
    if imag == 0:
        return format_poly({0: real} if real else {}, "i")
    imag_text = format_poly({1: imag}, "i")
    if real == 0:
        return imag_text
    sign = "-" if imag < 0 else "+"
    return f"{format_poly({0: real}, 'i')} {sign} {imag_text.lstrip('-')}"


def result(task: Task) -> Z:
    value = (Fraction(task.metadata["numbers"][0][0]), Fraction(task.metadata["numbers"][0][1]))
    for op, (re_, im) in zip(task.metadata["ops"], task.metadata["numbers"][1:]):
        value = combine(value, (Fraction(re_), Fraction(im)), op)
    return value


@register_family
class ComplexArithmetic(LogicFamily):
    """Evaluate ((z1 op z2) op z3) ... with 1+(d-1)//3 operations (1..4).

    Parts up to 3+2d; + - at d1, * from d2, / from d4 (always with a Gaussian-integer result at
    d4-6, a rational one from d7). Answer: `a + bi` in any order or sign layout, fractions
    allowed. size = operations. Reward 1/0.
    """

    name = "complex_arithmetic"
    title = "ComplexArithmetic"
    description = "Add, subtract, multiply and divide complex numbers."
    difficulty_doc = (
        "operations 1+(d-1)//3 (1..4), parts up to 3+2d; * from d2, / from d4; size = operations"
    )
    equivalents = {"reasoning_gym": "complex_arithmetic"}

    def generate(self, rng: random.Random, difficulty: int) -> Task:
        count, high = 1 + (difficulty - 1) // 3, 3 + 2 * difficulty
        ops_pool = "+-" if difficulty == 1 else "+-*" if difficulty < 4 else "+-*/"

        def rand_z() -> tuple[int, int]:
            return rng.randint(-high, high), rng.choice([-1, 1]) * rng.randint(1, high)

        numbers = [list(rand_z())]
        value: Z = (Fraction(numbers[0][0]), Fraction(numbers[0][1]))
        ops = []
        for _ in range(count):
            op = rng.choice(ops_pool)
            z = rand_z()
            if op == "/" and difficulty < 7:  # make the quotient a Gaussian integer
                for _ in range(50):
                    q = combine(value, (Fraction(z[0]), Fraction(z[1])), "/")
                    if q[0].denominator == 1 and q[1].denominator == 1:
                        break
                    z = (rng.randint(-2, 2), rng.choice([-1, 1]) * rng.randint(1, 2))
                else:
                    op = "*"
            ops.append(op)
            numbers.append(list(z))
            value = combine(value, (Fraction(z[0]), Fraction(z[1])), op)
        text = z_text((Fraction(numbers[0][0]), Fraction(numbers[0][1])))
        for op, z in zip(ops, numbers[1:]):
            text = f"({text}) {op} ({z_text((Fraction(z[0]), Fraction(z[1])))})"
        question = ask(
            f"Compute {text}, where i is the imaginary unit (i^2 = -1). Evaluate from left to "
            "right as the brackets show.",
            "Answer in the form a + bi with exact parts (integers or fractions), for example "
            "<answer>-3 + (1/2)*i</answer>.",
        )
        return make_task(question, z_text(value), count, numbers=numbers, ops=ops)

    def check(self, task: Task, answer: str) -> Verdict:
        got = parse_poly(answer, "i", max_exponent=1)
        if got is None:
            return Verdict.unparseable("expected a + bi")
        z = result(task)
        ok = got.get(0, Fraction(0)) == z[0] and got.get(1, Fraction(0)) == z[1]
        return Verdict.correct() if ok else Verdict.incorrect("wrong value")

    def format_answer(self, task: Task) -> str:
        return z_text(result(task))
