"""The fast path (integers, decimals, fractions, intervals of numbers, decided without sympy)
gives the full path's verdict: on every case of the corpus and on generated answers."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gymhub.types import Verdict
from gymhub.verifiers.math_core import compare
from gymhub.verifiers.math_fast import fast_compare
from gymhub.verifiers.math_verifier import MathVerifier

CORPUS = Path(__file__).resolve().parents[1] / "data" / "math_corpus.jsonl"


def both_paths(gold: str, response: str) -> tuple[str | None, str | None]:
    """(fast verdict or None, full verdict) for one response, extraction included."""
    prepared = MathVerifier(fast_path=False)._prepare(response, gold, {})
    if isinstance(prepared, Verdict):
        return None, prepared.status
    fast = fast_compare(
        prepared[0], prepared[1], prepared[2]["rel_tol"], prepared[2].get("restated")
    )
    return (fast and fast["status"]), compare(*prepared)["status"]


def test_fast_path_agrees_with_the_full_path_on_the_corpus():
    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    taken = 0
    for case in cases:
        if case["category"] == "hostile":
            continue
        fast, full = both_paths(case["gold"], case["response"])
        if fast is not None:
            taken += 1
            assert fast == full, (case["id"], case["gold"], case["response"][-80:])
    assert taken >= 200  # the common shapes are common


def written(value: Fraction, form: str) -> str:
    if form == "decimal":
        return f"{float(value):.12g}" if value.denominator != 1 else f"{value.numerator}.0"
    if form == "frac":
        sign = "-" if value < 0 else ""
        return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    if form == "slash":
        return f"{value.numerator}/{value.denominator}"
    if form == "thousands" and value.denominator == 1:
        return f"{value.numerator:,}"
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.12g}"


values = st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**4)
forms = st.sampled_from(["int", "decimal", "frac", "slash", "thousands"])
wraps = st.sampled_from(["\\boxed{{{}}}", "The answer is ${}$.", "Answer: {}", "$\\boxed{{{}}}$."])


@settings(max_examples=60, deadline=None)
@given(values, values, forms, forms, wraps, st.booleans())
def test_fast_path_agrees_on_generated_numbers(a, b, gold_form, answer_form, wrap, same):
    answer = a if same else b
    gold_text, answer_text = written(a, gold_form), written(answer, answer_form)
    fast, full = both_paths(gold_text, wrap.format(answer_text))
    if gold_form in ("int", "frac", "slash") and answer_form in ("int", "frac", "slash"):
        assert fast is not None  # plain exact numbers always take the fast path
    if fast is not None:
        assert fast == full, (gold_text, answer_text)


brackets = st.sampled_from(["(", "["]), st.sampled_from([")", "]"])


@settings(max_examples=60, deadline=None)
@given(values, values, *brackets, *brackets)
def test_fast_path_agrees_on_generated_intervals(a, b, l1, r1, l2, r2):
    lo, hi = min(a, b), max(a, b)
    gold = f"{l1}{written(lo, 'frac')}, {written(hi, 'int')}{r1}"
    answer = f"{l2}{written(lo, 'decimal')}, {written(hi, 'frac')}{r2}"
    fast, full = both_paths(gold, f"\\boxed{{{answer}}}")
    if fast is not None:
        assert fast == full, (gold, answer)
