"""Builds math_corpus.jsonl: labelled (gold, response, expected status) cases for MathVerifier.

Run `python tests/data/make_math_corpus.py` after editing; the JSONL is committed. Hand-written
cases cover every item of the math answer checklist (docs/verifiers.md); a seeded generator adds
number-format variants (correct and near-miss). Labels are the project's answer policy.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

C, I, U = "correct", "incorrect", "unparseable"  # noqa: E741


def box(s: str) -> str:
    return f"The final answer is $\\boxed{{{s}}}$."


HAND: list[tuple[str, str, str, str]] = [
    # category, gold, response, expected
    # exact values: no float chop
    ("exact", "\\frac{1}{2004!}", box("\\frac{1}{2006!}"), I),
    ("exact", "\\frac{1}{2004!}", box("\\frac{1}{2004!}"), C),
    ("exact", "\\frac{1}{2^{99}}", box("\\frac{1}{2^{98}}"), I),
    ("exact", "\\frac{1}{2^{99}}", box("2^{-99}"), C),
    ("exact", "2^{100}", box("1267650600228229401496703205377"), I),
    ("exact", "2^{100}", box("1267650600228229401496703205376"), C),
    ("exact", "2^{100}", box("1267650600228229401496703205375"), I),
    ("exact", "10^{-20}", box("0"), I),
    ("exact", "10^{-20}", box("10^{-21}"), I),
    ("exact", "3^{40}", box("12157665459056928801"), C),
    ("exact", "3^{40}", box("12157665459056928800"), I),
    ("exact", "\\frac{1}{3}", box("0.333"), I),
    ("exact", "\\frac{1}{3}", box("0.3333333"), C),
    ("exact", "\\frac{1}{3}", box("\\frac{2}{6}"), C),
    ("exact", "\\frac{22}{7}", box("\\pi"), I),
    ("exact", "\\pi", box("3.14"), I),
    ("exact", "\\frac{\\sqrt{2}}{2}", box("\\frac{1}{\\sqrt{2}}"), C),
    ("exact", "\\sqrt{8}", box("2\\sqrt{2}"), C),
    ("exact", "\\sqrt{8}", box("2\\sqrt{3}"), I),
    ("exact", "\\sqrt[3]{8}", box("2"), C),
    ("exact", "\\sqrt[3]{16}", box("2\\sqrt[3]{2}"), C),
    ("exact", "\\frac{\\sqrt{3}}{2}", box("\\sin 60^\\circ"), C),
    ("exact", "20!", box("2432902008176640000"), C),
    ("exact", "20!", box("2432902008176640001"), I),
    ("exact", "1-\\frac{1}{10^{30}}", box("1"), I),
    ("exact", "\\frac{\\pi}{4}", box("\\arctan 1"), C),
    ("exact", "e^{2}", box("e \\cdot e"), C),
    ("exact", "\\ln 8", box("3\\ln 2"), C),
    ("exact", "\\dfrac{3}{4}", box("\\tfrac{3}{4}"), C),
    ("exact", "\\frac34", box("0.75"), C),
    ("exact", "\\frac{3}{4}", box("\\frac34"), C),
    ("exact", "\\sqrt2", box("\\sqrt{2}"), C),
    ("exact", "1.5", box("\\frac{3}{2}"), C),
    ("exact", "1.5", box("1.50"), C),
    ("exact", "1.5", box("1.51"), I),
    # complex numbers
    ("complex", "3+2i", box("2i+3"), C),
    ("complex", "3+2i", box("3-2i"), I),
    ("complex", "-1", box("e^{i\\pi}"), C),
    ("complex", "i", box("\\sqrt{-1}"), C),
    # intervals, inequalities, x \in, unions, infinity
    ("interval", "x\\in(1,2)", box("1<x<2"), C),
    ("interval", "1<x<2", box("x\\in(1,2)"), C),
    ("interval", "(1,2)", box("1<x<2"), C),
    ("interval", "1<x<2", box("(1,2)"), C),
    ("interval", "[1,2)", box("[1,2]"), I),
    ("interval", "[1,2)", box("1\\le x<2"), C),
    ("interval", "[1,2)", box("1 \\leq x < 2"), C),
    ("interval", "[1,2]", box("1<x\\le 2"), I),
    ("interval", "(-\\infty, 3]", box("x\\le 3"), C),
    ("interval", "(-\\infty, 3]", box("x<3"), I),
    ("interval", "x\\ge 5", box("[5,\\infty)"), C),
    ("interval", "x\\ge 5", box("(5,\\infty)"), I),
    ("interval", "x > -2", box("(-2, \\infty)"), C),
    ("interval", "(-\\infty, 1) \\cup (2, \\infty)", box("x<1 \\text{ or } x>2"), C),
    ("interval", "(-\\infty, 1) \\cup (2, \\infty)", box("x<1 \\text{ or } x>3"), I),
    ("interval", "x<1 \\text{ or } x>2", box("(-\\infty,1)\\cup(2,\\infty)"), C),
    ("interval", "(-\\infty, 1) \\cup (2, \\infty)", box("(2,\\infty)\\cup(-\\infty,1)"), C),
    ("interval", "(-\\infty, 1) \\cup (2, \\infty)", box("(-\\infty,1]\\cup(2,\\infty)"), I),
    ("interval", "[0, \\infty)", box("x \\geq 0"), C),
    ("interval", "(-\\infty,\\infty)", box("(-\\infty, \\infty)"), C),
    ("interval", "\\left(\\frac{1}{2}, 3\\right]", box("\\frac12 < x \\le 3"), C),
    ("interval", "\\left(\\frac{1}{2}, 3\\right]", box("(0.5, 3]"), C),
    ("interval", "(1,2)", box("(1,3)"), I),
    # infinities
    ("infinity", "\\infty", box("\\infty"), C),
    ("infinity", "\\infty", box("-\\infty"), I),
    ("infinity", "-\\infty", box("-\\infty"), C),
    ("infinity", "\\infty", box("10^{100}"), I),
    # equations
    ("equation", "3x+4y+14=0", "3*x-1*y+13=0", I),
    ("equation", "3x+4y+14=0", box("6x+8y+28=0"), C),
    ("equation", "3x+4y+14=0", box("-3x-4y-14=0"), C),
    ("equation", "3x+4y+14=0", box("3x+4y=-14"), C),
    ("equation", "3x+4y+14=0", box("3x+4y=14"), I),
    ("equation", "y=2x+1", box("y=1+2x"), C),
    ("equation", "y=2x+1", box("y=2x-1"), I),
    ("equation", "y=2x+1", box("2x - y + 1 = 0"), C),
    ("equation", "x=3", box("3"), C),
    ("equation", "3", box("x=3"), C),
    ("equation", "3", box("x=4"), I),
    ("equation", "x^2+y^2=4", box("x^2+y^2-4=0"), C),
    ("equation", "x^2+y^2=4", box("x^2+y^2=2"), I),
    ("equation", "x+y=1", "x+y=1", C),
    ("equation", "x+y=1", "2*x+2*y=2", C),
    ("equation", "x+y=1", "x+y=2", I),
    # hedging
    ("hedge", "2", "\\boxed{2} or \\boxed{3}", I),
    ("hedge", "2", "It is $\\boxed{2}$. Checking again: $\\boxed{2}$.", C),
    ("hedge", "2", "\\boxed{2}, \\boxed{2.0}", C),
    ("hedge", "2", "\\boxed{3} ... no wait, \\boxed{2}", I),
    ("hedge", "\\frac12", "\\boxed{\\frac{1}{2}} \\boxed{0.5}", C),
    ("hedge", "5", " ".join(f"\\boxed{{{k}}}" for k in range(1, 10)), I),
    ("hedge", "5", "\\boxed{4} \\boxed{5} \\boxed{6}", I),
    ("hedge", "x=2", "\\boxed{x=2} \\boxed{x = 2}", C),
    # <think> handling
    ("think", "3", "<think>maybe \\boxed{4}</think> The answer is \\boxed{3}.", C),
    ("think", "3", "<think>maybe \\boxed{3}</think> The answer is \\boxed{4}.", I),
    ("think", "3", "<think>I am sure it is \\boxed{3}", U),
    ("think", "3", "<think>hmm \\boxed{2} or \\boxed{5}?</think>\n\\boxed{3}", C),
    ("think", "7", "<think>long reasoning</think><answer>7</answer>", C),
    ("think", "7", "<think>x</think><answer>The result is \\boxed{7}</answer>", C),
    # final answer anchors
    ("anchor", "3", "So the final answer is 3.", C),
    ("anchor", "3", "Adding up we get 5 apples.\nFinal answer: 3", C),
    ("anchor", "3", "The answer is $3$.", C),
    ("anchor", "3", "The answer is $4$.", I),
    (
        "anchor",
        "\\frac{1}{2}",
        "Therefore, the final answer is $\\frac{1}{2}$. I hope it is correct.",
        C,
    ),
    (
        "anchor",
        "12",
        "We compute 3*4 = 12. Final Answer: The final answer is 12. I hope it is correct.",
        C,
    ),
    ("anchor", "12", "Many words but no answer anywhere in this long text, " * 5, U),
    ("anchor", "12", "", U),
    ("anchor", "12", "12", C),
    ("anchor", "12", "13", I),
    ("anchor", "12", "I am not sure", U),
    ("anchor", "12", "Answer: 12", C),
    # multiple choice
    ("choice", "C", "The answer is (C).", C),
    ("choice", "C", box("C"), C),
    ("choice", "C", box("\\text{(C)}"), C),
    ("choice", "C", box("(C)"), C),
    ("choice", "C", box("B"), I),
    ("choice", "C", "The answer is (B).", I),
    ("choice", "(C)", box("C"), C),
    ("choice", "C", "\\boxed{B} or \\boxed{C}", I),
    ("choice", "C", "I cannot decide.", U),
    ("choice", "C", "<think>(A) looks good</think> Answer: C", C),
    ("choice", "C", box("\\textbf{(C)}"), C),
    ("choice", "C", box("C) 12"), C),
    # thousands separators
    ("format", "1000", box("1,000"), C),
    ("format", "1000000", box("1,000,000"), C),
    ("format", "1000000", box("1{,}000{,}000"), C),
    ("format", "1234567", box("1,234,567"), C),
    ("format", "1234567", box("1,234,568"), I),
    ("format", "1000", box("1.000"), I),
    ("format", "(1,2)", box("(1,2)"), C),
    ("format", "1,000", box("1000"), C),
    # leading dot, scientific notation
    ("format", "0.5", box(".5"), C),
    ("format", "-0.25", box("-.25"), C),
    ("format", "1200", box("1.2\\times 10^{3}"), C),
    ("format", "1200", box("1.2e3"), C),
    ("format", "1200", box("1.2E3"), C),
    ("format", "1200", box("1.2 \\cdot 10^3"), C),
    ("format", "1200", box("1.2\\times 10^{4}"), I),
    ("format", "0.00034", box("3.4\\times10^{-4}"), C),
    ("format", "0.00034", box("3.4e-4"), C),
    ("format", "0.00034", box("3.4e-5"), I),
    ("format", "6.02\\times 10^{23}", box("6.02e23"), C),
    ("format", "6.02\\times 10^{23}", box("6.03e23"), I),
    # mixed numbers
    ("format", "\\frac{5}{2}", box("2\\frac{1}{2}"), C),
    ("format", "\\frac{5}{2}", box("2\\frac12"), C),
    ("format", "2\\frac{1}{2}", box("2.5"), C),
    ("format", "\\frac{7}{2}", box("2\\frac{1}{2}"), I),
    ("format", "\\frac{2\\pi}{3}", box("2\\frac{\\pi}{3}"), C),
    # degrees
    ("degrees", "30^\\circ", box("\\frac{\\pi}{6}"), C),
    ("degrees", "\\frac{\\pi}{6}", box("30^\\circ"), C),
    ("degrees", "30", box("30^\\circ"), C),
    ("degrees", "30^\\circ", box("30"), C),
    ("degrees", "30^{\\circ}", box("30^\\circ"), C),
    ("degrees", "30^\\circ", box("60^\\circ"), I),
    ("degrees", "\\frac{\\pi}{6}", box("60^\\circ"), I),
    ("degrees", "45^\\circ", box("45°"), C),
    ("degrees", "90^\\circ", box("\\frac{\\pi}{2}"), C),
    # units in \text{}
    ("units", "5", box("5\\text{ cm}"), C),
    ("units", "5", box("5 \\text{ meters}"), C),
    ("units", "12", box("12\\mbox{ apples}"), C),
    ("units", "12", box("13\\text{ apples}"), I),
    ("units", "\\text{Tuesday}", box("\\text{Tuesday}"), C),
    ("units", "\\text{Tuesday}", box("\\text{Monday}"), I),
    ("units", "7.5", box("7.5\\,\\mathrm{kg}"), C),
    ("units", "3", box("\\$3"), C),
    # percent policy
    ("percent", "50", box("50\\%"), I),
    ("percent", "50\\%", box("0.5"), I),
    ("percent", "50\\%", box("50"), C),
    ("percent", "50\\%", box("50\\%"), C),
    ("percent", "50\\%", box("50%"), C),
    ("percent", "12.5\\%", box("12.5\\%"), C),
    ("percent", "12.5\\%", box("0.125"), I),
    ("percent", "5\\%", box("500"), I),
    ("percent", "5\\%", box("0.05"), I),
    ("percent", "5", box("0.05"), I),
    # sets, tuples, vectors, matrices
    ("structure", "\\{1,2\\}", box("\\{2,1\\}"), C),
    ("structure", "\\{1,2\\}", box("\\{1,2,3\\}"), I),
    ("structure", "(1,2)", box("(2,1)"), I),
    ("structure", "(1,2)", box("(1,2)"), C),
    ("structure", "(1,2,3)", box("(1,2,3)"), C),
    ("structure", "(1,2,3)", box("(1,3,2)"), I),
    ("structure", "1, 2", box("2, 1"), C),
    ("structure", "1, 2", box("1, 3"), I),
    (
        "structure",
        "\\begin{pmatrix}1\\\\2\\end{pmatrix}",
        box("\\begin{pmatrix}1\\\\2\\end{pmatrix}"),
        C,
    ),
    (
        "structure",
        "\\begin{pmatrix}1\\\\2\\end{pmatrix}",
        box("\\begin{pmatrix}2\\\\1\\end{pmatrix}"),
        I,
    ),
    (
        "structure",
        "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
        box("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}"),
        C,
    ),
    (
        "structure",
        "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
        box("\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}"),
        I,
    ),
    (
        "structure",
        "\\begin{pmatrix}\\frac12\\\\1\\end{pmatrix}",
        box("\\begin{pmatrix}0.5\\\\1\\end{pmatrix}"),
        C,
    ),
    ("structure", "(3,3)", box("(5,5)"), I),
    ("structure", "(5, 1)", box("(7, 2)"), I),
    ("structure", "(5, 1)", box("(5,1)"), C),
    ("structure", "(-2, 2)", box("(2, -2)"), I),
    # plus-minus and several roots
    ("roots", "\\pm 2", box("2, -2"), C),
    ("roots", "\\pm 2", box("2"), I),
    ("roots", "1\\pm\\sqrt{2}", box("1+\\sqrt{2}, 1-\\sqrt{2}"), C),
    ("roots", "1\\pm\\sqrt{2}", box("1+\\sqrt{2}"), I),
    ("roots", "x=1, 2", box("1, 2"), C),
    ("roots", "2, 3", box("x=2 \\text{ and } x=3"), C),
    ("roots", "2, 3", box("3, 2"), C),
    ("roots", "2, 3", box("2"), I),
    # symbolic expressions
    ("symbolic", "x^2+2x+1", box("(x+1)^2"), C),
    ("symbolic", "x^2+2x+1", box("(x+2)^2"), I),
    ("symbolic", "\\frac{x}{2}", box("0.5x"), C),
    ("symbolic", "2\\sin x\\cos x", box("\\sin 2x"), C),
    ("symbolic", "2\\sin x\\cos x", box("\\cos 2x"), I),
    ("symbolic", "n(n+1)/2", box("\\frac{n^2+n}{2}"), C),
    ("symbolic", "a+b", box("b+a"), C),
    ("symbolic", "a+b", box("a+c"), I),
    ("symbolic", "\\frac{1}{x-1}", box("\\frac{1}{1-x}"), I),
    # base subscripts
    ("base", "1011_2", box("1011_2"), C),
    ("base", "1011_2", box("1011"), C),
    ("base", "1011_2", box("11"), I),
    ("base", "11", box("1011_2"), C),
    ("base", "11", box("1011_{2}"), C),
    ("base", "2A_{16}", box("2A_{16}"), C),
    ("base", "42", box("2A_{16}"), C),
    ("base", "43", box("2A_{16}"), I),
    # text answers that are equations in plain text must not collapse to 0
    ("undelimited", "0", "x-y=0", I),
    ("undelimited", "3x+4y+14=0", "3x+4y+14=0", C),
    ("undelimited", "7", "x = 7", C),
    # hostile and malformed
    ("hostile", "1", box("9^{9^{9^9}}"), U),
    ("hostile", "1", box("10^{10^{10}}!"), U),
    ("hostile", "1", box("(" * 3000 + "1" + ")" * 3000), U),
    ("hostile", "1", box("+".join(["1"] * 100_000)), U),
    ("hostile", "1", box("2^{10^{9}}"), U),
    ("hostile", "1", box("100000!"), U),
    ("hostile", "1", box("{" * 200 + "}" * 200), U),
    ("hostile", "1", "\\boxed{1", U),
    ("hostile", "1", box("\\frac{"), U),
    ("hostile", "1", box("__import__('os').system('true')"), U),
    ("hostile", "2", box("\u0000\u0001\ufffd"), U),
    ("hostile", "2", box("2") + "\u202e", C),
]


def generated(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """Number formats: integers with separators, fractions as decimals and mixed numbers."""
    out: list[tuple[str, str, str, str]] = []
    for _ in range(30):
        n = rng.randint(1000, 99_999_999)
        sep = f"{n:,}"
        out.append(("gen-thousands", str(n), box(sep), C))
        out.append(("gen-thousands", str(n), box(f"{n + rng.choice([-1, 1, 10]):,}"), I))
    for _ in range(25):
        p, q = rng.randint(1, 40), rng.choice([2, 4, 5, 8, 10, 16, 20, 25])
        frac = Fraction(p, q)
        if frac.denominator == 1:
            continue
        dec = f"{p / q:.6f}".rstrip("0")
        out.append(
            ("gen-fraction", f"\\frac{{{frac.numerator}}}{{{frac.denominator}}}", box(dec), C)
        )
        out.append(
            (
                "gen-fraction",
                f"\\frac{{{frac.numerator}}}{{{frac.denominator}}}",
                box(f"\\frac{{{frac.numerator + 1}}}{{{frac.denominator}}}"),
                I,
            )
        )
    for _ in range(20):
        whole, num, den = rng.randint(1, 9), rng.randint(1, 6), rng.randint(7, 12)
        gold = Fraction(whole * den + num, den)
        out.append(
            (
                "gen-mixed",
                f"\\frac{{{gold.numerator}}}{{{gold.denominator}}}",
                box(f"{whole}\\frac{{{num}}}{{{den}}}"),
                C if Fraction(num, den) + whole == gold else I,
            )
        )
    for _ in range(20):
        a, b = rng.randint(2, 9), rng.randint(10, 40)
        out.append(("gen-power", f"{a}^{{{b}}}", box(str(a**b)), C))
        out.append(("gen-power", f"{a}^{{{b}}}", box(str(a**b + 1)), I))
    return out


def main() -> None:
    rng = random.Random(20261122)
    rows = HAND + generated(rng)
    path = Path(__file__).with_name("math_corpus.jsonl")
    with path.open("w", encoding="utf-8") as handle:
        for i, (category, gold, response, expected) in enumerate(rows):
            record = {
                "id": f"m{i:04d}",
                "category": category,
                "gold": gold,
                "response": response,
                "expected": expected,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} cases to {path.name}")


if __name__ == "__main__":
    main()
