"""The worker side of MathVerifier: normalise, parse (latex2sympy, as math-verify does) and
compare exactly. Runs inside `gymhub.verifiers.pool` workers, never in the caller.

Differences from plain math-verify, on purpose:
- exact values compare exactly (`1/2004!` is not `1/2006!`); a float is compared with an explicit
  relative tolerance, never after chopping small numbers to zero;
- intervals, inequalities, `x \\in (...)` and unions compare as sets, in both directions;
- equations compare up to a nonzero factor; `x = 3` equals `3`;
- degrees convert to radians when the other side is in radians;
- percent is a unit: `50\\%` equals `50` when the gold is a percentage, never `0.5`; an answer
  with `\\%` is wrong when the gold is not a percentage;
- base subscripts (`1011_2`) are kept and compared as numerals in that base;
- every tree is checked for size (digits of powers, factorial arguments, node count) before
  anything is evaluated.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy
from latex2sympy2_extended import latex2sympy
from sympy import (
    Basic,
    Eq,
    Expr,
    FiniteSet,
    Float,
    Interval,
    MatrixBase,
    Rational,
    Set,
    Symbol,
    Tuple,
    Union,
    pi,
)
from sympy.core.relational import Relational
from sympy.matrices.expressions import MatrixExpr

from gymhub.verifiers.math_forms import (
    RELATION,
    AmbiguousDigits,
    abs_named,
    assignment,
    before_approx,
    conclusion,
    drop_ruled_out_value,
    is_function_name,
    is_name,
    join_digit_groups,
    qualifies_value,
    scaled_number,
    spell_power_words,
    spell_relations,
    split_chain,
    split_groups,
    split_items,
    split_percent,
    strip_unit_words,
    summed_value,
    text_answer,
    without_si_unit,
)
from gymhub.verifiers.math_spelling import plain_math, respell, unwrap

MAX_DIGITS = 20_000  # the largest exact number (in decimal digits) we agree to build
MAX_FACTORIAL_ARG = 5_000
MAX_NODES = 2_000
DEFAULT_REL_TOL = 1e-6


class TooBig(ValueError):
    """The expression would be too large to evaluate safely."""


@dataclass
class Parsed:
    text: str
    expr: Any
    percent: bool = False
    degrees: bool = False
    base: int | None = None
    digits: str | None = None
    items: tuple[Parsed, ...] | None = None  # a list of answers (`1, 2`, `(2,2), (6,2)`)
    groups: tuple[Parsed, ...] | None = None  # `p=5,q=2;p=7,q=2`: the same list as tuples
    words: str | None = None  # a worded answer (`\text{Evelyn}`), canonical form
    false_chain: bool = False  # `x = 5+5+1 = 7 = 11`: states a false equality
    # `x=3, y=-2` (or `y=-2, x=3`): the point (3, -2), its variables in alphabetical order
    assigned: Parsed | None = None
    approx: bool = False  # `\approx 5`, `about 5`: a rounded value, never an exact answer
    # a time of day (`10:30`: "24h"; with AM/PM, then in 24-hour time: "12h"), else None
    clock: str | None = None
    # `x \\equiv 2 \\pmod{5}`: the residue class of `expr` modulo this number
    modulus: int | None = None


# ----- text normalisation --------------------------------------------------------------------
_UNIT_TEXT = re.compile(
    r"\\(?P<cmd>text|textrm|textbf|textnormal|textit|textup|textsf|texttt|mathrm|mbox|operatorname)"
    r"\s*\{\s*([^{}]*)\}(?P<power>\s*\^\s*(?:\{\s*-?[1-3]\s*\}|[23]))?"
)
# function names written with \operatorname{} or \mathrm{}: the function, not a unit
_FUNCTION_NAMES = frozenset(
    "sin cos tan cot sec csc ln log exp sinh cosh tanh arcsin arccos arctan gcd lcm".split()
)
_ARRAY = re.compile(
    r"[\[(]?\s*\\begin\{array\}\s*\{[^{}]*\}(.*?)\\end\{array\}\s*[\])]?", re.DOTALL
)
_MATRIX_IN_PARENS = re.compile(r"\(\s*\\begin\{matrix\}(.*?)\\end\{matrix\}\s*\)", re.DOTALL)
_SPACED_THOUSANDS = re.compile(r"(\d),\\!\s*(?=\d{3}(?!\d))")
# a time of day, with its meridiem if any: `10:30`, `3:30 PM`, `7:00 a.m`, `3:30 \text{ pm}`
_TIME = re.compile(r"(\d{1,2}):([0-5]\d)(?:\s*(?:\\text\w*\s*\{\s*)?([AaPp])\.?\s*[Mm]\.?\s*\}?)?")
_LETTERS = re.compile(r"[A-Za-z]")
_ELLIPSIS = re.compile(r"\.{3}|\\[lcv]?dots|…")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:(?:,|\{,\})\d{3})+(?![\d])")
_SCI = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)[eE]([-+]?\d+)(?![\w.])")
_BASE = re.compile(r"^\s*([0-9A-Za-z]+)_\{?(\d{1,2})\}?\s*$")
_DEGREE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|°|\\degree")
_DEGREE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:\^\s*\{?\s*\\circ\s*\}?|°|\\degree)")
# `45 degrees`, `45\text{ degrees}`: the degree sign in words, at the end of the answer
_DEGREE_WORD = re.compile(
    r"(?<=[\d}])\s*(?:\\text\w*\s*\{\s*(?:degrees?|deg)\.?\s*\}|(?:degrees?|deg)\b\.?)\s*$", re.I
)
# siunitx: `\num{1.2e3}`, `\SI{12}{cm}`, `\qty{12}{\metre}`: the number (its unit dropped)
_SIUNITX = re.compile(r"\\(?:num|SI|qty)\s*\{([^{}]*)\}(?:\s*\{((?:[^{}]|\{[^{}]*\})*)\})?")


def _siunitx(m: re.Match[str]) -> str:
    """The number of a siunitx macro; a percent or a degree stays one (`\\SI{50}{\\percent}`)."""
    unit = re.sub(r"\s", "", m.group(2) or "")
    if unit in ("\\percent", "\\%", "%"):
        return f" {m.group(1)}\\% "
    if unit in ("\\degree", "\\deg", "^\\circ", "°"):
        return f" {m.group(1)}^\\circ "
    return f" {m.group(1)} "


# a set minus a set of points, written with a minus sign or a backslash
_SET_MINUS = re.compile(
    r"(\\mathbb\s*(?:\{\s*[RZQNC]\s*\}|[RZQNC](?![A-Za-z])))\s*(?:-|\\backslash(?![A-Za-z]))\s*(?=\\\{)"
)
# a temperature's unit at the end of the answer (`12^\\circ C`, `12°C`, `-5^{\\circ}\\mathrm{F}`,
# `12^\\circC` from `$12^\\circ$C`): a unit, never degrees of an angle
_TEMPERATURE_UNIT = re.compile(
    r"(?<=[\d}])\s*(?:\^\s*(?:\{\s*\\circ\s*\}|\\circ)|°|\\degree(?![A-Za-z]))\s*"
    r"(?:\\(?:text\w*|mathrm)\s*\{\s*[CFK]\s*\}|[CFK])\s*$"
)
# a congruence: `x \\equiv 2 \\pmod{5}`, `2 \\pmod 5`, `x \\equiv 2 \\mod 5`, `2 (\\mathrm{mod}\\ 5)`
_CONGRUENCE = re.compile(
    r"(?P<name>[A-Za-z](?:_\{?\w{1,3}\}?)?\s*\\equiv\s*)?(?P<residue>[-+]?\d{1,50})\s*"
    r"(?:\\pmod\s*\{\s*(?P<m1>\d{1,50})\s*\}|\\pmod\s*(?P<m2>\d{1,50})"
    r"|\(\s*(?:\\(?:mathrm|text|operatorname|rm)\s*\{\s*mod\s*\}|\\b?mod(?![A-Za-z])|mod)\s*"
    r"(?P<m3>\d{1,50})\s*\)"
    r"|\\b?mod\s*\{\s*(?P<m4>\d{1,50})\s*\}|\\b?mod\s*(?P<m5>\d{1,50}))"
)


# `7!!` is the double factorial 7·5·3·1 = 105, not (7!)! (which refused the right answer as too
# large); three or more `!` stay nested factorials
_DOUBLE_FACTORIAL = re.compile(r"(?<![\d.!])(\d{1,5})!!(?!!)")


_GAMMA_OF_NUMBER = re.compile(r"\\Gamma\s*[({]\s*\+?(\d{4,})")


def _double_factorial(m: re.Match[str]) -> str:
    n = int(m.group(1))
    if n > MAX_FACTORIAL_ARG:
        return m.group(0)  # refused as too large when parsed
    value = str(sympy.factorial2(n))
    whole = m.start() == 0 and m.end() == len(m.string)
    return value if whole else f"({value})"


# an interval as French and other schools write it: `]0, 1]` for `(0, 1]`, `[0, 1[` for `[0, 1)`,
# or with a semicolon, `(0; 1]`
_REVERSED_INTERVAL = re.compile(r"([\[\](])([^\[\](),;]*)([,;])([^\[\](),;]*)([\[\])])")


def _interval_spelling(s: str) -> str:
    """`]0, 1]` as `(0, 1]`, `[0, 1[` as `[0, 1)`, `(0; 1]` as `(0, 1]`: the answer unchanged
    unless it is one interval written so."""
    m = _REVERSED_INTERVAL.fullmatch(s.strip())
    if m is None:
        return s
    left, a, comma, b, right = m.groups()
    if left != "]" and right != "[" and comma != ";":
        return s
    if not a.strip() or not b.strip():
        return s
    left = "(" if left == "]" else left
    right = ")" if right == "[" else right
    return f"{left}{a.strip()}, {b.strip()}{right}"


def _congruence(s: str) -> tuple[str, int] | None:
    """(the residue, the modulus) of a congruence written as the whole answer, or None. A bare
    `12 \\bmod 5` with no `\\equiv` is the operation (2), not a residue class."""
    m = _CONGRUENCE.fullmatch(s.strip())
    if m is None:
        return None
    modulus = int(next(g for g in m.group("m1", "m2", "m3", "m4", "m5") if g is not None))
    residue = int(m.group("residue"))
    if modulus == 0:
        return None
    if m.group("name") is None and (m.group("m4") or m.group("m5")):
        return str(residue % modulus), 0  # `12 \\bmod 5`: the remainder, a plain number
    return str(residue), modulus


_MIXED = re.compile(r"(?<![\w.}^_\\])(\d+)\s*\\frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")
_MC = re.compile(r"^\(?\s*([A-J])\s*\)?$")


def _strip_units(text: str) -> str:
    """Drop `\\text{...}` units after a number; keep a `\\text{}` that is the whole answer."""

    def keep_or_drop(m: re.Match[str]) -> str:
        inner, power = m.group(2).strip(), m.group("power") or ""
        if inner in _FUNCTION_NAMES and m.group("cmd") in ("operatorname", "mathrm"):
            return f"\\{inner}{power} "
        if inner.lower() in ("or", "and"):
            return f" \\text{{{inner}}} {power}"
        if m.start() > 0 and qualifies_value(inner):
            # a number in the "unit" is a second answer (`5 \text{ (or 6)}`), a qualifier
            # changes the answer (`12 \text{ or more}`): not dropped
            return m.group(0)
        return "" if m.start() > 0 else inner + power  # a unit's exponent goes with it

    return _UNIT_TEXT.sub(keep_or_drop, text).strip()


def _is_numeral(digits: str, base: int) -> bool:
    try:
        int(digits, base)
    except ValueError:
        return False
    return True


_OTHER_THOUSANDS = re.compile(
    r"(?<![\d.'’])(?:\d{1,3}(?:['’]\d{3})+|\d{1,3}(?:\.\d{3}){2,})(?![\d'’]|\.\d)"
)


def _top_level_cells(body: str) -> list[str] | None:
    """Split a row at commas outside braces (`\\frac{1}{2}, 3`); None when braces do not pair."""
    cells, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "," and depth == 0:
            cells.append(body[start:i].strip())
            start = i + 1
    if depth:
        return None
    cells.append(body[start:].strip())
    return cells


# a numeral with its base written another way: `(101)_2`, `101_{(2)}`, `101_{\\text{two}}`
_BASE_FORM = re.compile(
    r"\(?([0-9A-Za-z]+)\)?_\{?(?:\\(?:text|mathrm)\{)?\(?(\d{1,2}|[A-Za-z]{3,9})\)?\}?\}?"
)
_BASE_WORDS = {
    w: n
    for n, w in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen".split(),
        start=2,
    )
}


def _base_spelling(s: str) -> str:
    """`(101)_2`, `101_{(2)}`, `101_{\\text{two}}` as `101_{2}`; anything else as written."""
    if len(s) > 200 or "_" not in s:
        return s
    bare = re.sub(r"\s+", "", s)
    m = _BASE_FORM.fullmatch(bare)
    if m is None or bare.count("(") != bare.count(")") or bare.count("{") != bare.count("}"):
        return s
    base_text = m.group(2).lower()
    base = int(base_text) if base_text.isdigit() else _BASE_WORDS.get(base_text)
    digits = m.group(1)
    if base is None or not 2 <= base <= 36 or not _is_numeral(digits, base):
        return s
    if len(digits) == 1 and digits.isalpha():
        return s  # `a_{(2)}`: a subscripted variable
    return f"{digits}_{{{base}}}"


# an interval's end spelled as programs and prose write infinity: `inf`, `oo`, `infinity`
_INFINITE_END = re.compile(
    r"(?<=[(\[,;])(\s*[-+]?)(?:\\text\s*\{\s*)?(?:infinity|inf|oo)(?:\s*\})?(?=\s*[,;)\]])",
    re.IGNORECASE,
)


_DOTTED_DECIMAL = re.compile(r"\s*(-?)(\d{0,30})\.(\d{2,60})\s*(?:\.{3}|\\[lc]?dots|…)\s*")


def _repeating_decimal(s: str) -> str:
    """A decimal whose last digits repeat before an ellipsis (`0.333...`, `0.1666\\ldots`,
    `0.272727...`) as the fraction it spells; anything else as written. A digit must show
    three times, a longer period twice (`0.142857...` shows no period: left alone)."""
    m = _DOTTED_DECIMAL.fullmatch(s)
    if m is None:
        return s
    sign, whole, digits = m.groups()
    for period in range(1, 7):
        repeats = 3 if period == 1 else 2
        if len(digits) < period * repeats:
            break
        unit = digits[-period:]
        if len(set(unit)) == 1 and period > 1:
            continue  # `33` is the period `3`, already tried
        if digits[-period * repeats :] != unit * repeats:
            continue
        head = digits[: len(digits) - period * repeats]
        while head.endswith(unit):
            head = head[:-period]
        value = Fraction(int(whole or "0") * 10 ** len(head) + int(head or "0"), 10 ** len(head))
        value += Fraction(int(unit), (10**period - 1) * 10 ** len(head))
        value = -value if sign else value
        return f"\\frac{{{value.numerator}}}{{{value.denominator}}}"
    return s


def _nested_list_matrix(s: str) -> str:
    """`[[1,2],[3,4]]` (the whole answer) as a `bmatrix`: the matrix a program prints.

    Rows must be plain bracketed lists of one length; anything else is left as written.
    """
    t = s.strip()
    if not (t.startswith("[") and t.endswith("]")):
        return s
    inner = t[1:-1].strip()
    rows: list[list[str]] = []
    pos = 0
    while pos < len(inner):
        if inner[pos] != "[":
            return s
        end = inner.find("]", pos)
        if end < 0:
            return s
        body = inner[pos + 1 : end]
        if "[" in body or "(" in body:
            return s  # nested structures: not a plain row
        cells = _top_level_cells(body)
        if cells is None or not all(cells):
            return s
        rows.append(cells)
        pos = end + 1
        while pos < len(inner) and inner[pos].isspace():
            pos += 1
        if pos < len(inner):
            if inner[pos] != ",":
                return s
            pos += 1
            while pos < len(inner) and inner[pos].isspace():
                pos += 1
            if pos == len(inner):
                return s
    if not rows or len({len(r) for r in rows}) != 1:
        return s
    body = "\\\\".join("&".join(r) for r in rows)
    return f"\\begin{{bmatrix}}{body}\\end{{bmatrix}}"


def normalize(text: str, keep_commas: bool) -> tuple[str, dict[str, Any]]:
    """Normalise a LaTeX answer string; returns the text and flags (percent, degrees, base)."""
    flags: dict[str, Any] = {}
    s = drop_ruled_out_value(respell(plain_math(text)).strip())
    s = _INFINITE_END.sub(r"\1\\infty", s)  # `(2, inf)`, `(2, oo)`, `(2, \text{infinity})`
    for a, b in (("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("\\displaystyle", " ")):
        s = s.replace(a, b)
    s = _repeating_decimal(s)  # `0.333...` is 1/3, `0.1666\ldots` is 1/6
    s = _SPACED_THOUSANDS.sub(r"\1{,}", s)  # 11,\! 111,\! 100
    s = join_digit_groups(s)  # `1\,000` is 1000; `1 2` raises (neither 12 nor a list)
    # `1'000'000` (Swiss) and `1.000.000` (two or more dotted groups: never a decimal) are one
    # number; a single `1.000` stays a decimal
    s = _OTHER_THOUSANDS.sub(lambda m: re.sub(r"['’.]", "", m.group(0)), s)
    s = spell_relations(s)
    s = re.sub(r"(?<!\\)\\ ", " ", s)  # `\ ` is a space, `\\ ` ends a matrix row
    s = _SIUNITX.sub(_siunitx, s)  # `\SI{12}{\centi\metre}`, `\num{1234}`
    s = s.replace("\\therefore", " ").replace("\\langle", "(").replace("\\rangle", ")")
    s = _SET_MINUS.sub(r"\1\\setminus ", s)  # `\mathbb{R} - \{0\}`, `\mathbb{R} \backslash \{0\}`
    for junk in ("\\$", "\\left", "\\right", "\\!", "\\,", "\\;", "\\:", "~", "$"):
        s = s.replace(junk, " " if junk == "~" else "")
    s = _interval_spelling(s)
    congruence = _congruence(s)
    if congruence is not None:  # `x \\equiv 2 \\pmod{5}`: the residue 2, modulo 5
        s, modulus = congruence
        if modulus:
            flags["modulus"] = modulus
    s = _DOUBLE_FACTORIAL.sub(_double_factorial, s)
    for big in _GAMMA_OF_NUMBER.finditer(s):  # the parser evaluates Γ(n) itself, before any cap
        if len(big.group(1)) > 6 or int(big.group(1)) > MAX_FACTORIAL_ARG:
            raise TooBig("gamma argument too large")
    s = _ARRAY.sub(lambda m: f"\\begin{{bmatrix}}{m.group(1)}\\end{{bmatrix}}", s)
    s = _MATRIX_IN_PARENS.sub(lambda m: f"\\begin{{pmatrix}}{m.group(1)}\\end{{pmatrix}}", s)
    s = _nested_list_matrix(s)  # `[[1,2],[3,4]]`, as a program prints a matrix
    s = re.sub(r"\\frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\s*(\{[^{}]*\})\s*(\d)", r"\\frac\1{\2}", s)
    s = re.sub(r"\\frac\s*(\d)\s*\{", r"\\frac{\1}{", s)
    s = re.sub(r"\\sqrt\s*(\d)", r"\\sqrt{\1}", s)
    s = s.replace("\\(", "").replace("\\)", "").replace("\\[", "").replace("\\]", "")
    s = s.strip()
    s = s if s.endswith("...") else s.rstrip(".").strip()  # a full stop, not an ellipsis
    time = _TIME.fullmatch(s)
    if time:  # `10:30 \text{ PM}`: the meridiem is no unit to drop
        meridiem = f" {time.group(3).upper()}M" if time.group(3) else ""
        return f"{time.group(1)}:{time.group(2)}{meridiem}", flags
    s, percent = split_percent(s)
    if percent:
        flags["percent"] = True
    s = s.replace("\\%", "").replace("%", "")
    s = re.sub(r"\\mathrm\s*\{\s*([ei])\s*\}", r"\1", s)  # the constants e and i
    s = _TEMPERATURE_UNIT.sub("", s)
    s = _DEGREE_WORD.sub(lambda m: "^\\circ", s)
    s = spell_power_words(s)
    s = strip_unit_words(s)
    s = _strip_units(s)
    s = strip_unit_words(s)  # `\text{12 square units}`: the macro's own unit, now bare
    if _DEGREE.search(s):
        bare = _DEGREE.sub("", s).strip()
        if _fast_number(bare) is not None:  # "30^\\circ": a unit on the whole answer
            flags["degrees"] = True
            s = bare
        else:  # degrees inside an expression ("\\sin 60^\\circ") become radians
            s = _DEGREE_NUMBER.sub(lambda m: f"(\\frac{{{m.group(1)}\\pi}}{{180}})", s)
            s = _DEGREE.sub("", s)
    s = re.sub(r"^[a-zA-Z]\s*\\in\s*", "", s)  # x \in (1, 2)  ->  (1, 2)
    if not keep_commas:
        s = _THOUSANDS.sub(lambda m: m.group(0).replace("{,}", "").replace(",", ""), s)
    s = _SCI.sub(lambda m: f"{m.group(1)}\\times 10^{{{int(m.group(2))}}}", s)
    s = _MIXED.sub(lambda m: f"({m.group(1)}+\\frac{{{m.group(2)}}}{{{m.group(3)}}})", s)
    s = _base_spelling(s)
    base = _BASE.match(s)
    if (
        base
        and 2 <= int(base.group(2)) <= 36
        and _is_numeral(base.group(1), int(base.group(2)))
        and not (len(base.group(1)) == 1 and base.group(1).isalpha())  # `a_{12}`: a variable
    ):
        flags["base"] = int(base.group(2))
        flags["digits"] = base.group(1).upper()
    return s.strip(), flags


# ----- size guards ---------------------------------------------------------------------------
def _log10_bound(expr: Any, depth: int = 0) -> float:
    """An upper bound on log10 |value| of a numeric subtree, computed without evaluating it.
    Raises TooBig when the value (or an exponent inside it) is too large."""
    if depth > 60:
        raise TooBig("expression nested too deeply")
    if isinstance(expr, sympy.Integer):
        n = abs(int(expr))
        return 0.0 if n == 0 else (len(str(n)) if n > 10**15 else math.log10(n))
    if isinstance(expr, Rational):
        return max(_log10_bound(sympy.Integer(expr.p)), _log10_bound(sympy.Integer(expr.q)))
    if isinstance(expr, Float):
        return abs(float(sympy.log(abs(expr), 10))) if expr != 0 else 0.0
    if isinstance(expr, sympy.Pow):
        base, exp = expr.args
        lb, le = _log10_bound(base, depth + 1), _log10_bound(exp, depth + 1)
        if le > 7:
            if base.is_number and base in (0, 1, -1):
                return 0.0
            raise TooBig("exponent too large")
        size = max(lb, 1.0) * (10**le)
        if size > MAX_DIGITS:
            raise TooBig(f"a power with about {size:.3g} digits")
        return size
    if isinstance(expr, (sympy.factorial, sympy.gamma, sympy.factorial2)):
        (arg,) = expr.args
        la = _log10_bound(arg, depth + 1)
        if la > 4 or (arg.is_number and abs(complex(arg.evalf(20))) > MAX_FACTORIAL_ARG):
            raise TooBig("factorial argument too large")
        if isinstance(arg, sympy.Integer) and arg >= 0:  # `\\frac{10!}{3!7!}`: its true size
            return math.lgamma(int(arg) + 1) / math.log(10) + 1.0
        return 4 * MAX_FACTORIAL_ARG
    if not expr.args:
        return 1.0
    bounds = [_log10_bound(a, depth + 1) for a in expr.args]
    if isinstance(expr, sympy.Mul):
        return sum(bounds)
    return max(bounds) + 1.0


_SIZED = (sympy.Pow, sympy.factorial, sympy.gamma, sympy.factorial2)


def check_size(expr: Any) -> None:
    """Raise TooBig when `expr` is unsafe to evaluate (huge numbers, too many nodes)."""
    if isinstance(expr, (Basic, MatrixBase)):
        nodes = 0
        for _ in sympy.preorder_traversal(expr):
            nodes += 1
            if nodes > MAX_NODES:
                raise TooBig("expression has too many terms")
        for sub in sympy.preorder_traversal(expr):
            if isinstance(sub, _SIZED) and not sub.free_symbols:
                _log10_bound(sub)
            elif isinstance(sub, sympy.Pow) and sub.exp.is_number:
                if _log10_bound(sub.exp) > 4:
                    raise TooBig("exponent too large")


# ----- parsing -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str, keep_commas: bool) -> Parsed:
    """Any written answer: words, a list of answers (each item parsed alone), or one value."""
    s, flags = normalize(text, keep_commas)
    if not s:
        raise ValueError("empty answer")
    words = text_answer(s)
    if words is not None:
        return Parsed(text=s, expr=None, words=words)
    items = split_items(s)
    if len(items) == 1:
        return _parse_item(text, keep_commas)  # the original: its flags (%, degrees) count
    parsed = tuple(
        Parsed(text=i, expr=None, words="...")  # `1, 2, 3, ...`: an unfinished list
        if _ELLIPSIS.fullmatch(i)
        else _with_flags(_parse_item(i, keep_commas), flags)
        for i in items
    )
    return Parsed(
        text=s,
        expr=None,
        items=parsed,
        groups=_parse_groups(s, keep_commas),
        assigned=parse_assignments(items, keep_commas),
    )


def parse_assignments(items: list[str], keep_commas: bool) -> Parsed | None:
    """`x=3, y=-2`, `y=-2, x=3`: the tuple (3, -2) of the values in the alphabetical order of
    their variables, as a point is written; None unless every item assigns a plain value to a
    one-letter variable of its own."""
    pairs = [assignment(item) for item in items]
    if len(pairs) < 2 or any(p is None for p in pairs):
        return None
    variables = [p[0] for p in pairs if p]
    if len(set(variables)) != len(variables):
        return None  # `x=1, x=2`: two solutions for x, not a point
    values = [_parse_item(text, keep_commas) for _, text in sorted(p for p in pairs if p)]
    plain = (
        v.expr is not None and not (v.false_chain or v.percent or v.degrees or v.base or v.approx)
        for v in values
    )
    if not all(plain):
        return None
    return Parsed(text=", ".join(items), expr=Tuple(*(v.expr for v in values)))


def _with_flags(p: Parsed, flags: dict[str, Any]) -> Parsed:
    """An item of a list keeps the unit written once for the whole list (`20, 30\\%`)."""
    extra = {k: True for k in ("percent", "degrees") if flags.get(k) and not getattr(p, k)}
    return dataclasses.replace(p, **extra) if extra else p


def _parse_groups(s: str, keep_commas: bool) -> tuple[Parsed, ...] | None:
    """`p=5,q=2;p=7,q=2` read as the solutions `(5,2)` and `(7,2)`."""
    groups = split_groups(s)
    if not groups:
        return None
    out = []
    for parts in groups:
        values = [_parse_item(p, keep_commas) for p in parts]
        if any(v.expr is None or v.false_chain or v.approx for v in values):
            return None
        expr = values[0].expr if len(values) == 1 else Tuple(*(v.expr for v in values))
        out.append(Parsed(text=";".join(parts), expr=expr))
    return tuple(out)


def _symbol_free(p: Parsed) -> bool:
    if p.items is not None:
        return all(_symbol_free(i) for i in p.items)
    return p.expr is not None and not getattr(p.expr, "free_symbols", set())


def _parse_item(s: str, keep_commas: bool) -> Parsed:
    """One answer, with its name and its chain removed (see `_parse_named`), marked when what
    it states is an approximation (`\\approx 5`, `x \\approx 5`, `about 5`)."""
    s, approx = before_approx(s)
    parsed = _parse_named(s, keep_commas)
    return dataclasses.replace(parsed, approx=True) if approx else parsed


def _has_variables(member: str, keep_commas: bool) -> bool:
    """Whether a member of a chain has letters once its unit is dropped (`5 \\text{ apples}`
    has none: `2+3 = 5 \\text{ apples}` is the chain ending in 5, never an equation)."""
    try:
        text = normalize(member, keep_commas)[0]
    except ValueError:
        text = member
    return _LETTERS.search(re.sub(r"\\[A-Za-z]+", "", text)) is not None


def _parse_named(s: str, keep_commas: bool) -> Parsed:
    """`AB = 4` is 4, `(p,q)=(3,2)` is (3,2), `x = 5+5+1 = 11` is 11 and marked as a false
    statement, `y = 2x+1` stays an equation, `f(x) = x^2+1` is the formula `x^2+1`."""
    members = split_chain(s)
    if (
        len(members) == 2
        and is_name(members[1])
        and not _LETTERS.search(re.sub(r"\\[A-Za-z]+", "", members[0]))
    ):
        members = members[::-1]  # `5 = x` names x as `x = 5` does
        s = f"{members[0]} = {members[1]}"
    if len(members) >= 2 and all(members):
        named = is_name(members[0])
        values_text = members[1:] if named else members
        if any(_has_variables(v, keep_commas) for v in values_text):
            if len(members) == 2 and is_function_name(members[0]):
                return _parse_single(members[1], keep_commas)  # `f(x) = x^2+1`: its formula
            return _parse_single(s, keep_commas)  # `y = 2x+1`: an equation, parsed once
        try:
            values = [_parse_single(v, keep_commas) for v in values_text]
        except Exception:
            values = []
        if values and all(_symbol_free(v) for v in values) and (named or len(values) >= 2):
            last = values[-1]
            for v in values[:-1]:
                if not parsed_equal(last, v, DEFAULT_REL_TOL)[0]:
                    return dataclasses.replace(last, false_chain=True)
            return last
    return _parse_single(s, keep_commas)


def _parse_single(text: str, keep_commas: bool) -> Parsed:
    s, flags = normalize(text, keep_commas)
    if not s:
        raise ValueError("empty answer")
    if s.count("\\pm") + s.count("\\mp") == 1 and not RELATION.search(s):
        # `\frac{-1 \pm \sqrt{13}}{4}`: both values, as a reader expands them
        plus = s.replace("\\pm", "+").replace("\\mp", "-")
        minus = s.replace("\\pm", "-").replace("\\mp", "+")
        both = (_parse_single(plus, keep_commas), _parse_single(minus, keep_commas))
        return Parsed(text=s, expr=None, items=both)
    time = _TIME.fullmatch(s)
    if time:  # 12:00 is a time, not 12/0; 10:30 is no ratio (never 1/3)
        hour, minute, meridiem = int(time.group(1)), int(time.group(2)), time.group(3)
        if meridiem is not None:
            if not 1 <= hour <= 12:
                raise ValueError(f"{s!r} is no time of day")
            hour = hour % 12 + (12 if meridiem in "Pp" else 0)
        clock = "12h" if meridiem is not None else "24h"
        return Parsed(text=s, expr=Tuple(sympy.Integer(hour), sympy.Integer(minute)), clock=clock)
    mc = _MC.match(s)
    if mc:
        return Parsed(text=s, expr=Symbol(mc.group(1).lower()), **_flag_args(flags))
    if "base" in flags:
        try:
            expr: Any = sympy.Integer(int(flags["digits"], flags["base"]))
        except ValueError as exc:
            raise ValueError(f"{flags['digits']} is not a numeral in base {flags['base']}") from exc
        return Parsed(text=s, expr=expr, **_flag_args(flags))
    expr = _parse_latex(s)
    check_size(expr)
    if "\\sqrt[" in s and isinstance(expr, Basic):
        expr = _real_odd_roots(expr)
    return Parsed(text=s, expr=expr, **_flag_args(flags))


def _real_odd_roots(expr: Basic) -> Basic:
    """`\\sqrt[3]{-8}` is -2, the real root a reader means, not sympy's principal (complex)
    root: an odd root of a negative number is minus the root of its absolute value."""

    def odd_root_of_negative(e: Any) -> bool:
        return (
            isinstance(e, sympy.Pow)
            and e.exp.is_Rational
            and e.exp.q % 2 == 1
            and e.base.is_number
            and bool(e.base.is_extended_negative)
        )

    def real_root(e: Any) -> Any:
        root = sympy.Pow(-e.base, e.exp)
        return -root if e.exp.p % 2 else root

    return expr.replace(odd_root_of_negative, real_root)


_RELATION = re.compile(r"[<>]|\\[lg]eq?\b|\\leqslant|\\geqslant")
_SPLIT_OR = re.compile(r"\\text\s*\{\s*or\s*\}|\\lor\b|\\vee\b|\bor\b|\\cup\b")


_INT = re.compile(r"-?\d{1,400}")
_DEC = re.compile(r"-?\d{0,200}\.\d{1,200}")
_FRAC = re.compile(r"(-?)\\frac\{(-?\d{1,200})\}\{(\d{1,200})\}")
_SLASH = re.compile(r"(-?\d{1,200})\s*/\s*(\d{1,200})")
_PAIR = re.compile(r"\(\s*([^(),\[\]{}]+?)\s*,\s*([^(),\[\]{}]+?)\s*\)")
_MIXED_NORM = re.compile(r"\((\d{1,100})\+\\frac\{(\d{1,100})\}\{(\d{1,100})\}\)")


def _fast_number(s: str) -> Any:
    """Plain numbers without the LaTeX parser (most answers are; the parser is slow)."""
    s = s.replace(" ", "")
    if _INT.fullmatch(s):
        return sympy.Integer(s)
    if _DEC.fullmatch(s):
        return sympy.Float(s if s.lstrip("-")[0] != "." else s.replace(".", "0.", 1), 30)
    m = _FRAC.fullmatch(s)
    if m and int(m.group(3)) != 0:
        value = Rational(int(m.group(2)), int(m.group(3)))
        return -value if m.group(1) else value
    m = _SLASH.fullmatch(s)
    if m and int(m.group(2)) != 0:
        return Rational(int(m.group(1)), int(m.group(2)))
    m = _MIXED_NORM.fullmatch(s)
    if m and int(m.group(3)) != 0:
        return int(m.group(1)) + Rational(int(m.group(2)), int(m.group(3)))
    return None


def _parse_latex(s: str) -> Any:
    """latex2sympy, plus unions of inequalities (`x<1 or x>2`, `x<1 \\cup x>2`)."""
    fast = _fast_number(s)
    if fast is not None:
        return fast
    pair = _PAIR.fullmatch(s)
    if pair:  # "(a, b)" stays an ordered pair; it becomes an interval only against a set
        return Tuple(*(_parse_part(part) for part in pair.groups()))
    tup = _TUPLE.fullmatch(s)
    if tup:  # (3, 37, 3, 13), (0;-2;0): each part alone (the grammar is slow on long tuples)
        return Tuple(*(_parse_part(p) for p in re.split(r"[,;]", tup.group(1))))
    brace = _BRACE_SET.fullmatch(s)
    if brace and "," in brace.group(1):  # {2, 3, 5} and \{-12, -11\}
        return FiniteSet(*(_parse_part(p) for p in brace.group(1).split(",")))
    if _RELATION.search(s):  # `0 < f(x) < 1`: the function value is the variable
        s = re.sub(r"(?<![A-Za-z\\])([A-Za-z])\s*\(\s*([A-Za-z])\s*\)", r"\1_{\2}", s)
    if _RELATION.search(s):  # `x > 0 \land x \le 1`: the conditions together, as "and" is
        s = _AND.sub(r" \\text{and} ", s)
    if _RELATION.search(s) and _SPLIT_OR.search(s):
        parts = [p.strip() for p in _SPLIT_OR.split(s) if p.strip()]
        exprs = [_conjunction(latex2sympy(p)) for p in parts]
        for e in exprs:
            check_size(e)
        sets = [_as_set(e) for e in exprs]
        if all(x is not None for x in sets):
            return Union(*sets)
    expr = _conjunction(latex2sympy(s))
    if isinstance(expr, Basic) and Symbol("i") in expr.free_symbols:
        expr = expr.subs(Symbol("i"), sympy.I)
    if isinstance(expr, MatrixExpr) and not isinstance(expr, MatrixBase):
        check_size(expr)
        expr = expr.doit()  # `A + B`, `A B` written out: the matrix they evaluate to
    return expr


_AND = re.compile(r"\\(?:land|wedge)(?![A-Za-z])")


def _conjunction(expr: Any) -> Any:
    """`x > 0 \\text{ and } x \\le 1`, `x > 0, x \\le 1` (the parser's set of two relations):
    conditions on one variable that hold together, the set where they all hold; it was read as
    a list of two answers, which the interval `(0, 1]` never equals."""
    if not isinstance(expr, FiniteSet) or len(expr) < 2:
        return expr
    relations = list(expr.args)
    if not all(isinstance(r, Relational) and not isinstance(r, Eq) for r in relations):
        return expr
    symbols = {frozenset(r.free_symbols) for r in relations}
    if len(symbols) != 1 or len(next(iter(symbols))) != 1:
        return expr  # `x > 0, y > 0`: conditions on two variables, no interval
    return sympy.And(*relations)


_TUPLE = re.compile(r"\(\s*([^()\[\]{}]+?(?:\s*[,;]\s*[^()\[\]{},;]+?)+)\s*\)")
_BRACE_SET = re.compile(r"\\?\{\s*((?:[-+]?[\d.]+\s*,\s*)+[-+]?[\d.]+)\s*\\?\}")


def _parse_part(text: str) -> Any:
    part = text.strip()
    fast = _fast_number(part)
    return fast if fast is not None else latex2sympy(part)


def warmup() -> None:
    """Run one comparison of each kind so that a fresh worker meets its first deadline."""
    for gold, answer in (
        ("x^2+2x+1", "(x+1)^2"),
        ("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"),
        ("(-\\infty, 1) \\cup (2, \\infty)", "x<1 \\text{ or } x>2"),
        ("3x+4y=1", "6x+8y=2"),
        ("0.5", "\\frac{1}{2}"),
        ("\\{1,2\\}", "\\{2,1\\}"),
        ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}"),
        ("[1,2)", "[1,2]"),
        ("(1,2)", "1<x<2"),
        ("\\left(\\frac{1}{2}, 3\\right]", "\\frac12 < x \\le 3"),
        ("2x+3y=1", "2*x+3*y=1"),
        ("\\frac{\\sqrt{3}}{2}", "\\sin 60^\\circ"),
        ("-1", "e^{i\\pi}"),
        ("\\frac{1}{2004!}", "\\frac{1}{2006!}"),
        ("2\\sqrt{2}", "\\sqrt{8}"),
        ("\\frac{2\\pi}{3}", "2\\frac{\\pi}{3}"),
        ("x^2+y^2=4", "-x^2-y^2+4=0"),
        ("\\text{Tuesday}", "\\text{Monday}"),
        ("1, 2", "2, 1"),
        ("\\pm 2", "x=2 \\text{ and } x=-2"),
        ("\\frac{\\pi}{6}", "30^\\circ"),
        ("1200", "1.2\\times 10^{3}"),
        ("(-\\infty, 3]", "x \\le 3"),
        ("x \\ge 5", "[5, \\infty)"),
        ("y=2x+1", "2x - y + 1 = 0"),
        ("\\ln 8", "3\\ln 2"),
        ("\\frac{\\pi}{4}", "\\arctan 1"),
        ("e^{2}", "e \\cdot e"),
        ("3+2i", "2i+3"),
        ("\\sqrt[3]{16}", "2\\sqrt[3]{2}"),
        ("\\frac{x}{2}", "0.5x"),
        ("n(n+1)/2", "\\frac{n^2+n}{2}"),
        ("1+\\sqrt{2}, 1-\\sqrt{2}", "1\\pm\\sqrt{2}"),
        ("2\\sin x\\cos x", "\\sin 2x"),
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}"),
        ("(1,2,3)", "(1,3,2)"),
        ("64\\pi", "64 \\pi"),
        ("2\\sqrt{3}", "\\sqrt{12}"),
        ("\\frac{2\\pi}{3}", "120^\\circ"),
    ):
        compare(gold, [answer])
    _parse_cached.cache_clear()


def _flag_args(flags: dict[str, Any]) -> dict[str, Any]:
    keys = ("percent", "degrees", "base", "digits", "modulus")
    return {k: flags[k] for k in keys if k in flags}


def parse_answer(text: str, keep_commas: bool = False) -> Parsed:
    return _parse_cached(text, keep_commas)


# ----- comparison ----------------------------------------------------------------------------
def _is_float_like(e: Any) -> bool:
    return isinstance(e, Basic) and any(isinstance(a, Float) for a in sympy.preorder_traversal(e))


def _numbers_equal(a: Expr, b: Expr, rel_tol: float) -> bool:
    """Exact when both are exact; relative tolerance when either side was written as a decimal."""
    if a == b:
        return True
    infinite = (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)
    if a.has(*infinite) or b.has(*infinite):
        return False
    if _is_float_like(a) or _is_float_like(b):
        va, vb = sympy.N(a, 30), sympy.N(b, 30)
        if not (va.is_number and vb.is_number):
            return False
        try:
            ca, cb = complex(va), complex(vb)
        except (TypeError, ValueError):
            return False
        if not all(map(math.isfinite, (ca.real, ca.imag, cb.real, cb.imag))):
            return ca == cb
        # relative only: no absolute floor makes a tiny exact gold (10^{-20}) equal to 0.0
        return abs(ca - cb) <= rel_tol * max(abs(ca), abs(cb))
    if a.is_Rational and b.is_Rational:
        return False  # two different integers or fractions, however many digits they share
    return _exact_difference_is_zero(a - b)


def _exact_difference_is_zero(diff: Expr) -> bool:
    """Whether an exact, symbol-free difference is zero. sympy's evalf raises its working
    precision until the result has 30 significant digits (1/2004! - 1/2006! is found), and
    returns a zero of no precision when the difference cancels to nothing (an identity)."""
    if diff == 0:
        return True
    try:
        d = diff.evalf(30, maxn=600)
        if d.is_number:
            return all(_insignificant(part) for part in d.as_real_imag())
    except (TypeError, ValueError, ArithmeticError):
        pass
    try:
        return bool(sympy.simplify(diff) == 0)
    except Exception:
        return False


def _insignificant(x: Any) -> bool:
    """A zero, or a float zero that evalf could not resolve to a single significant bit."""
    if x == 0:
        return True
    return isinstance(x, Float) and x._prec < 8


def _expressions_equal(a: Any, b: Any, rel_tol: float) -> bool:
    if a == b:
        return True
    if not (isinstance(a, Expr) and isinstance(b, Expr)):
        return False
    if not a.free_symbols and not b.free_symbols:
        return _numbers_equal(a, b, rel_tol)
    if a.free_symbols != b.free_symbols:
        return False
    if sympy.expand(a - b) == 0:
        return True
    # different expressions differ at almost every point: test a few rational points with
    # 40-digit arithmetic before trying (slow) simplification
    rng = random.Random(12345)
    symbols = sorted(a.free_symbols, key=str)
    agreed = 0
    for _ in range(6):
        point = {s: Rational(rng.randint(2, 97), rng.randint(2, 31)) for s in symbols}
        try:
            ea, eb = a.subs(point), b.subs(point)
            if ea.is_Rational and eb.is_Rational:  # rational functions: compare exactly
                if ea != eb:
                    return False
                agreed += 1
                continue
            va, vb = sympy.N(ea, 40), sympy.N(eb, 40)
        except Exception:
            break
        if not (va.is_number and vb.is_number) or va.has(sympy.zoo, sympy.nan):
            continue
        scale = max(abs(va), abs(vb), 1)
        if abs(va - vb) > scale * sympy.Float(10) ** -25:
            return False
        agreed += 1
    if agreed >= 4:
        return not _differ_at_negative_points(a, b, symbols, rng)
    try:
        return bool(sympy.simplify(a - b) == 0)
    except Exception:
        return False


def _differ_at_negative_points(a: Expr, b: Expr, symbols: list[Any], rng: random.Random) -> bool:
    """Whether two expressions that agree at positive points differ where a variable is
    negative and both are real there: `|x|`, `\\sqrt{x^2}` and `\\max(x, 0)` are `x` at every
    positive point (so `x` was paid for the gold `|x|`). A point where either side is not real
    (`\\ln x`, `\\sqrt{x}` at x < 0) says nothing: `\\ln(x^2)` and `2\\ln x` still agree."""
    for i in range(4):
        point = {}
        for j, s in enumerate(symbols):
            value = Rational(rng.randint(2, 97), rng.randint(2, 31))
            negative = i < 2 or j == i % len(symbols) or rng.random() < 0.5
            point[s] = -value if negative else value
        try:
            ea, eb = a.subs(point), b.subs(point)
            if ea.is_Rational and eb.is_Rational:
                if ea != eb:
                    return True
                continue
            va, vb = sympy.N(ea, 40), sympy.N(eb, 40)
        except Exception:
            return False
        if not (va.is_number and vb.is_number) or va.has(sympy.zoo, sympy.nan):
            continue
        if vb.has(sympy.zoo, sympy.nan) or not (va.is_real and vb.is_real):
            continue
        if not (_real_throughout(a, point) and _real_throughout(b, point)):
            continue  # `\\sqrt{x}\\sqrt{y}` at x, y < 0: real only by i·i, outside its domain
        scale = max(abs(va), abs(vb), 1)
        if abs(va - vb) > scale * sympy.Float(10) ** -25:
            return True
    return False


def _real_throughout(e: Expr, point: dict[Any, Any]) -> bool:
    """Whether every root and logarithm inside `e` is real at `point` (the point lies in the
    domain a reader assumes)."""
    checked = 0
    for sub in sympy.preorder_traversal(e):
        if isinstance(sub, sympy.Pow) and not sub.exp.is_integer or isinstance(sub, sympy.log):
            checked += 1
            if checked > 50:
                return False
            try:
                value = sympy.N(sub.subs(point), 15)
            except Exception:
                return False
            if not (value.is_number and value.is_real):
                return False
    return True


def _as_set(expr: Any) -> Set | None:
    """A set for intervals, unions, single-variable inequalities and `x = {..}` forms."""
    if isinstance(expr, (sympy.Complement, sympy.Intersection)):
        # `\mathbb{R} \setminus \{0\}`, `[1,2] \cap [2,3]`: the set they make, as intervals
        try:
            return expr.doit()
        except Exception:
            return expr
    if isinstance(expr, Set):
        return expr
    if isinstance(expr, Eq) and isinstance(expr.rhs, Set):
        return expr.rhs
    if isinstance(expr, (Relational, sympy.And, sympy.Or)) and not isinstance(expr, Eq):
        if len(expr.free_symbols) != 1:
            return None
        fast = _simple_relation_set(expr)
        if fast is not None:
            return fast
        try:
            return expr.as_set()
        except Exception:
            return None
    return None


def _simple_relation_set(expr: Any) -> Set | None:
    """`x < 3`, `3 >= x`, and/or chains of those, as sets without calling the solver."""
    if isinstance(expr, sympy.And):
        parts = [_simple_relation_set(a) for a in expr.args]
        return None if any(p is None for p in parts) else sympy.Intersection(*parts)
    if isinstance(expr, sympy.Or):
        parts = [_simple_relation_set(a) for a in expr.args]
        return None if any(p is None for p in parts) else Union(*parts)
    if not isinstance(expr, Relational) or isinstance(expr, Eq):
        return None
    if isinstance(expr, sympy.Ne):  # x \neq 3: everything but one point
        sides = (expr.lhs, expr.rhs) if isinstance(expr.lhs, Symbol) else (expr.rhs, expr.lhs)
        if not isinstance(sides[0], Symbol) or sides[1].free_symbols:
            return None
        return Union(Interval.open(-sympy.oo, sides[1]), Interval.open(sides[1], sympy.oo))
    lhs, rhs, op = expr.lhs, expr.rhs, expr.rel_op
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
    if isinstance(rhs, Symbol) and not lhs.free_symbols:
        lhs, rhs = rhs, lhs
        op = flip[op]
    if not isinstance(lhs, Symbol) and len(expr.free_symbols) == 1:
        # a linear side (`-x > -1`, `2x + 1 \le 5`): solve by hand, the solver is slow
        (x,) = expr.free_symbols
        poly = (
            sympy.Poly(expr.lhs - expr.rhs, x) if (expr.lhs - expr.rhs).is_polynomial(x) else None
        )
        if poly is None or poly.degree() != 1:
            return None
        a, b = poly.all_coeffs()
        if not (a.is_number and b.is_number and a.is_nonzero and a.is_real):
            return None
        lhs, rhs, op = x, -b / a, op if a.is_positive else flip[op]
    if not isinstance(lhs, Symbol) or rhs.free_symbols:
        return None
    if op == "<":
        return Interval.open(-sympy.oo, rhs)
    if op == "<=":
        return Interval(-sympy.oo, rhs, left_open=True)
    if op == ">":
        return Interval.open(rhs, sympy.oo)
    return Interval(rhs, sympy.oo, right_open=True)


def _sets_equal(a: Set, b: Set, rel_tol: float) -> bool:
    if a == b:
        return True
    if isinstance(a, FiniteSet) and isinstance(b, FiniteSet):
        return _paired(list(a), list(b), lambda x, y: _values_equal(x, y, rel_tol))
    if isinstance(a, Interval) and isinstance(b, Interval):
        return (
            a.left_open == b.left_open
            and a.right_open == b.right_open
            and _values_equal(a.start, b.start, rel_tol)
            and _values_equal(a.end, b.end, rel_tol)
        )
    if isinstance(a, Union) and isinstance(b, Union):
        # in any order, nested or not: `(-\infty,1)\cup(1,2)\cup(2,\infty)` parses as a union
        # of a union, while `\mathbb{R} \setminus \{1, 2\}` makes one union of three
        return _paired(_union_parts(a), _union_parts(b), lambda x, y: _sets_equal(x, y, rel_tol))
    return False


def _paired(xs: list[Any], ys: list[Any], equal: Callable[[Any, Any], bool]) -> bool:
    """Whether each of `xs` equals its own one of `ys` (in any order, each used once)."""
    if len(xs) != len(ys):
        return False
    rest = list(ys)
    for x in xs:
        for j, y in enumerate(rest):
            if equal(x, y):
                del rest[j]
                break
        else:
            return False
    return True


def _union_parts(u: Set) -> list[Set]:
    """The sets a union joins, nested unions flattened."""
    out: list[Set] = []
    stack = [u]
    while stack and len(out) <= MAX_NODES:
        x = stack.pop()
        if isinstance(x, Union):
            stack.extend(reversed(x.args))
        else:
            out.append(x)
    return out


def _equation_part(e: Any) -> Any:
    return e.lhs - e.rhs


def _is_assignment(e: Any) -> bool:
    return isinstance(e, Eq) and isinstance(e.lhs, Symbol) and not isinstance(e.rhs, Set)


def _equations_equal(a: Eq, b: Eq, rel_tol: float) -> bool:
    if _is_assignment(a) and _is_assignment(b) and a.lhs == b.lhs:
        return _values_equal(a.rhs, b.rhs, rel_tol)
    da, db = _equation_part(a), _equation_part(b)
    if not (isinstance(da, Expr) and isinstance(db, Expr)):
        return False
    if da.free_symbols != db.free_symbols or db == 0:
        return False
    try:
        ratio = sympy.cancel(sympy.together(da / db))
    except Exception:
        return False
    if not ratio.free_symbols:
        return bool(ratio.is_number and ratio != 0)
    # not polynomial: the ratio must be the same nonzero constant at several points
    rng = random.Random(54321)
    symbols = sorted(ratio.free_symbols, key=str)
    values = []
    for _ in range(6):
        point = {s: Rational(rng.randint(2, 97), rng.randint(2, 31)) for s in symbols}
        try:
            value = sympy.N(ratio.subs(point), 40)
        except Exception:
            return False
        if value.is_number and not value.has(sympy.zoo, sympy.nan):
            values.append(value)
    if len(values) < 4 or any(v == 0 for v in values):
        return False
    return all(abs(v - values[0]) <= abs(values[0]) * sympy.Float(10) ** -25 for v in values)


def _open_interval(pair: Tuple) -> Any:
    try:
        if bool(pair[0] < pair[1]):
            return Interval.open(pair[0], pair[1])
    except TypeError:
        pass
    return pair


def _values_equal(a: Any, b: Any, rel_tol: float) -> bool:
    """Structural dispatch: sets, tuples, matrices, equations, then expressions."""
    if a == b:
        return True
    if isinstance(a, Tuple) and len(a) == 2 and _as_set(b) is not None:
        a = _open_interval(a)
    if isinstance(b, Tuple) and len(b) == 2 and _as_set(a) is not None:
        b = _open_interval(b)
    sa, sb = _as_set(a), _as_set(b)
    if sa is not None and sb is not None:
        return _sets_equal(sa, sb, rel_tol)
    if isinstance(a, Eq) and isinstance(b, Eq):
        return _equations_equal(a, b, rel_tol)
    if _is_assignment(b) and not isinstance(a, (Eq, Set)):
        return _values_equal(a, b.rhs, rel_tol)
    if _is_assignment(a) and not isinstance(b, (Eq, Set)):
        return _values_equal(a.rhs, b, rel_tol)
    if isinstance(a, Tuple) and isinstance(b, Tuple):
        return len(a) == len(b) and all(_values_equal(x, y, rel_tol) for x, y in zip(a, b))
    if isinstance(a, MatrixBase) and isinstance(b, MatrixBase):
        return a.shape == b.shape and all(_values_equal(x, y, rel_tol) for x, y in zip(a, b))
    if isinstance(a, (MatrixBase, Tuple)) and isinstance(b, (MatrixBase, Tuple)):
        # a vector written as a tuple: `(1,-2,3)` for a one-column (or one-row) `pmatrix`
        vector = a if isinstance(a, MatrixBase) else b
        return (
            1 in vector.shape
            and len(a) == len(b) >= 2
            and all(_values_equal(x, y, rel_tol) for x, y in zip(a, b))
        )
    if isinstance(a, Expr) and isinstance(b, Expr):
        return _expressions_equal(a, b, rel_tol)
    return False


def _in_radians(p: Parsed) -> bool:
    return isinstance(p.expr, Basic) and p.expr.has(pi)


def _items(p: Parsed) -> list[Parsed]:
    """The answers a parsed answer lists: its items, the members of a finite set (`\\{1,2\\}`,
    `\\pm 2`), or itself."""
    if p.items is not None:
        return [x for item in p.items for x in _items(item)]
    if isinstance(p.expr, FiniteSet) and len(p.expr) >= 1:  # `\\{5\\}`: the one solution 5
        return [dataclasses.replace(p, expr=e, text=str(e)) for e in p.expr.args]
    return [p]


def _distinct(items: list[Parsed], rel_tol: float) -> list[Parsed]:
    """A list of solutions with repeats removed: `(3,17), (3,17)` states one solution."""
    out: list[Parsed] = []
    for x in items:
        if not any(_one_equal(y, x, rel_tol)[0] for y in out):
            out.append(x)
    return out


def _one_of_each(gold: Parsed, rel_tol: float) -> Parsed:
    """A gold written as several boxes, its repeats dropped: a solution that boxes its answer
    twice (`\\boxed{3}` ... `\\boxed{x=3}`) has the one answer 3, never the multiset {3, 3},
    which no single answer matched; different boxes stay a list (`\\boxed{3}`, `\\boxed{4}`)."""
    items = _items(gold)
    distinct = _distinct(items, rel_tol)
    if len(distinct) == len(items):
        return gold
    if len(distinct) == 1:
        return distinct[0]
    return dataclasses.replace(gold, items=tuple(distinct), groups=None, assigned=None)


def _same_multiset(gold: list[Parsed], pred: list[Parsed], rel_tol: float) -> bool:
    """The same solutions, in any order. A repeat in the answer states nothing new (`2, 2, 3`
    for the roots `2, 3`), unless the gold lists repeats: then it counts them (a double root
    `2, 2, 3` is not `2, 3`, nor `2, 3, 3`)."""
    distinct = _distinct(gold, rel_tol)
    a, b = (distinct, _distinct(pred, rel_tol)) if len(distinct) == len(gold) else (gold, pred)
    if len(a) != len(b):
        return False
    rest = list(b)
    for x in a:
        for j, y in enumerate(rest):
            if _one_equal(x, y, rel_tol)[0]:
                del rest[j]
                break
        else:
            return False
    return True


def _one_equal(gold: Parsed, pred: Parsed, rel_tol: float) -> tuple[bool, str]:
    if pred.false_chain:
        return False, "the answer states a false equality"
    if pred.approx and not _rounded(gold):
        return False, "an approximation of an exact answer"
    if gold.words is not None or pred.words is not None:
        return gold.words == pred.words, "compared as words"
    if gold.expr is None or pred.expr is None:
        return False, "compared"
    if gold.clock is not None or pred.clock is not None:
        return _times_equal(gold, pred), "compared as times"
    return answers_equal(gold, pred, rel_tol)


def _times_equal(gold: Parsed, pred: Parsed) -> bool:
    """Two times of day: the same minute of the day; a time without AM/PM and an hour of at
    most 12 is on a 12-hour clock (`3:30` = `3:30 PM` = `3:30 AM`, but `15:30` ≠ `3:30 AM`). A
    time is never a number or a pair (`10:30` is not the ratio 1/3)."""
    if gold.clock is None or pred.clock is None:
        return False
    (gh, gm), (ph, pm) = (int(v) for v in gold.expr), (int(v) for v in pred.expr)
    if gm != pm:
        return False
    if gold.clock == pred.clock:
        return gh == ph
    bare_hour = gh if gold.clock == "24h" else ph
    return gh == ph or (bare_hour <= 12 and gh % 12 == ph % 12)


def _as_rounded(gold: Parsed) -> Parsed:
    """The gold of a question that asks for a rounded value ("to the nearest dollar"): a
    rounded value itself, which an approximate answer may state."""
    if gold.items is not None:
        return dataclasses.replace(gold, items=tuple(_as_rounded(i) for i in gold.items))
    return dataclasses.replace(gold, approx=True)


def _rounded(gold: Parsed) -> bool:
    """Whether the gold is itself a rounded value (written as a decimal or with `\\approx`, or
    the question asks for rounding), so that an approximate answer (`about 3.14`) may answer
    it; an exact gold it never does."""
    return gold.approx or _is_float_like(gold.expr)


def parsed_equal(gold: Parsed, pred: Parsed, rel_tol: float = DEFAULT_REL_TOL) -> tuple[bool, str]:
    """Whether `pred` answers `gold`: one value against one value, or two lists of solutions
    compared as multisets (in any order; `p=5,q=2;p=7,q=2` may also be read as pairs)."""
    gi, pi = _items(gold), _items(pred)
    if gold.assigned is not None or pred.assigned is not None:
        return _assignments_equal(gold, pred, gi, pi, rel_tol)
    if len(gi) == 1 and len(pi) == 1:
        return _one_equal(gi[0], pi[0], rel_tol)
    point = _list_as_point(gi, pred)
    if point is not None:
        # a gold pair (`(1,2)`) answered by its components without brackets (`\boxed{1,2}`):
        # the pair, in its order (`2, 1` is not `(1, 2)`)
        return _one_equal(gi[0], point, rel_tol)[0], "compared as a point, in order"
    g_readings = [gi] + ([list(gold.groups)] if gold.groups else [])
    p_readings = [pi] + ([list(pred.groups)] if pred.groups else [])
    ok = any(_same_multiset(a, b, rel_tol) for a in g_readings for b in p_readings)
    return ok, "compared as lists"


def _list_as_point(gi: list[Parsed], pred: Parsed) -> Parsed | None:
    """The answer's bare list (`1, 2`) as a tuple, when the gold is one tuple of as many
    components; else None. A bracketed answer (`[1, 2]`, `\\{1, 2\\}`) is no bare list."""
    if len(gi) != 1 or not isinstance(gi[0].expr, Tuple) or pred.items is None:
        return None
    items = pred.items
    if re.search(r"\\text|\b(?:or|and)\b|[;=<>]|\\[lgn]e", pred.text):
        # `1 \text{ or } 2` is a hedge, `1 and 2` two answers, `x=3, x=-2` two solutions for
        # x: only values joined by commas (`1, 2`) are bare components
        return None
    if len(items) != len(gi[0].expr) or any(
        i.items is not None or not isinstance(i.expr, Expr) or isinstance(i.expr, Tuple)
        for i in items  # values only: `x=3, x=-2` is two solutions, never a point
    ):
        return None
    return Parsed(text=pred.text, expr=Tuple(*(i.expr for i in items)))


def _assignments_equal(
    gold: Parsed, pred: Parsed, gi: list[Parsed], pi: list[Parsed], rel_tol: float
) -> tuple[bool, str]:
    """`x=3, y=-2` on either side: the variables say which value is which. Two such answers
    compare variable by variable (alphabetically: `y=-2, x=3` = `x=3, y=-2`); an answer's
    assignments for a gold tuple `(3,-2)` go in the variables' alphabetical order (so `y=3, x=-2`
    is the point (-2, 3)); a tuple or a bare list for gold assignments follows the gold's own
    order, which is the question's (`(3,-2)` or `3, -2`, never `-2, 3`); a bare list gold
    (roots) is still a set."""
    if gold.assigned is not None and pred.assigned is not None:
        return _one_equal(gold.assigned, pred.assigned, rel_tol)[0], "compared as assignments"
    if gold.assigned is not None and gold.items is not None:
        if len(pi) == 1:
            written = Parsed(text=gold.text, expr=Tuple(*(i.expr for i in gold.items)))
            return _one_equal(written, pi[0], rel_tol)[0], "compared as a point"
        ordered = len(gi) == len(pi) and all(_one_equal(g, p, rel_tol)[0] for g, p in zip(gi, pi))
        return ordered, "compared in the order of the assignments"
    if len(gi) == 1 and pred.assigned is not None:
        return _one_equal(gi[0], pred.assigned, rel_tol)[0], "compared as a point"
    return _same_multiset(gi, pi, rel_tol), "compared as lists"


def answers_equal(gold: Parsed, pred: Parsed, rel_tol: float = DEFAULT_REL_TOL) -> tuple[bool, str]:
    """Whether `pred` is a correct answer for `gold`, with a short reason."""
    if pred.percent and not gold.percent:
        return False, "percent answer for a non-percent gold"
    if (pred.degrees and gold.percent) or (pred.percent and gold.degrees):
        return False, "an angle for a percentage, or a percentage for an angle"
    if gold.modulus is not None or pred.modulus is not None:
        return _residues_equal(gold, pred), "compared as residues"
    if gold.base is not None:
        if pred.base not in (None, gold.base):
            return False, f"answer is in base {pred.base}, expected base {gold.base}"
        digits = pred.digits or re.sub(r"\s+", "", pred.text).upper()
        return digits == gold.digits, "numeral in base"
    g, p = gold.expr, pred.expr
    if pred.base is not None:
        try:
            p = sympy.Integer(int(pred.digits or "", pred.base))
        except ValueError:
            return False, "not a numeral in its base"
    if pred.degrees and not gold.degrees and _in_radians(gold):
        p = p * pi / 180
    elif gold.degrees and not pred.degrees and _in_radians(pred):
        g = g * pi / 180
    return _values_equal(g, p, rel_tol), "compared"


def _residues_equal(gold: Parsed, pred: Parsed) -> bool:
    """A congruence (`x \\equiv 2 \\pmod{5}`) against another: the same modulus and class; against
    a plain integer: that integer is the class's least residue (2, never 7 or -3)."""
    g, p = gold.expr, pred.expr
    if not (isinstance(g, sympy.Integer) and isinstance(p, sympy.Integer)):
        return False
    if gold.modulus is not None and pred.modulus is not None:
        return gold.modulus == pred.modulus and (int(g) - int(p)) % gold.modulus == 0
    modulus = gold.modulus or pred.modulus or 1
    plain, residue = (int(p), int(g)) if gold.modulus is not None else (int(g), int(p))
    return 0 <= plain < modulus and (plain - residue) % modulus == 0


def _same_text(a: str, b: str) -> bool:
    """Written identically (spacing, math delimiters, `\\left`/`\\right` and a full stop aside):
    the gold itself is correct even where the parser cannot read it."""

    def canonical(t: str) -> str:
        t = re.sub(r"\\left|\\right|\$|\\[()\[\]]", "", t)
        t = re.sub(r"(?<!\d)\s+|\s+(?!\d)", "", t)  # `1 2` is not `12` as written
        return t.rstrip(".") if not t.endswith("...") else t

    return canonical(a) == canonical(b) != ""


def _is_one_number(gold: str) -> bool:
    """`10,000`, `10,\\!000`, `\\$1{,}000`: a number with thousands separators, not a list."""
    bare = re.sub(r"\\[!,;: ]|\\\$|\$|\s", "", gold).lstrip("+-")
    return _THOUSANDS.fullmatch(bare) is not None


_KELVIN = re.compile(r"^\s*([-+]?\d{1,50}(?:\.\d{1,50})?)K\s*$")


_NAMED_VALUE = re.compile(r"([A-Za-z])\s*=")


def _value_name(text: str, keep_commas: bool) -> str | None:
    """The one-letter name of `x = 3` (a value without letters, LaTeX commands aside), or None."""
    try:
        s = normalize(text, keep_commas)[0].strip()
    except Exception:
        return None
    m = _NAMED_VALUE.match(s)
    if m is None:
        return None
    rest = s[m.end() :]
    if "=" in rest or "<" in rest or ">" in rest or not rest.strip():
        return None
    if _LETTERS.search(re.sub(r"\\[A-Za-z]+", "", rest)):
        return None
    return m.group(1)


def compare(
    gold: str, candidates: list[str], options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Worker entry point: the status of `candidates` (the distinct extracted answers) against
    `gold`. Several candidates that are not all equal are a hedge and score as incorrect."""
    options = options or {}
    rel_tol = float(options.get("rel_tol", DEFAULT_REL_TOL))
    keep_commas = "," in gold and not _is_one_number(gold)
    # `x+2=5 \implies x=3` answers x=3; `**Total = 8**` is the named value 8
    candidates = [conclusion(unwrap(c)) for c in candidates]
    if options.get("abs_asked"):  # "Find the modulus of z": `|z| = 5` names the value asked for
        candidates = [abs_named(c) or c for c in candidates]
    if candidates and all(_same_text(gold, c) for c in candidates):
        return {"status": "correct", "detail": "the gold answer, as written"}
    try:
        g = parse_answer(gold, keep_commas)
    except TooBig as exc:
        return {"status": "error", "detail": f"gold answer too large: {exc}"}
    except Exception as exc:
        return {"status": "error", "detail": f"gold answer could not be parsed: {exc!r}"[:300]}
    if options.get("gold_boxes"):
        g = _one_of_each(g, rel_tol)
    if options.get("rounded"):
        g = _as_rounded(g)
    if g.items is None and g.expr is not None and _symbol_free(g):
        # one number asked for: `m + n = 14` names the sum the question asks for
        candidates = [summed_value(c) or c for c in candidates]
        # `1.2k`, `\$2.5M`: a scale letter after the number (for a symbolic gold, a variable)
        temperature = bool(options.get("temperature"))
        candidates = [scaled_number(c, temperature) or c for c in candidates]
        if temperature:  # "What is the temperature in kelvin?": `300K` is 300 kelvin
            candidates = [_KELVIN.sub(r"\1", c) for c in candidates]
        # `5 m`, `5√3 m`: a one-letter unit set apart from the number (for a symbolic gold, a
        # variable)
        candidates = [without_si_unit(c) or c for c in candidates]
    parsed: list[Parsed] = []
    for text in candidates:
        try:
            parsed.append(parse_answer(text, keep_commas))
        except TooBig as exc:
            return {"status": "unparseable", "detail": f"answer too large: {exc}"}
        except AmbiguousDigits as exc:
            return {"status": "incorrect", "detail": str(exc)}
        except Exception as exc:
            return {
                "status": "unparseable",
                "detail": f"could not parse {text[:80]!r}: {type(exc).__name__}",
            }
    if not parsed:
        return {"status": "unparseable", "detail": "no answer"}
    verdicts = [parsed_equal(g, p, rel_tol) for p in parsed]
    counts = options.get("counts")
    if not (isinstance(counts, list) and len(counts) == len(parsed)):
        counts = [1] * len(parsed)
    # every box as written: `\boxed{2}\boxed{2}\boxed{3}` lists the double root of `2, 2, 3`
    boxes = tuple(p for p, n in zip(parsed, counts) for _ in range(max(1, min(int(n), 64))))
    if len(boxes) > 1 and not all(ok for ok, _ in verdicts):
        # one box per solution (or per variable: `x=3` and `y=-2` for the point (3, -2)):
        # together they are the answer
        texts = [normalize(c, keep_commas)[0] for c in candidates]
        assigned = parse_assignments(texts, keep_commas)
        if len(_items(g)) >= 2 or assigned is not None:
            together = Parsed(text=", ".join(candidates), expr=None, items=boxes, assigned=assigned)
            ok, why = parsed_equal(g, together, rel_tol)
            return {"status": "correct" if ok else "incorrect", "detail": f"{why}, one per box"}
        if any(ok for ok, _ in verdicts):
            return {"status": "incorrect", "detail": "hedged: several different final answers"}
    ok, why = verdicts[-1]
    if ok and len(candidates) == 1:
        named, gold_named = _value_name(candidates[0], keep_commas), _value_name(gold, keep_commas)
        if named and gold_named and named.lower() != gold_named.lower():
            # `x = 3` for the gold `y = 3`: a vertical line for a horizontal one, another unknown
            return {"status": "incorrect", "detail": f"names {named}, the gold names {gold_named}"}
    restated = options.get("restated")
    if not ok and len(parsed) == 1 and isinstance(restated, list):
        # `1/2 (50%)`, `1.5 hours, i.e. 90 minutes`: the extractor found each form equal to the
        # answer, so a gold asking for the other form is met by it
        alone = {k: v for k, v in options.items() if k not in ("restated", "counts")}
        for form in restated[:8]:
            if isinstance(form, str) and compare(gold, [form], alone)["status"] == "correct":
                return {"status": "correct", "detail": f"{why}, as restated"}
    return {"status": "correct" if ok else "incorrect", "detail": why}
