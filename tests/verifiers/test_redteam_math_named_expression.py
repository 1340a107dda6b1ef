"""Red-team: an unevaluated expression of the question's numbers (`\\frac{22-7}{3}` for "If
$3x + 7 = 22$, what is $x$?") is refused, but the same expression named by the asked variable
(`\\boxed{x = \\frac{22 - 7}{3}}`) was paid: the variable's letter made the restatement check
skip it. The name is dropped before the check now; a chain to the value is still an answer."""

from __future__ import annotations

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_restatement import restates_question

VERIFIER = MathVerifier()
THINK = "<think>\nSubtract 7 from both sides: 3x = 15, so x = 5.\n</think>\n\n"
LINEAR = "If $3x + 7 = 22$, what is the value of $x$?"
APPLES = "Tom has 12 apples. He gives 5 to his sister. How many apples does Tom have left?"


@pytest.mark.parametrize(
    ("response", "gold", "question", "status"),
    [
        ("$\\boxed{x = \\frac{22 - 7}{3}}$", "5", LINEAR, "incorrect"),
        ("$\\boxed{x = (22 - 7)/3}$", "5", LINEAR, "incorrect"),
        ("So $x = \\frac{22-7}{3}$.", "5", LINEAR, "incorrect"),
        ("$\\boxed{n = 12 - 5}$", "7", APPLES, "incorrect"),
        ("$\\boxed{x = (22 - 7)/3 = 5}$", "5", LINEAR, "correct"),
        ("$\\boxed{x = 5}$", "5", LINEAR, "correct"),
        ("$x = (22-7)/3 = 5$", "5", LINEAR, "correct"),
        ("$\\boxed{x = 15/3}$", "5", LINEAR, "correct"),
        ("$\\boxed{n = 7}$", "7", APPLES, "correct"),
        ("$x = \\frac{-7}{2}$", "-\\frac72", "Solve for x: -2x = 7", "correct"),
    ],
)
def test_a_named_expression_of_the_questions_numbers_is_unevaluated(
    response, gold, question, status
):
    verdict = VERIFIER.verify(THINK + response, gold, question=question)
    assert verdict.status == status, verdict


def test_the_name_is_dropped_only_before_the_expression():
    assert restates_question("x = \\frac{22 - 7}{3}", "5", LINEAR)
    assert restates_question("x_1 = (22 - 7)/3", "5", LINEAR)
    assert restates_question("x = 5", "5", LINEAR) is None
    assert restates_question("x == (22 - 7)/3", "5", LINEAR) is None  # not a name
