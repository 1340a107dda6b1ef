"""Words in a text macro after a number were dropped as its unit, whatever they said: a bound
(`12 \\text{ max}`), a doubt put as a question (`12 \\text{ (?)}`), an estimate
(`12 \\text{ (estimate)}`, `12 \\text{-ish}`) or a denial (`12 \\text{ (wrong)}`) paid 12. They
qualify the value now; real units are still dropped."""

from __future__ import annotations

import pytest

from gymhub.verifiers import MathVerifier


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def box(answer: str) -> str:
    return f"The final answer is $\\boxed{{{answer}}}$."


@pytest.mark.parametrize(
    "answer",
    [
        "12 \\text{ max}",
        "12 \\text{ maximum}",
        "12 \\text{ minimum}",
        "12 \\text{ tops}",
        "12 \\text{ (upper bound)}",
        "12 \\text{ (lower bound)}",
        "12 \\text{ +}",
        "12 \\text{?}",
        "12 \\text{ (?)}",
        "12 \\text{ (wrong)}",
        "12 \\text{ (incorrect)}",
        "12 \\text{ (estimate)}",
        "12 \\text{ (estimated)}",
        "12 \\text{ (est.)}",
        "12 \\text{ (rounded)}",
        "12 \\text{ ish}",
        "12 \\text{-ish}",
        "12 \\text{ (guess)}",
        "12\\,\\text{cm} \\text{ max}",
        "12\\,\\text{cm} \\text{ (?)}",
        "12\\,\\text{cm} \\text{ (estimate)}",
        "12 max",
    ],
)
def test_a_qualified_value_is_not_the_exact_value(verifier, answer):
    verdict = verifier.verify(box(answer), "12")
    assert verdict.status in ("incorrect", "unparseable"), verdict


@pytest.mark.parametrize(
    ("answer", "gold"),
    [
        # an estimate answers a rounded gold, as "about 12" does
        ("12 \\text{ (estimate)}", "12.0"),
        ("3.14 \\text{ (rounded)}", "3.14"),
        # units are still units
        ("12 \\text{ min}", "12"),
        ("12 \\text{ minutes}", "12"),
        ("12 \\text{ apples}", "12"),
        ("12\\text{ cm}^2", "12"),
        ("12 \\text{ boxes}", "12"),
        ("12 \\text{ (apples)}", "12"),
        # a doubt without another value keeps the one answer (as "probably 12" does)
        ("12 \\text{ (not sure)}", "12"),
    ],
)
def test_units_and_rounded_golds_still_pay(verifier, answer, gold):
    assert verifier.verify(box(answer), gold).status == "correct"
