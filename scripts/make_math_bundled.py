"""Builds data/bundled.jsonl: the offline problem set of gymhub/Math-v0 (written for gymhub).

Templated word and algebra problems with exact answers computed here, not copied from any
dataset. Run `python scripts/make_math_bundled.py` after editing; the JSONL is committed.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from gymhub.envs.math.generator import latex_fraction

Problem = tuple[str, str, str]  # question, answer, topic


def apples(r: random.Random) -> Problem:
    a, b, c = r.randint(12, 90), r.randint(2, 11), r.randint(3, 9)
    return (
        f"Mia has {a} apples. She buys {b} bags with {c} apples in each bag, then gives away "
        f"half of all her apples, rounding down. How many apples does she keep?",
        str((a + b * c) - (a + b * c) // 2),
        "arithmetic",
    )


def speed(r: random.Random) -> Problem:
    v, t = (
        r.randint(30, 95),
        r.choice([Fraction(3, 2), Fraction(5, 2), Fraction(9, 4), Fraction(4, 3)]),
    )
    return (
        f"A train travels at {v} km/h for ${latex_fraction(t)}$ hours. How many kilometres does "
        "it travel? Give an exact answer.",
        latex_fraction(v * t),
        "rates",
    )


def percent_change(r: random.Random) -> Problem:
    p, q = r.randint(10, 60), r.randint(5, 40)
    final = Fraction(100 + p, 100) * Fraction(100 - q, 100)
    change = (final - 1) * 100
    return (
        f"A price rises by {p}% and then falls by {q}%. By what percent did it change overall? "
        "Give the signed change as an exact number of percent.",
        f"{latex_fraction(change)}\\%",
        "percent",
    )


def gcd_lcm(r: random.Random) -> Problem:
    a, b = r.randint(12, 400), r.randint(12, 400)
    if r.random() < 0.5:
        return (
            f"What is the greatest common divisor of {a} and {b}?",
            str(math.gcd(a, b)),
            "number theory",
        )
    return (
        f"What is the least common multiple of {a} and {b}?",
        str(a * b // math.gcd(a, b)),
        "number theory",
    )


def triangle(r: random.Random) -> Problem:
    m, n = r.randint(2, 9), r.randint(1, 8)
    if m <= n:
        m, n = n + 1, m
    a, b, c = m * m - n * n, 2 * m * n, m * m + n * n
    return (
        f"A right triangle has legs of length {a} and {b}. What is the length of its hypotenuse?",
        str(c),
        "geometry",
    )


def circle(r: random.Random) -> Problem:
    k = r.randint(2, 30)
    return (
        f"What is the area of a circle with radius {k}? Give an exact answer in terms of $\\pi$.",
        f"{k * k}\\pi",
        "geometry",
    )


def combinations(r: random.Random) -> Problem:
    n, k = r.randint(6, 20), r.randint(2, 5)
    return (
        f"In how many ways can a team of {k} be chosen from {n} people?",
        str(math.comb(n, k)),
        "combinatorics",
    )


def probability(r: random.Random) -> Problem:
    red, blue = r.randint(2, 12), r.randint(2, 12)
    p = Fraction(red, red + blue) * Fraction(red - 1, red + blue - 1)
    return (
        f"A bag holds {red} red and {blue} blue marbles. Two are drawn without replacement. What "
        "is the probability that both are red? Give a reduced fraction.",
        latex_fraction(p),
        "probability",
    )


def inequality(r: random.Random) -> Problem:
    a, b, c = r.randint(2, 9), r.randint(-20, 20), r.randint(-20, 40)
    bound = Fraction(c - b, a)
    return (
        f"Solve ${a}x {'+' if b >= 0 else '-'} {abs(b)} > {c}$. Write the solution set in interval notation.",
        f"\\left({latex_fraction(bound)}, \\infty\\right)",
        "inequalities",
    )


def interval_abs(r: random.Random) -> Problem:
    m, k = r.randint(-10, 10), r.randint(1, 12)
    return (
        f"Solve $|x {'-' if m >= 0 else '+'} {abs(m)}| \\le {k}$. Write the solution set in interval notation.",
        f"[{m - k}, {m + k}]",
        "inequalities",
    )


def angle(r: random.Random) -> Problem:
    n = r.randint(5, 20)
    total = (n - 2) * 180
    return (
        f"What is the measure, in degrees, of each interior angle of a regular polygon with {n} sides?",
        f"{latex_fraction(Fraction(total, n))}^\\circ",
        "geometry",
    )


def series(r: random.Random) -> Problem:
    a, q = Fraction(r.randint(1, 9)), Fraction(1, r.randint(2, 7))
    return (
        f"What is the sum of the infinite geometric series with first term {a} and common ratio "
        f"${latex_fraction(q)}$?",
        latex_fraction(a / (1 - q)),
        "series",
    )


def base_convert(r: random.Random) -> Problem:
    n, base = r.randint(9, 250), r.choice([2, 3, 5, 8])
    digits, m = "", n
    while m:
        digits, m = str(m % base) + digits, m // base
    return f"Write the decimal number {n} in base {base}.", f"{digits}_{{{base}}}", "number theory"


def quadratic_vertex(r: random.Random) -> Problem:
    h, k, a = r.randint(-9, 9), r.randint(-20, 20), r.choice([1, 2, 3, -1, -2])
    b, c = -2 * a * h, a * h * h + k
    return (
        f"Find the vertex of the parabola $y = {a}x^2 {'+' if b >= 0 else '-'} {abs(b)}x "
        f"{'+' if c >= 0 else '-'} {abs(c)}$ as an ordered pair.",
        f"({h}, {k})",
        "algebra",
    )


def roots_sum(r: random.Random) -> Problem:
    a, b, c = r.randint(1, 9), r.randint(-30, 30), r.randint(-30, 30)
    return (
        f"What is the product of the roots of ${a}x^2 {'+' if b >= 0 else '-'} {abs(b)}x "
        f"{'+' if c >= 0 else '-'} {abs(c)} = 0$?",
        latex_fraction(Fraction(c, a)),
        "algebra",
    )


def radicals(r: random.Random) -> Problem:
    k, m = r.randint(2, 9), r.choice([2, 3, 5, 6, 7])
    return f"Simplify $\\sqrt{{{k * k * m}}}$.", f"{k}\\sqrt{{{m}}}", "algebra"


TEMPLATES: list[Callable[[random.Random], Problem]] = [
    apples,
    speed,
    percent_change,
    gcd_lcm,
    triangle,
    circle,
    combinations,
    probability,
    inequality,
    interval_abs,
    angle,
    series,
    base_convert,
    quadratic_vertex,
    roots_sum,
    radicals,
]


def build(n_per_template: int = 15, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    rows, seen = [], set()
    for template in TEMPLATES:
        made = 0
        while made < n_per_template:
            question, answer, topic = template(rng)
            if question in seen or answer in question:
                continue
            seen.add(question)
            rows.append(
                {
                    "id": f"bundled-{template.__name__}-{made:02d}",
                    "question": question,
                    "answer": answer,
                    "metadata": {"topic": topic, "source": "gymhub-bundled"},
                }
            )
            made += 1
    return rows


def main() -> None:
    rows = build()
    path = Path(__file__).resolve().parents[1] / "envs" / "math" / "data" / "bundled.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} problems to {path.name}")


if __name__ == "__main__":
    main()
