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
    # MATH's `,\!` thousands separator in the gold: one number, not a list
    ("gold_format", "10,\\!000", box("10,000"), C),
    ("gold_format", "1,\\!000,\\!000", box("1,000,000"), C),
    ("gold_format", "\\$10,\\!000", "The answer is \\$10,000.", C),
    ("gold_format", "10,\\!000", box("10,001"), I),
    # a unit's exponent goes with the unit, never onto the value before it
    ("units", "4\\pi", box("4\\pi \\text{ cm}^2"), C),
    ("units", "36\\pi", box("36\\pi\\,\\text{in}^3"), C),
    ("units", "4\\pi^2", box("4\\pi \\text{ cm}^2"), I),
    ("units", "e^2", box("e\\text{ cm}^2"), I),
    # a second answer inside \text{} is a hedge, not a unit
    ("hedge", "5", box("5 \\text{ (or 6)}"), I),
    ("hedge", "5", box("5 \\text{, but could be 6}"), I),
    ("units", "5", box("5 \\text{ (in simplest form)}"), C),
    # factorials: sized by their value (a binomial coefficient is not a huge power)
    ("exact", "10", box("\\frac{5!}{3!2!}"), C),
    ("exact", "\\frac{10!}{3!7!}", box("120"), C),
    ("exact", "\\frac{10!}{3!7!}", box("121"), I),
    # spellings: \mathrm{i}, \operatorname{sin}, \therefore, GSM8K's "####" line
    ("complex", "2+3i", box("2+3\\mathrm{i}"), C),
    ("complex", "2+3i", box("2+3\\mathrm{j}"), I),
    ("format", "\\sin x", box("\\operatorname{sin} x"), C),
    ("format", "5", "$\\therefore x=5$", C),
    ("anchor", "1000", "#### 1,000", C),
    ("anchor", "18", "She sells 16 - 3 - 4 = 9 eggs, for 9 * 2 = 18 dollars.\n#### 18", C),
    ("anchor", "18", "She sells 9 eggs.\n#### 19", I),
    # scale words multiply, never vanish like a unit
    ("units", "5000", box("5 \\text{ thousand}"), C),
    ("units", "5", box("5 \\text{ thousand}"), I),
    ("units", "2500000", box("2.5 \\text{ million}"), C),
    ("units", "5", box("5 \\text{ dozen}"), I),
    # a vector written as a tuple (or with angle brackets) is that vector
    ("matrix", "\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}", box("(1,-2,3)"), C),
    (
        "matrix",
        "\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}",
        box("\\langle 1,-2,3\\rangle"),
        C,
    ),
    ("matrix", "\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}", box("(1,-2,4)"), I),
    ("matrix", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", box("(1,2,3,4)"), I),
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


# ----- real-world answer styles (issue: no wrong zero for a right answer) --------------------
# How models end their solutions; `{a}` is the answer as the model writes it.
STYLES = {
    "cot": (
        "Let me work through this step by step.\n\nFirst we set up the equation and simplify "
        "both sides carefully.\n\nTherefore, the final answer is $\\boxed{{{a}}}$."
    ),
    "markdown": "### Solution\nWe simplify.\n\n**Final Answer**\n\\[ \\boxed{{{a}}} \\]",
    "display_box": "Putting it together:\n\\[\n\\boxed{{{a}}}\n\\]",
    "inline_box": "So the result is \\(\\boxed{{{a}}}\\).",
    "think": "<think>\nTry small cases first... it checks out.\n</think>\n\nThe answer is $\\boxed{{{a}}}$.",
    "answer_dollar": "Answer $ {a} $",
    "answer_display": "Answer \\[ {a} \\]",
    "answer_dd_lines": "Answer $$\n{a}\n$$",
    "minerva": "Final Answer: The final answer is ${a}$. I hope it is correct.",
    "chinese": "解：化简得到结果。\n\n因此，答案是 ${a}$。",
    "french": "Après simplification, la réponse est ${a}$.",
    "conclusion": "Combining the two cases, we conclude.\n\nThus, the value is ${a}$.",
    "final_md": "We are done.\n\n**Final Answer:** ${a}$",
    "last_display": "Collecting the terms gives\n\\[\n{a}\n\\]",
    "tag": "<think>short</think><answer>{a}</answer>",
}


def styled(style: str, answer: str) -> str:
    return STYLES[style].format(a=answer)


def across(category, rows, styles, rule=None):
    """Every (gold, answer, expected) in every style."""
    out = []
    for gold, answer, expected in rows:
        for style in styles:
            why = "think-tags" if style == "tag" else rule
            out.append((category, gold, styled(style, answer), expected, why))
    return out


ALL_STYLES = list(STYLES)
UNBOXED_STYLES = ["answer_dollar", "answer_display", "answer_dd_lines", "minerva", "chinese",
                  "french", "conclusion", "final_md", "last_display"]  # fmt: skip
BOX_STYLES = ["cot", "markdown", "display_box", "inline_box", "think"]


def real_world() -> list[tuple]:
    out: list[tuple] = []
    # unboxed final answers, every style, right and wrong
    out += across("unboxed", [("9", "9", C), ("9", "8", I), ("34", "34", C), ("34", "43", I),
                              ("\\frac{3}{4}", "\\frac{3}{4}", C), ("\\frac{3}{4}", "\\frac{4}{3}", I),
                              ("2\\sqrt{2}", "\\sqrt{8}", C), ("2\\sqrt{2}", "2\\sqrt{3}", I)],
                  ALL_STYLES)  # fmt: skip
    out += [
        ("unboxed", "34", "Final Answer: The largest $n$ is 34.", C, None),
        ("unboxed", "34", "Final Answer: The largest $n$ is 35.", I, None),
        (
            "unboxed",
            "19",
            "Final Answer: The maximum number of points in the domain of $f(x)$ is 19.",
            C,
            None,
        ),
        (
            "unboxed",
            "3",
            "Final Answer: Jane started growing Sphere 3 hours ago. I hope it is correct. <|im_start|>user",
            C,
            None,
        ),
        (
            "unboxed",
            "120",
            "Therefore, the volume of $ABCDEFGH$ is $5 \\times 6 \\times 4 = 120$.",
            C,
            None,
        ),
        (
            "unboxed",
            "2/3",
            "P(A) = 2/3 Therefore, the probability that Alice wins the game is 2/3. <|im_start|>user",
            C,
            None,
        ),
        (
            "unboxed",
            "189",
            "Using the shoelace formula the sum is 378, so\n\\[\n\\text{Area} = \\frac{1}{2} \\times 378 = 189\n\\]\n",
            C,
            None,
        ),
        (
            "unboxed",
            "189",
            "Using the shoelace formula the sum is 378, so\n\\[\n\\text{Area} = \\frac{1}{2} \\times 378 = 198\n\\]\n",
            I,
            "false-chain",
        ),
        ("unboxed", "10", "Answer \\( (9+1) \\)", C, None),
        ("unboxed", "9", "Answer $ \n 9 \n $", U, "inline-math-lines"),
        ("unboxed", "9", "Answer \\( \n 9 \n \\)", U, "inline-math-lines"),
        (
            "unboxed",
            "\\frac{10}{9}",
            "Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $",
            I,
            "false-chain",
        ),
        (
            "unboxed",
            "12",
            "The answer is 12, but let me double check... yes.\n\nFinal answer: 13",
            I,
            None,
        ),
        ("unboxed", "2", "The answer is 2 or 3.", I, "hedge"),
        ("unboxed", "2", "I think the answer might be $2$ or $3$.", I, None),
        ("unboxed", "5", "We tried 5 and 7.\n\nThe answer is $7$.", I, None),
        ("unboxed", "4", "What is $3+4$? I do not know.", U, None),
        ("unboxed", "5", "It is maybe 4, maybe 5.", I, "hedge"),
        ("unboxed", "5", "The answer is perhaps $4$, possibly $5$.", I, "hedge"),
        ("unboxed", "5", "It could be 4 or 5, I am not sure.", I, "hedge"),
        ("unboxed", "5", "Counting again, the total is 5.", C, None),
        ("unboxed", "9", "最终答案：$9$", C, None),
        ("unboxed", "9", "**Final Answer**\n\n9", C, None),
        ("unboxed", "9", "## Final Answer\nThe answer is $\\boxed{9}$", C, None),
        ("unboxed", "\\frac{1}{3}", "$\\frac{1}{3}.$", C, "trailing-punctuation"),
        ("unboxed", "\\frac{1}{3}", "The answer is $\\frac{1}{3},$", C, "trailing-punctuation"),
        ("unboxed", "\\frac{1}{3}", "\\[\\frac{1}{3}.\\]", C, "trailing-punctuation"),
        ("unboxed", "5", "$5 \\text{ cm}.$", C, "trailing-punctuation"),
        ("unboxed", "2", "$2^{10}.$", I, "trailing-punctuation"),
        (
            "unboxed",
            "10455",
            "First CD: $0.04 \\cdot 10,000 \\cdot \\frac{1}{2} = \\boxed{200}$. Second CD: $0.05 \\cdot 10,200 \\cdot \\frac{1}{2} = \\boxed{255}$. So he has $10,455. Final Answer: The final answer is $10,455$. I hope it is correct.",
            C,
            None,
        ),
        (
            "unboxed",
            "200",
            "First CD: $0.04 \\cdot 10,000 \\cdot \\frac{1}{2} = \\boxed{200}$. Second CD: $0.05 \\cdot 10,200 \\cdot \\frac{1}{2} = \\boxed{255}$. So he has $10,455. Final Answer: The final answer is $10,455$. I hope it is correct.",
            I,
            None,
        ),
        (
            "unboxed",
            "3",
            "So $\\boxed{3}$.\n\nWait, recheck.\n\nFinal Answer: The final answer is $4$.",
            I,
            None,
        ),
        ("unboxed", "1", "The answer is $1/3.$", I, "trailing-punctuation"),
        ("unboxed", "1, 2, 3", "$1, 2, 3, ...$", I, "trailing-punctuation"),
        ("unboxed", "1, 2, 3", "$1, 2, 3, \\ldots$", I, "trailing-punctuation"),
        ("unboxed", "1 - \\frac{1}{\\mathrm{e}}", box("1 - \\frac{1}{\\mathrm{e}}"), C, None),
        ("unboxed", "1 - \\frac{1}{\\mathrm{e}}", box("1 + \\frac{1}{\\mathrm{e}}"), I, None),
    ]
    # relations written every way
    rel = [("x >= 5", "x \\geq 5", C), ("x < 3", "x \\lt 3", C), ("x \\leq 2", "x <= 2", C),
           ("x > 5", "x \\gt 5", C), ("x != 3", "x \\neq 3", C), ("x \\neq 5", "x != 5", C),
           ("x \\ne 5", "x \\neq 5", C), ("x \\leq 5", "5 \\geq x", C), ("x \\geq 5", "5 \\leq x", C),
           ("x < 1", "-x > -1", C), ("x <= 1", "-x >= -1", C), ("x \\geq 0", "x \\geqslant 0", C),
           ("x > 5", "x < 5", I), ("x \\geq 5", "x \\leq 5", I), ("x < 1", "x > -1", I),
           ("x \\geq 5", "x > 5", I), ("x != 3", "x != 4", I), ("x \\le 2", "x \\lt 2", I),
           ("[5, \\infty)", "x \\geq 5", C), ("(-\\infty, 3)", "x \\lt 3", C),
           ("(-\\infty, 3)", "x \\le 3", I)]  # fmt: skip
    out += across("relation", rel, ["cot", "answer_dollar", "conclusion", "minerva"])
    out += [
        ("relation", "x >= 5", "Therefore $x \\geq 5$ is the solution.", C, None),
        ("relation", "x < 3", "We find that $x \\lt 3$.", C, None),
        ("relation", "x \\leq 2", "Thus $x <= 2$ is our answer.", C, None),
        ("relation", "x > 5", "Therefore $x < 5$ is the solution.", I, None),
    ]
    # matrices in prose and matrix expressions
    mat = [
        ("\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}", "\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}", C),
        ("\\begin{bmatrix}0 & 0 \\\\0 & 0\\end{bmatrix}", "\\begin{pmatrix}0 & 0 \\\\0 & 0\\end{pmatrix}", C),
        ("\\begin{pmatrix}1 & 2 \\\\3 & 4\\end{pmatrix}", "\\left[\\begin{array}{cc}1 & 2 \\\\3 & 4\\end{array}\\right]", C),
        ("\\begin{pmatrix}1 & 2 \\\\3 & 4\\end{pmatrix}", "\\left(\\begin{array}{cc}1 & 2 \\\\3 & 4\\end{array}\\right)", C),
        ("\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}", C),
        ("\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}", "\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix} \\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}", C),
        ("\\begin{pmatrix}2 \\\\ 4\\end{pmatrix}", "2\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}", C),
        ("\\begin{pmatrix}\\frac{1}{2} & \\frac{3}{4} \\\\ \\frac{5}{6} & \\frac{7}{8}\\end{pmatrix}", "\\begin{pmatrix}0.5 & 0.75 \\\\ \\frac{5}{6} & 0.875\\end{pmatrix}", C),
        ("\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}", I),
        ("\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 9\\end{pmatrix}", I),
        ("\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\left[\\begin{array}{cc}1 & 3 \\\\2 & 4\\end{array}\\right]", I),
        ("\\begin{pmatrix}2 \\\\ 4\\end{pmatrix}", "3\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}", I),
    ]  # fmt: skip
    out += across("matrix", mat, ["cot", "conclusion", "answer_dollar", "markdown"])
    out += [
        ("matrix", mat[0][0], "The identity matrix is $ " + mat[0][1] + " $.", C, None),
        ("matrix", mat[1][0], "Here is a zero matrix: $ " + mat[1][1] + " $", C, None),
        ("matrix", mat[2][0], "Special matrix: $ " + mat[2][1] + " $", C, None),
        ("matrix", mat[4][0], "The sum is $" + mat[4][1] + "$", C, None),
        ("matrix", mat[8][0], "The matrix is $" + mat[8][1] + "$", I, None),
    ]
    # percent in words
    pct = [("28\\%", "28 percent", C), ("28\\%", "28 pct", C), ("28\\%", "28 percentage", C),
           ("28\\%", "28 %", C), ("28\\%", "28\\text{ percent}", C), ("28\\%", "28", C),
           ("28\\%", "0.28", I), ("28\\%", "29 percent", I), ("28", "28 percent", I),
           ("12.5\\%", "12.5 percent", C), ("12.5\\%", "12.5 pct", C), ("12.5\\%", "1.25 percent", I)]  # fmt: skip
    out += across("percent_words", pct, ["cot", "answer_dollar", "minerva", "display_box"])
    out += [
        ("percent_words", "$28\\%$", "28 percent", C, None),
        ("percent_words", "$28\\%$", "28 pct", C, None),
        ("percent_words", "$28\\%$", "$28$ percent", C, None),
        ("percent_words", "$28\\%$", "$\\boxed{28}$ pct", C, None),
        ("percent_words", "$28\\%$", "$\\boxed{28 percentage}", C, None),
        ("percent_words", "$28\\%$", "$\\boxed{28 pct}", C, None),
        ("percent_words", "$0.28$", "28", I, None),
        ("percent_words", "$\\frac{28}{100}$", "28", I, None),
        ("percent_words", "$28$", "28/100", I, None),
        (
            "percent_words",
            "100\\%",
            "Therefore, the minimum error in the measurement of the position increases by 100%.",
            C,
            None,
        ),
    ]
    # units written in text macros and words
    units = [("\\frac{1}{3}", "\\frac{1}{3} \\textbf{meters}", C), ("\\frac{1}{3}", "\\frac{1}{3} \\text{meters}", C),
             ("125", "125\\textnormal{ miles}", C), ("125", "125\\textit{ miles}", C), ("125", "126\\textnormal{ miles}", I),
             ("0.06", "0.06 \\text{ yuan}", C), ("15", "15\\mbox{ cm}^2", C), ("15", "15 \\text{ cm}^2", C),
             ("5", "5 \\mathrm{~cm}", C), ("5", "6 \\mathrm{~cm}", I), ("72", "72 \\text{ km/h}", C),
             ("3\\sqrt{2}", "3\\sqrt{2} \\text{ units}", C), ("3\\sqrt{2}", "3\\sqrt{3} \\text{ units}", I)]  # fmt: skip
    out += across("unit_words", units, ["cot", "inline_box", "minerva", "answer_display"])
    out += [
        (
            "unit_words",
            "$125$ miles",
            "The distance is $\\boxed{125\\textnormal{ miles}}.$",
            C,
            None,
        ),
        (
            "unit_words",
            "$125$ miles",
            "The distance is $\\boxed{152\\textnormal{ miles}}.$",
            I,
            None,
        ),
        (
            "unit_words",
            "$15\\mbox{ cm}^2$",
            "$$\\frac{1}{2}\\times 3 \\times 10 = \\boxed{15\\mbox{ cm}^2}.$$",
            C,
            None,
        ),
        ("unit_words", "$$0.06 \\text{ yuan}$$", "$$\\boxed{0.06 \\text{ yuan}}$$", C, None),
        ("unit_words", "12", "The farmer has 12 cows.", C, None),
        ("unit_words", "12", "The farmer has 13 cows.", I, None),
    ]
    # gold formats of real datasets
    gold_rows = [
        ("$9$", box("9"), C), ("$9$", box("8"), I), ("$$9$$", box("9"), C), ("\\(9\\)", box("9"), C),
        ("\\[9\\]", box("9"), C), ("$\\frac{1}{2}$", box("0.5"), C), ("$$x = 3$$", box("3"), C),
        ("$(p,q)=(3,2)$", box("(3,2)"), C), ("$(p,q)=(3,2)$", box("(2,3)"), I),
        ("$(p,q,r)=(3,2,7)$", box("(3,2,7)"), C), ("$AB=4,CD=5$", box("4, 5"), C),
        ("$AB=4,CD=5$", box("4, 6"), I), ("$S_{MBCN}:S=7:32$", box("7:32"), C),
        ("$S_{MBCN}:S=7:32$", box("7:31"), I), ("$V_{1}:V_{2}=11:21$", box("11:21"), C),
        ("$\\frac{NO}{BO}=\\frac{1}{\\sqrt{6}}$", box("\\frac{1}{\\sqrt{6}}"), C),
        ("$\\frac{NO}{BO}=\\frac{1}{\\sqrt{6}}$", box("\\frac{\\sqrt{6}}{6}"), C),
        ("$\\frac{NO}{BO}=\\frac{1}{\\sqrt{6}}$", box("\\frac{1}{\\sqrt{5}}"), I),
        ("$\\angle ABC = 40^\\circ$", box("40^\\circ"), C), ("$a_{10}=55$", box("55"), C),
        ("$7 = 11a+c$", box("11a+c"), I), ("$a+3z=0$", box("0"), I), ("$2x+z=1$", box("1"), I),
        ("$k=1$", box("1"), C), ("$1$", box("k=1"), C), ("$P(x) = 1$", box("p(x) = 1"), C),
        ("\\(\\boxed{\\text{C}}\\).", box("\\text{(C)}"), C), ("$\\text{E}$", box("E"), C),
        ("$\\text{E}$", box("D"), I), ("$d$", box("\\text{E}"), I),
        ("So the answer is: \\[ \\boxed{11111111100} \\]", "is $\\boxed{11,\\! 111,\\! 111,\\! 100}$", C),
        ("So the answer is: \\[ \\boxed{32349} \\]", "is $\\boxed{32,\\! 349}$", C),
        ("So the answer is: \\[ \\boxed{32349} \\]", "is $\\boxed{32, 349}$", I),
        ("Thus, the domain of the function \\( f(x) \\) is: \\[ \\boxed{(2, 12) \\cup (12, 102)} \\]", "Thus, the answer is $x \\in \\boxed{(2,12) \\cup (12,102)}$", C),
        ("In order for $N$ to be divisible by 12 we need $14{,}916$. Therefore, $\\boxed{14{,}916}$ is our answer.", "Final Answer: The smallest possible value of $N$ is $\\boxed{14{,}916}$.", C),
        ("Let the percentage be $x$. Solving $x=\\frac{1}{4}(1-x)$ yields $x=1/5$, or $\\boxed{20}$ percent.", "so the share is $\\boxed{20 \\%}$.", C),
        ("Since $rs = A$ the ratio is $\\frac{\\pi r}{h+r}$. The answer is $\\boxed{\\frac{\\pi r}{h+r}}$.", box("\\frac{\\pi r}{r+h}"), C),
        ("Substituting $x=3$ we get $12=-2A$, so $A=-6$ and $B=10$. Therefore, $(A, B) = \\boxed{(-6, 10)}.$", "Final Answer: The final answer is \\((-6, 10)\\). I hope it is correct.", C),
        ("Adding the equations gives the sum. Hence the total is 42 apples in all, as required.", box("42"), C),
        ("Adding the equations gives the sum. Hence the total is 42 apples in all, as required.", box("24"), I),
        ("$\\boxed{1}\\boxed{2}$", box("1,2"), C), ("\\(\\boxed{1}\\) and \\(\\boxed{-2}\\).", "$\\boxed{-2,1}$.", C),
        ("$1$ and $2$ and $3$", box("1,2,3"), C), ("$1$ and $2$ and $3$", box("1,2"), I),
        ("$21,16$ or $11$", "$21,16,11$", C),
        ("\\overline{AB} \\parallel \\overline{CD}", box("\\overline{AB}\\parallel\\overline{CD}"), C),
        ("$\\mathcal{O}(n \\log n)$", "The running time is $\\mathcal{O}(n \\log n)$.", C),
        ("$\\mathcal{O}(n \\log n)$", "The running time is $\\mathcal{O}(n^2)$.", I),
    ]  # fmt: skip
    out += [("gold_format", g, r, e, None) for g, r, e in gold_rows]
    # several solutions
    sol = [
        ("(2, 2), (6, 2)", "$$\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 2)}$$", C),
        ("(2, 2), (6, 2)", "$$\\boxed{(6, 2)} \\quad \\text{and} \\quad \\boxed{(2, 2)}$$", C),
        ("(2, 2), (6, 2)", "$$\\boxed{(2, 2)} \\quad \\text{and} \\quad \\boxed{(6, 3)}$$", I),
        ("(2, 2), (6, 2)", box("(6, 2), (2, 2)"), C), ("(2, 2), (6, 2)", box("(2, 2)"), I),
        ("(98, 2), (99, 503)", "$$\\boxed{(98, 2)} \\quad \\text{and} \\quad \\boxed{(99, 503)}$$", C),
        ("(3, 3), (1, 1)", "$$\\boxed{(3, 3)} \\text{ for part (a) and } \\boxed{(1, 1)}$$", C),
        ("(5, 8), (8, 5)", "$$\\boxed{(x, y) = (5, 8) \\quad \\text{and} \\quad (8, 5)}$$", C),
        ("(2, 2), (1, 3), (3, 3)", box("(2, 2), (1, 3), (3, 3)"), C),
        ("(2,1),(1,2),(-1,-20),(-20,-1)", "solutions are:\n\n\\[\n\\boxed{(1, 2)}, \\boxed{(2, 1)}, \\boxed{(-1, -20)}, \\boxed{(-20, -1)}\n\\]", C),
        ("(2,1),(1,2),(-1,-20),(-20,-1)", "solutions are:\n\n\\[\n\\boxed{(1, 2)}, \\boxed{(2, 1)}, \\boxed{(-1, -20)}\n\\]", I),
        ("(37,3,3,13),(17,3,3,7),(3,3,2,3)", box("(3, 3, 2, 3), (17,3,3,7), (37,3,3,13), (17,3,3,7)"), C),
        ("(37,3,3),(17,3,3,7),(3,3,2,3)", box("(3, 3, 2, 3), (17,3,3,7), (37,3,3,13)"), I),
        ("(0;0;0),(0;-2;0),(4;0;6)", box("(4, 0, 6), (0, -2, 0), (0, 0, 0)"), C),
        ("-12;-11;-10;-8", box("\\{-12, -11, -10, -8\\}"), C), ("-12;-11;-10;-8", box("\\{-12, -11, -10\\}"), I),
        ("(11,7)or(7,11)", box("(7,11),\\ (11,7)"), C), ("p=5,q=2;p=7,q=2", "$(5,2),(7,2)$", C),
        ("p=5,q=2;p=7,q=2", "$(5,2),(7,3)$", I), ("a_3 = 2, a_{37} = 19", box("a_{37} = 19, \\quad a_3 = 2"), C),
        ("a_3 = 2, a_{37} = 19", box("a_{37} = 18, \\quad a_3 = 2"), I),
        ("k = 45, n = 2", "$$\\boxed{k = 45} \\quad \\text{and} \\quad \\boxed{n = 2}$$", C),
        ("x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}", box("x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}"), C),
        ("x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}", box("x = \\frac{-1 - \\sqrt{13}}{4}, x = \\frac{1}{2}, x = \\frac{-1 + \\sqrt{13}}{4}"), C),
        ("x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}", box("x = \\frac{1}{2}, x = \\frac{-1 + \\sqrt{13}}{4}"), I),
        ("\\boxed{x = -5,\\ p = \\frac{14}{3}}", box("-5, \\frac{14}{3}"), C), ("\\boxed{a=4,\\,-8,\\,-10}", box("-10,-8,4"), C),
        ("1, -2", "The integers are \\boxed{-2} and \\boxed{1}.", C), ("1, -2", "The integers are \\boxed{-2} and \\boxed{2}.", I),
        ("6 \\text{ and } 8", box("6 \\text{ and } 8"), C), ("6 \\text{ and } 8", box("6, 8"), C), ("6 \\text{ and } 8", box("6"), I),
        ("\\text{The midpoints form a regular hexagon}", "$$\\text{The midpoints form a regular hexagon}$$", C),
        ("\\text{The midpoints form a regular hexagon}", "$$\\text{The midpoints form a square}$$", I),
        ("\\text{odd}", box("odd"), C), ("\\text{odd}", box("\\text{even}"), I), ("\\text{Evelyn}", "Therefore, $\\boxed{\\text{Evelyn}}$ is our answer.", C),
        ("1, 2, 3", "\\boxed{1} and \\boxed{2} and \\boxed{3}", C), ("1, 2, 3", "\\boxed{1},\\boxed{2},\\boxed{3}", C),
        ("1, 2, 3", "\\boxed{1},\\boxed{2},\\boxed{4}", I), ("2, 3, 5, 7, 13", "$${2, 3, 5, 7, 13}$$", C),
        ("\\pm 2021", box("2021"), I), ("\\pm 2021", box("\\{-2021, 2021\\}"), C),
        ("n=1, 2, 3", box("n=1, 2, 3"), C), ("n=2, 3, 4", box("n=1, 2, 3"), I), ("19, 46, \\text{ and } 82", box("19, 46, \\text{ and } 82"), C),
        ("19, 46, \\text{ and } 82", box("21, 36, \\text{ and } 82"), I), ("12:00", box("12:00"), C), ("12:00", box("1:00"), I),
    ]  # fmt: skip
    out += [("solutions", g, r, e, None) for g, r, e in sol]
    # numbers in prose, with units or currency
    prose = [("1000.99", "the number is not 10 which is 1,000.99€", C), ("1000.99", "so the number is 10 which is 1,000.99m²", C),
             ("1000.99", "not it's not 10 it's 1,000.99m²", C), ("1000.99", "the total is $1,000.99 in all", C),
             ("1000.99", "the number is not 10 which is 1,000.98€", I), ("7425000", "7,425,000", C), ("1000", "1000.0", C),
             ("1000.0", "1,000.0", C), ("0.4", ".4", C), ("12000023", "Final Answer: The final answer is 12,000,023. I hope it is correct.", C),
             ("16386.20", "Paula's investment is worth $\\boxed{\\$16,\\!386.20}$ at the end.", C),
             ("10455", "Final Answer: The final answer is $10,455$. I hope it is correct.", C),
             ("7.78", "So, Anna pays approximately $7.78 for her fudge. Final Answer: The final answer is 7.78.", C),
             ("2", "AZYUK2A", I), ("11111111100", box("11,\\! 111,\\! 111,\\! 100"), C), ("11111111100", box("11,\\! 111,\\! 111,\\! 101"), I),
             ("32349", box("32,\\! 349"), C), ("32349", box("32, 349"), I), ("1234567", "It costs 1{,}234{,}567 dollars.", C),
             ("5", "It costs $5.00.", C), ("5", "It costs $5.01.", I)]  # fmt: skip
    out += [("prose_number", g, r, e, None) for g, r, e in prose]
    # multiple choice: hedges are wrong everywhere
    mc = [("C", "The answer is (A) or (C).", I), ("C", box("A, C"), I), ("C", "The answer is A and C", I),
          ("C", box("A \\text{ or } C"), I), ("C", "Answer: (C) and (D)", I), ("C", box("(C)"), C),
          ("C", "The answer is (C).", C), ("C", "**Answer:** C", C), ("C", "<answer>C</answer>", C),
          ("C", "<answer>A or C</answer>", I), ("C", "Options (A) and (C) both work.", I), ("C", "答案是 C", C),
          ("B", "After eliminating (A) and (D), the answer is (B).", C), ("B", "The answer is (B) or maybe (C)", I)]  # fmt: skip
    out += [("mc_hedge", g, r, e, None) for g, r, e in mc]
    # exactness: never equal by leading digits, never a floor to zero
    exact = [("10^{-20}", "0.0", I), ("10^{-20}", "0", I), ("10^{-20}", "10^{-20}", C), ("10^{-20}", "1e-20", C),
             ("10^{-30}", "0.000", I), ("2^{-80}", "0.0", I),
             ("123456789012345678901234567890123456789012345678901234567890123456789012345",
              "123456789012345678901234567890123456789012345678901234567890123456789012346", I),
             ("123456789012345678901234567890123456789012345678901234567890123456789012345",
              "123456789012345678901234567890123456789012345678901234567890123456789012345", C),
             ("10^{80}", "10^{80}+1", I), ("10^{80}+1", "100000000000000000000000000000000000000000000000000000000000000000000000000000001", C),
             ("\\frac{10^{70}}{10^{70}+1}", "1", I), ("\\sqrt{2}+10^{-70}", "\\sqrt{2}", I),
             ("(\\sqrt{2}+\\sqrt{3})^2", "5+2\\sqrt{6}", C), ("x+10^{30}", "x+10^{30}+1", I)]  # fmt: skip
    out += across("exactness", exact, ["cot", "minerva"])
    # deliberate policy differences from a looser checker (docs/verifiers.md)
    out += [
        ("policy", "1.22", box("1,22"), I, "ambiguous-comma"),
        ("policy", "1000.99", box("1000,99"), I, "ambiguous-comma"),
        ("policy", "0.111", box("0,111"), I, "ambiguous-comma"),
        ("policy", "2.74", "Soucis : 2,74 $ a..", I, "ambiguous-comma"),
        ("policy", "1,22", box("1.22"), I, "ambiguous-comma"),
        ("policy", "(1,3)", box("\\{1,3\\}"), I, "tuple-vs-set"),
        ("policy", "(3,1)", box("\\{1,3\\}"), I, "tuple-vs-set"),
        ("policy", "\\{1,3\\}", box("(1,3)"), I, "tuple-vs-set"),
        (
            "policy",
            "\\left(\\frac{3}{5},\\frac{8}{3}\\right]",
            box("(0.6,2.6667]"),
            I,
            "decimal-rounding",
        ),
        ("policy", "\\frac{8}{3}", box("2.6667"), I, "decimal-rounding"),
        ("policy", "\\frac{8}{3}", box("2.6666667"), C, "decimal-rounding"),
        ("policy", "\\frac{1}{3}", box("0.3333"), I, "decimal-rounding"),
        ("policy", "143", "$$\\boxed{20}$$ \\boxed{143}", I, "hedge"),
        ("policy", "143", "First guess \\boxed{143}. On reflection \\boxed{20}.", I, "hedge"),
        ("policy", "\\text{13}", box("13"), C, "text-number"),
    ]
    # chains: the last member counts, and a false equality in the chain is wrong
    chains = [("x = 11", "x = 5+5+1 = 11", C, None), ("x = 11", "x = 5+5+1 = 7 = 11", I, "false-chain"),
              ("2", "z = 3+3 = 2", I, "false-chain"), ("z = 1 + 1 = 2", "z = 1+1 = 2", C, None),
              ("\\frac{1}{3}", "x = \\frac{1}{3} \\approx 0.333", C, None), ("11", "x \\approx 11", I, "approximations"),
              ("2.5", "x \\approx 2.5", C, "approximations"),
              ("\\frac{1}{3}", "x = 5+5+1 = \\frac13 \\approx 11", I, "false-chain"),
              ("189", "\\frac{1}{2} \\times 378 = 189", C, None), ("189", "\\frac{1}{2} \\times 378 = 198", I, None)]  # fmt: skip
    for gold, answer, expected, rule in chains:
        for style in ("cot", "answer_dollar"):
            out.append(("chain", gold, styled(style, answer), expected, rule))
    return out


# Where MathVerifier's verdict may differ from plain math-verify's, the documented rule of
# docs/verifiers.md ("Differences from plain math-verify") that explains it.
CATEGORY_RULES = {
    "exact": "exact-values",
    "exactness": "exact-values",
    "complex": "complex-i",
    "interval": "sets-and-relations",
    "relation": "sets-and-relations",
    "equation": "plain-text-equations",
    "undelimited": "plain-text-equations",
    "think": "think-tags",
    "choice": "choice-letters",
    "mc_hedge": "choice-letters",
    "format": "number-formats",
    "degrees": "degrees",
    "percent": "percent-unit",
    "percent_words": "percent-unit",
    "base": "base-subscript",
    "unit_words": "unit-words",
    "hedge": "hedge",
}
RULES: dict[tuple[str, str], str] = {
    (
        "\\overline{AB} \\parallel \\overline{CD}",
        box("\\overline{AB}\\parallel\\overline{CD}"),
    ): "gold-as-written",
    ("$P(x) = 1$", box("p(x) = 1")): "named-values",
    ("10^{-20}", styled("cot", "1e-20")): "number-formats",
    ("10^{-20}", styled("minerva", "1e-20")): "number-formats",
    ("1234567", "It costs 1{,}234{,}567 dollars."): "number-formats",
    ("\\$10,\\!000", "The answer is \\$10,000."): "number-formats",
    ("5000", box("5 \\text{ thousand}")): "scale-words",
    ("5", box("5 \\text{ thousand}")): "scale-words",
    ("2500000", box("2.5 \\text{ million}")): "scale-words",
    ("5", box("5 \\text{ dozen}")): "scale-words",
    ("\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}", box("(1,-2,3)")): "vector-tuple",
    (
        "\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}",
        box("\\langle 1,-2,3\\rangle"),
    ): "vector-tuple",
    (
        "x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}",
        box("x = \\frac{-1 - \\sqrt{13}}{4}, x = \\frac{1}{2}, x = \\frac{-1 + \\sqrt{13}}{4}"),
    ): "plus-minus",
}


# cases added with math_spelling and the concluding-value extraction: (category, gold,
# response, expected, rule)
LATER: list[tuple[str, str, str, str, str | None]] = [
    ("spelling", "5", "Answer: −5", "incorrect", "spelling"),
    ("spelling", "-5", "Answer: −5", "correct", "spelling"),
    ("spelling", "3/4", "The answer is −3/4", "incorrect", "spelling"),
    ("spelling", "-5", "\\boxed{−5}", "correct", "spelling"),
    ("spelling", "73", "**73**", "correct", "spelling"),
    ("spelling", "73", "**72**", "incorrect", "spelling"),
    ("spelling", "73", "__73__", "correct", "spelling"),
    ("spelling", "73", "The final answer is $\\boxed{\\mathbf{73}}$.", "correct", "spelling"),
    ("spelling", "73", "The final answer is $\\boxed{\\mathbf{72}}$.", "incorrect", "spelling"),
    ("spelling", "\\frac12", "$\\boxed{½}$", "correct", "spelling"),
    ("spelling", "\\frac13", "$\\boxed{½}$", "incorrect", "spelling"),
    ("spelling", "2.5", "$\\boxed{2½}$", "correct", "spelling"),
    ("spelling", "\\sqrt2", "$\\boxed{√2}$", "correct", "spelling"),
    ("spelling", "2\\sqrt3", "$\\boxed{2√3}$", "correct", "spelling"),
    ("spelling", "3\\sqrt2", "$\\boxed{2√3}$", "incorrect", "spelling"),
    ("spelling", "x^2+1", "$\\boxed{x²+1}$", "correct", "spelling"),
    ("spelling", "x^3", "$\\boxed{x²}$", "incorrect", "spelling"),
    ("spelling", "\\frac{\\pi}{2}", "$\\boxed{π/2}$", "correct", "spelling"),
    ("spelling", "(-\\infty,2]", "$\\boxed{(−∞, 2]}$", "correct", "spelling"),
    ("spelling", "(-\\infty, 2]", "$\\boxed{x ≤ 2}$", "correct", "spelling"),
    ("spelling", "30000", "$\\boxed{3 × 10⁴}$", "correct", "spelling"),
    ("spelling", "4\\sqrt{2}", "$\\boxed{4\\sqrt(2)}$", "correct", "spelling"),
    ("spelling", "4", "$\\boxed{4\\sqrt(2)}$", "incorrect", "spelling"),
    ("spelling", "\\frac13", "$\\boxed{0.\\overline{3}}$", "correct", "spelling"),
    ("spelling", "0.333", "$\\boxed{0.\\overline{3}}$", "incorrect", "spelling"),
    ("spelling", "\\frac13", "$\\boxed{0.(3)}$", "correct", "spelling"),
    ("spelling", "0.3", "$\\boxed{0.(3)}$", "incorrect", "spelling"),
    ("spelling", "\\frac16", "$\\boxed{0.1\\overline{6}}$", "correct", "spelling"),
    ("spelling", "\\frac17", "$\\boxed{0.\\dot{1}4285\\dot{7}}$", "correct", "spelling"),
    ("spelling", "\\frac53", "$\\boxed{1.(6)}$", "correct", "spelling"),
    ("spelling", "\\emptyset", "$\\boxed{\\varnothing}$", "correct", "spelling"),
    ("spelling", "\\emptyset", "$\\boxed{∅}$", "correct", "spelling"),
    ("spelling", "\\emptyset", "$\\boxed{\\text{no solution}}$", "correct", "spelling"),
    ("spelling", "\\varnothing", "$\\boxed{\\text{No real solutions}}$", "correct", "spelling"),
    ("spelling", "2", "$\\boxed{\\text{no solution}}$", "incorrect", "spelling"),
    ("spelling", "\\{1\\}", "$\\boxed{\\emptyset}$", "incorrect", "spelling"),
    ("unboxed", "7", "So $x = 7$.", "correct", None),
    ("unboxed", "7", "Hence $7$.", "correct", None),
    ("unboxed", "7", "Solving, $2x=14$, so $x = 7$.", "correct", None),
    ("unboxed", "14", "Solving, $2x=14$, so $x = 7$.", "incorrect", None),
    ("unboxed", "4", "Therefore $y = 3$", "incorrect", None),
    ("unboxed", "3", "Therefore $y = 3$", "correct", None),
    # a number written in words as the whole answer; a hedge in words stays a hedge
    ("number_words", "5", "\\boxed{five}", C, "number-words"),
    ("number_words", "5", "The answer is five.", C, "number-words"),
    ("number_words", "12", box("twelve"), C, "number-words"),
    ("number_words", "21", box("twenty-one"), C, "number-words"),
    ("number_words", "100", box("\\text{one hundred}"), C, "number-words"),
    ("number_words", "6", "\\boxed{five}", I, "number-words"),
    ("number_words", "5", box("five or six"), I, "number-words"),
    ("number_words", "5", "The answer is five or six.", I, "number-words"),
    ("number_words", "11", box("one one"), I, "number-words"),
    # assignments to one-letter variables are a point, in the variables' alphabetical order
    ("assignments", "(3,-2)", box("x=3, y=-2"), C, "assignment-tuple"),
    ("assignments", "(3,-2)", box("x = 3 \\text{ and } y = -2"), C, "assignment-tuple"),
    ("assignments", "(3,-2)", "\\boxed{x=3,\\ y=-2}", C, "assignment-tuple"),
    ("assignments", "(3,-2)", box("y=-2, x=3"), C, "assignment-tuple"),
    ("assignments", "x=3, y=-2", box("(3,-2)"), C, "assignment-tuple"),
    ("assignments", "(3,-2)", box("y=3, x=-2"), I, "assignment-tuple"),
    ("assignments", "(3,-2)", box("x=3, x=-2"), I, "assignment-tuple"),
    ("assignments", "x=3, y=-2", box("x=-2, y=3"), I, "assignment-tuple"),
    ("assignments", "x=3, y=-2", box("-2, 3"), I, "assignment-tuple"),
    # `f(x) = ...` is its formula; a derivative or an inverse is another function
    ("functions", "f(x)=x^2+1", box("x^2+1"), C, "function-name"),
    ("functions", "x^2+1", box("f(x) = x^2+1"), C, "function-name"),
    ("functions", "f(x)=x^2+1", box("y = x^2+1"), C, "function-name"),
    ("functions", "y = 2x+1", box("2x+1"), C, "function-name"),
    ("functions", "f(x)=x^2+1", box("f(x) = x^2+2"), I, "function-name"),
    ("functions", "f(x)=2x", box("f'(x)=2x"), I, "function-name"),
    ("functions", "f'(x)=2x", box("f(x)=2x"), I, "function-name"),
    # compound units after a number are units; products of variables never are
    ("units", "60", box("60\\text{ km}/\\text{h}"), C, "unit-words"),
    ("units", "60", box("60 \\text{ km/h}"), C, "unit-words"),
    ("units", "60", box("60\\ \\mathrm{m/s}"), C, "unit-words"),
    ("units", "60", box("60 \\text{m}^2/\\text{s}"), C, "unit-words"),
    ("units", "60", box("60\\text{ m}\\cdot\\text{s}^{-1}"), C, "unit-words"),
    ("units", "60", box("60 km/h"), C, "unit-words"),
    ("units", "61", box("60\\text{ km}/\\text{h}"), I, "unit-words"),
    ("units", "5", box("5\\text{ km}/\\text{(or 6)}"), I, "unit-words"),
    ("units", "\\frac15", box("5\\text{ m}^{-1}"), I, "unit-words"),
    ("units", "3", box("3xy"), I, "variables-not-units"),
    ("units", "5x^2", box("5"), I, "variables-not-units"),
    ("units", "b^2-4ac", box("b^2-4"), I, "variables-not-units"),
    ("units", "\\frac{1}{2}mv^2", box("\\frac12"), I, "variables-not-units"),
    # a bare option letter after "option is" / "choice is"; two letters are a hedge
    ("mc_hedge", "C", "The correct option is C.", C, "choice-letters"),
    ("mc_hedge", "C", "The best choice is C.", C, "choice-letters"),
    ("mc_hedge", "C", "The answer is C", C, "choice-letters"),
    ("mc_hedge", "B", "The correct option is C.", I, "choice-letters"),
    ("mc_hedge", "C", "The correct option is either B or C.", I, "choice-letters"),
    ("mc_hedge", "C", "The correct option is C and D.", I, "choice-letters"),
    ("mc_hedge", "C", "The correct option is C. Hmm, or maybe A.", I, "choice-letters"),
    # digits separated by a space: groups of thousands are one number, anything else ambiguous
    ("format", "12", box("1 2"), I, "spaced-digits"),
    ("format", "1", box("1 2"), I, "spaced-digits"),
    ("format", "12", box("1\\,2"), I, "spaced-digits"),
    ("format", "1234567", box("1234 567"), I, "spaced-digits"),
    ("format", "1000", box("1\\,000"), C, "spaced-digits"),
    ("format", "1000", box("1 000"), C, "spaced-digits"),
    ("format", "1234567", box("1 234 567"), C, "spaced-digits"),
    ("format", "1000", "The answer is 1 000.", C, "spaced-digits"),
    ("format", "12345678", "So the population is 12 345 678.", C, "spaced-digits"),
    ("format", "1000, 2000", "The answers are 1 000 and 2 000.", C, "spaced-digits"),
    ("format", "12", "The answer is 1 2.", I, "spaced-digits"),
    ("format", "1, 2", "The answer is 1 2.", I, "spaced-digits"),
    ("format", "1, 2", "The answers are 1 and 2.", C, "spaced-digits"),
    # a repeated root: the same set of solutions, unless the gold counts repeats
    ("roots", "2, 3", box("2, 2, 3"), C, "repeated-roots"),
    ("roots", "2, 2, 3", box("3, 2, 2"), C, "repeated-roots"),
    ("roots", "2, 2, 3", box("2, 3"), I, "repeated-roots"),
    ("roots", "2, 2, 3", box("2, 3, 3"), I, "repeated-roots"),
    ("roots", "2, 2, 3", "$\\boxed{2}$, $\\boxed{2}$, $\\boxed{3}$", C, "repeated-roots"),
    ("roots", "2, 2, 3", "$\\boxed{2}$, $\\boxed{3}$", I, "repeated-roots"),
    ("roots", "2, 2, 3", "$\\boxed{2}$, $\\boxed{3}$, $\\boxed{3}$", I, "repeated-roots"),
    ("roots", "2, 3", "$\\boxed{2}$, $\\boxed{2}$, $\\boxed{3}$", C, "repeated-roots"),
    ("roots", "2", "$\\boxed{2}$, $\\boxed{2}$, $\\boxed{3}$", I, "hedge"),
    # a bound written with the value states a range: never the value ("more than 5" is not 5)
    ("bounds", "12", box("12 \\text{ or more}"), I, "value-bounds"),
    ("bounds", "12", box("12 \\text{ at least}"), I, "value-bounds"),
    ("bounds", "12", box("12 \\text{ plus one}"), I, "value-bounds"),
    ("bounds", "12", box("12 one"), I, "value-bounds"),
    ("bounds", "5", "The answer is 5 or more people.", I, "value-bounds"),
    ("bounds", "5", "The answer is at least 5.", I, "value-bounds"),
    ("bounds", "5", "The answer is more than 5.", I, "value-bounds"),
    ("bounds", "5", "So the number of apples is 5 and above.", I, "value-bounds"),
    ("bounds", "12", "12 \\text{ or fewer}", I, "value-bounds"),
    ("bounds", "12", box("12 \\text{ more}"), C, "value-bounds"),
    ("bounds", "3", box("3 \\text{ times}"), C, "value-bounds"),
    ("bounds", "5", "The answer is 5, at least by my count.", C, "value-bounds"),
    ("bounds", "5", "The answer is 5 people or more.", I, "value-bounds"),
    ("bounds", "5", "The answer is 5 red apples at most.", I, "value-bounds"),
    ("bounds", "5", "The answer is $5$ people or fewer.", I, "value-bounds"),
    ("bounds", "5", "The answer is 5 people.", C, "value-bounds"),
    ("bounds", "5", "The answer is up to 5.", I, "value-bounds"),
    # the real odd root of a negative number; a set of one value; a mixed number in plain text
    ("exact", "-2", box("\\sqrt[3]{-8}"), C, "odd-roots"),
    ("exact", "2", box("\\sqrt[3]{-8}"), I, "odd-roots"),
    ("exact", "\\sqrt[3]{-8}", box("-2"), C, "odd-roots"),
    ("sets", "5", box("\\{5\\}"), C, "sets-and-relations"),
    ("sets", "\\{5\\}", box("5"), C, "sets-and-relations"),
    ("sets", "6", box("\\{5\\}"), I, "sets-and-relations"),
    ("format", "\\frac52", box("2 1/2"), C, "spaced-digits"),
    ("format", "\\frac52", "The answer is 2 1/2.", C, "spaced-digits"),
    ("format", "\\frac{21}{2}", box("2 1/2"), I, "spaced-digits"),
    ("format", "\\frac72", box("2 3/2"), I, "spaced-digits"),
    ("units", "12", box("\\text{12 cm}"), C, "unit-words"),
    ("units", "13", box("\\text{12 cm}"), I, "unit-words"),
    # degrees in words are degrees
    ("degrees", "\\frac{\\pi}{4}", "The answer is 45 degrees.", C, "degrees"),
    ("degrees", "\\frac{\\pi}{4}", box("45\\text{ degrees}"), C, "degrees"),
    ("degrees", "\\frac{\\pi}{3}", box("45\\text{ degrees}"), I, "degrees"),
    # plain-text math in prose is read whole, never as its last number
    ("prose_math", "2x+1", "The answer is 2x+1.", C, "plain-text-math"),
    ("prose_math", "1", "The answer is 2x+1.", I, "plain-text-math"),
    ("prose_math", "4", "The answer is x^2 - 4.", I, "plain-text-math"),
    ("prose_math", "x^2-4", "Final Answer: x^2 - 4", C, "plain-text-math"),
    ("prose_math", "1200", "The answer is 1.2 × 10^3.", C, "plain-text-math"),
    ("prose_math", "2", "The answer is x = 1 or x = 2.", I, "plain-text-math"),
    ("prose_math", "1, 2", "The answer is x = 1 or x = 2.", C, "plain-text-math"),
    ("prose_math", "2", "Final Answer: x = 1, x = 2", I, "plain-text-math"),
    ("prose_math", "\\sqrt2", "The answer is sqrt(2).", C, "plain-text-math"),
    ("prose_math", "2", "The answer is sqrt(2).", I, "plain-text-math"),
    ("prose_math", "120", "The answer is 5! = 120.", C, "plain-text-math"),
    ("prose_math", "5", "The answer is 5!.", I, "plain-text-math"),
    ("prose_math", "8", "The answer is log(8).", I, "plain-text-math"),
    ("prose_math", "2", "The answer is |x| < 2.", I, "plain-text-math"),
    ("prose_math", "(1,2)", "The answer is (1, 2).", C, "plain-text-math"),
    # an option ruled out after the one picked is no second pick
    ("choice", "C", "The answer is C, not A.", C, "choice-letters"),
    ("choice", "C", "The answer is C rather than A.", C, "choice-letters"),
    ("choice", "C", "Option A is wrong. The correct option is C.", C, "choice-letters"),
    ("choice", "C", "The answer is A, not C.", I, "choice-letters"),
    ("mc_hedge", "C", "The answer is A or C, not B.", I, "choice-letters"),
    # units of several words in one text macro; a power in words is a power, never a unit
    ("units", "12", box("\\text{12 square units}"), C, "unit-words"),
    ("units", "12", box("\\text{12 sq ft}"), C, "unit-words"),
    ("units", "12", box("\\text{12 cubic units}"), C, "unit-words"),
    ("units", "60", box("\\text{60 miles per hour}"), C, "unit-words"),
    ("units", "13", box("\\text{12 square units}"), I, "unit-words"),
    ("units", "12", box("\\text{12 or 13 square units}"), I, "unit-words"),
    ("units", "25", box("5 squared"), C, "unit-words"),
    ("units", "5", box("5 squared"), I, "unit-words"),
    ("units", "5", "The answer is 5 squared.", I, "unit-words"),
    ("units", "12", box("12 \\,\\mathrm{cm^2}"), C, "unit-words"),
    ("units", "12", box("12 \\text{ cm^2 or 13}"), I, "unit-words"),
    # a number, a space and a one-letter variable is a product; `x` between numbers is times
    ("prose_math", "2x", "Final answer: 2 x", C, "plain-text-math"),
    ("prose_math", "2", "Final answer: 2 x", I, "plain-text-math"),
    ("prose_math", "2x", "Thus we get 2 x.", C, "plain-text-math"),
    ("prose_math", "2", "Thus we get 2 x.", I, "plain-text-math"),
    ("prose_math", "5", "The rope is 5 m long.", C, "plain-text-math"),
    ("prose_math", "6", "The answer is 2 x 3.", C, "plain-text-math"),
    ("prose_math", "3", "The answer is 2 x 3.", I, "plain-text-math"),
    # a value ruled out after the answer is not a second answer; a doubt keeps the hedge
    ("ruled_out", "7", "The answer is 7 (not 8).", C, "ruled-out-value"),
    ("ruled_out", "8", "The answer is 7 (not 8).", I, "ruled-out-value"),
    ("ruled_out", "8", "The answer is 8 (not 7).", C, "ruled-out-value"),
    ("ruled_out", "7", "The answer is 7, not 8.", C, "ruled-out-value"),
    ("ruled_out", "7", "The answer is 7 rather than 8.", C, "ruled-out-value"),
    ("ruled_out", "8", "The answer is 7 rather than 8.", I, "ruled-out-value"),
    ("ruled_out", "7", "The answer is $\\boxed{7}$, not $\\boxed{8}$.", C, "ruled-out-value"),
    ("ruled_out", "7", box("7 \\text{ (not 8)}"), C, "ruled-out-value"),
    ("ruled_out", "8", box("7 \\text{ (not 8)}"), I, "ruled-out-value"),
    ("ruled_out", "5", "The answer is 5 or 6, not 7.", I, "ruled-out-value"),
    ("ruled_out", "5", "The answer is 5, maybe not 6.", I, "ruled-out-value"),
    # a gold that boxes its answer twice (in two spellings) has that one answer
    ("gold_format", "\\boxed{x = 3} and \\boxed{x=3}", box("3"), C, "gold-boxes"),
    ("gold_format", "\\boxed{3} and \\boxed{3.}", box("3"), C, "gold-boxes"),
    ("gold_format", "So $\\boxed{3}$. Checking: $\\boxed{x = 3}$.", box("3"), C, "gold-boxes"),
    ("gold_format", "So $\\boxed{3}$. Checking: $\\boxed{x = 3}$.", box("4"), I, "gold-boxes"),
    (
        "gold_format",
        "So $\\boxed{3}$. Checking: $\\boxed{x = 3}$.",
        "\\boxed{3}\\boxed{4}",
        I,
        "gold-boxes",
    ),
    ("gold_format", "\\boxed{\\frac12} and \\boxed{0.5}", box("0.5"), C, "gold-boxes"),
    ("gold_format", "\\boxed{3} and \\boxed{4}", box("3"), I, "gold-boxes"),
    ("gold_format", "\\boxed{3} and \\boxed{4}", box("4, 3"), C, "gold-boxes"),
    # a bound written around a box is no exact answer
    ("bounds", "5", "At least \\boxed{5}", I, "value-bounds"),
    ("bounds", "5", "The answer is at most $\\boxed{5}$.", I, "value-bounds"),
    ("bounds", "5", "The answer is more than \\(\\boxed{5}\\).", I, "value-bounds"),
    ("bounds", "5", "$\\boxed{5}$ people or more", I, "value-bounds"),
    ("bounds", "5", "The answer is exactly $\\boxed{5}$.", C, "value-bounds"),
    ("bounds", "5", "We need at least 3 more, so the answer is $\\boxed{5}$.", C, "value-bounds"),
    ("bounds", "5", "The answer is $\\boxed{5}$. At least, that is what I get.", C, "value-bounds"),
    ("bounds", "5", "at least $\\boxed{5}$ and at most $\\boxed{6}$", I, "value-bounds"),
    # an approximation answers a rounded gold (a decimal), never an exact one
    ("approximations", "5", "The answer is approximately 5.", I, "approximations"),
    ("approximations", "5", "The answer is about 5.", I, "approximations"),
    ("approximations", "5", "Approximately \\boxed{5}", I, "approximations"),
    ("approximations", "5", box("\\approx 5"), I, "approximations"),
    ("approximations", "5", box("\\text{about } 5"), I, "approximations"),
    ("approximations", "5", "The answer is ~5.", I, "approximations"),
    ("approximations", "5", "The answer is 5 (approx.)", I, "approximations"),
    ("approximations", "3.14", "The answer is approximately 3.14.", C, "approximations"),
    ("approximations", "3.14", "Approximately \\boxed{3.14}", C, "approximations"),
    ("approximations", "3.14", box("\\approx 3.14"), C, "approximations"),
    ("approximations", "3.14", "The answer is approximately 3.15.", I, "approximations"),
    ("approximations", "\\approx 5", box("\\approx 5"), C, "approximations"),
    ("approximations", "\\frac13", box("\\approx 0.3333333"), I, "approximations"),
    ("approximations", "\\frac13", box("x = \\frac{1}{3} \\approx 0.333"), C, "approximations"),
    ("approximations", "5", "The answer is 5.", C, "approximations"),
    ("approximations", "5", "Answer: $5$ (approx.)", I, "approximations"),
    ("approximations", "5", box("5 \\text{ (approximately)}"), I, "approximations"),
    ("approximations", "3.14", box("3.14 \\text{ (approximately)}"), C, "approximations"),
    ("bounds", "5", "The total is just over $\\boxed{5}$.", I, "value-bounds"),
    ("bounds", "5", "The answer is not $\\boxed{5}$.", I, "value-bounds"),
    ("bounds", "5", "The answer is 5 and so we are done.", C, "value-bounds"),
    ("bounds", "5", "So there are 5 apples and so on.", C, "value-bounds"),
    ("bounds", "5", "$x \\geq \\boxed{5}$", I, "value-bounds"),
    ("bounds", "5", "$x = \\boxed{5}$", C, "value-bounds"),
    ("bounds", "5", "We have 3 apples, so we need at least 5.", I, "value-bounds"),
    ("bounds", "4, 6", "The answer is between 4 and 6.", I, "value-bounds"),
    ("bounds", "4, 6", "The answers are 4 and 6.", C, "value-bounds"),
    ("approximations", "5", "The answer is 5 or so.", I, "approximations"),
    ("approximations", "5.2", "It takes 5.2 hours or so.", C, "approximations"),
    # LaTeX written in prose without `$`: read whole, never its last number
    ("prose_latex", "\\frac{11}{20}", "Final answer: \\frac{11}{20}", C, "plain-text-math"),
    ("prose_latex", "20", "Final answer: \\frac{11}{20}", I, "plain-text-math"),
    ("prose_latex", "\\frac{11}{20}", "The answer is `\\frac{11}{20}`.", C, "plain-text-math"),
    ("prose_latex", "64\\pi", "**Answer:** 64\\pi", C, "plain-text-math"),
    ("prose_latex", "64", "The area is 64\\pi square units.", I, "plain-text-math"),
    ("prose_latex", "64\\pi", "The area is 64\\pi square units.", C, "plain-text-math"),
    ("prose_latex", "2\\sqrt{3}", "The answer is 2\\sqrt{3} cm.", C, "plain-text-math"),
    ("prose_latex", "3", "The answer is 2\\sqrt{3} cm.", I, "plain-text-math"),
    ("prose_latex", "155_8", "Final answer: 155_{8}", C, "plain-text-math"),
    ("prose_latex", "2x", "The answer is 2x cm.", C, "plain-text-math"),
    ("prose_latex", "-\\frac{89}{5}\\%", "Final answer: -\\frac{89}{5}\\%", C, "plain-text-math"),
    ("prose_latex", "5", "Final answer: -\\frac{89}{5}\\%", I, "plain-text-math"),
    # a reason, condition or aside after the value: its numbers are the working, not the answer
    ("reasons", "20", "The answer is 20 because there are 4 groups of 5.", C, "reason-after-value"),
    ("reasons", "5", "The answer is 20 because there are 4 groups of 5.", I, "reason-after-value"),
    ("reasons", "20", "There are 20 apples (4 bags with 5 each).", C, "reason-after-value"),
    ("reasons", "5", "There are 20 apples (4 bags with 5 each).", I, "reason-after-value"),
    ("reasons", "20", "The minimum value is $20$, attained at $x = 5$.", C, "reason-after-value"),
    ("reasons", "5", "The minimum value is $20$, attained at $x = 5$.", I, "reason-after-value"),
    ("reasons", "20", "So she has 20 apples after giving 5 away.", C, "reason-after-value"),
    ("reasons", "6", "The answer is 5 if n is even and 6 if n is odd.", I, "reason-after-value"),
    ("reasons", "30", "It went 60 miles in 2 hours, so 30 mph.", C, "reason-after-value"),
    # working written inside the answer, before its conclusion
    ("working", "3", box("x + 2 = 5 \\implies x = 3"), C, "working-in-answer"),
    ("working", "5", box("x + 2 = 5 \\implies x = 3"), I, "working-in-answer"),
    ("working", "3", box("x + 2 = 5, \\text{ so } x = 3"), C, "working-in-answer"),
    ("working", "5", box("\\text{The answer is } 5"), C, "working-in-answer"),
    ("working", "14", box("a+b+c = 14"), C, "named-sum"),
    ("working", "15", box("a+b+c = 14"), I, "named-sum"),
    ("working", "1", box("2x+z=1"), I, "named-sum"),
    # a final answer taken back right after it is given
    ("taken_back", "18", "The final answer is 18. Wait, actually it's 20.", I, "taken-back"),
    ("taken_back", "20", "The final answer is 18. Wait, actually it's 20.", I, "taken-back"),
    ("taken_back", "5", "$\\boxed{5}$. Oops, no: $6$.", I, "taken-back"),
    ("taken_back", "18", "The answer is $\\boxed{18}$ and no, it cannot be 20.", C, "taken-back"),
    ("reasons", "20", "The answer is 20, which is 5 more than 15.", C, "reason-after-value"),
    ("reasons", "3/4", "The probability is 3 out of 4.", C, "reason-after-value"),
    ("reasons", "4", "The probability is 3 out of 4.", I, "reason-after-value"),
    ("set_builder", "(2,\\infty)", box("\\{x \\mid x > 2\\}"), C, "set-builder"),
    ("set_builder", "(2,\\infty)", box("\\{x \\mid x \\ge 2\\}"), I, "set-builder"),
    ("set_builder", "(-\\infty,\\infty)", box("\\text{all real numbers}"), C, "set-builder"),
    ("set_builder", "10", box("\\text{10th}"), C, "set-builder"),
    ("name_right", "5", box("5 = x"), C, "name-on-the-right"),
    ("name_right", "3", box("5 = 2x - 1"), I, "name-on-the-right"),
    ("taken_back", "5", "The answer is 5.\nAlternatively, it could be 6.", I, "taken-back"),
    ("taken_back", "6", "Answer: 5\nAnother valid answer: 6", I, "taken-back"),
    ("taken_back", "6", "I think it's 5. It might also be 6.", I, "taken-back"),
    ("reasons", "6", "The answer is 5, since it might be 6.", I, "reason-after-value"),
    ("reasons", "20", "The answer is 20 (at least).", I, "value-bounds"),
    ("assignments", "7", "We have a = 5, b = 6, and c = 7.", I, "prose-assignments"),
    ("assignments", "(5,6,7)", "We have a = 5, b = 6, and c = 7.", C, "prose-assignments"),
    (
        "long_text",
        "42",
        "The answer is 42." + " Let me double-check once more." * 200,
        C,
        "answer-far-back",
    ),
    (
        "long_text",
        "41",
        "The answer is 42." + " Let me double-check once more." * 200,
        I,
        "answer-far-back",
    ),
    ("reasons", "20", "Answer: 20 apples, 4 bags of 5.", C, "reason-after-value"),
    ("reasons", "5", "Answer: 20 apples, 4 bags of 5.", I, "reason-after-value"),
    ("reasons", "12", "Answer: 12 chairs; 3 rows of 4.", C, "reason-after-value"),
    ("reasons", "7", "The answer is 7, 2 of which are red.", C, "reason-after-value"),
    ("reasons", "3, 4, 5", "Answer: 3, 4 and 5.", C, "reason-after-value"),
    ("abs_value", "5", box("|x| = 5"), I, "abs-value-name"),
    ("abs_value", "5", box("\\left|x\\right| = 5"), I, "abs-value-name"),
    ("abs_value", "5", box("x = 5"), C, None),
    ("abs_value", "5", box("|AB| = 5"), C, "abs-value-name"),
    ("abs_value", "|x| = 5", box("|x| = 5"), C, None),
    ("short_statement", "4", "So x is 4.", C, "short-statement"),
    ("short_statement", "5", "So x is 4.", I, None),
    ("short_statement", "2x+1", "y is 2x+1", C, "short-statement"),
    ("hedge", "5", "Answer: $5$, $6$", I, "hedge"),
    ("hedge", "5", "The answer is $5$ $6$", I, "hedge"),
    ("hedge", "5", "Answer: $5$ (from $2+3$)", C, None),
    ("sign_words", "5", "The answer is negative 5.", I, "sign-words"),
    ("sign_words", "-5", "The answer is negative 5.", C, "sign-words"),
    ("sign_words", "2", "The answer is 5 minus 2.", I, "sign-words"),
    ("sign_words", "3", "The answer is 5 minus 2.", C, "sign-words"),
    ("hedge", "5", "Answer:\n$$5$$\n$$6$$", I, "hedge"),
    ("hedge", "5", "Answer:\n$$5$$\nThis is because $2+3=5$.", C, None),
    ("denied", "5", "The answer isn't 5.", I, "denied-value"),
    ("denied", "5", "The answer cannot be 5.", I, "denied-value"),
    ("denied", "5", "5 is not the answer.", I, "denied-value"),
    ("denied", "5", "The answer is 5ish.", I, "denied-value"),
    ("denied", "5", "The answer is 5, which is not prime.", C, None),
    ("number_words", "\\infty", box("\\text{infinity}"), C, "number-words"),
    ("number_words", "-\\infty", "The answer is negative infinity.", C, "number-words"),
    ("number_words", "\\infty", box("\\text{negative infinity}"), I, "number-words"),
    ("number_words", "\\frac{2}{3}", box("\\text{two thirds}"), C, "number-words"),
    ("number_words", "\\frac{1}{3}", box("\\text{two thirds}"), I, "number-words"),
    ("number_words", "2.5", "The answer is two and a half.", C, "number-words"),
    ("number_words", "1", box("\\text{one second}"), I, "number-words"),
    ("number_words", "\\text{DNE}", box("\\text{does not exist}"), C, "number-words"),
    ("that_is", "3", "The answer is 12/4, i.e. 3.", C, "that-is"),
    ("that_is", "48", "The answer is 12 times 4, i.e., 48.", C, "that-is"),
    ("that_is", "4", "The answer is 12 times 4, i.e. 48.", I, "that-is"),
    ("that_is", "3", "The answer is 3 i.e. 4.", I, "that-is"),
    # scale words in prose, percentages in words
    ("scale_words", "1200", "The answer is 1.2 thousand.", C, "scale-words"),
    ("scale_words", "1.2", "The answer is 1.2 thousand.", I, "scale-words"),
    ("scale_words", "3000000", "So the total is 3 million.", C, "scale-words"),
    ("scale_words", "3", "So the total is 3 million.", I, "scale-words"),
    ("scale_words", "2500000000", "The answer is 2.5 billion.", C, "scale-words"),
    ("scale_words", "300", "The answer is 3 hundred.", C, "scale-words"),
    ("scale_words", "1200", "The answer is 1.2 thousand dollars.", C, "scale-words"),
    ("number_words", "50\\%", "The answer is fifty percent.", C, "number-words"),
    ("number_words", "0.5", "The answer is fifty percent.", I, "number-words"),
    ("number_words", "50", "The answer is fifty percent.", I, "number-words"),
    ("number_words", "25\\%", box("\\text{twenty-five percent}"), C, "number-words"),
    ("number_words", "2000000", "The answer is two million.", C, "number-words"),
    # working after the value, restated with "that is" or in parentheses
    ("that_is", "8", "The answer is 8, that is, 12 minus 4.", C, "that-is"),
    ("that_is", "4", "The answer is 8, that is, 12 minus 4.", I, "that-is"),
    ("that_is", "8", "So the answer is $8$, i.e. $12 - 4$.", C, "that-is"),
    ("that_is", "8", "The answer is 8, i.e. 12 - 5.", I, "that-is"),
    ("that_is", "7", "The answer is 8, i.e. 12 - 5.", I, "that-is"),
    ("that_is", "8", "The answer is 8 (12 minus 4).", C, "that-is"),
    ("that_is", "64", "The answer is 8 (12 minus 4).", I, "that-is"),
    ("that_is", "20", "The answer is 20 (= 4 \\times 5).", C, "that-is"),
    ("that_is", "8", "The answer is 8 (12 minus 5).", I, "that-is"),
    # an answer under a condition is a hedge
    ("conditional", "5", "The answer is 5 unless n = 0.", I, "conditional-answer"),
    ("conditional", "5", "$\\boxed{5}$ unless $n = 0$.", I, "conditional-answer"),
    ("conditional", "5", "The answer is 5, except when n = 0.", I, "conditional-answer"),
    ("conditional", "5", "The answer is 5 (unless n = 0).", I, "conditional-answer"),
    ("conditional", "5", "\\boxed{5} except for n = 0", I, "conditional-answer"),
    ("conditional", "5", "If n > 0 then the answer is 5, otherwise 0.", I, "conditional-answer"),
    ("conditional", "0", "If n > 0 then the answer is 5, otherwise 0.", I, "conditional-answer"),
    ("conditional", "5", "The answer is 5 if n > 0, otherwise undefined.", I, "conditional-answer"),
    ("conditional", "5", "The minimum is 5, attained when x = 2.", C, "conditional-answer"),
    ("conditional", "5", "All numbers except 3 fail, so the answer is 5.", C, "conditional-answer"),
    (
        "conditional",
        "5",
        "We need n > 0, otherwise it diverges, so the answer is 5.",
        C,
        "conditional-answer",
    ),
    # a gold pair answered by its bare components, in order; brackets and lists keep their meaning
    ("structure", "(1,2)", box("1,2"), C, "pair-as-list"),
    ("structure", "(1,2)", box("2,1"), I, "pair-as-list"),
    ("structure", "\\left(\\frac{1}{2}, -3\\right)", box("\\frac12, -3"), C, "pair-as-list"),
    ("structure", "(1,2)", box("1 \\text{ or } 2"), I, "pair-as-list"),
    ("structure", "(1,2)", box("[1, 2]"), I, "pair-as-list"),
    ("structure", "(1,2)", box("1, 2, 3"), I, "pair-as-list"),
    ("structure", "1, 2", box("(1,2)"), I, "pair-as-list"),
    ("structure", "1, 2", box("2, 1"), C, "pair-as-list"),
    ("structure", "(3,-2)", box("x=3, x=-2"), I, "pair-as-list"),
    # a second value right after the final answer, beside it or under a condition
    ("hedge", "5", "The answer is 5 (6 if zero counts).", I, "conditional-answer"),
    ("hedge", "5", "$\\boxed{5}$ (or $6$ if zero counts)", I, "conditional-answer"),
    ("hedge", "5", "$\\boxed{5}$; if zero counts, $6$.", I, "conditional-answer"),
    (
        "hedge",
        "5",
        "The answer is 5. Unless n = 0, in which case it is 6.",
        I,
        "conditional-answer",
    ),
    ("hedge", "5", "\\boxed{5} (possibly 6)", I, "conditional-answer"),
    ("hedge", "5", "\\boxed{5}? Or 6?", I, "conditional-answer"),
    ("hedge", "5", "\\boxed{5} (if n > 0; otherwise 0)", I, "conditional-answer"),
    ("hedge", "5", "The answer is 5, assuming n > 0.", C, "conditional-answer"),
    ("hedge", "5", "\\boxed{5} if n > 0", C, "conditional-answer"),
    # working after the value, written other ways
    ("that_is", "5", "The answer is 5 (i.e. 10/2).", C, "that-is"),
    ("that_is", "8", "The answer is 8 (12 - 4 = 8).", C, "that-is"),
    ("that_is", "8", "The answer is 8 (12 - 4 = 7).", I, "that-is"),
    ("that_is", "8", "The answer is 8, namely 12 minus 4.", C, "that-is"),
    ("that_is", "4", "The answer is 8, namely 12 minus 4.", I, "that-is"),
    ("that_is", "8", "The answer is 8 \u2014 12 minus 4.", C, "that-is"),
    # numbers in words with "a" and "and"
    ("number_words", "100", "The answer is a hundred.", C, "number-words"),
    ("number_words", "2020", "The answer is two thousand and twenty.", C, "number-words"),
    ("number_words", "2002", "The answer is two thousand and twenty.", I, "number-words"),
    # taken back or doubted in the next paragraph
    (
        "hedge",
        "5",
        "\\boxed{5}\n\nWait, I need to double check. Actually the answer is 6.",
        I,
        "taken-back",
    ),
    (
        "hedge",
        "6",
        "\\boxed{5}\n\nWait, I need to double check. Actually the answer is 6.",
        I,
        "taken-back",
    ),
    ("hedge", "5", "\\boxed{5}\n\nHmm, maybe it's 6.", I, "taken-back"),
    ("hedge", "5", "I think it is 5. Maybe it is 6.", I, "taken-back"),
    (
        "hedge",
        "5",
        "\\boxed{5}\n\nPerhaps it is worth noting that there are 3 cases.",
        C,
        "taken-back",
    ),
    ("hedge", "5", "\\boxed{5}\n\nWait. Actually the answer is 5.", C, "taken-back"),
    # a ratio in prose is read whole
    ("prose_math", "3:4", "The ratio is 3:4.", C, "plain-text-math"),
    ("prose_math", "4", "The ratio is 3:4.", I, "plain-text-math"),
    ("prose_math", "3:4", "The ratio is 4:3.", I, "plain-text-math"),
    ("prose_math", "\\frac{3}{4}", "The ratio of boys to girls is 3:4.", C, "plain-text-math"),
    # the answer's clause, a reason first, dollars, a framed line
    (
        "prose_number",
        "5",
        "The answer is 5; otherwise we would double count 3.",
        C,
        "reason-after-value",
    ),
    (
        "prose_number",
        "5",
        "The answer is 5; we subtract 3 to avoid double counting.",
        C,
        "reason-after-value",
    ),
    (
        "prose_number",
        "3",
        "The answer is 5; we subtract 3 to avoid double counting.",
        I,
        "reason-after-value",
    ),
    ("prose_number", "5", "After giving away 3, 5 apples remain.", C, "reason-after-value"),
    ("prose_number", "40", "It costs $5 per item, so the total is $40.", C, "inline-math-lines"),
    ("prose_number", "5", "It costs $5 per item, so the total is $40.", I, "inline-math-lines"),
    ("prose_number", "40", "So 8 × 5 = 40 dollars.", C, "short-statement"),
    ("prose_number", "40", "So 8 × 5 = 41 dollars.", I, "short-statement"),
    ("prose_math", "2, 3", "Hence x = 2 and x = 3.", C, "short-statement"),
    ("prose_math", "3", "Hence x = 2 and x = 3.", I, "short-statement"),
    ("chain", "5", box("2+3 = 5 \\text{ apples}"), C, "false-chain"),
    ("chain", "5", box("2+3 = 6 \\text{ apples}"), I, "false-chain"),
    # another option beside the boxed one
    ("mc_hedge", "B", "\\boxed{B} (or possibly C)", I, "choice-letters"),
    ("mc_hedge", "B", "\\boxed{B}? Or C?", I, "choice-letters"),
    ("mc_hedge", "B", "\\boxed{B}\n\nHmm, maybe it is C.", I, "choice-letters"),
    ("mc_hedge", "B", "\\boxed{B}. Option C is wrong.", C, "choice-letters"),
    ("mc_hedge", "B", "\\boxed{B}. Or maybe not.", C, "choice-letters"),
    # after an <answer> tag as after a box
    ("hedge", "5", "<answer>5</answer> Actually, 6.", I, "taken-back"),
    ("hedge", "6", "<answer>5</answer> Actually, 6.", I, "taken-back"),
    ("hedge", "5", "<answer>5</answer> Or possibly 6.", I, "taken-back"),
    ("hedge", "5", "<answer>\\boxed{5}</answer> Wait, actually it is 6.", I, "taken-back"),
    ("hedge", "5", "<answer>5</answer> since 2+3=5.", C, "taken-back"),
    ("hedge", "5", "<answer>5</answer> unless n = 0", I, "conditional-answer"),
    ("scale_words", "36", "The answer is 3 dozen.", C, "scale-words"),
    ("scale_words", "3", "The answer is 3 dozen.", I, "scale-words"),
]


def main() -> None:
    rng = random.Random(20261122)
    rows = [(*row, None) for row in HAND + generated(rng)] + real_world() + LATER
    rules = RULES
    path = Path(__file__).with_name("math_corpus.jsonl")
    with path.open("w", encoding="utf-8") as handle:
        for i, (category, gold, response, expected, rule) in enumerate(rows):
            record = {
                "id": f"m{i:04d}",
                "category": category,
                "gold": gold,
                "response": response,
                "expected": expected,
            }
            rule = rule or rules.get((gold, response)) or CATEGORY_RULES.get(category)
            if rule:
                record["rule"] = rule
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} cases to {path.name}")


if __name__ == "__main__":
    main()
