"""Procedural math problems with exact answers: unlimited offline data with a difficulty knob.

Difficulty 1-10 raises the operand sizes and the kind of problem:
1-2 integer arithmetic, 3-4 multi-step expressions with parentheses and powers, 5-6 fraction
arithmetic, 7 linear equations, 8 systems of two linear equations, 9 quadratics (both roots),
10 modular exponentiation and sums of sequences. Answers are LaTeX strings that MathVerifier
compares exactly.
"""

from __future__ import annotations

import random
from fractions import Fraction

from gymhub.types import Task


def latex_fraction(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _scale(difficulty: float) -> int:
    return int(10 ** (1 + min(difficulty, 10) / 3))


def _arithmetic(rng: random.Random, d: float) -> tuple[str, str]:
    hi = _scale(d)
    a, b = rng.randint(2, hi), rng.randint(2, hi)
    op = rng.choice("+-*")
    value = {"+": a + b, "-": a - b, "*": a * b}[op]
    sym = {"+": "+", "-": "-", "*": "\\times"}[op]
    return f"Compute ${a} {sym} {b}$.", str(value)


def _expression(rng: random.Random, d: float) -> tuple[str, str]:
    hi = _scale(d - 2)
    a, b, c = (rng.randint(2, hi) for _ in range(3))
    e = rng.randint(2, 3)
    value = (a + b) * c - b**e
    return f"Compute $({a} + {b}) \\cdot {c} - {b}^{{{e}}}$.", str(value)


def _fractions(rng: random.Random, d: float) -> tuple[str, str]:
    hi = 4 + int(d * 2)
    f1 = Fraction(rng.randint(1, hi), rng.randint(2, hi))
    f2 = Fraction(rng.randint(1, hi), rng.randint(2, hi))
    op = rng.choice("+-*/")
    value = {"+": f1 + f2, "-": f1 - f2, "*": f1 * f2, "/": f1 / f2}[op]
    sym = {"+": "+", "-": "-", "*": "\\cdot", "/": "\\div"}[op]
    q = f"Compute ${latex_fraction(f1)} {sym} {latex_fraction(f2)}$ and give the answer as a reduced fraction."
    return q, latex_fraction(value)


def _linear(rng: random.Random, d: float) -> tuple[str, str]:
    x = Fraction(rng.randint(-20, 20), rng.choice([1, 1, 2, 3]))
    a = rng.choice([i for i in range(-12, 13) if i not in (0, 1)])
    b = rng.randint(-30, 30)
    c = a * x + b
    q = f"Solve for $x$: ${a}x {'+' if b >= 0 else '-'} {abs(b)} = {latex_fraction(c)}$."
    return q, latex_fraction(x)


def _system(rng: random.Random, d: float) -> tuple[str, str]:
    while True:
        x, y = rng.randint(-9, 9), rng.randint(-9, 9)
        a, b, c, e = (rng.choice([i for i in range(-6, 7) if i]) for _ in range(4))
        if a * e - b * c != 0:
            break
    q = (
        f"Solve the system ${a}x + {b}y = {a * x + b * y}$ and ${c}x + {e}y = {c * x + e * y}$. "
        "Give the answer as an ordered pair $(x, y)$."
    ).replace("+ -", "- ")
    return q, f"({x}, {y})"


def _quadratic(rng: random.Random, d: float) -> tuple[str, str]:
    # roots in -25..25: 1275 root pairs (with -12..12 there were 300, and 300 seeds drew only
    # 195 different problems: memorised, not solved)
    r1, r2 = rng.randint(-25, 25), rng.randint(-25, 25)
    while r2 == r1:
        r2 = rng.randint(-25, 25)
    b, c = -(r1 + r2), r1 * r2
    poly = f"x^2 {'+' if b >= 0 else '-'} {abs(b)}x {'+' if c >= 0 else '-'} {abs(c)}"
    q = f"Find all real solutions of ${poly} = 0$. List them separated by commas."
    lo, hi = sorted((r1, r2))
    return q, f"{lo}, {hi}"


def _number_theory(rng: random.Random, d: float) -> tuple[str, str]:
    if rng.random() < 0.5:
        a, e, m = rng.randint(2, 50), rng.randint(10, 200), rng.randint(7, 97)
        return f"What is the remainder when ${a}^{{{e}}}$ is divided by ${m}$?", str(pow(a, e, m))
    n, start, step = rng.randint(10, 60), rng.randint(-20, 20), rng.randint(2, 9)
    total = n * (2 * start + (n - 1) * step) // 2
    return (
        f"An arithmetic sequence starts at ${start}$ and each term is ${step}$ more than the one "
        f"before. What is the sum of its first ${n}$ terms?",
        str(total),
    )


_LEVELS = [
    (2, _arithmetic),
    (4, _expression),
    (6, _fractions),
    (7, _linear),
    (8, _system),
    (9, _quadratic),
    (10, _number_theory),
]


def generate(rng: random.Random, difficulty: float) -> Task:
    """One problem at `difficulty` (1-10); the answer never appears in the question."""
    kind = next(fn for top, fn in _LEVELS if difficulty <= top)
    for _ in range(50):
        question, answer = kind(rng, difficulty)
        if answer not in question:
            break
    return Task(
        question=question,
        answer=answer,
        metadata={"difficulty": difficulty, "kind": kind.__name__.strip("_")},
    )
