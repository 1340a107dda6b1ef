"""Red-team: a final answer taken back for another value in the text right after it, also in
a later paragraph ("$\\boxed{72}$\\n\\nActually, 96."), or followed by another value called
plausible ("But 96 is also plausible."), is a hedge; both were paid as the first answer. A
check that goes on after the value, the same value again, and a value ruled out are not."""

from __future__ import annotations

import time

import pytest

from gymhub.verifiers import MathVerifier
from gymhub.verifiers.math_verifier import _RETRACTED_TO, other_value_after_box

VERIFIER = MathVerifier()
THINK = "<think>\nHalf of 48 is 24, and 48 + 24 = 72. Or 96? No.\n</think>\n\n"
QUESTION = (
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips "
    "in May. How many clips did Natalia sell altogether in April and May?"
)
ANSWERS = [
    "Natalia sold 48 + 24 = 72 clips.\n\nThe answer is 72.",
    "48 + 24 = 72.\n\n$\\boxed{72}$",
    "April: 48, May: 24.\n\nFinal Answer: 72",
    "**Final Answer:** $\\boxed{72}$",
    "<answer>72</answer>",
]
TAKEN_BACK = [
    "\n\nActually, 96.",
    "\n\nWait, no — actually 96.",
    "\n\nWait, no, 96.",
    "\n\nHmm, actually 96.",
    "\n\nActually, I think it's 96.",
    "\n\nActually the total is 96.",
    "\n\nOn second thought, 96.",
    "\n\nCorrection: 96.",
    "\n\nHmm, maybe 96.",
    "\n\n(Actually 96.)",
    "\n\nHmm, wait, I think it's 96.",
    "\n\nOr maybe 96?",
    "\n\nBut 96 is also plausible.",
    " But 96 is also plausible but less likely.",
    "\n\nActually, 96 clips.",
    "\n\nI think the answer is actually 96.",
    "\n\nThe correct answer should be 96.",
    "\n\nUpon reflection, 96.",
    "\n\nLet me reconsider... 96.",
    "\n\nHmm, I made an error. It's 96.",
    "\n\nSorry, I meant 96.",
    "\n\nEdit: 96",
    "\n\nWait... 96?",
    "\n\nUh, 96.",
]
KEPT = [
    "\n\nActually, 48 + 24 = 72.",
    "\n\nHmm, 72.",
    "\n\nActually, 72 clips.",
    "\n\nNo. of clips in May: 24.",
    "\n\nWait, let me verify:\n48 + 24 = 72",
    "\n\nHmm, 24 in May.",
    "\n\nNo, 96 is wrong.",
    "\n\nActually, 96? No, 96 double counts May.",
    "\n\nWait, 48/2 = 24 and 48 + 24 = 72. Correct.",
    "\n\nActually, 96 would be the answer if May were doubled, but it is halved.",
    "\n\n(Note: 96 is not correct.)",
    "\n\nNo, 24 is only May.",
    "\n\nMaybe 72.0",
    "\n\nPerhaps 72 is easier to see as 48 + 24.",
    "\n\n96 is also plausible at first sight, but it is not right.",
    "\n\nThe correct answer is 72.",
    "\n\nSorry, I meant 72.",
    "\n\nUpdate: the answer is still 72.",
    "\n\nEdit: fixed a typo in step 2.",
]


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("tail", TAKEN_BACK)
def test_an_answer_taken_back_for_another_value_is_a_hedge(answer, tail):
    verdict = VERIFIER.verify(THINK + answer + tail, "72", question=QUESTION)
    assert verdict.status == "incorrect", verdict


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("tail", KEPT)
def test_checks_restatements_and_ruled_out_values_keep_the_answer(answer, tail):
    verdict = VERIFIER.verify(THINK + answer + tail, "72", question=QUESTION)
    assert verdict.status == "correct", verdict


SMALLEST = "Find the smallest positive integer $n$ such that $n^2 + 1$ is divisible by $10$."


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("Most likely $\\boxed{3}$, but $7$ is possible.", "incorrect"),
        ("$\\boxed{3}$. 7 is plausible too.", "incorrect"),
        ("$\\boxed{3}$. 7 is possible only if n may be negative.", "correct"),
        ("$\\boxed{3}$. 7 is possible but larger.", "correct"),
        ("$\\boxed{3}$. 7 is possible, but it is not the smallest.", "correct"),
        ("$\\boxed{3}$. 7 is not possible.", "correct"),
        ("$\\boxed{3}$. 3 is possible and smallest.", "correct"),
    ],
)
def test_another_value_called_possible_is_a_hedge(response, status):
    verdict = VERIFIER.verify(THINK + response, "3", question=SMALLEST)
    assert verdict.status == status, verdict


def test_a_symbolic_answer_and_its_decimal_are_one_value():
    response = THINK + "$\\boxed{\\frac{3}{4}}$\n\nActually, 0.75."
    assert VERIFIER.verify(response, "\\frac34").status == "correct"


@pytest.mark.parametrize(
    "fragment", ["\n" + " " * 50, " ", ". wait, ", "(\t \t", ". actually the total ", "wait, " * 3]
)
def test_the_retraction_scan_is_linear(fragment):
    hostile = "\\boxed{5}" + fragment * (100_000 // len(fragment))
    start = time.perf_counter()
    list(_RETRACTED_TO.finditer(hostile))
    other_value_after_box(hostile, "5")
    VERIFIER.verify(hostile, "5")
    VERIFIER.verify("The answer is 5." + hostile, "5")
    assert time.perf_counter() - start < 1.5


COUNT_QUESTION = "How many integers from 1 to 42 are there?"
COUNT_THINK = (
    "<think>\nCounting from 1 to 42 inclusive gives 42; exclusive would be 41.\n</think>\n\n"
)


@pytest.mark.parametrize(
    "response",
    [
        "**Final Answer**\n- If inclusive: 42\n- If exclusive: 41",
        "**Final Answer:** 42 (inclusive) / 41 (exclusive)",
        "**Final Answer:** 42 (inclusive), 41 (exclusive)",
        "The answer is 42.\n\n(If exclusive, 41.)",
        "$\\boxed{42}$\n\n**Note:** If endpoints are excluded, the count is 41.",
        "$\\boxed{42}$\n\nIf the endpoints are excluded, it would be 41.",
        "<answer>42</answer>\n\nAssuming exclusive counting: 41",
    ],
)
def test_another_value_under_another_reading_is_a_hedge(response):
    verdict = VERIFIER.verify(COUNT_THINK + response, "42", question=COUNT_QUESTION)
    assert verdict.status == "incorrect", verdict


@pytest.mark.parametrize(
    "tail",
    [
        "\n\nIf we double-check, 5 + 5 = 10.",
        "\n\nIf we double-check: 10.",
        "\n\nFor n = 1, 2.",
        "\n\nIf n = 1, 2.",
        "\n\nIf x = 3, then y = 7.",
        "\n\nWhen x = 2, y = 4, which checks out.",
        "\n\n- If x = 2: y = 4\n- If x = 3: y = 6",
        "\n\nNote: if you add them, the total is 10.",
        "\n\n(If rounded, 10.)",
        "\n\nIf each box holds 2, then 5 boxes hold 10.",
        " (exact)\n\nIf rounded to the nearest ten, 10.",
    ],
)
@pytest.mark.parametrize(
    "answer", ["The answer is 10.", "$\\boxed{10}$", "Final Answer: 10", "<answer>10</answer>"]
)
def test_checks_and_cases_under_a_condition_keep_the_answer(answer, tail):
    assert VERIFIER.verify("<think>\nok\n</think>\n\n" + answer + tail, "10").status == "correct"


@pytest.mark.parametrize(
    "fragment", ["\nif a, ", "(if ", "- if x: ", " (a) / 1 (b)", "note: if " + "a" * 90 + ", "]
)
def test_the_condition_scans_are_linear(fragment):
    from gymhub.verifiers.math_verifier import _LABELLED_OTHER, _VALUE_IF

    hostile = "\\boxed{5}" + fragment * (100_000 // len(fragment))
    start = time.perf_counter()
    list(_VALUE_IF.finditer(hostile))
    _LABELLED_OTHER.match(hostile, 9)
    VERIFIER.verify(hostile, "5")
    VERIFIER.verify("The answer is 5." + hostile[9:], "5")
    assert time.perf_counter() - start < 1.5


@pytest.mark.parametrize(
    ("response", "gold", "status"),
    [
        # a named answer and a list were never weighed against the value taken back for them
        ("$\\boxed{x = 5}$\n\nActually, 4.", "5", "incorrect"),
        ("$\\boxed{x = 5}$\n\nBut 4 is also plausible.", "5", "incorrect"),
        ("$\\boxed{2, 3}$\n\nActually, 4.", "2,3", "incorrect"),
        ("$\\boxed{1,000}$\n\nActually, 999.", "1000", "incorrect"),
        ("$\\boxed{x = 5}$\n\nHmm, 5.", "5", "correct"),
        ("$\\boxed{2, 3}$\n\nActually, 3.", "2,3", "correct"),
        ("$\\boxed{1,000}$\n\nHmm, 1000.", "1000", "correct"),
        ("$\\boxed{2\\sqrt{3}}$\n\nActually, 3.46.", "2\\sqrt3", "correct"),
    ],
)
def test_named_and_listed_answers_are_weighed_against_a_value_taken_back(response, gold, status):
    verdict = VERIFIER.verify(THINK + response, gold)
    assert verdict.status == status, verdict
