"""Numeric answers with absolute/relative tolerance."""

from __future__ import annotations

import math
import re
from typing import Any

from gymhub.types import Verdict
from gymhub.verifiers.base import Verifier
from gymhub.verifiers.string_match import final_answer_text

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?")


def parse_last_number(text: str) -> float | None:
    """The last number written in `text` (thousands separators allowed), or None."""
    found = [m.group(0) for m in _NUMBER.finditer(text[-10_000:]) if re.search(r"\d", m.group(0))]
    if not found:
        return None
    try:
        value = float(found[-1].replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class NumericVerifier(Verifier):
    """Correct when the last number in the answer is within `abs_tol` or `rel_tol` of the
    reference."""

    name = "numeric"

    def __init__(self, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> None:
        if rel_tol < 0 or abs_tol < 0:
            raise ValueError("tolerances must be non-negative")
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol

    def verify(self, response: str, reference: Any, **context: Any) -> Verdict:
        if not isinstance(response, str):
            raise TypeError(f"response must be a str, got {type(response).__name__}")
        try:
            gold = float(reference)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"numeric reference must be a number, got {reference!r}") from exc
        value = parse_last_number(final_answer_text(response))
        if value is None:
            return Verdict.unparseable("no number found in the answer")
        rel = context.get("rel_tol", self.rel_tol)
        abs_ = context.get("abs_tol", self.abs_tol)
        if math.isclose(value, gold, rel_tol=rel, abs_tol=abs_):
            return Verdict.correct()
        return Verdict.incorrect(f"got {value:g}, expected {gold:g}")

    def reference_response(self, reference: Any) -> str | None:
        return None if reference is None else f"<answer>{reference}</answer>"
