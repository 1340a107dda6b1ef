"""Answer forms a reader accepts that MathVerifier used to score 0 (number words, assignments
for a tuple, `f(x) = ...`, compound units, `The correct option is C`), and the hostile variants
of each that must stay incorrect (hedges, swapped variables, a number inside a unit)."""

from __future__ import annotations

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_spelling import number_in_words, respell


@pytest.fixture(scope="module")
def verifier():
    return MathVerifier(deadline=20.0)


def box(answer: str) -> str:
    return f"The final answer is $\\boxed{{{answer}}}$."


# ----- number words ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("five", 5),
        ("Twelve", 12),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("one hundred", 100),
        ("one hundred and five", 105),
        ("two thousand twenty", 2020),
        ("one million two hundred thousand", 1_200_000),
        ("minus three", -3),
        ("zero", 0),
    ],
)
def test_a_number_in_words_is_that_number(words, value):
    assert number_in_words(words) == value


@pytest.mark.parametrize(
    "words",
    ["five or six", "five six", "one one", "hundred", "zero five", "twenty-zero", "minus", "fives"],
)
def test_words_that_are_not_one_number_stay_words(words):
    assert number_in_words(words) is None
    assert respell(words) == words


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("\\boxed{five}", "5"),
        ("The answer is five.", "5"),
        ("Answer: Five", "5"),
        (box("\\text{twelve}"), "12"),
        (box("twenty-one"), "21"),
        (box("one hundred"), "100"),
    ],
)
def test_number_words_score_as_the_number(verifier, response, gold):
    assert verifier.verify(response, gold).status == "correct"
    wrong = str(int(gold) + 1)
    assert verifier.verify(response, wrong).status == "incorrect"


@pytest.mark.parametrize(
    "response",
    [
        box("five or six"),
        "The answer is five or six.",
        "\\boxed{5} and \\boxed{six}",
        box("five six"),
    ],
)
def test_number_words_that_hedge_are_incorrect(verifier, response):
    assert verifier.verify(response, "5").reward == 0.0
    assert verifier.verify(response, "6").reward == 0.0


def test_number_words_in_a_restated_sentence_are_not_the_answer(verifier):
    question = "Bob has five apples and eats two. How many apples does Bob have left?"
    for response in (
        "Bob has five apples.",
        "The answer is: Bob has five apples and eats two.",
        "There are five apples.",
    ):
        verdict = verifier.verify(response, "5", question=question)
        assert verdict.reward == 0.0, (response, verdict)
    assert verifier.verify("The answer is three.", "3", question=question).status == "correct"
