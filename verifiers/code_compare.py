"""Comparisons done on the trusted side: program output against expected text, and returned
values against expected JSON values with strict types (so nothing the candidate builds can claim
equality: only plain JSON data ever arrives here)."""

from __future__ import annotations

import math
import re
from typing import Any

COMPARE_MODES = ("exact", "whitespace", "tokens", "numeric")
# the digits before and after the point are two runs parted by the point itself: written as
# `\d+\.?\d*` the two runs overlapped, and a token of n digits and a letter (a program's output)
# took n^2 steps to refuse (16,000 digits: 6.6 s; 1 MB of output hung the hub's verification)
_FLOAT = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_INT = re.compile(r"^[-+]?\d+$")  # one run of digits: a `0*\d+` pair was quadratic


def _same_int(x: str, y: str) -> bool | None:
    """Whether two integer tokens are the same integer (`+007` is `7`, `-0` is `0`), compared as
    digits (no size limit); None unless both are integers."""
    if _INT.match(x) is None or _INT.match(y) is None:
        return None
    return _int_form(x) == _int_form(y)


def _int_form(token: str) -> tuple[bool, str]:
    """(negative, digits without leading zeros) of an integer token; zero is never negative."""
    digits = token.lstrip("+-").lstrip("0") or "0"
    return token.startswith("-") and digits != "0", digits


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def outputs_match(
    got: str, expected: str, mode: str = "whitespace", rel_tol: float = 1e-6, abs_tol: float = 1e-9
) -> bool:
    """`exact`: byte-equal; `whitespace`: equal after trailing spaces and trailing blank lines are
    dropped; `tokens`: equal whitespace-separated tokens; `numeric`: tokens, numbers compared with
    the tolerances (two integer tokens exactly: the tolerances are for floating-point error)."""
    if mode == "exact":
        return got == expected
    if mode == "whitespace":
        return _lines(got) == _lines(expected)
    a, b = got.split(), expected.split()
    if mode == "tokens":
        return a == b
    if mode == "numeric":
        if len(a) != len(b):
            return False
        for x, y in zip(a, b):
            if x == y:
                continue
            # two integers are one value or not: within a relative tolerance, an off-by-one
            # count (1000000008 for 1000000007) was paid
            same = _same_int(x, y)
            if same is not None:
                if same:
                    continue
                return False
            if not (_FLOAT.match(x) and _FLOAT.match(y)):
                return False
            fx, fy = float(x), float(y)
            if not (math.isfinite(fx) and math.isclose(fx, fy, rel_tol=rel_tol, abs_tol=abs_tol)):
                return False
        return True
    raise ValueError(f"unknown compare mode {mode!r}; choose one of {COMPARE_MODES}")


def values_equal(got: Any, expected: Any, rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> bool:
    """Deep equality of JSON values with strict types: bools are not numbers, ints and floats
    compare numerically (floats within tolerance; a float for an expected int must also round
    to it), lists (a tuple expected: a list) need the same length, dicts the same keys.
    Anything that is not a JSON type never matches."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(got) is bool and type(expected) is bool and got == expected
    if type(expected) in (int, float) and type(got) in (int, float):
        if type(expected) is int and type(got) is int:
            return got == expected
        if type(expected) is int and (not math.isfinite(got) or round(got) != expected):
            # an int is one value: a float is it up to rounding noise (3.0000000000000004),
            # but within rel_tol of a large int, 1000000008.0 passed for 1000000007
            return False
        try:
            return math.isfinite(got) and math.isclose(
                got, expected, rel_tol=rel_tol, abs_tol=abs_tol
            )
        except OverflowError:  # an int too large for any float is never close to a float
            return False
    if expected is None:
        return got is None
    if type(expected) is str:
        return type(got) is str and got == expected
    if type(expected) in (list, tuple):  # a tuple in a reference written in Python: a list
        return (
            type(got) is list
            and len(got) == len(expected)
            and all(values_equal(g, e, rel_tol, abs_tol) for g, e in zip(got, expected))
        )
    if type(expected) is dict:
        return (
            type(got) is dict
            and set(got) == set(expected)
            and all(values_equal(got[k], expected[k], rel_tol, abs_tol) for k in expected)
        )
    return False
