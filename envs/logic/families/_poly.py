"""Polynomials in one variable as {exponent: Fraction} maps: a strict reader, arithmetic and a
printer, shared by the algebra families.

The reader accepts a sum of monomials such as `3x^2 - x/2 + (3/4)*x + 7` (also `**` for powers,
`×`/`·` for products, decimals, like terms repeated); it refuses parentheses around sums, any
other letter, two terms side by side without a sign, and line breaks, so an answer is one
expanded polynomial.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

Poly = dict[int, Fraction]
MAX_POLY_CHARS = 2_000
MAX_EXPONENT = 60
_NUM = r"\d{1,30}(?:\.\d{1,30})?(?:/\d{1,30})?"
_TRANS = str.maketrans({"−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*"})


def _number(text: str) -> Fraction | None:
    """The value of a coefficient (`3`, `2.5`, `3/4`); None for a zero denominator."""
    if "/" in text:
        num, den = text.split("/")
        return Fraction(Decimal(num)) / int(den) if int(den) else None
    return Fraction(Decimal(text))


def parse_poly(text: str, var: str = "x", max_exponent: int = MAX_EXPONENT) -> Poly | None:
    """The polynomial written in `text`, or None when it is not one sum of monomials in `var`."""
    if len(text) > MAX_POLY_CHARS or "\n" in text.strip():
        return None
    text = text.translate(_TRANS).strip().rstrip(".").strip()
    if re.search(r"[\w).]\s+[\w(.]", text):  # two tokens side by side: not one expression
        return None
    if re.search(r"\s/|/\s", text):  # `a / b` reads as a choice between two answers
        return None
    text = re.sub(r"\s+", "", text).replace("**", "^")
    if len(var) == 1 and var.islower() and var not in text:
        # the variable in capitals (`3X^2 - X`, `2 + 3I`) is the same variable; a text that
        # also writes the lower-case one keeps its capitals (and is then not read)
        text = text.replace(var.upper(), var)
    term = re.compile(
        rf"([+-])?(?:({_NUM})|\(([+-]?{_NUM})\))?(\*)?({re.escape(var)}(?:\^(\d{{1,3}}))?)?(?:/(\d{{1,30}}))?"
    )
    out: Poly = {}
    pos, count = 0, 0
    while pos < len(text):
        m = term.match(text, pos)
        if m is None or m.end() == pos:
            return None
        sign, coef, pcoef, star, power, exp, den = m.groups()
        if (pos > 0 and sign is None) or (coef is None and pcoef is None and power is None):
            return None
        if star and (power is None or (coef is None and pcoef is None)):
            return None
        value = _number(coef or pcoef) if (coef or pcoef) else Fraction(1)
        if value is None:
            return None
        if den is not None:
            if int(den) == 0:
                return None
            value /= int(den)
        if sign == "-":
            value = -value
        e = (int(exp) if exp is not None else 1) if power else 0
        if e > max_exponent:
            return None
        out[e] = out.get(e, Fraction(0)) + value
        pos, count = m.end(), count + 1
        if count > 200:
            return None
    if pos == 0:
        return None
    return {e: c for e, c in out.items() if c != 0}


def multiply(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            out[ea + eb] = out.get(ea + eb, Fraction(0)) + ca * cb
    return {e: c for e, c in out.items() if c != 0}


def evaluate(p: Poly, x: Fraction) -> Fraction:
    return sum((c * x**e for e, c in p.items()), Fraction(0))


def derivative(p: Poly) -> Poly:
    return {e - 1: c * e for e, c in p.items() if e > 0}


def _coef_text(c: Fraction) -> str:
    return str(c.numerator) if c.denominator == 1 else f"({c.numerator}/{c.denominator})"


def format_poly(p: Poly, var: str = "x") -> str:
    """`3x^2 - x + (1/2)x - 7` style, highest power first; `0` for the zero polynomial."""
    parts = []
    for e in sorted(p, reverse=True):
        c = p[e]
        if c == 0:
            continue
        sign = "-" if c < 0 else "+"
        mag = abs(c)
        body = var if e == 1 else f"{var}^{e}" if e > 1 else ""
        coef = "" if (mag == 1 and body) else _coef_text(mag)
        if coef.startswith("(") and not body:
            coef = coef[1:-1]
        parts.append((sign, f"{coef}{'*' if coef.startswith('(') and body else ''}{body}"))
    if not parts:
        return "0"
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sign, body in parts[1:]:
        text += f" {sign} {body}"
    return text
