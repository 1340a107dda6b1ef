"""MathVerifier's fast path: the common answer shapes (integers, decimals, fractions, simple
LaTeX numbers, intervals of numbers) compared with exact rational arithmetic in the caller,
without sympy and without a worker round trip.

It answers only when both the gold and every candidate are one of these shapes, and then gives
the verdict the full path (`math_core.compare`) gives; anything else returns None and goes to the
full path. `tests/verifiers/test_math_fast_path.py` checks the two agree on the whole corpus and
on generated answers. Inputs are capped (digits per number) so the work stays linear and small.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

_INT = r"[-+]?\d{1,400}"
_DEC = r"[-+]?\d{0,200}\.\d{1,200}"
_NUMBER = re.compile(
    rf"(?P<dec>{_DEC})|(?P<int>{_INT})"
    r"|(?P<fsign>[-+]?)\\[dt]?frac\{(?P<fnum>\d{1,200})\}\{(?P<fden>\d{1,200})\}"
    r"|(?P<snum>[-+]?\d{1,200})/(?P<sden>\d{1,200})"
)
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+")
_INTERVAL = re.compile(
    r"(?P<left>[\[(])(?P<a>[^,\[\]()]{1,420}),(?P<b>[^,\[\]()]{1,420})(?P<right>[\])])"
)
_WRAPPERS = ("$", "\\(", "\\)", "\\[", "\\]", "\\left", "\\right", "\\displaystyle")

Value = tuple[bool, Fraction]  # (written as a decimal, exact value)


def _clean(text: str) -> str:
    s = text.strip()
    for w in _WRAPPERS:
        s = s.replace(w, "")
    s = s.replace(" ", "")
    return s[:-1] if s.endswith(".") and not s.endswith("..") else s


def _number(s: str, commas_are_thousands: bool) -> Value | None:
    if commas_are_thousands and _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    m = _NUMBER.fullmatch(s)
    if m is None:
        return None
    if m.group("dec") is not None:
        return True, Fraction(m.group("dec"))
    if m.group("int") is not None:
        return False, Fraction(int(m.group("int")))
    if m.group("fnum") is not None:
        den = int(m.group("fden"))
        if den == 0:
            return None
        value = Fraction(int(m.group("fnum")), den)
        return False, -value if m.group("fsign") == "-" else value
    den = int(m.group("sden"))
    return None if den == 0 else (False, Fraction(int(m.group("snum")), den))


def _shape(text: str, commas_are_thousands: bool) -> tuple[Any, ...] | None:
    """("number", value) or ("interval", left, a, b, right), or None for any other answer."""
    s = _clean(text)
    if not s or re.search(r"\d\s+\d+\s*/", text):
        return None  # `2 1/2` (a mixed number) is not 21/2: the full path reads it
    # `32, 349` is a list, `32,349` a number (as in the full path)
    value = _number(s, commas_are_thousands and not re.search(r",\s", text))
    if value is not None:
        return ("number", value)
    m = _INTERVAL.fullmatch(s)
    if m:
        a, b = _number(m.group("a"), False), _number(m.group("b"), False)
        if a is not None and b is not None and a[1] < b[1]:
            return ("interval", m.group("left"), a, b, m.group("right"))
    return None


def _float_safe(v: Fraction) -> bool:
    return v == 0 or Fraction(1, 10**290) < abs(v) < 10**290


def _numbers_equal(x: Value, y: Value, rel_tol: float) -> bool:
    if not (x[0] or y[0]):
        return x[1] == y[1]  # both exact: exactly
    a, b = float(x[1]), float(y[1])  # a decimal on either side: relative tolerance only
    return a == b or abs(a - b) <= rel_tol * max(abs(a), abs(b))


def _equal(g: tuple[Any, ...], p: tuple[Any, ...], rel_tol: float) -> bool:
    if g[0] != p[0]:
        return False
    if g[0] == "number":
        return _numbers_equal(g[1], p[1], rel_tol)
    return (
        g[1] == p[1]
        and g[4] == p[4]
        and _numbers_equal(g[2], p[2], rel_tol)
        and _numbers_equal(g[3], p[3], rel_tol)
    )


def fast_compare(
    gold: str, candidates: list[str], rel_tol: float, restated: list[str] | None = None
) -> dict[str, Any] | None:
    """The full path's verdict for simple shapes, or None when the full path must decide.
    `restated`: the one candidate's equal restatements (`1/2 (50%)`: `50\\%`), any of which may
    meet the gold, as the full path's `restated` option says."""
    first = _fast_compare(gold, candidates, rel_tol)
    if first is None or first["status"] == "correct" or not restated or len(candidates) != 1:
        return first
    for form in restated[:8]:
        again = _fast_compare(gold, [form], rel_tol)
        if again is None:
            return None  # a form the fast path cannot read: the full path decides
        if again["status"] == "correct":
            return {"status": "correct", "detail": f"{again['detail']}, as restated"}
    return first


def _fast_compare(gold: str, candidates: list[str], rel_tol: float) -> dict[str, Any] | None:
    if not candidates:
        return None
    commas_are_thousands = "," not in gold or _THOUSANDS.fullmatch(gold.strip().strip("$"))
    g = _shape(gold, bool(commas_are_thousands))
    if g is None:
        return None
    shapes = [_shape(c, bool(commas_are_thousands)) for c in candidates]
    if any(p is None for p in shapes):
        return None
    values = [v for shape in [g, *shapes] for v in shape[1:] if isinstance(v, tuple)]
    if any(decimal for decimal, _ in values) and not all(_float_safe(v) for _, v in values):
        return None  # beyond float range: the full path decides
    verdicts = [_equal(g, p, rel_tol) for p in shapes]  # type: ignore[arg-type]
    if len(verdicts) > 1 and any(verdicts) and not all(verdicts):
        return {"status": "incorrect", "detail": "hedged: several different final answers"}
    return {"status": "correct" if verdicts[-1] else "incorrect", "detail": "compared (fast path)"}
