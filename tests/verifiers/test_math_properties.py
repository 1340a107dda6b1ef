"""Property-based checks of exactness and hedging (hypothesis): exact values compare exactly,
tiny exact golds never equal a decimal zero, and naming two options is never rewarded."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gymhub.verifiers.math_core import compare
from gymhub.verifiers.math_verifier import MathVerifier
from gymhub.verifiers.numeric import NumericVerifier

FAST = settings(max_examples=60, deadline=None)
big = st.integers(min_value=-(10**200), max_value=10**200)


def status(gold: str, answer: str) -> str:
    """The worker's verdict, called in-process (no pool: these are pure comparisons)."""
    return compare(gold, [answer])["status"]


@FAST
@given(big, big)
def test_distinct_integers_are_never_equal(a, b):
    assert status(str(a), str(b)) == ("correct" if a == b else "incorrect")


@FAST
@given(st.integers(10**30, 10**120), st.integers(1, 10**6), st.integers(1, 10**6))
def test_integers_sharing_leading_digits_are_not_equal(head, d1, d2):
    a, b = head * 10**7 + d1, head * 10**7 + d2
    assert status(str(a), str(b)) == ("correct" if d1 == d2 else "incorrect")
    assert NumericVerifier().verify(str(b), str(a)).status == status(str(a), str(b))


@FAST
@given(
    st.integers(-(10**60), 10**60),
    st.integers(1, 10**60),
    st.integers(-(10**60), 10**60),
    st.integers(1, 10**60),
)
def test_rationals_compare_exactly(p, q, r, s):
    gold, answer = f"\\frac{{{p}}}{{{q}}}", f"\\frac{{{r}}}{{{s}}}"
    expected = "correct" if Fraction(p, q) == Fraction(r, s) else "incorrect"
    assert status(gold, answer) == expected


@FAST
@given(st.integers(13, 300), st.sampled_from(["0", "0.0", "0.000", "0.00000000", "-0.0"]))
def test_tiny_exact_golds_never_equal_zero(k, zero):
    assert status(f"10^{{-{k}}}", zero) == "incorrect"
    assert status(f"\\frac{{1}}{{{10**k + 7}}}", zero) == "incorrect"
    assert NumericVerifier().verify(f"the answer is {zero}", f"1e-{k}").status == "incorrect"


@FAST
@given(st.integers(1, 10**40))
def test_a_power_of_ten_is_itself_and_not_its_neighbour(n):
    assert status(f"10^{{{len(str(n))}}}", str(10 ** len(str(n)))) == "correct"
    assert status(str(n), str(n + 1)) == "incorrect"


letters = st.sampled_from("ABCDE")
joins = st.sampled_from([" or ", " and ", ", ", " / ", " or maybe "])
shapes = st.sampled_from(
    [
        "The answer is ({a}){j}({b}).",
        "\\boxed{{{a}{j}{b}}}",
        "Answer: {a}{j}{b}",
        "<answer>{a}{j}{b}</answer>",
        "The answer is {a}{j}{b}",
    ]
)


@FAST
@given(letters, letters, joins, shapes)
def test_naming_two_options_is_never_rewarded(a, b, join, shape):
    assume(a != b)
    verifier = MathVerifier()
    response = shape.format(a=a, b=b, j=join)
    for gold in (a, b):
        verdict = verifier._prepare(response, gold, {})  # multiple choice never needs a worker
        assert verdict.reward == 0.0, (response, gold, verdict)
    assert verifier._prepare(f"The answer is ({a}).", a, {}).status == "correct"
