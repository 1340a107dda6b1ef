"""Numeric answers: exact for integers, a tolerance only where a decimal was written."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.math_spelling import MINUS_SIGNS, SUPERSCRIPTS
from gymhub.verifiers.string_match import final_answer_text

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?")
MAX_DIGITS = 4_000  # longer numerals are refused rather than converted
_SUPERSCRIPT_DIGITS = str.maketrans(SUPERSCRIPTS)
# `2.3868 × 10^7`, `2.3868 x 10^{7}`, `2.3868 \times 10^{7}`, `2.3868·10⁷`: scientific notation
# (the look-behind starts a match only where a number starts: linear in the text's length)
_SCIENTIFIC = re.compile(
    r"(?<![\d,.])(\d(?:[\d,]*\d)?(?:\.\d+)?)\s*(?:[x×✕*·⋅]|\\times|\\cdot)\s*10\s*"
    r"(?:\^\s*\{?\s*([+\-−]?\s*\d{1,4})\s*\}?|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}))"
)


def _e_notation(match: re.Match[str]) -> str:
    exponent = (match.group(2) or match.group(3).translate(_SUPERSCRIPT_DIGITS)).replace("−", "-")
    return f"{match.group(1)}e{exponent.replace(' ', '')}"


def expand_scientific(text: str) -> str:
    """`text` with numbers in scientific notation (`2.3868 × 10^7`) written as `2.3868e7`."""
    return _SCIENTIFIC.sub(_e_notation, text)


def number_texts(text: str) -> list[str]:
    """Every number written in `text`, as written (thousands separators dropped), in order."""
    text = text[-10_000:].translate(MINUS_SIGNS)  # `−5` is -5, not 5
    found = [m.group(0) for m in _NUMBER.finditer(text) if re.search(r"\d", m.group(0))]
    return [f.replace(",", "") for f in found]


def last_number_text(text: str) -> str | None:
    """The last number written in `text` as written (thousands separators dropped), or None."""
    found = number_texts(text)
    return found[-1] if found else None


def _exact(text: str) -> Fraction | None:
    """The exact value of a numeral (`12`, `-0.25`, `1.5e-20`), or None when it is not one."""
    if len(text) > MAX_DIGITS:
        return None
    _, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_DIGITS:
        return None
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None


def parse_last_number(text: str) -> float | None:
    """The last number written in `text` (thousands separators allowed), or None."""
    found = last_number_text(text)
    if found is None:
        return None
    try:
        value = float(found)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _is_integer_numeral(text: str) -> bool:
    return re.fullmatch(r"[-+]?\d+", text) is not None


class NumericVerifier(Verifier):
    """Correct when the answer holds one number (several different ones are a hedge) and it
    equals the reference.

    Both written as integers: exact (`abs_tol` may widen it; `rel_tol` never does, so two
    different integers are never equal however many leading digits they share). Either written
    with a decimal point or an exponent: within `rel_tol` relative or `abs_tol` absolute
    difference. The default `abs_tol` is 0: no floor makes a tiny reference (`1e-20`) equal 0.
    """

    name = "numeric"

    def __init__(self, rel_tol: float = 1e-6, abs_tol: float = 0.0) -> None:
        if rel_tol < 0 or abs_tol < 0:
            raise ValueError("tolerances must be non-negative")
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        gold_text = reference if isinstance(reference, str) else repr(reference)
        gold = None if isinstance(reference, bool) else _exact(str(gold_text).strip())
        if gold is None:
            raise ValueError(f"numeric reference must be a number, got {reference!r}")
        written = number_texts(expand_scientific(final_answer_text(response)[-20_000:]))
        if len({_exact(n) for n in written}) > 1:  # "41 or 42": candidates, not an answer
            return Verdict.incorrect(f"{len(set(written))} different numbers in the answer")
        got_text = written[-1] if written else None
        value = None if got_text is None else _exact(got_text)
        if value is None:
            return Verdict.unparseable("no number found in the answer")
        rel = float(context.get("rel_tol", self.rel_tol))
        abs_ = Fraction(str(context.get("abs_tol", self.abs_tol)))
        if _is_integer_numeral(got_text) and _is_integer_numeral(str(gold_text).strip()):
            allowed = abs_
        else:
            allowed = max(abs_, Fraction(rel) * max(abs(value), abs(gold)))
        if abs(value - gold) <= allowed:
            return Verdict.correct()
        return Verdict.incorrect(f"got {got_text[:40]}, expected {str(gold_text)[:40]}")

    def reference_response(self, reference: Any) -> str | None:
        return None if reference is None else f"<answer>{reference}</answer>"
