"""An equation solved before "so" / "thus" in the concluding sentence is working, not part of the
answer: "Factoring, $(x-2)(x-3) = 0$, so $x = 2$ or $x = 3$." was read as the list
`(x-2)(x-3) = 0 or x = 2 or x = 3`, and the right answer {2, 3} scored 0."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.extract import extract_final_answer

VERIFIER = MathVerifier()


@pytest.mark.parametrize(
    "response",
    [
        "Factoring, $(x-2)(x-3) = 0$, so $x = 2$ or $x = 3$.",
        "We get $x^2 - 5x + 6 = 0$, thus $x = 2$ or $x = 3$.",
        "Setting $(x-2)(x-3) = 0$ gives $x = 2$ and $x = 3$.",
        "The quadratic $x^2-5x+6=0$ factors, hence $x=2$ or $x=3$.",
    ],
)
def test_the_values_after_the_solved_equation_are_the_answer(response):
    assert VERIFIER.verify(response, "2, 3").status == "correct"
    assert VERIFIER.verify(response, "2").status == "incorrect"  # two roots, one asked


def test_a_value_given_to_a_name_is_not_working():
    # `x = 5` is no equation to solve: the usual reading stands (the last value)
    assert extract_final_answer("We have $x = 5$, so $y = 3$.").candidates == ["y = 3"]


def test_the_rule_is_linear_on_long_sentences():
    hostile = "Since $x^2 = 1$ so " * 5_000 + "$x = 1$."
    start = time.perf_counter()
    extract_final_answer(hostile)
    assert time.perf_counter() - start < 2
